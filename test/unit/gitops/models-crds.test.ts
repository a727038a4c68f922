// gitopsCrds(): structural schemas the apiserver accepts, the status subresource everywhere, and
// the real-world objects of the corpus valid under them (nothing rejected, no field Slipway reads
// pruned). The Argo CD Application schema is compared with the upstream CRD in the corpus.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { nodeFileSystem, type KubeObject } from '../../../src/core/index.js';
import { templateChart } from '../../../src/engines/chart/index.js';
import { gitopsCrds, parseApp } from '../../../src/gitops/models/index.js';
import { parseAllDocuments } from 'yaml';
import { CORPUS, HELM_OPTIONS, KUSTOMIZE_OPTIONS, checkSchema, loadDocs, nonStructural, subSchema, versionSchema, specOf } from './models-helpers.js';

type Schema = Record<string, unknown>;
const crds = gitopsCrds();
const crd = (name: string) => crds.find((c) => c.metadata.name === name)!;
const spec = (c: KubeObject) => c.spec as { group: string; names: { kind: string; plural: string }; scope: string; versions: { name: string; served: boolean; storage: boolean; subresources?: unknown; schema: { openAPIV3Schema: Schema } }[] };

test('five CRDs, in order, each namespaced with one stored version and the status subresource on every version', () => {
  expect(crds.map((c) => c.metadata.name)).toEqual([
    'applications.argoproj.io',
    'appprojects.argoproj.io',
    'gitrepositories.source.toolkit.fluxcd.io',
    'kustomizations.kustomize.toolkit.fluxcd.io',
    'applications.slipway.dev',
  ]);
  for (const c of crds) {
    const s = spec(c);
    expect(c.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(c.metadata.name).toBe(`${s.names.plural}.${s.group}`);
    expect(s.scope).toBe('Namespaced');
    expect(s.versions.filter((v) => v.storage)).toHaveLength(1);
    for (const v of s.versions) {
      expect(v.served).toBe(true);
      expect(v.subresources).toEqual({ status: {} });
      expect(nonStructural(v.schema.openAPIV3Schema)).toEqual([]);
    }
  }
  expect(spec(crd('kustomizations.kustomize.toolkit.fluxcd.io')).versions.map((v) => [v.name, v.storage])).toEqual([['v1', true], ['v1beta2', false]]);
  expect(spec(crd('gitrepositories.source.toolkit.fluxcd.io')).versions.map((v) => [v.name, v.storage])).toEqual([['v1', true], ['v1beta2', false]]);
  // Fresh objects on each call: callers may change them.
  expect(gitopsCrds()[0]).not.toBe(gitopsCrds()[0]);
});

describe('corpus objects under our schemas', () => {
  const check = (c: string, version: string, obj: KubeObject) => checkSchema(versionSchema(crd(c), version), obj);

  test('argocd-apps chart Applications', async () => {
    const chart = join(CORPUS, 'helm/argocd-apps');
    for (const f of ['applications-values.yaml', 'applications-multiple-sources-values.yaml']) {
      const r = await templateChart(chart, nodeFileSystem, { releaseName: 'apps', values: { valueFiles: [join(chart, 'ci', f)] } });
      for (const m of r.manifests) expect(check('applications.argoproj.io', 'v1alpha1', parseAllDocuments(m.content)[0]!.toJS() as KubeObject)).toEqual([]);
    }
  });

  test('Kyverno and argo-cd e2e Applications', () => {
    for (const f of [
      'kyverno/argo/application-prevent-default-project/.chainsaw-test/good-application.yaml',
      'kyverno/argo/application-field-validation/.chainsaw-test/bad-application.yaml',
      'kustomize/argo-cd-testdata/test/e2e/testdata/self-managed-app/resources.yaml',
    ]) {
      for (const d of loadDocs(join(CORPUS, f))) expect(check('applications.argoproj.io', 'v1alpha1', d)).toEqual([]);
    }
  });

  test('Flux Kustomizations and GitRepositories', () => {
    for (const f of ['production/apps.yaml', 'production/infrastructure.yaml', 'staging/apps.yaml', 'staging/infrastructure.yaml']) {
      for (const d of loadDocs(join(CORPUS, 'kustomize/flux2-kustomize-helm-example/clusters', f))) expect(check('kustomizations.kustomize.toolkit.fluxcd.io', 'v1', d)).toEqual([]);
    }
    for (const f of ['kyverno/flux/verify-git-repositories/.chainsaw-test/good-gitrepositories.yaml', 'kyverno/flux/verify-flux-sources/.chainsaw-test/repo-good-git.yaml']) {
      for (const d of loadDocs(join(CORPUS, f))) expect(check('gitrepositories.source.toolkit.fluxcd.io', 'v1', d)).toEqual([]);
    }
  });

  test('wrong types and patterns are rejected', () => {
    const ks = loadDocs(join(CORPUS, 'kustomize/flux2-kustomize-helm-example/clusters/production/apps.yaml'))[0]!;
    expect(check('kustomizations.kustomize.toolkit.fluxcd.io', 'v1', { ...ks, spec: { ...specOf(ks), prune: 'yes' } })).toEqual(['spec.prune: expected boolean']);
    expect(check('kustomizations.kustomize.toolkit.fluxcd.io', 'v1', { ...ks, spec: { ...specOf(ks), interval: '5x' } })).toEqual(['spec.interval: "5x" does not match ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$']);
    const { prune: _p, ...noPrune } = ks.spec as Record<string, unknown>;
    expect(check('kustomizations.kustomize.toolkit.fluxcd.io', 'v1', { ...ks, spec: noPrune })).toEqual(['spec.prune: required']);
    // v1beta2 only: the legacy patch fields are typed there.
    const legacy = { ...ks, apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2', spec: { ...specOf(ks), sourceRef: { kind: 'GitRepository', name: 'x' }, patchesJson6902: [{ patch: [] }] } };
    expect(check('kustomizations.kustomize.toolkit.fluxcd.io', 'v1beta2', legacy)).toEqual(['spec.patchesJson6902[0].target: required']);
    expect(check('kustomizations.kustomize.toolkit.fluxcd.io', 'v1', legacy)).toEqual([]);
  });
});

describe('the Argo CD Application schema against the upstream CRD', () => {
  const upstream = loadDocs(join(CORPUS, 'kustomize/argo-cd-manifests/EXPECTED/manifests__crds.yaml')).find((d) => d.metadata.name === 'applications.argoproj.io')!;
  const up = versionSchema(upstream, 'v1alpha1');
  const mine = versionSchema(crd('applications.argoproj.io'), 'v1alpha1');

  /** Every typed leaf path of ours with its type, compared with upstream's at the same path. */
  function mismatches(a: Schema, b: Schema | undefined, path: string): string[] {
    if (!b) return [`${path}: not in the upstream CRD`];
    const out: string[] = [];
    const ta = a['x-kubernetes-int-or-string'] ? 'int-or-string' : (a.type as string | undefined);
    const tb = b['x-kubernetes-int-or-string'] ? 'int-or-string' : (b.type as string | undefined);
    if (ta && tb && ta !== tb) out.push(`${path}: ${ta}, upstream ${tb}`);
    for (const [k, s] of Object.entries((a.properties ?? {}) as Record<string, Schema>)) {
      out.push(...mismatches(s, ((b.properties ?? {}) as Record<string, Schema>)[k], `${path}.${k}`));
    }
    if (a.items && b.items) out.push(...mismatches(a.items as Schema, b.items as Schema, `${path}[]`));
    return out;
  }

  test('every field we type exists upstream with the same type', () => {
    expect(mismatches(subSchema(mine, 'spec'), subSchema(up, 'spec'), 'spec')).toEqual([]);
    expect(mismatches(subSchema(mine, 'status'), subSchema(up, 'status'), 'status')).toEqual([]);
  });

  test('the same required fields where we type the object', () => {
    expect(subSchema(mine, 'spec').required).toEqual(subSchema(up, 'spec').required);
    expect(subSchema(mine, 'spec.source').required).toEqual(subSchema(up, 'spec.source').required);
    expect((subSchema(mine, 'status.history').items as Schema).required).toEqual((subSchema(up, 'status.history').items as Schema).required);
    expect(subSchema(mine, 'status.operationState').required).toEqual(subSchema(up, 'status.operationState').required);
  });
});

describe('the Slipway Application schema keeps every field parseApp reads', () => {
  // The schema prunes unknown fields, so a field the parser reads but the schema lacks would be
  // dropped silently by the apiserver while the same YAML read from a file honours it.
  const full: KubeObject = {
    apiVersion: 'slipway.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      source: {
        repoURL: 'https://g/web.git',
        revision: 'v1',
        path: 'chart',
        kind: 'helm',
        secretRef: { name: 'creds' },
        helm: { ...HELM_OPTIONS, namespace: 'shop', version: 'v3' },
      },
      destination: { namespace: 'shop' },
      syncPolicy: { automated: true, prune: true, selfHeal: true, createNamespace: true },
      interval: '5m',
      suspend: false,
    },
  };
  const directory = { recurse: true, include: '*.yaml', exclude: 'x/*' };
  const schema = () => versionSchema(crd('applications.slipway.dev'), 'v1alpha1');

  test('helm', () => {
    expect(checkSchema(schema(), full)).toEqual([]);
    expect(parseApp(full).source.helm).toEqual({ ...HELM_OPTIONS, namespace: 'shop' });
  });

  test('kustomize and directory', () => {
    const s = specOf(full);
    const withKustomize = { ...full, spec: { ...s, source: { repoURL: 'https://g/web.git', kind: 'kustomize', kustomize: KUSTOMIZE_OPTIONS } } };
    expect(checkSchema(schema(), withKustomize)).toEqual([]);
    expect(parseApp(withKustomize).source.kustomize).toEqual(KUSTOMIZE_OPTIONS);
    const withDirectory = { ...full, spec: { ...s, source: { repoURL: 'https://g/web.git', directory } } };
    expect(checkSchema(schema(), withDirectory)).toEqual([]);
    expect(parseApp(withDirectory).source.directory).toEqual(directory);
  });
});
