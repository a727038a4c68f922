// Flux `kustomize.toolkit.fluxcd.io` Kustomization (v1, v1beta2) and `source.toolkit.fluxcd.io`
// GitRepository (v1, v1beta2), read as written: fields after fluxcd/kustomize-controller
// api/v1/kustomization_types.go and fluxcd/source-controller api/v1/gitrepository_types.go,
// defaults after their Get* methods (timeout = interval − 30s, at least 30s; retryInterval =
// interval; ref = branch master; git timeout 60s).
import { splitApiVersion, type KubeObject } from '../../core/index.js';
import { SourceNotFoundError } from './errors.js';
import { appObjectRef, baseSyncPolicy, isZero, sourcePath } from './internal/common.js';
import { at, Fields, type Obj } from './internal/fields.js';
import { dropUndefined, readPatches } from './internal/render-blocks.js';
import type { AppSource, AppSpec, FluxGitRepository, RelatedObjects } from './types.js';

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
/** API versions of Kustomization and GitRepository that Slipway reads. */
export const FLUX_VERSIONS = ['v1', 'v1beta2'] as const;

function checkVersion(f: Fields, obj: KubeObject, group: string): string {
  const { group: g, version } = splitApiVersion(obj.apiVersion);
  if (g !== group || !(FLUX_VERSIONS as readonly string[]).includes(version)) {
    f.fail('apiVersion', `expected ${FLUX_VERSIONS.map((v) => `${group}/${v}`).join(' or ')}`, obj.apiVersion);
  }
  return version;
}

/** Reads a Flux GitRepository; errors name the GitRepository. */
export function parseGitRepository(obj: KubeObject): FluxGitRepository & { warnings: string[] } {
  const ref = appObjectRef(obj);
  const f = new Fields(ref);
  checkVersion(f, obj, FLUX_SOURCE_GROUP);
  if (obj.kind !== 'GitRepository') f.fail('kind', 'expected GitRepository', obj.kind);
  const spec = f.obj(obj.spec, 'spec') ?? f.fail('spec', 'is required');
  const url = f.reqStr(spec.url, 'spec.url');
  if (!/^(http|https|ssh):\/\//.test(url)) f.fail('spec.url', 'expected an http://, https:// or ssh:// URL', url);
  const provider = f.str(spec.provider, 'spec.provider');
  if (provider && provider !== 'generic') f.fail('spec.provider', 'only the generic provider (secretRef credentials) is supported', provider);
  if (!isZero(spec.verify)) f.fail('spec.verify', 'commit signature verification is not supported', spec.verify);
  if (!isZero(spec.proxySecretRef)) f.fail('spec.proxySecretRef', 'proxies are not supported', spec.proxySecretRef);
  if (f.bool(spec.recurseSubmodules, 'spec.recurseSubmodules')) f.fail('spec.recurseSubmodules', 'submodules are not supported', true);
  if (!isZero(spec.include)) f.fail('spec.include', 'including other GitRepositories is not supported', spec.include);
  if (!isZero(spec.sparseCheckout)) f.warn('spec.sparseCheckout', 'not supported; the whole repository is fetched');

  const r = f.obj(spec.ref, 'spec.ref');
  const gitRef = dropUndefined({
    branch: f.str(r?.branch, 'spec.ref.branch') || undefined,
    tag: f.str(r?.tag, 'spec.ref.tag') || undefined,
    semver: f.str(r?.semver, 'spec.ref.semver') || undefined,
    name: f.str(r?.name, 'spec.ref.name') || undefined,
    commit: f.str(r?.commit, 'spec.ref.commit') || undefined,
  });
  const secretName = f.str(f.obj(spec.secretRef, 'spec.secretRef')?.name, 'spec.secretRef.name');
  const ignore = f.str(spec.ignore, 'spec.ignore');
  return {
    ref,
    ...(typeof obj.metadata.generation === 'number' ? { generation: obj.metadata.generation } : {}),
    // source-controller checks out branch "master" when no reference field is set.
    source: { url, ref: Object.keys(gitRef).length ? gitRef : { branch: 'master' } },
    ...(secretName ? { secretRef: { namespace: ref.namespace, name: secretName } } : {}),
    interval: f.goDuration(spec.interval, 'spec.interval', { positive: true }) ?? f.fail('spec.interval', 'is required'),
    timeout: f.goDuration(spec.timeout, 'spec.timeout', { positive: true }) ?? 60_000,
    ...(ignore !== undefined ? { ignore } : {}),
    suspend: f.bool(spec.suspend, 'spec.suspend') ?? false,
    warnings: f.warnings,
  };
}

/** Reads a Flux Kustomization and the GitRepository its sourceRef names (from `related`). */
export function parseFluxKustomization(obj: KubeObject, related: RelatedObjects): AppSpec {
  const ref = appObjectRef(obj);
  const f = new Fields(ref);
  const version = checkVersion(f, obj, FLUX_KUSTOMIZE_GROUP);
  const spec = f.obj(obj.spec, 'spec') ?? f.fail('spec', 'is required');
  for (const [key, what] of [
    ['decryption', 'SOPS decryption'],
    ['kubeConfig', 'remote clusters (kubeConfig)'],
    ['serviceAccountName', 'impersonation (serviceAccountName)'],
  ] as const) {
    if (!isZero(spec[key])) f.fail(`spec.${key}`, `${what} is not supported`, spec[key]);
  }
  for (const key of ['healthCheckExprs', 'driftIgnoreRules']) if (!isZero(spec[key])) f.warn(`spec.${key}`, 'not supported, ignored');

  const interval = f.goDuration(spec.interval, 'spec.interval', { positive: true }) ?? f.fail('spec.interval', 'is required');
  const retryInterval = f.goDuration(spec.retryInterval, 'spec.retryInterval', { positive: true }) ?? interval;
  // Kustomization.GetTimeout: the timeout, or interval − 30s; never below 30s.
  const timeout = Math.max(f.goDuration(spec.timeout, 'spec.timeout') ?? interval - 30_000, 30_000);
  const prune = f.bool(spec.prune, 'spec.prune') ?? false;
  const deletion = f.str(spec.deletionPolicy, 'spec.deletionPolicy') || 'MirrorPrune';
  if (!['MirrorPrune', 'Delete', 'WaitForTermination', 'Orphan'].includes(deletion)) {
    f.fail('spec.deletionPolicy', 'expected MirrorPrune, Delete, WaitForTermination or Orphan', deletion);
  }

  const repo = findGitRepository(f, spec, ref.namespace, related);
  const targetNamespace = f.str(spec.targetNamespace, 'spec.targetNamespace') || undefined;
  const patches = [...(readPatches(f, spec.patches, 'spec.patches') ?? []), ...legacyPatches(f, spec, version)];
  const images = f.objList(spec.images, 'spec.images').map((img, i) => imageString(f, img, at('spec.images', i)));
  const components = f.strList(spec.components, 'spec.components');
  const postBuild = f.obj(spec.postBuild, 'spec.postBuild');
  const substitute = f.strMap(postBuild?.substitute, 'spec.postBuild.substitute');
  const meta = f.obj(spec.commonMetadata, 'spec.commonMetadata');

  const source: AppSource = {
    ...repo.source,
    path: sourcePath(f, f.str(spec.path, 'spec.path'), 'spec.path'),
    kind: 'kustomize',
    render: true,
    generateKustomization: true,
    ...(repo.secretRef ? { secretRef: repo.secretRef } : {}),
    ...(repo.ignore !== undefined ? { ignore: repo.ignore } : {}),
    kustomize: dropUndefined({
      namePrefix: f.str(spec.namePrefix, 'spec.namePrefix') || undefined,
      nameSuffix: f.str(spec.nameSuffix, 'spec.nameSuffix') || undefined,
      images: images.length ? images : undefined,
      namespace: targetNamespace,
      patches: patches.length ? patches : undefined,
      components,
      ignoreMissingComponents: f.bool(spec.ignoreMissingComponents, 'spec.ignoreMissingComponents'),
    }),
    ...(substitute ? { postBuild: { substitute } } : {}),
  };
  const { warnings: repoWarnings, ...gitRepository } = repo;
  const requestedAt = obj.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
  return {
    ref,
    format: 'flux',
    ...(typeof obj.metadata.generation === 'number' ? { generation: obj.metadata.generation } : {}),
    source,
    sources: [source],
    destination: { namespace: targetNamespace ?? '' },
    project: 'default',
    syncPolicy: {
      ...baseSyncPolicy(),
      // kustomize-controller applies every interval (correcting drift), server-side, skipping
      // unchanged objects, and deletes with background propagation (fluxcd/pkg ssa).
      automated: true,
      prune,
      selfHeal: true,
      allowEmpty: true,
      serverSideApply: true,
      applyOutOfSyncOnly: true,
      force: f.bool(spec.force, 'spec.force') ?? false,
      prunePropagationPolicy: 'background',
    },
    ignoreDifferences: [],
    interval,
    retryInterval,
    timeout,
    suspend: f.bool(spec.suspend, 'spec.suspend') ?? false,
    dependsOn: f.objList(spec.dependsOn, 'spec.dependsOn').map((d, i) => {
      const p = at('spec.dependsOn', i);
      if (f.str(d.readyExpr, at(p, 'readyExpr'))) f.warn(at(p, 'readyExpr'), 'not supported; the dependency must be Ready');
      return { namespace: f.str(d.namespace, at(p, 'namespace')) || ref.namespace, name: f.reqStr(d.name, at(p, 'name')) };
    }),
    wait: f.bool(spec.wait, 'spec.wait') ?? false,
    healthChecks: f.objList(spec.healthChecks, 'spec.healthChecks').map((h, i) => {
      const p = at('spec.healthChecks', i);
      return {
        apiVersion: f.str(h.apiVersion, at(p, 'apiVersion')) ?? '',
        kind: f.reqStr(h.kind, at(p, 'kind')),
        namespace: f.str(h.namespace, at(p, 'namespace')) || ref.namespace,
        name: f.reqStr(h.name, at(p, 'name')),
      };
    }),
    revisionHistoryLimit: 10,
    deletionPolicy: deletion === 'MirrorPrune' ? (prune ? 'Delete' : 'Orphan') : (deletion as AppSpec['deletionPolicy']),
    substituteFrom: f.objList(postBuild?.substituteFrom, 'spec.postBuild.substituteFrom').map((s, i) => {
      const p = at('spec.postBuild.substituteFrom', i);
      const kind = f.reqStr(s.kind, at(p, 'kind'));
      if (kind !== 'ConfigMap' && kind !== 'Secret') return f.fail(at(p, 'kind'), 'expected ConfigMap or Secret', kind);
      return { kind, namespace: ref.namespace, name: f.reqStr(s.name, at(p, 'name')), optional: f.bool(s.optional, at(p, 'optional')) ?? false };
    }),
    ...(meta
      ? { commonMetadata: dropUndefined({ labels: f.strMap(meta.labels, 'spec.commonMetadata.labels'), annotations: f.strMap(meta.annotations, 'spec.commonMetadata.annotations') }) }
      : {}),
    gitRepository,
    ...(requestedAt ? { refreshRequest: requestedAt } : {}),
    declared: {},
    warnings: [...f.warnings, ...repoWarnings],
  };
}

function findGitRepository(f: Fields, spec: Obj, namespace: string, related: RelatedObjects): ReturnType<typeof parseGitRepository> {
  const sr = f.obj(spec.sourceRef, 'spec.sourceRef') ?? f.fail('spec.sourceRef', 'is required');
  const kind = f.reqStr(sr.kind, 'spec.sourceRef.kind');
  if (kind !== 'GitRepository') f.fail('spec.sourceRef.kind', 'only GitRepository sources are supported', kind);
  const name = f.reqStr(sr.name, 'spec.sourceRef.name');
  const ns = f.str(sr.namespace, 'spec.sourceRef.namespace') || namespace;
  const apiVersion = f.str(sr.apiVersion, 'spec.sourceRef.apiVersion');
  if (apiVersion && splitApiVersion(apiVersion).group !== FLUX_SOURCE_GROUP) f.fail('spec.sourceRef.apiVersion', `expected ${FLUX_SOURCE_GROUP}/<version>`, apiVersion);
  const found = related.gitRepositories.find(
    (r) => r.kind === 'GitRepository' && splitApiVersion(r.apiVersion).group === FLUX_SOURCE_GROUP && r.metadata.name === name && (r.metadata.namespace || 'default') === ns,
  );
  // Flux's words: "Source 'GitRepository/flux-system/podinfo' not found".
  if (!found) throw new SourceNotFoundError(f.object, 'spec.sourceRef', `source 'GitRepository/${ns}/${name}' not found`);
  return parseGitRepository(found);
}

/** v1beta2's patchesStrategicMerge and patchesJson6902, as `patches` entries (v1 dropped both). */
function legacyPatches(f: Fields, spec: Obj, version: string): Obj[] {
  if (version !== 'v1beta2') {
    for (const key of ['patchesStrategicMerge', 'patchesJson6902']) if (!isZero(spec[key])) f.warn(`spec.${key}`, `not a field of ${version}, ignored`);
    return [];
  }
  const out: Obj[] = [];
  for (const [i, p] of f.objList(spec.patchesStrategicMerge, 'spec.patchesStrategicMerge').entries()) {
    if (!p.kind || !p.metadata) f.fail(at('spec.patchesStrategicMerge', i), 'expected an object with kind and metadata', p);
    out.push({ patch: JSON.stringify(p) });
  }
  for (const [i, p] of f.objList(spec.patchesJson6902, 'spec.patchesJson6902').entries()) {
    const path = at('spec.patchesJson6902', i);
    const ops = f.list(p.patch, at(path, 'patch')) ?? f.fail(at(path, 'patch'), 'is required');
    out.push({ patch: JSON.stringify(ops), target: f.obj(p.target, at(path, 'target')) ?? f.fail(at(path, 'target'), 'is required') });
  }
  return out;
}

/**
 * A Flux image override ({name, newName, newTag, digest}) in the `old=new:tag` / `old=new@digest`
 * form of Argo CD's kustomize.images (`kustomize edit set image`); the digest wins over the tag,
 * as in kustomize.
 */
function imageString(f: Fields, img: Obj, path: string): string {
  const name = f.reqStr(img.name, at(path, 'name'));
  const newName = f.str(img.newName, at(path, 'newName')) || name;
  const newTag = f.str(img.newTag, at(path, 'newTag'));
  const digest = f.str(img.digest, at(path, 'digest'));
  return `${name}=${newName}${digest ? `@${digest}` : newTag ? `:${newTag}` : ''}`;
}
