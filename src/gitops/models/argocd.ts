// Argo CD `argoproj.io/v1alpha1` Application, read as written: the fields follow
// argoproj/argo-cd pkg/apis/application/v1alpha1/types.go, the defaults follow its controller
// (retry backoff 5s × 2 up to 3m, revisionHistoryLimit 10, HEAD, release name = app name).
import type { KubeObject } from '../../core/index.js';
import { appObjectRef, baseSyncPolicy, globMatch, isZero, sourcePath } from './internal/common.js';
import { parseArgoDuration } from './internal/duration.js';
import { at, Fields, isObj, type Obj } from './internal/fields.js';
import { dropUndefined, readRenderBlocks } from './internal/render-blocks.js';
import type { AppSource, AppSpec, IgnoreDifference, RelatedObjects, RequestedOperation, RetryPolicy, SyncPolicy } from './types.js';

/** The only destination Slipway deploys to: the cluster it runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';

/** Argo CD's finalizers that delete an app's objects with the app. */
const RESOURCES_FINALIZERS = [
  'resources-finalizer.argocd.argoproj.io',
  'resources-finalizer.argocd.argoproj.io/foreground',
  'resources-finalizer.argocd.argoproj.io/background',
];

/** Reads an Argo CD Application. */
export function parseArgoApplication(obj: KubeObject, related: RelatedObjects): AppSpec {
  const ref = appObjectRef(obj);
  const f = new Fields(ref);
  const spec = f.obj(obj.spec, 'spec') ?? f.fail('spec', 'is required');
  if (!isZero(spec.sourceHydrator)) f.fail('spec.sourceHydrator', 'source hydration is not supported');
  const project = f.str(spec.project, 'spec.project') || 'default';
  const destination = readDestination(f, spec.destination);

  const multi = f.objList(spec.sources, 'spec.sources');
  let sources: AppSource[];
  if (multi.length > 0) {
    // Argo CD reads `sources` when it has entries and then ignores `source`.
    sources = multi.map((s, i) => readSource(f, s, at('spec.sources', i), ref.name, destination.namespace));
    if (!sources.some((s) => s.render)) f.fail('spec.sources', 'no source has a path to render (sources with only a ref serve value files)');
  } else {
    const single = f.obj(spec.source, 'spec.source') ?? f.fail('spec.source', 'is required (or spec.sources)');
    sources = [readSource(f, single, 'spec.source', ref.name, destination.namespace)];
  }

  const syncPolicy = readSyncPolicy(f, f.obj(spec.syncPolicy, 'spec.syncPolicy'));
  const revisionHistoryLimit = f.int(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit') ?? 10;
  if (revisionHistoryLimit < 0) f.fail('spec.revisionHistoryLimit', 'must not be negative', revisionHistoryLimit);
  const finalizers = Array.isArray(obj.metadata.finalizers) ? (obj.metadata.finalizers as unknown[]) : [];
  const refresh = obj.metadata.annotations?.['argocd.argoproj.io/refresh'];
  const requestedOperation = readOperation(f, obj.operation);

  const app: AppSpec = {
    ref,
    format: 'argocd',
    ...(typeof obj.metadata.generation === 'number' ? { generation: obj.metadata.generation } : {}),
    source: sources.find((s) => s.render)!,
    sources,
    destination,
    project,
    syncPolicy,
    ignoreDifferences: readIgnoreDifferences(f, spec.ignoreDifferences, 'spec.ignoreDifferences'),
    suspend: false,
    dependsOn: [],
    wait: false,
    healthChecks: [],
    revisionHistoryLimit,
    deletionPolicy: finalizers.some((x) => typeof x === 'string' && RESOURCES_FINALIZERS.includes(x)) ? 'Delete' : 'Orphan',
    substituteFrom: [],
    ...(requestedOperation ? { requestedOperation } : {}),
    ...(refresh ? { refreshRequest: refresh } : {}),
    declared: dropUndefined({
      source: multi.length ? undefined : spec.source,
      sources: multi.length ? (spec.sources as unknown[]) : undefined,
      destination: spec.destination,
      ignoreDifferences: Array.isArray(spec.ignoreDifferences) ? (spec.ignoreDifferences as unknown[]) : undefined,
    }),
    warnings: f.warnings,
  };
  if (related.appProjects) checkProject(f, app, related.appProjects);
  return app;
}

function readDestination(f: Fields, v: unknown): AppSpec['destination'] {
  const d = f.obj(v, 'spec.destination') ?? f.fail('spec.destination', 'is required');
  const server = f.str(d.server, 'spec.destination.server');
  const name = f.str(d.name, 'spec.destination.name');
  const namespace = f.str(d.namespace, 'spec.destination.namespace') ?? '';
  // Argo CD: "application destination can't have both name and server defined".
  if (server && name) f.fail('spec.destination', "can't have both name and server defined", { server, name });
  if (!server && !name) f.fail('spec.destination', 'needs a server or a name');
  const only = `only the in-cluster server is supported ("${IN_CLUSTER_SERVER}", or name "${IN_CLUSTER_NAME}")`;
  if (server && server.replace(/\/+$/, '') !== IN_CLUSTER_SERVER) f.fail('spec.destination.server', only, server);
  if (name && name !== IN_CLUSTER_NAME) f.fail('spec.destination.name', only, name);
  return { namespace, server: IN_CLUSTER_SERVER, ...(name ? { name } : {}) };
}

function readSource(f: Fields, s: Obj, path: string, appName: string, destNamespace: string): AppSource {
  const url = f.reqStr(s.repoURL, at(path, 'repoURL'));
  if (!isZero(s.chart)) f.fail(at(path, 'chart'), 'Helm repository charts are not supported, only git repositories', s.chart);
  if (url.startsWith('oci://')) f.fail(at(path, 'repoURL'), 'OCI sources are not supported, only git repositories', url);
  if (!isZero(s.plugin)) f.fail(at(path, 'plugin'), 'config management plugins are not supported', s.plugin);
  const rawPath = f.str(s.path, at(path, 'path'));
  const refName = f.str(s.ref, at(path, 'ref')) || undefined;
  const name = f.str(s.name, at(path, 'name')) || undefined;
  if (f.str(s.tagPrefix, at(path, 'tagPrefix'))) f.warn(at(path, 'tagPrefix'), 'not supported, ignored');
  const blocks = readRenderBlocks(f, s, path);
  const out: AppSource = {
    url,
    revision: f.str(s.targetRevision, at(path, 'targetRevision')) || 'HEAD',
    path: sourcePath(f, rawPath, at(path, 'path')),
    // A source with a ref and no path only lends its files to the others' value files.
    render: !(refName && !rawPath),
    ...blocks,
  };
  if (refName) out.refName = refName;
  if (name) out.name = name;
  // Argo CD renders a chart (named or detected) as release <app name> in the destination namespace.
  if (out.render && (out.kind === 'helm' || out.kind === undefined)) {
    out.helm = { ...out.helm, releaseName: out.helm?.releaseName ?? appName, namespace: out.helm?.namespace ?? destNamespace };
  }
  return out;
}

/** Boolean sync options and the SyncPolicy field each sets. */
const BOOLEAN_OPTIONS: Record<string, keyof SyncPolicy> = {
  CreateNamespace: 'createNamespace',
  PruneLast: 'pruneLast',
  ServerSideApply: 'serverSideApply',
  ApplyOutOfSyncOnly: 'applyOutOfSyncOnly',
  Validate: 'validate',
  Replace: 'replace',
  Force: 'force',
  FailOnSharedResource: 'failOnSharedResource',
  RespectIgnoreDifferences: 'respectIgnoreDifferences',
  SkipDryRunOnMissingResource: 'skipDryRunOnMissingResource',
};

/** Options Argo CD reads from an object's `argocd.argoproj.io/sync-options` annotation, not from the app. */
const OBJECT_OPTIONS = ['Prune', 'Delete'];

function readSyncPolicy(f: Fields, sp: Obj | undefined): SyncPolicy {
  const policy = baseSyncPolicy();
  const auto = f.obj(f.get(sp, 'automated'), 'spec.syncPolicy.automated');
  if (auto) {
    // Argo CD 3: `enabled: false` keeps the settings but stops automated syncs.
    policy.automated = f.bool(auto.enabled, 'spec.syncPolicy.automated.enabled') ?? true;
    policy.prune = f.bool(auto.prune, 'spec.syncPolicy.automated.prune') ?? false;
    policy.selfHeal = f.bool(auto.selfHeal, 'spec.syncPolicy.automated.selfHeal') ?? false;
    policy.allowEmpty = f.bool(auto.allowEmpty, 'spec.syncPolicy.automated.allowEmpty') ?? false;
  }
  applySyncOptions(f, policy, f.strList(f.get(sp, 'syncOptions'), 'spec.syncPolicy.syncOptions') ?? [], 'spec.syncPolicy.syncOptions');
  const nsMeta = f.obj(f.get(sp, 'managedNamespaceMetadata'), 'spec.syncPolicy.managedNamespaceMetadata');
  if (nsMeta) {
    policy.managedNamespaceMetadata = dropUndefined({
      labels: f.strMap(nsMeta.labels, 'spec.syncPolicy.managedNamespaceMetadata.labels'),
      annotations: f.strMap(nsMeta.annotations, 'spec.syncPolicy.managedNamespaceMetadata.annotations'),
    });
  }
  const retry = readRetry(f, f.get(sp, 'retry'), 'spec.syncPolicy.retry');
  if (retry) policy.retry = retry;
  return policy;
}

/** Sets the fields of `policy` that the "Key=value" options name; unknown options are warned about. */
export function applySyncOptions(f: Fields, policy: SyncPolicy, options: readonly string[], path: string): void {
  for (const [i, opt] of options.entries()) {
    const p = at(path, i);
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? undefined : opt.slice(eq + 1);
    const field = BOOLEAN_OPTIONS[key];
    if (field) {
      if (value !== 'true' && value !== 'false') f.fail(p, `expected ${key}=true or ${key}=false`, opt);
      (policy as unknown as Record<string, boolean>)[field] = value === 'true';
    } else if (key === 'PrunePropagationPolicy') {
      if (value !== 'foreground' && value !== 'background' && value !== 'orphan') {
        f.fail(p, 'expected PrunePropagationPolicy=foreground, background or orphan', opt);
      }
      policy.prunePropagationPolicy = value;
    } else if (OBJECT_OPTIONS.includes(key)) {
      f.warn(p, `${opt} applies to single objects (annotation argocd.argoproj.io/sync-options), ignored here`);
    } else {
      f.warn(p, `unknown sync option ${JSON.stringify(opt)}, ignored`);
    }
  }
}

/** Argo CD's RetryStrategy with the controller's defaults filled in. */
export function readRetry(f: Fields, v: unknown, path: string): RetryPolicy | undefined {
  const r = f.obj(v, path);
  if (!r) return undefined;
  const b = f.obj(r.backoff, at(path, 'backoff'));
  const duration = (key: string, dflt: number): number => {
    const text = f.str(b?.[key], at(at(path, 'backoff'), key));
    if (text === undefined || text === '') return dflt;
    const ms = parseArgoDuration(text);
    if (ms === undefined || ms < 0) f.fail(at(at(path, 'backoff'), key), 'expected seconds or a duration such as "5s" or "3m"', text);
    return ms;
  };
  const factor = f.int(b?.factor, at(at(path, 'backoff'), 'factor')) ?? 2;
  if (factor < 1) f.fail(at(at(path, 'backoff'), 'factor'), 'must be at least 1', factor);
  return {
    limit: f.int(r.limit, at(path, 'limit')) ?? 0,
    backoff: { duration: duration('duration', 5_000), factor, maxDuration: duration('maxDuration', 180_000) },
    refresh: f.bool(r.refresh, at(path, 'refresh')) ?? false,
  };
}

/** `ignoreDifferences` entries (Argo CD spec, and Slipway's). */
export function readIgnoreDifferences(f: Fields, v: unknown, path: string): IgnoreDifference[] {
  return f.objList(v, path).map((e, i) => {
    const p = at(path, i);
    return dropUndefined({
      group: f.str(e.group, at(p, 'group')),
      kind: f.reqStr(e.kind, at(p, 'kind')),
      name: f.str(e.name, at(p, 'name')),
      namespace: f.str(e.namespace, at(p, 'namespace')),
      jsonPointers: f.strList(e.jsonPointers, at(p, 'jsonPointers')),
      jqPathExpressions: f.strList(e.jqPathExpressions, at(p, 'jqPathExpressions')),
      managedFieldsManagers: f.strList(e.managedFieldsManagers, at(p, 'managedFieldsManagers')),
    });
  });
}

function readOperation(f: Fields, v: unknown): RequestedOperation | undefined {
  const op = f.obj(v, 'operation');
  if (!op) return undefined;
  const sync = f.obj(op.sync, 'operation.sync');
  if (!sync) {
    f.warn('operation', 'has no sync, ignored');
    return undefined;
  }
  const strategy = f.obj(sync.syncStrategy, 'operation.sync.syncStrategy');
  const force = (k: string) => f.bool(f.obj(f.get(strategy, k), `operation.sync.syncStrategy.${k}`)?.force, `operation.sync.syncStrategy.${k}.force`);
  const resources = f.objList(sync.resources, 'operation.sync.resources').map((r, i) => {
    const p = at('operation.sync.resources', i);
    return { group: f.str(r.group, at(p, 'group')) ?? '', kind: f.reqStr(r.kind, at(p, 'kind')), name: f.reqStr(r.name, at(p, 'name')), namespace: f.str(r.namespace, at(p, 'namespace')) ?? '' };
  });
  const by = f.obj(op.initiatedBy, 'operation.initiatedBy');
  const retry = readRetry(f, op.retry, 'operation.retry');
  return {
    sync: dropUndefined({
      revision: f.str(sync.revision, 'operation.sync.revision') || undefined,
      revisions: f.strList(sync.revisions, 'operation.sync.revisions'),
      prune: f.bool(sync.prune, 'operation.sync.prune') ?? false,
      dryRun: f.bool(sync.dryRun, 'operation.sync.dryRun') ?? false,
      force: (force('apply') || force('hook')) ?? false,
      resources: resources.length ? resources : undefined,
      syncOptions: f.strList(sync.syncOptions, 'operation.sync.syncOptions') ?? [],
    }),
    initiatedBy: dropUndefined({ username: f.str(by?.username, 'operation.initiatedBy.username'), automated: f.bool(by?.automated, 'operation.initiatedBy.automated') ?? false }),
    ...(retry && !isZero(op.retry) ? { retry } : {}),
  };
}

/** Argo CD's NormalizeGitURL, enough to compare URLs: lower case, no trailing slash or ".git". */
function normalizeRepoURL(url: string): string {
  return url.toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');
}

/** Globs with Argo CD's `!` denials: some allowing pattern matches and no denying one does. */
function permitted(patterns: readonly string[], text: string, norm: (s: string) => string = (s) => s): boolean {
  const deny = patterns.filter((p) => p.startsWith('!')).map((p) => norm(p.slice(1)));
  const allow = patterns.filter((p) => !p.startsWith('!')).map(norm);
  return allow.some((p) => globMatch(p, text)) && !deny.some((p) => globMatch(p, text));
}

/**
 * The project checks Argo CD makes before it syncs (AppProject IsSourcePermitted and
 * IsDestinationPermitted): the project exists, lists each repository and the destination.
 */
function checkProject(f: Fields, app: AppSpec, projects: readonly KubeObject[]): void {
  const candidates = projects.filter((p) => p.kind === 'AppProject' && p.metadata.name === app.project);
  const proj = candidates.find((p) => p.metadata.namespace === app.ref.namespace) ?? candidates[0];
  if (!proj) {
    // Argo CD creates the "default" project, allowing everything, when it is missing.
    if (app.project === 'default') return;
    f.fail('spec.project', 'no such AppProject', app.project);
  }
  const pspec = isObj(proj.spec) ? proj.spec : {};
  const repos = Array.isArray(pspec.sourceRepos) ? pspec.sourceRepos.filter((s): s is string => typeof s === 'string') : [];
  for (const [i, s] of app.sources.entries()) {
    if (!permitted(repos, normalizeRepoURL(s.url), normalizeRepoURL)) {
      const field = app.sources.length > 1 || Array.isArray(app.declared.sources) ? `spec.sources[${i}].repoURL` : 'spec.source.repoURL';
      f.fail(field, `repository not permitted in project "${app.project}"`, s.url);
    }
  }
  const dests = Array.isArray(pspec.destinations) ? pspec.destinations.filter(isObj) : [];
  const ns = app.destination.namespace;
  const serverOrName = (d: Obj) =>
    (typeof d.server === 'string' && d.server !== '' && permitted([d.server], app.destination.server ?? '')) ||
    (typeof d.name === 'string' && d.name !== '' && permitted([d.name], app.destination.name ?? IN_CLUSTER_NAME));
  const nsOk = (d: Obj) => typeof d.namespace === 'string' && permitted([d.namespace], ns);
  const denied = dests.some(
    (d) =>
      (typeof d.namespace === 'string' && d.namespace.startsWith('!') && globMatch(d.namespace.slice(1), ns)) ||
      (typeof d.server === 'string' && d.server.startsWith('!') && globMatch(d.server.slice(1), app.destination.server ?? '')),
  );
  if (denied || !dests.some((d) => serverOrName(d) && nsOk(d))) {
    f.fail('spec.destination', `destination is not permitted in project "${app.project}"`, { server: app.destination.server, namespace: ns });
  }
}
