import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { LineCounter, parseAllDocuments } from 'yaml';
import {
  InputError,
  SlipwayError,
  UnknownKindError,
  UsageError,
  formatError,
  formatKubectlRef,
  nodeFileSystem,
  sortByUninstallOrder,
  splitApiVersion,
  type KubeObject,
  type Manifest,
} from '../../core/index.js';
import { loadManifests, toYaml } from '../../engines/yaml/index.js';
import {
  AppReconciler,
  AppSpecError,
  FLUX_SOURCE_GROUP,
  GitSourceCache,
  ownership,
  parseApp,
  stateName,
  type AppFormat,
  type AppSpec,
  type AppStatus,
  type HistoryEntry,
  type ResourceStatus,
} from '../../gitops/index.js';
import {
  Inventory,
  WatchCache,
  deleteObject,
  getObject,
  listObjects,
  mergePatch,
  refOf,
  serverSideApply,
  unionRefs,
  type KubeClient,
  type ObjectRef,
} from '../../kube/index.js';
import { collect, globals, timeoutMs, type CliContext, type GlobalOptions } from '../context.js';
import { formatObjects } from '../output.js';
import {
  APP_KINDS,
  CREATED_BY_LABEL,
  appRow,
  buildAppObjects,
  defaultAppNamespace,
  formatAppList,
  formatHistoryTable,
  formatOf,
  formatResources,
  formatSummary,
  formatSyncResults,
  fluxInventoryResources,
  parseKind,
  previousEntry,
  type AppCreateFlags,
} from './app-view.js';

/** A failed app operation (sync or rollback failed, app not found, app exists). */
export class AppCommandError extends SlipwayError {
  readonly code = 'SLW640' as const;
}

interface AppGlobals extends GlobalOptions {
  kind?: string;
}

type Output = 'table' | 'yaml' | 'json';

function outputOf(value: string): Output {
  if (value === 'table' || value === 'wide' || value === 'yaml' || value === 'json') return value === 'wide' ? 'table' : value;
  throw new UsageError(`unknown output format "${value}": use table, yaml or json`);
}

/** The git checkout cache of the in-process reconciler: $SLIPWAY_CACHE/git, else $XDG_CACHE_HOME/slipway/git, else ~/.cache/slipway/git. */
export function gitCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLIPWAY_CACHE) return join(env.SLIPWAY_CACHE, 'git');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slipway', 'git');
}

// ------------------------------------------------------------------------------ finding apps

interface FoundApp {
  obj: KubeObject;
  format: AppFormat;
}

/** Every app type the server serves (one version per type), filtered by --kind. */
async function servedKinds(client: KubeClient, only: AppFormat | undefined): Promise<{ format: AppFormat; apiVersion: string; kind: string }[]> {
  const out: { format: AppFormat; apiVersion: string; kind: string }[] = [];
  for (const k of APP_KINDS) {
    if (only && k.format !== only) continue;
    for (const apiVersion of k.apiVersions) {
      if (await client.discovery.find(apiVersion, k.kind)) {
        out.push({ format: k.format, apiVersion, kind: k.kind });
        break;
      }
    }
  }
  return out;
}

/** NAME among Argo CD Applications, then Flux Kustomizations, then Slipway Applications (each in its default namespace unless -n). */
async function findApp(client: KubeClient, g: AppGlobals, name: string): Promise<FoundApp> {
  const only = parseKind(g.kind);
  const looked: string[] = [];
  for (const t of await servedKinds(client, only)) {
    const namespace = g.namespace ?? defaultAppNamespace(t.format, client.namespace);
    const { group, version } = splitApiVersion(t.apiVersion);
    const obj = await getObject(client, { group, version, kind: t.kind, namespace, name });
    if (obj) return { obj: { ...obj, apiVersion: t.apiVersion, kind: t.kind }, format: t.format };
    looked.push(`${t.kind}.${group} in namespace "${namespace}"`);
  }
  if (looked.length === 0) {
    throw new AppCommandError(`no app types are served by this cluster${only ? ` (--kind ${only})` : ''}: install Argo CD, Flux or run "slipway install"`);
  }
  throw new AppCommandError(`app "${name}" not found (looked for ${looked.join(', ')}; use -n or --kind)`);
}

/** A subcommand on one app, which its first argument names. */
function appSubcommand(name: string, description: string): Command {
  return new Command(name).description(description).argument('<name>', 'app name');
}

/** The global flags, a client and the app NAME (see {@link findApp}): how each command on one app starts. */
async function namedApp(ctx: CliContext, cmd: Command, name: string): Promise<FoundApp & { g: AppGlobals; client: KubeClient }> {
  const g = globals(cmd) as AppGlobals;
  const client = await ctx.client(g);
  return { g, client, ...(await findApp(client, g, name)) };
}

/** The app object as the cluster has it now (after a sync wrote its status), under the apiVersion and kind it was found as. */
async function reread(client: KubeClient, obj: KubeObject): Promise<KubeObject> {
  return { ...((await getObject(client, refOf(obj))) ?? obj), apiVersion: obj.apiVersion, kind: obj.kind };
}

/** The GitRepository a Flux Kustomization names, read from the cluster (none for the other formats). */
async function relatedOf(client: KubeClient, obj: KubeObject): Promise<KubeObject[]> {
  if (formatOf(obj) !== 'flux') return [];
  const ref = (obj.spec as { sourceRef?: { kind?: string; name?: string; namespace?: string } } | undefined)?.sourceRef;
  if (ref?.kind !== 'GitRepository' || !ref.name) return [];
  for (const version of ['v1', 'v1beta2']) {
    if (!(await client.discovery.find(`${FLUX_SOURCE_GROUP}/${version}`, 'GitRepository'))) continue;
    const repo = await getObject(client, { group: FLUX_SOURCE_GROUP, version, kind: 'GitRepository', namespace: ref.namespace ?? obj.metadata.namespace ?? '', name: ref.name });
    return repo ? [{ ...repo, apiVersion: `${FLUX_SOURCE_GROUP}/${version}`, kind: 'GitRepository' }] : [];
  }
  return [];
}

async function specOf(client: KubeClient, obj: KubeObject): Promise<AppSpec> {
  return parseApp(obj, { gitRepositories: await relatedOf(client, obj) });
}

/** An in-process reconciler over the CLI's client; the watch cache is stopped afterwards so that the process can exit. */
async function withReconciler<T>(ctx: CliContext, g: AppGlobals, fn: (r: AppReconciler, client: KubeClient) => Promise<T>): Promise<T> {
  const client = await ctx.client(g);
  const cache = new WatchCache(client, { onError: g.debug ? (kind, e) => ctx.err(`[debug] watch ${kind}: ${String(e)}\n`) : undefined });
  const reconciler = new AppReconciler({
    client,
    cache,
    sources: new GitSourceCache(gitCacheDir()),
    clock: () => new Date(),
    log: g.debug ? (m) => ctx.err(`[debug] ${m}\n`) : undefined,
  });
  try {
    return await fn(reconciler, client);
  } finally {
    cache.stop();
  }
}

function appLabel(obj: KubeObject): string {
  return formatKubectlRef(refOf(obj));
}

/** One object as kubectl get -o yaml|json prints it. */
function printObject(obj: KubeObject, output: 'yaml' | 'json'): string {
  return output === 'json' ? JSON.stringify(obj, null, 4) + '\n' : toYaml(obj);
}

// ------------------------------------------------------------------------------ create

interface CreateFlags extends AppCreateFlags {
  file: string[];
  upsert?: boolean;
  refresh?: boolean;
}

/** The line of `field` ("spec.source.path", "spec.sources[0]") in the document of `file` starting at `docLine`; the document's line when not found. */
export function fieldLine(text: string, docLine: number, field: string): number {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  if (!Array.isArray(docs)) return docLine;
  let doc = docs[0];
  for (const d of docs) {
    const start = d.contents?.range?.[0];
    if (start !== undefined && lc.linePos(start).line <= docLine) doc = d;
  }
  if (!doc || !field) return docLine;
  const path = field.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
  }
  return docLine;
}

/** Reads app objects (and Flux GitRepositories) from files, each validated by parseApp; errors name file, line and field. */
async function objectsFromFiles(client: KubeClient, g: AppGlobals, files: string[], stdin: () => string): Promise<KubeObject[]> {
  const manifests = loadManifests(files, nodeFileSystem, stdin);
  if (manifests.length === 0) throw new InputError('no objects in file', { file: files.join(', ') });
  const withNs = (m: Manifest): KubeObject => {
    const o = m.object;
    const format = formatOf(o);
    const ns = o.metadata.namespace ?? g.namespace ?? (format ? defaultAppNamespace(format, client.namespace) : 'flux-system');
    return { ...o, metadata: { ...o.metadata, namespace: ns } };
  };
  const objects = manifests.map(withNs);
  const repos = objects.filter((o) => o.kind === 'GitRepository' && splitApiVersion(o.apiVersion).group === FLUX_SOURCE_GROUP);
  for (const [i, m] of manifests.entries()) {
    const o = objects[i]!;
    if (repos.includes(o)) continue;
    const at = m.origin.at;
    try {
      let related = repos;
      if (formatOf(o) === 'flux') related = [...repos, ...(await relatedOf(client, o).catch(() => []))];
      parseApp(o, { gitRepositories: related });
    } catch (e) {
      if (!(e instanceof AppSpecError)) throw e;
      const file = at?.file ?? files.join(', ');
      let line = at?.line;
      if (at?.file && line !== undefined && e.field) {
        try {
          line = fieldLine(nodeFileSystem.readFile(at.file), line, e.field);
        } catch {
          // keep the document's line
        }
      }
      throw new InputError(e.message, { file, ...(line !== undefined ? { line } : {}) }, { cause: e });
    }
  }
  return objects;
}

function createCommand(ctx: CliContext): Command {
  return new Command('create')
    .description('Create an app (Argo CD Application, Flux GitRepository + Kustomization, or Slipway Application)')
    .argument('[name]', 'app name (omit with -f)')
    .option('-f, --file <path>', 'create the app objects in this file (or directory, or - for stdin); repeatable', collect, [])
    .option('--repo <url>', 'Git repository URL (Argo CD and Slipway apps also take a local path; Flux needs http(s) or ssh)')
    .option('--path <path>', 'path of the manifests in the repository')
    .option('--revision <rev>', 'branch, tag or commit (Argo: targetRevision, default HEAD; Flux: default branch main)')
    .option('--dest-namespace <ns>', 'namespace objects go to when they name none')
    .option('--dest-server <url>', 'destination cluster; only https://kubernetes.default.svc')
    .option('--project <name>', 'Argo CD project', 'default')
    .option('--sync-policy <policy>', 'automated or none (Flux: none suspends the Kustomization)')
    .option('--auto-prune', 'automated sync also deletes objects that left Git')
    .option('--self-heal', 'automated sync also undoes changes made in the cluster')
    .option('--sync-option <Name=value>', 'Argo CD sync option, e.g. CreateNamespace=true; repeatable', collect, [])
    .option('--upsert', 'update the app if it exists instead of refusing')
    .option('--no-refresh', 'do not compare the new app with Git and the cluster right away')
    .addHelpText(
      'after',
      `
--kind (of "slipway app") chooses what is created: argocd (the default) an Argo CD Application
in -n (default "argocd"); flux a GitRepository and a Kustomization of the same name in -n
(default "flux-system"); slipway a slipway.dev Application in -n (default: the context's).
After creating, the app is refreshed once in-process so that "app list" shows its state
(OutOfSync, Missing) before a controller runs.

Examples:
  slipway app create guestbook --repo https://github.com/argoproj/argocd-example-apps --path guestbook --dest-namespace default
  slipway app create web --kind flux --repo https://github.com/org/fleet --path apps/web --auto-prune
  slipway app create -f apps.yaml --upsert`,
    )
    .action(async (name: string | undefined, flags: CreateFlags, cmd: Command) => {
      const g = globals(cmd) as AppGlobals;
      const client = await ctx.client(g);
      let objects: KubeObject[];
      if (flags.file.length) {
        if (name) throw new UsageError('give either NAME with --repo/--path, or -f FILE');
        objects = await objectsFromFiles(client, g, flags.file, ctx.stdin);
      } else {
        if (!name) throw new UsageError('"slipway app create" requires NAME (or -f FILE)');
        const format = parseKind(g.kind) ?? 'argocd';
        objects = buildAppObjects(format, name, g.namespace ?? defaultAppNamespace(format, client.namespace), flags);
      }
      for (const o of objects) {
        const live = await getObject(client, refOf(o)).catch((e: unknown) => {
          if (e instanceof UnknownKindError) throw new AppCommandError(`${e.message} (install the CRDs with "slipway install")`);
          throw e;
        });
        if (live && !flags.upsert) throw new AppCommandError(`${appLabel(o)} already exists in namespace "${o.metadata.namespace}" (use --upsert to update it)`);
      }
      const apps: KubeObject[] = [];
      for (const o of objects) {
        const existed = await getObject(client, refOf(o));
        const written = await serverSideApply(client, o, { fieldManager: 'slipway', force: !!flags.upsert });
        ctx.out(`${appLabel(o)} ${existed ? 'configured' : 'created'}\n`);
        if (formatOf(o)) apps.push({ ...written, apiVersion: o.apiVersion, kind: o.kind });
      }
      if (flags.refresh === false) return;
      await withReconciler(ctx, g, async (r) => {
        for (const o of apps) {
          try {
            await r.refresh(await specOf(client, o));
          } catch (e) {
            if (!(e instanceof SlipwayError)) throw e;
            ctx.err(`warning: ${appLabel(o)} not refreshed: ${formatError(e)}\n`);
          }
        }
      });
    });
}

// ------------------------------------------------------------------------------ list, get

function listCommand(ctx: CliContext): Command {
  return new Command('list')
    .alias('ls')
    .description('List apps: name, kind, sync status, health and revision')
    .option('-A, --all-namespaces', 'apps of every namespace')
    .option('-o, --output <format>', 'table, yaml or json', 'table')
    .addHelpText('after', '\nWithout -n, each kind is listed in its default namespace: argocd, flux-system, the context\'s.')
    .action(async (flags: { allNamespaces?: boolean; output: string }, cmd: Command) => {
      const output = outputOf(flags.output);
      const g = globals(cmd) as AppGlobals;
      const client = await ctx.client(g);
      const objects: KubeObject[] = [];
      for (const t of await servedKinds(client, parseKind(g.kind))) {
        const namespace = flags.allNamespaces ? undefined : (g.namespace ?? defaultAppNamespace(t.format, client.namespace));
        const { items } = await listObjects(client, t.apiVersion, t.kind, namespace === undefined ? {} : { namespace });
        objects.push(...items);
      }
      objects.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
      if (output !== 'table') {
        ctx.out(formatObjects(objects, output));
        return;
      }
      if (objects.length === 0) {
        ctx.err('No apps found.\n');
        return;
      }
      ctx.out(formatAppList(objects.map(appRow), !!flags.allNamespaces));
    });
}

function getCommand(ctx: CliContext): Command {
  return appSubcommand('get', 'Show an app: source, sync status, health and its resources')
    .option('--refresh', 'compare with Git and the cluster now (in-process) instead of showing the stored status')
    .option('-o, --output <format>', 'table, yaml or json (the app object)', 'table')
    .action(async (name: string, flags: { refresh?: boolean; output: string }, cmd: Command) => {
      const output = outputOf(flags.output);
      const { g, client, obj: found } = await namedApp(ctx, cmd, name);
      let obj = found;
      let status: AppStatus | undefined;
      if (flags.refresh) {
        status = await withReconciler(ctx, g, async (r) => r.refresh(await specOf(client, found)));
        obj = await reread(client, found);
      }
      if (output !== 'table') {
        ctx.out(printObject(obj, output));
        return;
      }
      ctx.out(formatSummary(obj, status ? { sync: status.phase, health: status.health.status, revision: status.revision } : {}));
      const resources = status?.resources ?? (formatOf(obj) === 'flux' ? fluxInventoryResources(obj) : storedResources(obj));
      if (status?.error) ctx.out(`Error:              ${status.error}\n`);
      if (resources.length) ctx.out('\n' + formatResources(resources));
    });
}

/** status.resources as Argo CD and Slipway store them. */
function storedResources(obj: KubeObject): ResourceStatus[] {
  const list = (obj.status as { resources?: unknown } | undefined)?.resources;
  return Array.isArray(list) ? (list as ResourceStatus[]).map((r) => ({ ...r, group: r.group ?? '', namespace: r.namespace ?? '' })) : [];
}

// ------------------------------------------------------------------------------ diff, sync

function diffCommand(ctx: CliContext): Command {
  return appSubcommand('diff', 'Show what a sync would change: a unified diff of live and desired objects')
    .addHelpText('after', '\nExit status (as argocd app diff and kubectl diff): 0 no differences, 1 differences found, 2 an error.')
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      ctx.errorExitCode = 2;
      const { g, client, obj } = await namedApp(ctx, cmd, name);
      const app = await specOf(client, obj);
      const diffs = await withReconciler(ctx, g, (r) => r.diff(app));
      for (const d of diffs) ctx.out(d.text.endsWith('\n') ? d.text : `${d.text}\n`);
      process.exitCode = diffs.length > 0 ? 1 : 0;
    });
}

interface SyncFlags {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  output: string;
}

function printSyncResult(ctx: CliContext, obj: KubeObject, status: AppStatus, output: Output): void {
  if (output !== 'table') {
    ctx.out(printObject(obj, output));
    return;
  }
  ctx.out(formatSummary(obj, { sync: status.phase, health: status.health.status, revision: status.revision, operation: status.operation }));
  const results = status.operation?.resources ?? [];
  if (results.length) ctx.out('\n' + formatSyncResults(results, status.resources));
}

function failIfFailed(obj: KubeObject, status: AppStatus, what: string): void {
  const phase = status.operation?.phase;
  if (phase === 'Failed' || phase === 'Error') {
    throw new AppCommandError(`${what} of ${appLabel(obj)} failed: ${status.operation?.message ?? status.error ?? phase}`);
  }
}

function syncCommand(ctx: CliContext): Command {
  return appSubcommand('sync', 'Sync an app to Git now, in this process: apply (phases, waves, hooks), prune, wait for health')
    .option('--revision <rev>', 'sync this branch, tag or commit instead of the app\'s')
    .option('--prune', 'delete objects that left Git (default: Flux apps as their spec.prune says; others not)')
    .option('--dry-run', 'ask the server, change nothing')
    .option('-o, --output <format>', 'table, yaml or json (the app object afterwards)', 'table')
    .addHelpText('after', '\nExits non-zero when the sync fails. Runs whether or not a controller runs too.')
    .action(async (name: string, flags: SyncFlags, cmd: Command) => {
      const output = outputOf(flags.output);
      const { g, client, obj, format } = await namedApp(ctx, cmd, name);
      const app = await specOf(client, obj);
      const status = await withReconciler(ctx, g, (r) =>
        r.sync(app, {
          ...(flags.revision ? { revision: flags.revision } : {}),
          ...(flags.prune || format !== 'flux' ? { prune: !!flags.prune } : {}),
          dryRun: !!flags.dryRun,
          initiatedBy: { username: 'slipway-cli' },
        }),
      );
      const after = flags.dryRun ? obj : await reread(client, obj);
      printSyncResult(ctx, after, status, output);
      failIfFailed(obj, status, flags.dryRun ? 'dry-run sync' : 'sync');
    });
}

// ------------------------------------------------------------------------------ history, rollback

/** The app's sync history: the reconciler's record (ConfigMap next to the app), else status.history. */
async function historyOf(client: KubeClient, obj: KubeObject): Promise<HistoryEntry[]> {
  const cm = await getObject(client, { group: '', version: 'v1', kind: 'ConfigMap', namespace: obj.metadata.namespace ?? '', name: stateName({ ref: appRef(obj) }) });
  const text = (cm?.data as Record<string, string> | undefined)?.history;
  if (text) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) return parsed as HistoryEntry[];
    } catch {
      // fall through to the status
    }
  }
  const list = (obj.status as { history?: unknown } | undefined)?.history;
  return Array.isArray(list) ? (list as HistoryEntry[]) : [];
}

function appRef(obj: KubeObject): AppSpec['ref'] {
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

function historyCommand(ctx: CliContext): Command {
  return appSubcommand('history', 'Show the app\'s sync history: ID, DATE, REVISION')
    .option('-o, --output <format>', 'table, yaml or json', 'table')
    .action(async (name: string, flags: { output: string }, cmd: Command) => {
      const output = outputOf(flags.output);
      const { client, obj } = await namedApp(ctx, cmd, name);
      const history = await historyOf(client, obj);
      if (output === 'json') ctx.out(JSON.stringify(history, null, 2) + '\n');
      else if (output === 'yaml') ctx.out(toYaml(history));
      else ctx.out(formatHistoryTable(history));
    });
}

function rollbackCommand(ctx: CliContext): Command {
  return appSubcommand('rollback', 'Sync the revision of a history entry again and switch automated sync off (as argocd app rollback)')
    .argument('[id]', 'history ID (default: the entry before the newest)')
    .option('-o, --output <format>', 'table, yaml or json (the app object afterwards)', 'table')
    .action(async (name: string, idText: string | undefined, flags: { output: string }, cmd: Command) => {
      const output = outputOf(flags.output);
      const { g, client, obj, format } = await namedApp(ctx, cmd, name);
      let id: number;
      if (idText !== undefined) {
        if (!/^\d+$/.test(idText)) throw new UsageError(`invalid history ID "${idText}": use a number from "slipway app history ${name}"`);
        id = Number(idText);
      } else {
        const prev = previousEntry(await historyOf(client, obj));
        if (!prev) throw new AppCommandError(`${appLabel(obj)} has no previous history entry to roll back to`);
        id = prev.id;
      }
      const app = await specOf(client, obj);
      const status = await withReconciler(ctx, g, (r) => r.rollback(app, id));
      printSyncResult(ctx, await reread(client, obj), status, output);
      failIfFailed(obj, status, 'rollback');
      ctx.err(
        format === 'flux'
          ? `The Kustomization is now suspended (spec.suspend: true) so that it stays at this revision; set spec.suspend to false to resume.\n`
          : `Auto-sync is now off for ${obj.metadata.name} so that it stays at this revision; turn spec.syncPolicy.automated back on to resume.\n`,
      );
    });
}

// ------------------------------------------------------------------------------ delete

const ARGO_RESOURCES_FINALIZER = /^resources-finalizer\.argocd\.argoproj\.io(\/.*)?$/;

function parseBool(flag: string) {
  return (value: string): boolean => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new UsageError(`invalid value "${value}" for ${flag}: use true or false`);
  };
}

/** The objects an app owns: its inventory (kept next to the app by the reconciler) and the resources in its status. */
async function ownedRefs(client: KubeClient, obj: KubeObject): Promise<ObjectRef[]> {
  const ns = obj.metadata.namespace ?? '';
  const inventory = await new Inventory(client, stateName({ ref: appRef(obj) }), ns).read();
  const fromStatus: ObjectRef[] = [...storedResources(obj), ...fluxInventoryResources(obj)].map((r) => ({ group: r.group, version: r.version ?? '', kind: r.kind, namespace: r.namespace, name: r.name }));
  return unionRefs(inventory, fromStatus.filter((r) => r.version));
}

async function deleteResources(ctx: CliContext, client: KubeClient, obj: KubeObject, format: AppFormat, timeout: number): Promise<void> {
  const app = { ref: appRef(obj), format } as AppSpec;
  const refs = sortByUninstallOrder(await ownedRefs(client, obj), (r) => r.kind);
  const deleted: ObjectRef[] = [];
  for (const ref of refs) {
    let live: KubeObject | undefined;
    try {
      live = await getObject(client, ref);
    } catch (e) {
      if (e instanceof UnknownKindError) continue;
      throw e;
    }
    if (!live || live.metadata.deletionTimestamp) continue;
    if (ownership(live, app) !== 'mine') {
      ctx.err(`warning: ${formatKubectlRef(ref)} left alone: it does not carry ${obj.metadata.name}'s owner mark\n`);
      continue;
    }
    await deleteObject(client, ref, { propagationPolicy: 'Foreground' });
    deleted.push(ref);
    ctx.out(`${formatKubectlRef(ref)} deleted\n`);
  }
  // As Argo CD's resources finalizer: the app goes only once its objects are gone.
  const deadline = Date.now() + timeout;
  for (const ref of deleted) {
    while (await getObject(client, ref)) {
      if (Date.now() > deadline) throw new AppCommandError(`timed out waiting for ${formatKubectlRef(ref)} to be deleted; ${appLabel(obj)} was kept`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function deleteCommand(ctx: CliContext): Command {
  return appSubcommand('delete', 'Delete an app; with --cascade (the default) its objects first, as Argo CD\'s resources finalizer does')
    .addOption(new Option('--cascade [bool]', 'delete the app\'s objects too (--cascade=false keeps them)').default(true).argParser(parseBool('--cascade')))
    .option('--timeout <duration>', 'how long to wait for the objects to go', '5m')
    .action(async (name: string, flags: { cascade: boolean; timeout: string }, cmd: Command) => {
      const timeout = timeoutMs(flags.timeout);
      const { client, obj, format } = await namedApp(ctx, cmd, name);
      if (flags.cascade) await deleteResources(ctx, client, obj, format, timeout);
      const ns = obj.metadata.namespace ?? '';
      await deleteObject(client, { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: stateName({ ref: appRef(obj) }) });
      const finalizers = Array.isArray(obj.metadata.finalizers) ? (obj.metadata.finalizers as string[]) : [];
      const kept = finalizers.filter((f) => !ARGO_RESOURCES_FINALIZER.test(f));
      if (kept.length !== finalizers.length) await mergePatch(client, refOf(obj), { metadata: { finalizers: kept.length ? kept : null } });
      await deleteObject(client, refOf(obj));
      ctx.out(`${appLabel(obj)} deleted\n`);
      if (format === 'flux') {
        for (const repo of await relatedOf(client, obj)) {
          if (repo.metadata.labels?.[CREATED_BY_LABEL] !== 'slipway') continue;
          await deleteObject(client, refOf(repo));
          ctx.out(`${appLabel(repo)} deleted\n`);
        }
      }
    });
}

// ------------------------------------------------------------------------------ the group

/** `slipway app …`: GitOps apps (Argo CD Applications, Flux Kustomizations, Slipway Applications), as argocd app and flux do. */
export function appCommand(ctx: CliContext): Command {
  const app = new Command('app')
    .description('Manage GitOps apps: Argo CD Applications, Flux Kustomizations and Slipway Applications')
    .option('--kind <kind>', 'argocd, flux or slipway: the kind of app (create: what to make, default argocd; others: where to look)')
    .addHelpText(
      'after',
      `
NAME is looked up among Argo CD Applications (argoproj.io), then Flux Kustomizations, then
Slipway Applications (slipway.dev); --kind picks one. Without -n each kind is looked for in its
usual namespace: "argocd" for Argo CD apps, "flux-system" for Flux, the context's namespace for
Slipway apps.

diff, sync and rollback run the reconciler in this process (git checkouts cached in
$SLIPWAY_CACHE/git, default ~/.cache/slipway/git); no controller is needed.`,
    );
  for (const sub of [createCommand(ctx), listCommand(ctx), getCommand(ctx), diffCommand(ctx), syncCommand(ctx), historyCommand(ctx), rollbackCommand(ctx), deleteCommand(ctx)]) {
    app.addCommand(sub.exitOverride().configureOutput({ writeOut: ctx.out, writeErr: ctx.err }));
  }
  return app;
}
