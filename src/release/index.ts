/**
 * release — Helm-compatible releases: install, upgrade, rollback, uninstall and test of charts
 * (actions/), with the release history stored exactly as helm v3.22 stores it (storage/), so
 * `helm` and `slipway` can take turns on one release.
 *
 * Imports core, the engines (chart, yaml, gotemplate) and kube; never gitops, pipeline or a
 * surface. Talks to the cluster only through src/kube. storage/ does not import actions/.
 *
 * The two parts and what one promises the other:
 * - storage/ (read side): `Release` is helm's release.Release as plain JSON-named data
 *   (`chart` is helm's chart JSON, without subcharts, from chartToJson/chartFromJson; times are
 *   Go time text, "" for the zero time); encodeRelease/decodeRelease are helm's json → gzip →
 *   base64; `ReleaseStore(client, namespace)` is helm's Storage over the Secrets driver: get,
 *   history (ascending), last, deployed, list, create (with helm's --history-max pruning before
 *   the write), update, delete, prune, and a size check that names the biggest parts before
 *   the 1 MiB Secret limit is hit. `lock(name, holder, ttlMs)` takes the Lease
 *   `slipway-release-<name>` (ReleaseLockedError, helm's errPending text, while another holder's
 *   lease is live; an expired one is taken over and the pending-* revision it left is marked
 *   failed; renew() throws ReleaseLockLostError once it is no longer ours). It also holds
 *   helm's printers (list, history, status, get).
 * - actions/ (write side): install, upgrade, rollback, uninstall and test, which render with
 *   src/engines/chart, apply with src/kube, and read and write history only through
 *   ReleaseStore, under its lock.
 *
 * Behaviour follows helm v3.22.0 pkg/action (install.go, upgrade.go, rollback.go,
 * uninstall.go, release_testing.go, hooks.go, resource_policy.go, validate.go), pkg/kube
 * (client.go Update, wait.go), pkg/storage and cmd/helm for messages and output. Where
 * Slipway departs from helm, on purpose:
 *
 * - Objects are written with server-side apply, field manager "slipway", forced (a release
 *   owns its objects as helm's patches do). Helm v3 itself creates with POST and updates with
 *   client-side three-way merge patches (manager "helm", operation Update). Before applying,
 *   the fields of helm's Update entries are moved into Slipway's Apply entry (kubectl's
 *   csaupgrade), so fields the chart drops are removed as helm's upgrade removes them; the
 *   other way round needs nothing, since helm patches from the stored manifest.
 * - `lookup` is answered from the live cluster although the template executor is
 *   synchronous: the chart is rendered again after fetching what a pass asked for, until a
 *   pass asks nothing new (actions/render.ts); not with --dry-run=client, as in helm.
 * - `.Capabilities.APIVersions` is the chart engine's default list plus everything the
 *   server serves (helm uses the server's list alone), so `Has` may be true for a group/version
 *   the server dropped; KubeVersion is the server's.
 * - --wait judges every object with src/engines/health (Jobs only with --wait-for-jobs)
 *   instead of helm's ReadyChecker, and rides out a restarting apiserver until the timeout.
 * - A Lease per release (storage: ReleaseStore.lock) is held, and renewed, from the first read
 *   to the last write of install/upgrade/rollback/uninstall/test; the revision is stored
 *   pending-* meanwhile, so helm refuses too. A process killed midway leaves the lease to
 *   expire (30s by default); the next action takes it over and marks the pending revision
 *   failed. helm's errPending still applies to a pending revision without a lease (a helm
 *   client at work, or one that died: `rollback` clears it, as in helm).
 * - `--create-namespace` creates the namespace before rendering (the lease lives in it).
 * - Hook Jobs/Pods are polled (250ms) rather than watched; `test --logs` also reads the pods
 *   of a test Job. `--force` is accepted and ignored (server-side apply always forces).
 */
export * from './storage/index.js';
export * from './actions/index.js';
