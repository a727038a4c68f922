// The pure half of `slipway app`: app objects built from flags, the rows and tables printed
// from app objects and reconciler results. No cluster, no git: unit-tested on its own.
import { UsageError, splitApiVersion, type KubeObject } from '../../core/index.js';
import {
  FLUX_KUSTOMIZE_GROUP,
  FLUX_SOURCE_GROUP,
  IN_CLUSTER_SERVER,
  SLIPWAY_APP_API_VERSION,
  commitOf,
  parseApp,
  type AppFormat,
  type AppStatus,
  type HistoryEntry,
  type ResourceResult,
  type ResourceStatus,
} from '../../gitops/index.js';

/** Where each kind of app object lives by default (-n unset): Argo CD's and Flux's install namespaces. */
export function defaultAppNamespace(format: AppFormat, contextNamespace: string): string {
  return format === 'argocd' ? 'argocd' : format === 'flux' ? 'flux-system' : contextNamespace;
}

/** The app types, in the order NAME is looked up. */
export const APP_KINDS: readonly { format: AppFormat; apiVersions: string[]; kind: string; label: string }[] = [
  { format: 'argocd', apiVersions: ['argoproj.io/v1alpha1'], kind: 'Application', label: 'Application.argoproj.io' },
  { format: 'flux', apiVersions: [`${FLUX_KUSTOMIZE_GROUP}/v1`, `${FLUX_KUSTOMIZE_GROUP}/v1beta2`], kind: 'Kustomization', label: `Kustomization.${FLUX_KUSTOMIZE_GROUP}` },
  { format: 'slipway', apiVersions: [SLIPWAY_APP_API_VERSION], kind: 'Application', label: 'Application.slipway.dev' },
];

/** `--kind` as given: argocd, flux or slipway (argo accepted too). */
export function parseKind(value: string | undefined): AppFormat | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'argocd' || v === 'argo') return 'argocd';
  if (v === 'flux' || v === 'slipway') return v;
  throw new UsageError(`unknown --kind "${value}": use argocd, flux or slipway`);
}

/** The flags of `slipway app create NAME`. */
export interface AppCreateFlags {
  repo?: string;
  path?: string;
  revision?: string;
  destNamespace?: string;
  destServer?: string;
  syncPolicy?: string;
  autoPrune?: boolean;
  selfHeal?: boolean;
  syncOption: string[];
  project?: string;
}

const KNOWN_SYNC_OPTIONS = ['CreateNamespace', 'PruneLast', 'ServerSideApply', 'ApplyOutOfSyncOnly', 'Validate', 'Replace', 'PrunePropagationPolicy', 'FailOnSharedResource', 'RespectIgnoreDifferences', 'SkipDryRunOnMissingResource', 'Prune', 'Delete'];

/** Label on the GitRepository `app create --kind flux` makes, so `app delete` knows it may remove it. */
export const CREATED_BY_LABEL = 'app.kubernetes.io/created-by';

/**
 * The objects `slipway app create NAME --repo … --path …` makes, validated with parseApp:
 * an Argo CD Application (as `argocd app create`), a Flux GitRepository plus Kustomization of
 * the same name (as `flux create source git` + `flux create kustomization`), or a Slipway
 * Application.
 */
export function buildAppObjects(format: AppFormat, name: string, namespace: string, flags: AppCreateFlags): KubeObject[] {
  if (!flags.repo) throw new UsageError('--repo is required (or -f FILE)');
  if (flags.path === undefined) throw new UsageError('--path is required (or -f FILE)');
  const policy = flags.syncPolicy ?? 'none';
  if (!['automated', 'auto', 'automatic', 'none', 'manual'].includes(policy)) throw new UsageError(`invalid --sync-policy "${policy}": use automated or none`);
  const automated = policy.startsWith('auto');
  if ((flags.autoPrune || flags.selfHeal) && !automated && format !== 'flux') {
    throw new UsageError('--auto-prune and --self-heal need --sync-policy automated');
  }
  const syncOptions = flags.syncOption.flatMap((o) => o.split(',')).filter((o) => o !== '');
  for (const o of syncOptions) {
    const eq = o.indexOf('=');
    if (eq <= 0 || !KNOWN_SYNC_OPTIONS.includes(o.slice(0, eq))) throw new UsageError(`invalid --sync-option "${o}": use Name=value, e.g. CreateNamespace=true`);
  }
  if (flags.destServer && flags.destServer !== IN_CLUSTER_SERVER) {
    throw new UsageError(`--dest-server: only the in-cluster server (${IN_CLUSTER_SERVER}) is supported, got "${flags.destServer}"`);
  }
  const metadata = { name, namespace };
  let objects: KubeObject[];
  switch (format) {
    case 'argocd': {
      const syncPolicy: Record<string, unknown> = {};
      if (automated) syncPolicy.automated = { prune: !!flags.autoPrune, selfHeal: !!flags.selfHeal };
      if (syncOptions.length) syncPolicy.syncOptions = syncOptions;
      objects = [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata,
          spec: {
            project: flags.project ?? 'default',
            source: { repoURL: flags.repo, path: flags.path, targetRevision: flags.revision ?? 'HEAD' },
            destination: { server: flags.destServer ?? IN_CLUSTER_SERVER, ...(flags.destNamespace ? { namespace: flags.destNamespace } : {}) },
            ...(Object.keys(syncPolicy).length ? { syncPolicy } : {}),
          },
        },
      ];
      break;
    }
    case 'flux': {
      if (syncOptions.length) throw new UsageError('--sync-option is for Argo CD and Slipway apps: a Flux Kustomization has none');
      objects = [
        {
          apiVersion: `${FLUX_SOURCE_GROUP}/v1`,
          kind: 'GitRepository',
          metadata: { ...metadata, labels: { [CREATED_BY_LABEL]: 'slipway' } },
          spec: { url: flags.repo, interval: '1m0s', ref: fluxRef(flags.revision) },
        },
        {
          apiVersion: `${FLUX_KUSTOMIZE_GROUP}/v1`,
          kind: 'Kustomization',
          metadata,
          spec: {
            interval: '10m0s',
            path: fluxPath(flags.path),
            prune: !!flags.autoPrune,
            sourceRef: { kind: 'GitRepository', name },
            ...(flags.destNamespace ? { targetNamespace: flags.destNamespace } : {}),
            ...(automated || flags.syncPolicy === undefined ? {} : { suspend: true }),
          },
        },
      ];
      break;
    }
    case 'slipway': {
      const option = (n: string) => syncOptions.some((o) => o === `${n}=true`);
      objects = [
        {
          apiVersion: SLIPWAY_APP_API_VERSION,
          kind: 'Application',
          metadata,
          spec: {
            source: { repoURL: flags.repo, path: flags.path, ...(flags.revision ? { revision: flags.revision } : {}) },
            ...(flags.destNamespace ? { destination: { namespace: flags.destNamespace } } : {}),
            syncPolicy: { automated, prune: !!flags.autoPrune, selfHeal: !!flags.selfHeal, createNamespace: option('CreateNamespace') },
          },
        },
      ];
      break;
    }
  }
  const app = objects[objects.length - 1]!;
  parseApp(app, { gitRepositories: objects.slice(0, -1) });
  return objects;
}

/** A Flux GitRepository ref for --revision: a SHA is a commit, refs/… a ref name, anything else a branch (default main). */
export function fluxRef(revision: string | undefined): Record<string, string> {
  if (!revision || revision === 'HEAD') return { branch: 'main' };
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  if (revision.startsWith('refs/')) return { name: revision };
  return { branch: revision };
}

function fluxPath(path: string): string {
  if (path === '' || path === '.') return './';
  return path.startsWith('./') || path.startsWith('/') ? path : `./${path}`;
}

// ------------------------------------------------------------------------------ reading objects

/** One line of `app list`. */
export interface AppRow {
  namespace: string;
  name: string;
  format: AppFormat;
  sync: string;
  health: string;
  revision: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The format of an app object (by apiVersion and kind). */
export function formatOf(o: Pick<KubeObject, 'apiVersion' | 'kind'>): AppFormat | undefined {
  return APP_KINDS.find((k) => k.kind === o.kind && k.apiVersions.includes(o.apiVersion))?.format;
}

/** What the app object's status says, in `app list`'s columns; "Unknown" where it says nothing (not reconciled yet). */
export function appRow(o: KubeObject): AppRow {
  const format = formatOf(o) ?? 'slipway';
  const status = obj(o.status);
  let sync: string | undefined;
  let health: string | undefined;
  let revision: string | undefined;
  if (format === 'flux') {
    const conds = Array.isArray(status.conditions) ? status.conditions.map(obj) : [];
    const ready = conds.find((c) => c.type === 'Ready');
    const healthy = conds.find((c) => c.type === 'Healthy');
    if (ready) sync = ready.status === 'True' ? 'Synced' : ready.reason === 'Progressing' ? 'OutOfSync' : String(ready.reason ?? 'Unknown');
    if (healthy) health = healthy.status === 'True' ? 'Healthy' : healthy.status === 'False' ? 'Degraded' : 'Progressing';
    else if (ready?.status === 'True') health = 'Healthy';
    revision = str(status.lastAppliedRevision);
    if (o.spec && obj(o.spec).suspend === true) sync = `${sync ?? 'Unknown'} (suspended)`;
  } else {
    sync = str(obj(status.sync).status);
    health = str(obj(status.health).status);
    revision = str(obj(status.sync).revision);
  }
  return {
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name ?? '',
    format,
    sync: sync ?? 'Unknown',
    health: health ?? 'Unknown',
    revision: revision ? shortSha(commitOf(revision)) : '',
  };
}

/** A SHA shortened to 7 characters, as argocd prints revisions; anything else unchanged. */
export function shortSha(revision: string): string {
  return /^[0-9a-f]{40,64}$/.test(revision) ? revision.slice(0, 7) : revision;
}

/** Go tabwriter (minwidth 0, padding 2) as argocd prints tables: columns padded, the last one not, no trailing spaces. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd() + '\n').join('');
}

/** `app list`'s table. */
export function formatAppList(rows: readonly AppRow[], allNamespaces: boolean): string {
  const head = [...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'KIND', 'SYNC STATUS', 'HEALTH', 'REVISION'];
  return formatColumns([head, ...rows.map((r) => [...(allNamespaces ? [r.namespace] : []), r.name, r.format, r.sync, r.health, r.revision])]);
}

/** An object's group/kind/namespace/name/status/health, as `argocd app get` lists resources. */
export function formatResources(resources: readonly (Omit<ResourceStatus, 'status'> & { status: string })[]): string {
  const rows = resources.map((r) => [r.group, r.kind, r.namespace, r.name, r.status, r.health?.status ?? '', r.requiresPruning ? 'requires pruning' : r.health?.message ?? '']);
  return formatColumns([['GROUP', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH', 'MESSAGE'], ...rows]);
}

/** The results of a sync, as `argocd app sync` prints them (GROUP KIND NAMESPACE NAME STATUS HEALTH HOOK MESSAGE). */
export function formatSyncResults(results: readonly ResourceResult[], resources: readonly ResourceStatus[]): string {
  const health = (r: ResourceResult) =>
    resources.find((s) => s.group === r.group && s.kind === r.kind && s.namespace === r.namespace && s.name === r.name)?.health?.status ?? '';
  const rows = results.map((r) => [r.group, r.kind, r.namespace, r.name, r.status, r.hookType ? (r.hookPhase ?? '') : health(r), r.hookType ?? '', r.message]);
  return formatColumns([['GROUP', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH', 'HOOK', 'MESSAGE'], ...rows]);
}

/** `app history`'s table: ID, DATE (Go's time.Time format, as argocd prints it), REVISION. */
export function formatHistoryTable(history: readonly HistoryEntry[]): string {
  return formatColumns([['ID', 'DATE', 'REVISION'], ...history.map((h) => [String(h.id), goTime(h.deployedAt), historyRevision(h.revision)])]);
}

/** "main (abc1234)" for "main@sha1:abc1234…", "abc1234" for a bare SHA. */
export function historyRevision(revision: string): string {
  const m = /^(.*)@(?:sha1|sha256):([0-9a-f]+)$/.exec(revision);
  return m ? `${m[1]} (${m[2]!.slice(0, 7)})` : shortSha(commitOf(revision));
}

/** "2026-11-26 19:36:13 +0000 UTC", Go's default time.Time String (seconds). */
export function goTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** The history entry `app rollback NAME` without an ID goes back to: the one before the newest. */
export function previousEntry(history: readonly HistoryEntry[]): HistoryEntry | undefined {
  const sorted = [...history].sort((a, b) => a.id - b.id);
  return sorted.length >= 2 ? sorted[sorted.length - 2] : undefined;
}

/** The summary block of `app get` / `app sync`, argocd's labels. */
export function formatSummary(o: KubeObject, extra: { sync?: string; health?: string; revision?: string; operation?: AppStatus['operation'] } = {}): string {
  const format = formatOf(o) ?? 'slipway';
  const spec = obj(o.spec);
  const row = appRow(o);
  const lines: [string, string][] = [['Name:', `${o.metadata.namespace}/${o.metadata.name}`], ['Kind:', `${format} (${o.kind}.${splitApiVersion(o.apiVersion).group})`]];
  if (format === 'argocd') {
    const source = obj(spec.source ?? (Array.isArray(spec.sources) ? spec.sources[0] : undefined));
    const dest = obj(spec.destination);
    const sp = obj(spec.syncPolicy);
    lines.push(
      ['Project:', str(spec.project) ?? 'default'],
      ['Server:', str(dest.server) ?? str(dest.name) ?? ''],
      ['Namespace:', str(dest.namespace) ?? ''],
      ['Repo:', str(source.repoURL) ?? ''],
      ['Target:', str(source.targetRevision) ?? 'HEAD'],
      ['Path:', str(source.path) ?? ''],
      ['Sync Policy:', sp.automated ? `Automated${obj(sp.automated).prune ? ' (Prune)' : ''}` : 'Manual'],
    );
  } else if (format === 'flux') {
    const ref = obj(spec.sourceRef);
    lines.push(
      ['Source:', `${str(ref.kind) ?? 'GitRepository'}/${str(ref.namespace) ?? o.metadata.namespace}/${str(ref.name) ?? ''}`],
      ['Path:', str(spec.path) ?? './'],
      ['Namespace:', str(spec.targetNamespace) ?? ''],
      ['Prune:', String(spec.prune === true)],
      ['Suspended:', String(spec.suspend === true)],
    );
    const ready = (Array.isArray(obj(o.status).conditions) ? (obj(o.status).conditions as unknown[]).map(obj) : []).find((c) => c.type === 'Ready');
    if (ready) lines.push(['Ready:', `${String(ready.status)} (${String(ready.reason ?? '')}): ${String(ready.message ?? '')}`]);
  } else {
    const source = obj(spec.source);
    const sp = obj(spec.syncPolicy);
    lines.push(
      ['Namespace:', str(obj(spec.destination).namespace) ?? o.metadata.namespace ?? ''],
      ['Repo:', str(source.repoURL) ?? ''],
      ['Target:', str(source.revision) ?? 'HEAD'],
      ['Path:', str(source.path) ?? '.'],
      ['Sync Policy:', sp.automated === true ? `Automated${sp.prune === true ? ' (Prune)' : ''}` : 'Manual'],
    );
  }
  const sync = extra.sync ?? row.sync;
  const revision = extra.revision !== undefined ? shortSha(commitOf(extra.revision)) : row.revision;
  lines.push(['Sync Status:', syncStatusLine(sync, targetOf(o), revision)], ['Health Status:', extra.health ?? row.health]);
  const op = extra.operation;
  if (op) {
    lines.push(['', ''], ['Operation:', 'Sync'], ['Sync Revision:', op.revision ? commitOf(op.revision) : ''], ['Phase:', op.phase], ['Start:', op.startedAt]);
    if (op.finishedAt) lines.push(['Finished:', op.finishedAt]);
    lines.push(['Message:', op.message]);
  }
  return lines.map(([k, v]) => (k ? `${k.padEnd(20)}${v}`.trimEnd() : '')).join('\n') + '\n';
}

/** The revision an app follows, as written (Argo targetRevision, Flux GitRepository ref not known here, Slipway revision). */
function targetOf(o: KubeObject): string {
  const spec = obj(o.spec);
  const format = formatOf(o);
  if (format === 'argocd') return str(obj(spec.source ?? (Array.isArray(spec.sources) ? spec.sources[0] : undefined)).targetRevision) || 'HEAD';
  if (format === 'slipway') return str(obj(spec.source).revision) || 'HEAD';
  return '';
}

/** argocd's "Synced to HEAD (abc1234)" / "OutOfSync from HEAD (abc1234)". */
export function syncStatusLine(sync: string, target: string, revision: string): string {
  if (!revision) return sync;
  const where = target && target !== revision ? `${target} (${revision})` : revision;
  return `${sync} ${sync === 'Synced' ? 'to' : 'from'} ${where}`;
}

/** A Flux Kustomization's `status.inventory.entries` ("<namespace>_<name>_<group>_<kind>" and the version) as resource rows, sync status unknown. */
export function fluxInventoryResources(o: KubeObject): (Omit<ResourceStatus, 'status'> & { status: string })[] {
  const entries = obj(obj(o.status).inventory).entries;
  if (!Array.isArray(entries)) return [];
  const out: (Omit<ResourceStatus, 'status'> & { status: string })[] = [];
  for (const e of entries.map(obj)) {
    const parts = (str(e.id) ?? '').split('_');
    if (parts.length !== 4) continue;
    out.push({ namespace: parts[0]!, name: parts[1]!, group: parts[2]!, kind: parts[3]!, version: str(e.v) ?? '', status: '' });
  }
  return out;
}
