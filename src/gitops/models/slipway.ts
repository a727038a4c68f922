// Slipway's own `slipway.dev/v1alpha1` Application: one git source, one namespace, a few
// switches. Defaults: revision HEAD, path ".", destination = the app's namespace, interval 3m,
// everything in syncPolicy off.
import type { KubeObject } from '../../core/index.js';
import { appObjectRef, baseSyncPolicy, sourcePath } from './internal/common.js';
import { at, Fields } from './internal/fields.js';
import { dropUndefined, readRenderBlocks } from './internal/render-blocks.js';
import type { AppSource, AppSpec, RenderKind } from './types.js';

export const SLIPWAY_GROUP = 'slipway.dev';
export const SLIPWAY_APP_API_VERSION = 'slipway.dev/v1alpha1';
/** Default time between refreshes of a Slipway Application (Argo CD's default too), ms. */
export const DEFAULT_INTERVAL_MS = 180_000;

const SPEC_FIELDS = ['source', 'destination', 'syncPolicy', 'interval', 'suspend'];
const SOURCE_FIELDS = ['repoURL', 'revision', 'path', 'kind', 'secretRef', 'directory', 'kustomize', 'helm'];
const SYNC_FIELDS = ['automated', 'prune', 'selfHeal', 'createNamespace'];
const KINDS: readonly RenderKind[] = ['directory', 'kustomize', 'helm'];

/** Reads a Slipway Application. */
export function parseSlipwayApplication(obj: KubeObject): AppSpec {
  const ref = appObjectRef(obj);
  const f = new Fields(ref);
  if (obj.apiVersion !== SLIPWAY_APP_API_VERSION) f.fail('apiVersion', `expected ${SLIPWAY_APP_API_VERSION}`, obj.apiVersion);
  const spec = f.obj(obj.spec, 'spec') ?? f.fail('spec', 'is required');
  f.warnUnknown(spec, 'spec', SPEC_FIELDS);

  const src = f.obj(spec.source, 'spec.source') ?? f.fail('spec.source', 'is required');
  f.warnUnknown(src, 'spec.source', SOURCE_FIELDS);
  const blocks = readRenderBlocks(f, src, 'spec.source');
  const kind = f.str(src.kind, 'spec.source.kind') as RenderKind | undefined;
  if (kind !== undefined && !KINDS.includes(kind)) f.fail('spec.source.kind', 'expected directory, kustomize or helm', kind);
  if (kind && blocks.kind && kind !== blocks.kind) f.fail(`spec.source.${blocks.kind}`, `does not go with kind ${kind}`);
  const secretName = f.str(f.obj(src.secretRef, 'spec.source.secretRef')?.name, 'spec.source.secretRef.name');
  const dest = f.obj(spec.destination, 'spec.destination');
  f.warnUnknown(dest, 'spec.destination', ['namespace']);
  const namespace = f.str(dest?.namespace, 'spec.destination.namespace') || ref.namespace;
  const resolvedKind = kind ?? blocks.kind;
  const source: AppSource = {
    ...blocks,
    url: f.reqStr(src.repoURL, 'spec.source.repoURL'),
    revision: f.str(src.revision, 'spec.source.revision') || 'HEAD',
    path: sourcePath(f, f.str(src.path, 'spec.source.path'), 'spec.source.path'),
    render: true,
    ...(resolvedKind ? { kind: resolvedKind } : {}),
    ...(secretName ? { secretRef: { namespace: ref.namespace, name: secretName } } : {}),
  };
  if (resolvedKind === 'helm' || resolvedKind === undefined) {
    source.helm = { ...source.helm, releaseName: source.helm?.releaseName ?? ref.name, namespace: source.helm?.namespace ?? namespace };
  }

  const sp = f.obj(spec.syncPolicy, 'spec.syncPolicy');
  f.warnUnknown(sp, 'spec.syncPolicy', SYNC_FIELDS);
  const flag = (k: string) => f.bool(sp?.[k], at('spec.syncPolicy', k)) ?? false;
  const prune = flag('prune');
  const requestedAt = obj.metadata.annotations?.['slipway.dev/requestedAt'];
  return {
    ref,
    format: 'slipway',
    ...(typeof obj.metadata.generation === 'number' ? { generation: obj.metadata.generation } : {}),
    source,
    sources: [source],
    destination: { namespace },
    project: 'default',
    syncPolicy: {
      ...baseSyncPolicy(),
      automated: flag('automated'),
      prune,
      selfHeal: flag('selfHeal'),
      createNamespace: flag('createNamespace'),
      // Slipway applies server-side and leaves unchanged objects alone (STYLE.md section 4).
      serverSideApply: true,
      applyOutOfSyncOnly: true,
    },
    ignoreDifferences: [],
    interval: f.goDuration(spec.interval, 'spec.interval', { positive: true }) ?? DEFAULT_INTERVAL_MS,
    suspend: f.bool(spec.suspend, 'spec.suspend') ?? false,
    dependsOn: [],
    wait: false,
    healthChecks: [],
    revisionHistoryLimit: 10,
    deletionPolicy: prune ? 'Delete' : 'Orphan',
    substituteFrom: [],
    ...(requestedAt ? { refreshRequest: requestedAt } : {}),
    declared: dropUndefined({ source: spec.source, destination: spec.destination }),
    warnings: f.warnings,
  };
}
