import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatError, InputError } from '../../../src/core/index.js';
import type { DeployStep, EnvStep, GateStep, ImageStep, JobStep, RunStep } from '../../../src/pipeline/model.js';
import { isJenkinsfile, loadPipeline, parsePipelineYaml, stepName } from '../../../src/pipeline/spec/index.js';
import { FULL_EXAMPLE } from './spec-example.js';

// The full example's build stage names the parallel child `lint` of the later stage `tests`
// in its needs, which can never be satisfied (tests runs after build); see the cycle tests.
const EXAMPLE = FULL_EXAMPLE.replace('needs: [lint]', 'needs: []');

/** A pipeline document whose spec is `spec` (written at indent 2; its first line is line 6). */
function doc(spec: string): string {
  return `apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: app\nspec:\n${spec}`;
}

/** The error as the CLI prints it: file:line:column: message. */
function errorOf(text: string, file = 'slipway.yaml'): string {
  try {
    parsePipelineYaml(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return formatError(e as InputError);
  }
  throw new Error('expected an error');
}

const oneStage = (steps: string) => doc(`  stages:\n    - name: build\n      steps:\n${steps}`);

describe('parsePipelineYaml: the full example', () => {
  const p = parsePipelineYaml(EXAMPLE, 'slipway.yaml');

  test('pipeline-level fields', () => {
    expect(p.name).toBe('myapp');
    expect(p.file).toBe('slipway.yaml');
    expect(p.format).toBe('slipway');
    expect(p.executor).toBe('local');
    expect(p.timeoutMs).toBe(30 * 60_000);
    expect(p.env).toEqual({ IMAGE: 'localhost:5000/myapp' });
    expect(p.at).toEqual({ file: 'slipway.yaml', line: 1, column: 1 });
  });

  test('params: choices make a choice param; a boolean keeps its string default', () => {
    expect(p.params.map(({ at: _at, ...rest }) => rest)).toEqual([
      { name: 'TARGET', type: 'choice', default: 'staging', choices: ['staging', 'production'], description: 'where to deploy' },
      { name: 'DRY_RUN', type: 'boolean', default: 'false' },
    ]);
    expect(p.params[0]!.at).toEqual({ file: 'slipway.yaml', line: 9, column: 7 });
  });

  test('secrets: one source each', () => {
    expect(p.secrets.map((s) => [s.name, s.from])).toEqual([
      ['REGISTRY_PASSWORD', { env: 'REGISTRY_PASSWORD' }],
      ['TOKEN', { file: '.secrets/token' }],
      ['DB_PASSWORD', { secret: { name: 'db', key: 'password', namespace: 'ci' } }],
    ]);
  });

  test('kubernetes defaults and caches', () => {
    expect(p.kubernetes).toEqual({
      image: 'golang:1.23',
      serviceAccountName: 'builder',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      workspace: { type: 'pvc', size: '1Gi', storageClassName: 'standard' },
      namespace: 'ci-runs',
    });
    expect(p.caches.map(({ at: _at, ...c }) => c)).toEqual([{ key: 'go-${hashFiles:go.sum}', paths: ['.cache/go'] }]);
  });

  test('the build stage', () => {
    const s = p.stages[0]!;
    expect(s.name).toBe('build');
    expect(s.needs).toEqual([]);
    expect(s.when).toEqual({ branch: 'main', changes: ['src/**', 'go.mod'], expression: "${params.TARGET} == 'production' && ${BUILD_NUMBER} != '1'" });
    expect(s.env).toEqual({ GOFLAGS: '-mod=mod' });
    expect(s.timeoutMs).toBe(600_000);
    expect(s.retries).toBe(1);
    expect(s.artifacts).toEqual(['bin/*']);
    expect(s.kubernetes).toEqual({ image: 'golang:1.23' });
    expect(s.steps.map((x) => x.type)).toEqual(['run', 'echo', 'image', 'deploy', 'deploy', 'job', 'env', 'gate']);
    expect(s.post.always.map((x) => x.name)).toEqual(['run: make clean']);
    expect(s.post.success).toEqual([]);
    expect(s.post.failure.map((x) => x.name)).toEqual(['echo: build failed']);
    expect(s.at).toEqual({ file: 'slipway.yaml', line: 36, column: 7 });
  });

  test('run step with every common key', () => {
    const { at, ...run } = p.stages[0]!.steps[0] as RunStep;
    expect(run).toEqual({
      type: 'run',
      name: 'compile',
      script: 'make build',
      env: { CGO_ENABLED: '0' },
      timeoutMs: 120_000,
      retries: 2,
      continueOnError: true,
      when: { branch: 'main' },
    });
    expect(at).toEqual({ file: 'slipway.yaml', line: 48, column: 11 });
  });

  test('echo and image steps', () => {
    const [, echo, image] = p.stages[0]!.steps;
    expect(echo).toMatchObject({ type: 'echo', message: 'built ${BUILD_NUMBER}', name: 'echo: built ${BUILD_NUMBER}', env: {}, retries: 0 });
    const { at: _at, ...img } = image as ImageStep;
    expect(img).toEqual({
      type: 'image',
      name: 'image: localhost:5000/myapp:${BUILD_NUMBER}',
      env: {},
      retries: 0,
      context: '.',
      dockerfile: 'Dockerfile',
      destinations: ['localhost:5000/myapp:${BUILD_NUMBER}'],
      buildArgs: { VERSION: '${BUILD_NUMBER}' },
      builder: 'auto',
      push: true,
      pushSecret: 'regcred',
      insecure: true,
      target: 'runtime',
    });
  });

  test('deploy steps: a release and a kustomization', () => {
    const [rel, kus] = p.stages[0]!.steps.slice(3, 5) as DeployStep[];
    const { at: _a, ...r } = rel!;
    expect(r).toEqual({
      type: 'deploy',
      mode: 'release',
      name: 'deploy: myapp',
      env: {},
      retries: 0,
      release: 'myapp',
      chart: 'chart',
      namespace: 'myapp-staging',
      valuesFiles: ['chart/values-staging.yaml'],
      set: { 'image.tag': '${BUILD_NUMBER}' },
      wait: true,
      deployTimeoutMs: 300_000,
      createNamespace: true,
    });
    const { at: _b, ...k } = kus!;
    expect(k).toEqual({ type: 'deploy', mode: 'kustomize', name: 'deploy: k8s/overlays/staging', env: {}, retries: 0, path: 'k8s/overlays/staging', namespace: 'myapp-staging', wait: true, prune: false });
  });

  test('job, env and gate steps', () => {
    const [job, env, gate] = p.stages[0]!.steps.slice(5) as [JobStep, EnvStep, GateStep];
    expect(job).toMatchObject({
      name: 'job: curlimages/curl:8.10.1',
      image: 'curlimages/curl:8.10.1',
      command: ['sh', '-c', 'curl -fsS http://myapp/healthz'],
      args: [],
      namespace: 'myapp-staging',
      junit: 'reports/it.xml',
      backoffLimit: 0,
      files: { 'seed.sql': 'testdata/seed.sql' },
      resources: { limits: { cpu: '500m' } },
    });
    expect(env).toMatchObject({
      name: 'env: test-myapp-${BUILD_NUMBER}',
      namespace: 'test-myapp-${BUILD_NUMBER}',
      ttlMs: 3_600_000,
      keep: 'on-failure',
      labels: { team: 'payments' },
      release: { name: 'myapp', chart: 'chart', valuesFiles: ['chart/values-test.yaml'], set: {}, wait: true },
    });
    expect(env.env).toEqual({});
    expect(env.initJobs).toHaveLength(1);
    const { at, ...init } = env.initJobs[0]!;
    expect(init).toEqual({ type: 'job', name: 'load-data', image: 'postgres:16', command: ['psql', '-f', '/data/seed.sql'], files: { 'seed.sql': 'testdata/seed.sql' }, env: {}, retries: 0 });
    expect(at.line).toBe(95);
    expect(gate).toMatchObject({
      name: 'gate: coverage.out, report.xml, trivy.json',
      coverage: 'coverage.out',
      junit: 'report.xml',
      vulns: 'trivy.json',
      coverageHtml: 'reports/coverage.html',
      thresholds: { minCoverage: 80, maxFailures: 0, maxCritical: 0, maxHigh: 5, maxMedium: 20 },
    });
  });

  test('the parallel stage', () => {
    const t = p.stages[1]!;
    expect(t.name).toBe('tests');
    expect(t.needs).toBeUndefined();
    expect(t.steps).toEqual([]);
    expect(t.failFast).toBe(true);
    expect(t.parallel!.map((c) => [c.name, c.steps.map((s) => s.name), c.at.line])).toEqual([
      ['unit', ['run: make test'], 112],
      ['lint', ['run: make lint'], 114],
    ]);
    expect(p.post).toEqual({ always: [], success: [], failure: [] });
  });

  test('the example as written names a parallel child in needs, which is reported', () => {
    expect(errorOf(FULL_EXAMPLE)).toBe('slipway.yaml:37:15: spec.stages[0].needs[0]: "lint" is inside parallel stage "tests"; name "tests" instead');
  });
});

describe('parsePipelineYaml: defaults', () => {
  const p = parsePipelineYaml(
    oneStage(`        - run: make build
        - image: {destination: r/app}
        - deploy: {release: app, chart: ./chart}
        - deploy: {apply: k8s/}
        - env: {}
        - job: {image: busybox}
        - gate: {junit: report.xml}
`),
    'p.yaml',
  );
  const s = p.stages[0]!;

  test('pipeline and stage defaults', () => {
    expect(p.executor).toBeUndefined();
    expect(p.timeoutMs).toBeUndefined();
    expect(p.kubernetes).toBeUndefined();
    expect([p.params, p.secrets, p.caches, p.env]).toEqual([[], [], [], {}]);
    expect(p.post).toEqual({ always: [], success: [], failure: [] });
    expect(s).toMatchObject({ env: {}, retries: 0, artifacts: [], post: { always: [], success: [], failure: [] } });
    expect(s.needs).toBeUndefined();
    expect(s.when).toBeUndefined();
    expect(s.parallel).toBeUndefined();
    expect(s.failFast).toBeUndefined();
  });

  test('step defaults', () => {
    const [run, image, release, apply, env, job, gate] = s.steps;
    expect(run).toEqual({ type: 'run', name: 'run: make build', script: 'make build', env: {}, retries: 0, at: { file: 'p.yaml', line: 9, column: 11 } });
    expect(image).toMatchObject({ context: '.', dockerfile: 'Dockerfile', builder: 'auto', buildArgs: {}, destinations: ['r/app'] });
    expect((image as ImageStep).insecure).toBeUndefined();
    expect(release).toMatchObject({ mode: 'release', wait: false, createNamespace: false, valuesFiles: [], set: {} });
    expect(apply).toMatchObject({ mode: 'apply', path: 'k8s/', wait: false, prune: false, name: 'deploy: k8s/' });
    expect(env).toMatchObject({ ttlMs: 3_600_000, keep: 'never', labels: {}, initJobs: [], name: 'env: test environment' });
    expect((env as EnvStep).namespace).toBeUndefined();
    expect((env as EnvStep).release).toBeUndefined();
    expect(job).toEqual({ type: 'job', name: 'job: busybox', image: 'busybox', env: {}, retries: 0, at: job!.at });
    expect(gate).toMatchObject({ name: 'gate: report.xml', thresholds: {} });
  });

  test('an image step without destinations only builds', () => {
    const q = parsePipelineYaml(oneStage('        - image: {context: app}\n'), 'p.yaml');
    expect(q.stages[0]!.steps[0]).toMatchObject({ destinations: [], context: 'app', name: 'image: app' });
  });

  test('params: boolean defaults to false, choice to its first choice, string to none', () => {
    const q = parsePipelineYaml(
      doc(`  params:
    - {name: A, type: boolean}
    - {name: B, choices: [x, y]}
    - {name: C}
    - {name: D, type: choice, choices: [1, 2], default: 2}
  stages: [{name: s, steps: [{run: x}]}]
`),
      'p.yaml',
    );
    expect(q.params.map((x) => [x.name, x.type, x.default, x.choices])).toEqual([
      ['A', 'boolean', 'false', undefined],
      ['B', 'choice', 'x', ['x', 'y']],
      ['C', 'string', undefined, undefined],
      ['D', 'choice', '2', ['1', '2']],
    ]);
  });

  test('env values keep numbers and booleans as written', () => {
    const q = parsePipelineYaml(
      doc(`  env: {A: 0, B: 1.10, C: true, D: 0x1F, E: "007", F: 1e3, G: null_not, H: ''}
  stages: [{name: s, env: {X: 3}, steps: [{run: x, env: {Y: false}}]}]
`),
      'p.yaml',
    );
    expect(q.env).toEqual({ A: '0', B: '1.10', C: 'true', D: '0x1F', E: '007', F: '1e3', G: 'null_not', H: '' });
    expect(q.stages[0]!.env).toEqual({ X: '3' });
    expect(q.stages[0]!.steps[0]!.env).toEqual({ Y: 'false' });
  });

  test('run as a mapping', () => {
    const q = parsePipelineYaml(oneStage('        - run: {script: "go test ./...", shell: bash, dir: src, image: golang:1.23}\n'), 'p.yaml');
    expect(q.stages[0]!.steps[0]).toMatchObject({ type: 'run', script: 'go test ./...', shell: 'bash', dir: 'src', image: 'golang:1.23', name: 'run: go test ./...' });
  });

  test('a run step with env is a run step; env alone is an env step', () => {
    const q = parsePipelineYaml(oneStage('        - run: make\n          env: {A: b}\n        - env: {namespace: t}\n'), 'p.yaml');
    expect(q.stages[0]!.steps.map((x) => [x.type, x.env])).toEqual([
      ['run', { A: 'b' }],
      ['env', {}],
    ]);
  });

  test('a kubernetes git workspace', () => {
    const q = parsePipelineYaml(doc(`  kubernetes: {workspace: {type: git, url: "https://git/x.git", revision: main}}\n  stages: [{name: s, steps: [{run: x}]}]\n`), 'p.yaml');
    expect(q.kubernetes).toEqual({ workspace: { type: 'git', url: 'https://git/x.git', revision: 'main' } });
  });

  test('aliases are followed', () => {
    const q = parsePipelineYaml(doc(`  env: &e {A: b}\n  stages: [{name: s, env: *e, steps: [{run: x}]}]\n`), 'p.yaml');
    expect(q.stages[0]!.env).toEqual({ A: 'b' });
  });

  test('when with environment, not, allOf and anyOf', () => {
    const q = parsePipelineYaml(
      doc(`  stages:
    - name: s
      when:
        environment: {name: DEPLOY, value: 1}
        not: {branch: "release/*"}
        allOf: [{branch: main}, {changes: [a]}]
        anyOf: [{expression: "true"}]
      steps: [{run: x}]
`),
      'p.yaml',
    );
    expect(q.stages[0]!.when).toEqual({
      environment: { name: 'DEPLOY', value: '1' },
      not: { branch: 'release/*' },
      allOf: [{ branch: 'main' }, { changes: ['a'] }],
      anyOf: [{ expression: 'true' }],
    });
  });

  test('$${ and ${...} in strings are kept for the runner', () => {
    const q = parsePipelineYaml(oneStage('        - echo: "cost $${HOME} ${env.A} ${params.P}"\n').replace('spec:\n', 'spec:\n  params: [{name: P}]\n'), 'p.yaml');
    expect(q.stages[0]!.steps[0]).toMatchObject({ message: 'cost $${HOME} ${env.A} ${params.P}' });
  });

  test('run scripts are not checked for ${...} (the shell expands them)', () => {
    const q = parsePipelineYaml(oneStage('        - run: echo ${HOME:-x} ${params.NOPE} ${\n'), 'p.yaml');
    expect((q.stages[0]!.steps[0] as RunStep).script).toBe('echo ${HOME:-x} ${params.NOPE} ${');
  });

  test('needs: stages may run in any declared order without a cycle', () => {
    const q = parsePipelineYaml(
      doc(`  stages:
    - {name: a, needs: [], steps: [{run: x}]}
    - {name: b, needs: [d], steps: [{run: x}]}
    - {name: c, needs: [], steps: [{run: x}]}
    - {name: d, needs: [a, c], steps: [{run: x}]}
`),
      'p.yaml',
    );
    expect(q.stages.map((s) => s.needs)).toEqual([[], ['d'], [], ['a', 'c']]);
  });
});

describe('stepName', () => {
  test.each([
    ['run', 'make build', 'run: make build'],
    ['run', 'make build\nmake test\n', 'run: make build ...'],
    ['run', '  \n', 'run'],
    ['echo', 'x'.repeat(80), `echo: ${'x'.repeat(51)}...`],
    ['run', `${'y'.repeat(55)}\nmore`, `run: ${'y'.repeat(52)}...`],
  ])('%s %j -> %j', (type, label, want) => {
    expect(stepName(type, label)).toBe(want);
    expect(stepName(type, label).length).toBeLessThanOrEqual(60);
  });
});

describe('parsePipelineYaml: errors name file:line:column and the field', () => {
  test.each([
    ['YAML syntax', 'apiVersion: [x\n', 'slipway.yaml:2:1: invalid YAML:'],
    ['empty file', '', 'slipway.yaml:1:1: empty file: expected a Pipeline (apiVersion: slipway.dev/v1alpha1, kind: Pipeline)'],
    ['not a mapping', '- a\n', 'slipway.yaml:1:1: expected a Pipeline mapping (apiVersion, kind, metadata, spec), got a list'],
    ['wrong apiVersion', 'apiVersion: v1\nkind: Pipeline\n', 'slipway.yaml:1:13: apiVersion: must be slipway.dev/v1alpha1, got "v1"'],
    ['wrong kind', 'apiVersion: slipway.dev/v1alpha1\nkind: Deployment\n', 'slipway.yaml:2:7: kind: must be Pipeline, got "Deployment"'],
    ['missing kind', 'apiVersion: slipway.dev/v1alpha1\n', 'slipway.yaml:1:1: kind: required field is missing'],
    ['bad metadata.name', 'apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: My_App}\n', 'slipway.yaml:3:18: metadata.name: "My_App" is not a valid name'],
    ['unknown top-level field', doc('  stages: []\nextra: 1\n'), 'slipway.yaml:7:1: extra: unknown field'],
    ['missing spec', 'apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: a}\n', 'slipway.yaml:1:1: spec: required field is missing'],
    ['missing stages', doc('  executor: local\n'), 'slipway.yaml:6:3: spec.stages: required field is missing'],
    ['empty stages', doc('  stages: []\n'), 'slipway.yaml:6:11: spec.stages: must list at least one stage'],
    ['bad executor', doc('  executor: docker\n  stages: [{name: s, steps: [{run: x}]}]\n'), 'slipway.yaml:6:13: spec.executor: must be one of local, kubernetes, got "docker"'],
    ['misspelt spec field', doc('  stagez: []\n'), 'slipway.yaml:6:3: spec.stagez: unknown field (did you mean stages?)'],
    ['duplicate key', doc('  stages: []\n  stages: []\n'), 'slipway.yaml:7:3: invalid YAML: a field is written twice in the same mapping'],
  ])('%s', (_name, text, want) => {
    expect(errorOf(text)).toContain(want);
  });

  test.each([
    ['duration without unit', '  timeout: 30\n', 'slipway.yaml:6:12: spec.timeout: expected a duration such as 90s, 5m or 1h30m, got the number 30 (give a unit)'],
    ['bad duration', '  timeout: 5 minutes\n', 'slipway.yaml:6:12: spec.timeout: invalid duration "5 minutes" (Go style: 90s, 5m, 1h30m, 500ms)'],
    ['zero duration', '  timeout: 0s\n', 'slipway.yaml:6:12: spec.timeout: duration must be positive, got "0s"'],
    ['negative duration', '  timeout: -5m\n', 'slipway.yaml:6:12: spec.timeout: duration must be positive, got "-5m"'],
    ['bad param name', '  params: [{name: 1X}]\n', 'slipway.yaml:6:19: spec.params[0].name: bad parameter name "1X": use letters, digits and _, not starting with a digit'],
    ['param name with a dash', '  params: [{name: my-param}]\n', 'slipway.yaml:6:19: spec.params[0].name: bad parameter name "my-param"'],
    ['duplicate param', '  params: [{name: A}, {name: A}]\n', 'slipway.yaml:6:30: spec.params[1].name: duplicate parameter "A"'],
    ['param without name', '  params:\n    - default: x\n', 'slipway.yaml:7:7: spec.params[0].name: required field is missing'],
    ['param bad type', '  params: [{name: A, type: int}]\n', 'slipway.yaml:6:28: spec.params[0].type: must be one of string, boolean, choice, got "int"'],
    ['choices with type string', '  params: [{name: A, type: string, choices: [a]}]\n', 'slipway.yaml:6:28: spec.params[0].type: must be choice (or left out) when choices are given, got "string"'],
    ['choice without choices', '  params: [{name: A, type: choice}]\n', 'slipway.yaml:6:12: spec.params[0].choices: required field is missing (a choice parameter lists its choices)'],
    ['default not a choice', '  params: [{name: A, choices: [a, b], default: c}]\n', 'slipway.yaml:6:48: spec.params[0].default: "c" is not one of the choices (a, b)'],
    ['boolean default', '  params: [{name: A, type: boolean, default: yes}]\n', `slipway.yaml:6:46: spec.params[0].default: a boolean parameter's default must be true or false, got "yes"`],
    ['env not a mapping', '  env: [A]\n', 'slipway.yaml:6:8: spec.env: expected a mapping, got a list'],
    ['env bad name', '  env: {A-B: x}\n', 'slipway.yaml:6:9: spec.env.A-B: bad variable name "A-B": use letters, digits and _, not starting with a digit'],
    ['env value a mapping', '  env:\n    A: {b: c}\n', 'slipway.yaml:7:8: spec.env.A: expected a string, number or boolean, got a mapping'],
    ['env value null', '  env:\n    A:\n', 'slipway.yaml:7:5: spec.env.A: expected a string, number or boolean, got null (write "" for an empty value)'],
    ['secret with two sources', '  secrets:\n    - name: T\n      fromEnv: T\n      fromFile: t\n', 'slipway.yaml:9:7: spec.secrets[0].fromFile: a secret takes exactly one of fromEnv, fromFile, secretKeyRef, but both fromEnv and fromFile are given'],
    ['secret without source', '  secrets: [{name: T}]\n', 'slipway.yaml:6:13: spec.secrets[0]: a secret needs exactly one of fromEnv, fromFile, secretKeyRef'],
    ['secretKeyRef without key', '  secrets: [{name: T, secretKeyRef: {name: s}}]\n', 'slipway.yaml:6:37: spec.secrets[0].secretKeyRef.key: required field is missing'],
    ['secret bad name', '  secrets: [{name: "a b", fromEnv: X}]\n', 'slipway.yaml:6:20: spec.secrets[0].name: bad secret name "a b"'],
    ['cache without paths', '  caches: [{key: k}]\n', 'slipway.yaml:6:12: spec.caches[0].paths: required field is missing'],
    ['cache with empty paths', '  caches: [{key: k, paths: []}]\n', 'slipway.yaml:6:28: spec.caches[0].paths: must list at least one path'],
    ['workspace git without url', '  kubernetes: {workspace: {type: git}}\n', 'slipway.yaml:6:27: spec.kubernetes.workspace.url: required field is missing'],
    ['workspace pvc with url', '  kubernetes: {workspace: {type: pvc, url: x}}\n', 'slipway.yaml:6:39: spec.kubernetes.workspace.url: only applies to a workspace of type git'],
    ['resources unknown field', '  kubernetes: {resources: {limit: {cpu: 1}}}\n', 'slipway.yaml:6:28: spec.kubernetes.resources.limit: unknown field (did you mean limits?)'],
    ['hashFiles outside a cache key', '  env: {A: "${hashFiles:go.sum}"}\n', 'slipway.yaml:6:12: spec.env.A: ${hashFiles:go.sum}: hashFiles is only allowed in cache keys'],
    ['unknown param in a template', '  params: [{name: TARGET}]\n  env: {A: "${params.TARGT}"}\n', 'slipway.yaml:7:12: spec.env.A: ${params.TARGT}: no parameter named "TARGT" in spec.params (did you mean TARGET?)'],
    ['unterminated ${', '  env: {A: "x ${B"}\n', 'slipway.yaml:6:12: spec.env.A: unterminated "${" in "x ${B" (write $${ for a literal ${)'],
    ['bad reference', '  env: {A: "${B C}"}\n', 'slipway.yaml:6:12: spec.env.A: bad reference "${B C}": expected ${NAME}, ${env.NAME} or ${params.NAME}'],
  ])('spec: %s', (_name, spec, want) => {
    expect(errorOf(doc(spec + (spec.includes('stages') ? '' : '  stages: [{name: s, steps: [{run: x}]}]\n')))).toContain(want);
  });

  test.each([
    ['stage without name', '    - steps: [{run: x}]\n', 'slipway.yaml:7:7: spec.stages[0].name: required field is missing'],
    ['stage name a number', '    - {name: 12, steps: [{run: x}]}\n', 'slipway.yaml:7:14: spec.stages[0].name: expected a string, got the number 12'],
    ['stage with neither', '    - name: a\n', 'slipway.yaml:7:7: spec.stages[0]: stage "a" needs steps or parallel'],
    ['stage with empty steps', '    - name: a\n      steps:\n', 'slipway.yaml:8:7: spec.stages[0].steps: must not be empty'],
    ['stage with steps: []', '    - {name: a, steps: []}\n', 'slipway.yaml:7:24: spec.stages[0].steps: must list at least one step'],
    [
      'stage with both',
      '    - name: a\n      steps: [{run: x}]\n      parallel: [{name: b, steps: [{run: y}]}]\n',
      'slipway.yaml:9:7: spec.stages[0].parallel: a stage has steps or parallel, not both',
    ],
    ['unknown stage field', '    - name: a\n      stepz: []\n', 'slipway.yaml:8:7: spec.stages[0].stepz: unknown field (did you mean steps?)'],
    ['steps not a list', '    - {name: a, steps: {run: x}}\n', 'slipway.yaml:7:24: spec.stages[0].steps: expected a list, got a mapping'],
    ['bad retries', '    - {name: a, retries: -1, steps: [{run: x}]}\n', 'slipway.yaml:7:26: spec.stages[0].retries: must be at least 0, got -1'],
    ['retries not a number', '    - {name: a, retries: two, steps: [{run: x}]}\n', 'slipway.yaml:7:26: spec.stages[0].retries: expected a whole number, got the string "two"'],
    ['stage timeout', '    - {name: a, timeout: 10, steps: [{run: x}]}\n', 'slipway.yaml:7:26: spec.stages[0].timeout: expected a duration such as 90s, 5m or 1h30m, got the number 10 (give a unit)'],
    ['failFast without parallel', '    - {name: a, failFast: true, steps: [{run: x}]}\n', 'slipway.yaml:7:17: spec.stages[0].failFast: only applies to a stage with parallel'],
    [
      'duplicate stage name',
      '    - {name: a, steps: [{run: x}]}\n    - {name: a, steps: [{run: x}]}\n',
      'slipway.yaml:8:14: spec.stages[1].name: duplicate stage name "a" (also at line 7); stage names are unique across the pipeline, parallel stages included',
    ],
    [
      'duplicate name in a parallel child',
      '    - {name: unit, steps: [{run: x}]}\n    - name: t\n      parallel:\n        - {name: unit, steps: [{run: y}]}\n',
      'slipway.yaml:10:18: spec.stages[1].parallel[0].name: duplicate stage name "unit" (also at line 7)',
    ],
    [
      'nested parallel',
      '    - name: t\n      parallel:\n        - name: c\n          parallel: [{name: d, steps: [{run: y}]}]\n',
      'slipway.yaml:10:11: spec.stages[0].parallel[0].parallel: parallel stages cannot nest another parallel (inside "t")',
    ],
    ['needs inside parallel', '    - name: t\n      parallel:\n        - {name: c, needs: [], steps: [{run: y}]}\n', 'slipway.yaml:9:21: spec.stages[0].parallel[0].needs: not allowed inside parallel: the stages of "t" start together'],
    ['needs unknown stage', '    - {name: build, steps: [{run: x}]}\n    - {name: test, needs: [biuld], steps: [{run: x}]}\n', 'slipway.yaml:8:28: spec.stages[1].needs[0]: no stage named "biuld" (did you mean build?)'],
    ['needs not a list', '    - {name: a, needs: b, steps: [{run: x}]}\n', 'slipway.yaml:7:24: spec.stages[0].needs: expected a list, got the string "b"'],
    ['needs written empty', '    - name: a\n      needs:\n      steps: [{run: x}]\n', 'slipway.yaml:8:7: spec.stages[0].needs: must be a list of stage names ([] to start at once)'],
    ['needs listed twice', '    - {name: a, steps: [{run: x}]}\n    - {name: b, needs: [a, a], steps: [{run: x}]}\n', 'slipway.yaml:8:28: spec.stages[1].needs[1]: "a" is listed twice'],
    ['needs itself', '    - {name: a, needs: [a], steps: [{run: x}]}\n', 'slipway.yaml:7:24: spec.stages[0].needs: dependency cycle: a -> a (each waits for the next)'],
    [
      'a cycle of explicit needs',
      '    - {name: a, needs: [c], steps: [{run: x}]}\n    - {name: b, needs: [a], steps: [{run: x}]}\n    - {name: c, needs: [b], steps: [{run: x}]}\n',
      'slipway.yaml:7:24: spec.stages[0].needs: dependency cycle: a -> c -> b -> a (each waits for the next)',
    ],
    [
      'a cycle through file order',
      '    - {name: a, needs: [b], steps: [{run: x}]}\n    - {name: b, steps: [{run: x}]}\n',
      'slipway.yaml:7:24: spec.stages[0].needs: dependency cycle: a -> b -> a (each waits for the next; "b" has no needs, so it waits for "a")',
    ],
    ['empty when', '    - {name: a, when: {}, steps: [{run: x}]}\n', 'slipway.yaml:7:23: spec.stages[0].when: give at least one condition (branch, changes, expression, environment, not, allOf, anyOf)'],
    ['unknown when field', '    - {name: a, when: {branches: main}, steps: [{run: x}]}\n', 'slipway.yaml:7:24: spec.stages[0].when.branches: unknown field (did you mean branch?)'],
    ['changes not a list', '    - {name: a, when: {changes: src}, steps: [{run: x}]}\n', 'slipway.yaml:7:33: spec.stages[0].when.changes: expected a list, got the string "src"'],
    ['expression syntax', '    - name: a\n      when: {expression: "${A} = \'x\'"}\n      steps: [{run: x}]\n', `slipway.yaml:8:32: spec.stages[0].when.expression: unknown operator "=" (use ==, !=, =~, && or ||) at offset 5 of expression "\${A} = 'x'"`],
    ['expression bare word', '    - name: a\n      when:\n        expression: ${A} == prod\n      steps: [{run: x}]\n', `slipway.yaml:9:29: spec.stages[0].when.expression: unknown word "prod"`],
    ['expression unknown param', '    - name: a\n      when: {expression: "${params.X} == \'1\'"}\n      steps: [{run: x}]\n', 'slipway.yaml:8:26: spec.stages[0].when.expression: ${params.X}: no parameter named "X" in spec.params'],
    ['expression bad regex', '    - name: a\n      when: {expression: "${A} =~ \'(\'"}\n      steps: [{run: x}]\n', 'slipway.yaml:8:32: spec.stages[0].when.expression: bad regular expression'],
    ['post unknown key', '    - {name: a, steps: [{run: x}], post: {fail: []}}\n', 'slipway.yaml:7:43: spec.stages[0].post.fail: unknown field'],
    ['an empty list entry', '    - name: a\n      steps:\n        - run: x\n        -\n', 'slipway.yaml:10:10: spec.stages[0].steps[1]: empty list entry'],
    ['artifacts not strings', '    - {name: a, artifacts: [{p: x}], steps: [{run: x}]}\n', 'slipway.yaml:7:29: spec.stages[0].artifacts[0]: expected a string, got a mapping'],
  ])('stages: %s', (_name, stages, want) => {
    expect(errorOf(doc(`  stages:\n${stages}`))).toContain(want);
  });

  test.each([
    ['misspelt type key', '        - imagee: {context: .}\n', 'slipway.yaml:9:11: spec.stages[0].steps[0].imagee: unknown field (did you mean image?)'],
    ['no type key', '        - name: x\n', 'slipway.yaml:9:11: spec.stages[0].steps[0]: a step needs exactly one of run, echo, image, deploy, job, env, gate'],
    ['two type keys', '        - run: x\n          echo: y\n', 'slipway.yaml:10:11: spec.stages[0].steps[0].echo: a step has exactly one type, but this one has both run and echo'],
    ['step is a string', '        - make build\n', 'slipway.yaml:9:11: spec.stages[0].steps[0]: expected a step (a mapping with one of run, echo, image, deploy, job, env, gate, policy), got the string "make build"'],
    ['run without script', '        - run: {shell: bash}\n', 'slipway.yaml:9:16: spec.stages[0].steps[0].run.script: required field is missing'],
    ['run a list', '        - run: [a, b]\n', 'slipway.yaml:9:16: spec.stages[0].steps[0].run: expected a script string or a mapping (script, shell, dir, image), got a list'],
    ['run empty', '        - run:\n', 'slipway.yaml:9:11: spec.stages[0].steps[0].run: must not be empty'],
    ['step retries', '        - run: x\n          retries: 1.5\n', 'slipway.yaml:10:20: spec.stages[0].steps[0].retries: expected a whole number, got the number 1.5'],
    ['continueOnError', '        - run: x\n          continueOnError: "yes"\n', 'slipway.yaml:10:28: spec.stages[0].steps[0].continueOnError: expected true or false, got the string "yes"'],
    ['step timeout', '        - run: x\n          timeout: 2 m\n', 'slipway.yaml:10:20: spec.stages[0].steps[0].timeout: invalid duration "2 m"'],
    ['step when', '        - run: x\n          when: {brnch: main}\n', 'slipway.yaml:10:18: spec.stages[0].steps[0].when.brnch: unknown field (did you mean branch?)'],
    ['image: both destinations', '        - image: {destination: a, destinations: [b]}\n', 'slipway.yaml:9:35: spec.stages[0].steps[0].image.destinations: give destination or destinations, not both'],
    ['image: bad builder', '        - image: {builder: docker-buildx}\n', 'slipway.yaml:9:28: spec.stages[0].steps[0].image.builder: must be one of auto, kaniko, buildkit, buildah, podman, docker, got "docker-buildx"'],
    ['image: insecure string', '        - image: {insecure: "true"}\n', 'slipway.yaml:9:29: spec.stages[0].steps[0].image.insecure: expected true or false, got the string "true"'],
    ['deploy: no mode', '        - deploy: {namespace: x}\n', 'slipway.yaml:9:19: spec.stages[0].steps[0].deploy: deploy needs exactly one of release, kustomize, apply'],
    ['deploy: two modes', '        - deploy: {kustomize: k, apply: a}\n', 'slipway.yaml:9:34: spec.stages[0].steps[0].deploy.apply: deploy takes exactly one of release, kustomize, apply, but both kustomize and apply are given'],
    ['deploy: release without chart', '        - deploy:\n            release: app\n', 'slipway.yaml:10:13: spec.stages[0].steps[0].deploy.chart: required field is missing (a release deploy installs a chart)'],
    ['deploy: chart with kustomize', '        - deploy: {kustomize: k, chart: c}\n', 'slipway.yaml:9:34: spec.stages[0].steps[0].deploy.chart: only applies to a release deploy, not to kustomize'],
    ['deploy: prune with release', '        - deploy: {release: r, chart: c, prune: true}\n', 'slipway.yaml:9:42: spec.stages[0].steps[0].deploy.prune: only applies to kustomize and apply deploys, not to a release'],
    ['deploy: values not a list', '        - deploy: {release: r, chart: c, values: v.yaml}\n', 'slipway.yaml:9:50: spec.stages[0].steps[0].deploy.values: expected a list, got the string "v.yaml"'],
    ['deploy: bad timeout', '        - deploy: {apply: a, timeout: 5}\n', 'slipway.yaml:9:39: spec.stages[0].steps[0].deploy.timeout: expected a duration'],
    ['deploy: unknown field', '        - deploy: {apply: a, createNamespce: true}\n', 'slipway.yaml:9:30: spec.stages[0].steps[0].deploy.createNamespce: unknown field (did you mean createNamespace?)'],
    ['job: no image', '        - job: {command: [x]}\n', 'slipway.yaml:9:16: spec.stages[0].steps[0].job.image: required field is missing (a job runs a container image)'],
    ['job: backoffLimit', '        - job: {image: x, backoffLimit: -1}\n', 'slipway.yaml:9:41: spec.stages[0].steps[0].job.backoffLimit: must be at least 0, got -1'],
    ['job: command a string', '        - job: {image: x, command: "sh -c x"}\n', 'slipway.yaml:9:36: spec.stages[0].steps[0].job.command: expected a list, got the string "sh -c x"'],
    ['env: bad keep', '        - env: {keep: sometimes}\n', 'slipway.yaml:9:23: spec.stages[0].steps[0].env.keep: must be one of never, on-failure, always, got "sometimes"'],
    ['env: bad ttl', '        - env: {ttl: 1d}\n', 'slipway.yaml:9:22: spec.stages[0].steps[0].env.ttl: invalid duration "1d"'],
    ['env: variables look like an env step', '        - env: {FOO: bar}\n', 'slipway.yaml:9:17: spec.stages[0].steps[0].env.FOO: unknown field'],
    ['env: release without chart', '        - env: {release: {name: r}}\n', 'slipway.yaml:9:26: spec.stages[0].steps[0].env.release.chart: required field is missing'],
    ['env: initJob without image', '        - env: {initJobs: [{name: load}]}\n', 'slipway.yaml:9:28: spec.stages[0].steps[0].env.initJobs[0].image: required field is missing'],
    ['env: initJob unknown field', '        - env: {initJobs: [{image: x, junitt: r}]}\n', 'slipway.yaml:9:39: spec.stages[0].steps[0].env.initJobs[0].junitt: unknown field (did you mean junit?)'],
    ['gate: no report', '        - gate: {minCoverage: 80}\n', 'slipway.yaml:9:17: spec.stages[0].steps[0].gate: a gate reads at least one of coverage, junit, vulns'],
    ['gate: threshold without report', '        - gate: {junit: r.xml, minCoverage: 80}\n', 'slipway.yaml:9:32: spec.stages[0].steps[0].gate.minCoverage: needs a coverage report to check'],
    ['gate: coverage over 100', '        - gate: {coverage: c.out, minCoverage: 120}\n', 'slipway.yaml:9:48: spec.stages[0].steps[0].gate.minCoverage: must be between 0 and 100, got 120'],
    ['gate: maxHigh not integer', '        - gate: {vulns: t.json, maxHigh: many}\n', 'slipway.yaml:9:42: spec.stages[0].steps[0].gate.maxHigh: expected a whole number, got the string "many"'],
    ['post step', '      post:\n        always: [{rn: x}]\n', 'slipway.yaml:11:19: spec.stages[0].post.always[0].rn: unknown field (did you mean run?)'],
    ['step name template', '        - run: x\n          name: "${params.Q}"\n', 'slipway.yaml:10:17: spec.stages[0].steps[0].name: ${params.Q}: no parameter named "Q" in spec.params'],
  ])('steps: %s', (_name, steps, want) => {
    const text = steps.startsWith('      post:') ? oneStage(`        - run: x\n${steps}`) : oneStage(steps);
    expect(errorOf(text)).toContain(want);
  });

  test('the file name is the one given', () => {
    expect(errorOf(doc('  stages: 1\n'), 'ci/pipeline.yaml')).toBe('ci/pipeline.yaml:6:11: spec.stages: expected a list, got the number 1');
  });

  test('errors are InputErrors with at and code SLW101', () => {
    try {
      parsePipelineYaml(doc('  stages: 1\n'), 'x.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).code).toBe('SLW101');
      expect((e as InputError).at).toEqual({ file: 'x.yaml', line: 6, column: 11 });
      expect((e as InputError).message).toBe('spec.stages: expected a list, got the number 1');
    }
  });
});

describe('loadPipeline', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads slipway.yaml with the path as given', async () => {
    const file = join(dir, 'slipway.yaml');
    await writeFile(file, EXAMPLE);
    const p = await loadPipeline(file);
    expect(p.name).toBe('myapp');
    expect(p.file).toBe(file);
    expect(p.stages[0]!.at.file).toBe(file);
  });

  test('an error names the file', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, doc('  stages: [{name: a}]\n'));
    await expect(loadPipeline(file)).rejects.toThrow(InputError);
    await loadPipeline(file).catch((e: InputError) => expect(formatError(e)).toBe(`${file}:6:12: spec.stages[0]: stage "a" needs steps or parallel`));
  });

  test('a missing file is an InputError naming it', async () => {
    const file = join(dir, 'nope.yaml');
    await loadPipeline(file).then(
      () => expect.unreachable(),
      (e: InputError) => {
        expect(e).toBeInstanceOf(InputError);
        expect(formatError(e)).toBe(`${file}: cannot read pipeline file: no such file`);
      },
    );
  });

  test.each([
    ['Jenkinsfile', true],
    ['ci/Jenkinsfile', true],
    ['deploy.jenkinsfile', true],
    ['ci/build.groovy', true],
    ['slipway.yaml', false],
    ['Jenkinsfile.yaml', false],
    ['pipeline.yml', false],
  ])('isJenkinsfile(%s) is %s', (path, want) => {
    expect(isJenkinsfile(path)).toBe(want);
  });

  test('a Jenkinsfile goes to the Jenkinsfile parser', async () => {
    const file = join(dir, 'Jenkinsfile');
    await writeFile(file, "pipeline {\n  agent any\n  stages {\n    stage('Build') {\n      steps {\n        sh 'make'\n      }\n    }\n  }\n}\n");
    const p = await loadPipeline(file);
    expect(p.format).toBe('jenkinsfile');
    expect(p.stages.map((s) => s.name)).toEqual(['Build']);
    expect(p.stages[0]!.steps[0]).toMatchObject({ type: 'run', script: 'make' });
  });
});
