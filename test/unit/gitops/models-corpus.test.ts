// Real-world app manifests from the shared corpus through parseApp: the Argo CD Applications the
// argocd-apps chart renders from each of its ci/ values files, the Argo CD e2e and Kyverno test
// Applications, and the Flux Kustomizations and GitRepositories of flux2-kustomize-helm-example
// and the Kyverno Flux tests. Each one parses, or fails with the AppSpecError named here on
// purpose (an unsupported feature, documented in models/index.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { nodeFileSystem, type KubeObject } from '../../../src/core/index.js';
import { templateChart } from '../../../src/engines/chart/index.js';
import { TemplateSet } from '../../../src/engines/gotemplate/index.js';
import { AppSpecError, parseApp, parseGitRepository, SourceNotFoundError, type AppSpec } from '../../../src/gitops/models/index.js';
import { CORPUS, loadDocs, specOf } from './models-helpers.js';

const CHART = join(CORPUS, 'helm/argocd-apps');

async function renderArgocdApps(valuesFile: string): Promise<KubeObject[]> {
  const r = await templateChart(CHART, nodeFileSystem, { releaseName: 'apps', namespace: 'argocd', values: { valueFiles: [join(CHART, 'ci', valuesFile)] } });
  return r.manifests.map((m) => parseAllDocuments(m.content)[0]!.toJS() as KubeObject);
}

function parseError(obj: KubeObject, related?: Parameters<typeof parseApp>[1]): AppSpecError {
  try {
    parseApp(obj, related);
  } catch (e) {
    if (e instanceof AppSpecError) return e;
    throw e;
  }
  throw new Error(`${obj.kind}/${obj.metadata.name} parsed, expected an AppSpecError`);
}

describe('argocd-apps chart (every ci/ values file)', () => {
  test('the ci/ values files are the ones this suite knows', () => {
    expect(readdirSync(join(CHART, 'ci')).sort()).toEqual([
      'applications-multiple-sources-values.yaml',
      'applications-values.yaml',
      'applicationsets-multiple-sources-values.yaml',
      'applicationsets-progressive-syncs-values.yaml',
      'applicationsets-values.yaml',
      'default-values.yaml',
      'item-templates.yaml',
    ]);
  });

  test('applications-values.yaml: a directory app, automated, ApplyOutOfSyncOnly, ignoreDifferences', async () => {
    const objs = await renderArgocdApps('applications-values.yaml');
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Application/argocd-application']);
    const app = parseApp(objs[0]!);
    expect(app.format).toBe('argocd');
    // helm template does not set a namespace; kubectl apply would put it in "default".
    expect(app.ref).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'default', name: 'argocd-application' });
    expect(app.sources).toHaveLength(1);
    expect(app.source).toEqual({
      url: 'https://github.com/argoproj/argocd-example-apps.git',
      revision: 'HEAD',
      path: 'guestbook',
      render: true,
      kind: 'directory',
      directory: { recurse: true },
    });
    expect(app.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'default' });
    expect(app.project).toBe('default');
    expect(app.syncPolicy).toMatchObject({ automated: true, prune: false, selfHeal: false, allowEmpty: false, applyOutOfSyncOnly: true, createNamespace: false });
    expect(app.syncPolicy.retry).toBeUndefined();
    // revisionHistoryLimit: null in the values: the template leaves it out, Argo's default applies.
    expect(app.revisionHistoryLimit).toBe(10);
    expect(app.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    expect(app.deletionPolicy).toBe('Delete'); // resources-finalizer.argocd.argoproj.io
    expect(app.warnings).toEqual([]);
    expect(app.declared.source).toEqual(specOf(objs[0]!).source);
  });

  test('applications-multiple-sources-values.yaml: fails on purpose (a Helm repository chart source)', async () => {
    const objs = await renderArgocdApps('applications-multiple-sources-values.yaml');
    expect(objs).toHaveLength(1);
    const e = parseError(objs[0]!);
    expect(e.field).toBe('spec.sources[0].chart');
    expect(e.message).toBe(
      'Application/default/argocd-application-multiple-sources: spec.sources[0].chart: Helm repository charts are not supported, only git repositories, got "elasticsearch"',
    );
    // Without the chart source the git source parses as a one-source multi-source app.
    const spec = objs[0]!.spec as { sources: unknown[] };
    const gitOnly = { ...objs[0]!, spec: { ...spec, sources: spec.sources.slice(1) } };
    const app = parseApp(gitOnly);
    expect(app.sources.map((s) => [s.url, s.path, s.render])).toEqual([['https://github.com/argoproj/argocd-example-apps.git', 'guestbook', true]]);
    expect(app.declared.sources).toHaveLength(1);
    expect(app.declared.source).toBeUndefined();
  });

  test.each(['applicationsets-values.yaml', 'applicationsets-multiple-sources-values.yaml', 'applicationsets-progressive-syncs-values.yaml', 'item-templates.yaml'])(
    '%s: ApplicationSets are not apps (AppSpecError naming the kind)',
    async (file) => {
      const objs = await renderArgocdApps(file);
      expect(objs.length).toBeGreaterThan(0);
      for (const o of objs) {
        expect(o.kind).toBe('ApplicationSet');
        const e = parseError(o);
        expect(e.field).toBe('');
        expect(e.message).toContain(`ApplicationSet/default/${o.metadata.name}: not an app (Slipway reads argoproj.io/v1alpha1 Application`);
        expect(e.message).toContain('got "argoproj.io/v1alpha1 ApplicationSet"');
      }
    },
  );

  test('default-values.yaml renders no Application', async () => {
    expect(await renderArgocdApps('default-values.yaml')).toEqual([]);
  });
});

describe('Argo CD Applications elsewhere in the corpus', () => {
  const kyverno = (p: string) => join(CORPUS, 'kyverno/argo', p);
  test.each([
    [kyverno('application-prevent-default-project/.chainsaw-test/good-application.yaml'), 'goodapp', 'biz'],
    [kyverno('application-prevent-default-project/.chainsaw-test/bad-application.yaml'), 'badapp', 'default'],
    [kyverno('application-field-validation/.chainsaw-test/good-application.yaml'), 'goodapp01', 'biz'],
  ])('%s parses', (file, name, project) => {
    const [obj, ...rest] = loadDocs(file);
    expect(rest).toEqual([]);
    const app = parseApp(obj!);
    expect(app.ref.name).toBe(name);
    expect(app.project).toBe(project);
    expect(app.source).toMatchObject({ url: 'https://github.com/argoproj/argocd-example-apps.git', revision: 'HEAD', path: 'guestbook', render: true });
    // No render block: the kind is detected from the files later; a chart would render as Argo CD names it.
    expect(app.source.kind).toBeUndefined();
    expect(app.source.helm).toEqual({ releaseName: name, namespace: 'guestbook' });
    expect(app.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'guestbook' });
    expect(app.syncPolicy.automated).toBe(false);
    expect(app.deletionPolicy).toBe('Orphan');
  });

  test('application-field-validation bad-application.yaml: both fail on purpose, naming the field', () => {
    const [chart, remote] = loadDocs(kyverno('application-field-validation/.chainsaw-test/bad-application.yaml'));
    expect(parseError(chart!).message).toBe('Application/default/badapp01: spec.source.chart: Helm repository charts are not supported, only git repositories, got "foo"');
    const e = parseError(remote!);
    expect(e.field).toBe('spec.destination');
    expect(e.message).toBe(`Application/default/badapp02: spec.destination: can't have both name and server defined, got {"server":"https://kubernetes.default.svc","name":"foobar"}`);
  });

  test('argo-cd e2e self-managed-app (no namespace: "default")', () => {
    const [obj] = loadDocs(join(CORPUS, 'kustomize/argo-cd-testdata/test/e2e/testdata/self-managed-app/resources.yaml'));
    const app = parseApp(obj!);
    expect(app.ref.namespace).toBe('default');
    expect(app.source).toMatchObject({ url: 'https://github.com/argoproj/argo-cd.git', path: 'self-managed-app', revision: 'HEAD' });
    expect(app.destination.namespace).toBe('argocd-e2e');
  });

  // The e2e fixtures are Go templates the Argo CD e2e suite fills in; render them as it does.
  const fixture = (file: string) => {
    const text = readFileSync(join(CORPUS, 'kustomize/argo-cd-testdata/test/e2e/testdata/declarative-apps', file), 'utf8');
    const data = { Name: 'declarative', ArgoCDNamespace: 'argocd-e2e', Project: 'default', RepoURL: 'https://github.com/argoproj/argocd-example-apps.git', Path: 'helm-guestbook', DeploymentNamespace: 'argocd-e2e--test' };
    const out = new TemplateSet({ name: file }).parseAndExecute(file, text, data);
    return parseAllDocuments(out)[0]!.toJS() as KubeObject;
  };

  test('argo-cd e2e declarative-apps/app.yaml, rendered', () => {
    const app = parseApp(fixture('app.yaml'));
    expect(app.ref).toMatchObject({ namespace: 'argocd-e2e', name: 'declarative' });
    expect(app.source).toMatchObject({ path: 'helm-guestbook', helm: { releaseName: 'declarative', namespace: 'argocd-e2e--test' } });
  });

  test('argo-cd e2e declarative-apps/invalid-helm.yaml parses (the missing value file fails at render time, as in Argo CD)', () => {
    const app = parseApp(fixture('invalid-helm.yaml'));
    expect(app.source.kind).toBe('helm');
    expect(app.source.helm).toEqual({ releaseName: 'declarative', namespace: 'argocd-e2e--test', valueFiles: ['does-not-exist-values.yaml'] });
  });

  test('the unrendered fixture (YAML flow maps where strings belong) fails naming metadata.name', () => {
    const raw = loadDocs(join(CORPUS, 'kustomize/argo-cd-testdata/test/e2e/testdata/declarative-apps/app.yaml'))[0]!;
    expect(parseError(raw).field).toBe('metadata.name');
  });
});

describe('Flux objects in the corpus', () => {
  const example = (p: string) => join(CORPUS, 'kustomize/flux2-kustomize-helm-example/clusters', p);
  const kustomizations = ['production/apps.yaml', 'production/infrastructure.yaml', 'staging/apps.yaml', 'staging/infrastructure.yaml'].flatMap((f) =>
    loadDocs(example(f)).map((o) => ({ file: f, obj: o })),
  );

  test('flux2-kustomize-helm-example has six Kustomizations, all from ExternalArtifact sources: each fails on purpose naming spec.sourceRef.kind', () => {
    expect(kustomizations.map(({ file, obj }) => `${file}:${obj.metadata.name}`)).toEqual([
      'production/apps.yaml:apps',
      'production/infrastructure.yaml:infra-controllers',
      'production/infrastructure.yaml:infra-configs',
      'staging/apps.yaml:apps',
      'staging/infrastructure.yaml:infra-controllers',
      'staging/infrastructure.yaml:infra-configs',
    ]);
    for (const { obj } of kustomizations) {
      const e = parseError(obj);
      expect(e).not.toBeInstanceOf(SourceNotFoundError);
      expect(e.message).toBe(`Kustomization/flux-system/${obj.metadata.name}: spec.sourceRef.kind: only GitRepository sources are supported, got "ExternalArtifact"`);
    }
  });

  test('the same Kustomizations pointed at a GitRepository parse with every field they set', () => {
    const repo: KubeObject = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { interval: '1m', url: 'https://github.com/fluxcd/flux2-kustomize-helm-example', ref: { branch: 'main' } },
    };
    const specs: Record<string, AppSpec> = {};
    for (const { file, obj } of kustomizations) {
      const o = { ...obj, spec: { ...specOf(obj), sourceRef: { kind: 'GitRepository', name: 'flux-system' } } };
      specs[`${file.split('/')[0]}/${obj.metadata.name}`] = parseApp(o, { gitRepositories: [repo] });
    }
    const apps = specs['production/apps']!;
    expect(apps.interval).toBe(3_600_000);
    expect(apps.retryInterval).toBe(120_000);
    expect(apps.timeout).toBe(300_000);
    expect(apps.syncPolicy.prune).toBe(true);
    expect(apps.wait).toBe(true);
    expect(apps.dependsOn).toEqual([{ namespace: 'flux-system', name: 'infra-configs' }]);
    expect(apps.source).toMatchObject({ url: 'https://github.com/fluxcd/flux2-kustomize-helm-example', ref: { branch: 'main' }, path: 'production', kind: 'kustomize' });
    expect(apps.deletionPolicy).toBe('Delete');
    const configs = specs['staging/infra-configs']!;
    expect(configs.wait).toBe(false);
    expect(configs.source.kustomize?.patches).toEqual([
      {
        patch: '- op: replace\n  path: /spec/acme/server\n  value: https://acme-staging-v02.api.letsencrypt.org/directory\n',
        target: { kind: 'ClusterIssuer', name: 'letsencrypt' },
      },
    ]);
    expect(Object.values(specs).every((s) => s.warnings.length === 0)).toBe(true);
  });

  test("kustomize's own kustomization.yaml (kustomize.config.k8s.io Kustomization) is not an app", () => {
    const [k] = loadDocs(example('production/flux-system/kustomization.yaml'));
    expect(k!.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    const e = parseError({ ...k!, metadata: { name: 'flux-system' } });
    expect(e.message).toContain('Kustomization/default/flux-system: not an app (Slipway reads');
  });

  const gitRepoFiles = [
    'kyverno/flux/verify-git-repositories/.chainsaw-test/good-gitrepositories.yaml',
    'kyverno/flux/verify-git-repositories/.chainsaw-test/bad-gitrepositories.yaml',
    'kyverno/flux/verify-flux-sources/.chainsaw-test/repo-good-git.yaml',
    'kyverno/flux/verify-flux-sources/.chainsaw-test/repo-bad-git.yaml',
  ];
  test.each(gitRepoFiles)('%s: every GitRepository parses (5m0s interval, branch master by default)', (file) => {
    const docs = loadDocs(join(CORPUS, file));
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) {
      const r = parseGitRepository(d);
      expect(r.interval).toBe(300_000);
      expect(r.timeout).toBe(60_000);
      expect(r.source).toEqual({ url: specOf(d).url, ref: { branch: 'master' } });
      expect(r.ref.namespace).toBe(d.metadata.namespace ?? 'default');
      // A GitRepository alone is not an app.
      expect(parseError(d).message).toContain('a source, not an app');
    }
  });
});
