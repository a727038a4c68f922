// The JSON Schema (draft 2020-12) of slipway.yaml, published as schema/pipeline.schema.json
// for editors (yaml-language-server) and checked in tests against the parser's own rules.
// The parser does not use it: its own checks give line numbers and field paths.

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const str = (description?: string): Schema => (description ? { type: 'string', description } : { type: 'string' });
const strList = (description?: string): Schema => ({ type: 'array', items: { type: 'string' }, ...(description ? { description } : {}) });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const count = (description: string): Schema => ({ type: 'integer', minimum: 0, description });
/** A closed object: only `properties` may appear. */
const obj = (properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  additionalProperties: false,
  ...extra,
});

const stepCommon: Record<string, Schema> = {
  name: str('Display name; default derived from the step, e.g. "run: make build".'),
  env: ref('envMap'),
  timeout: ref('duration'),
  retries: count('Extra attempts after a failure.'),
  continueOnError: bool('A failure is recorded but does not fail the stage.'),
  when: ref('when'),
};

const jobFields: Record<string, Schema> = {
  image: str('Container image of the Job.'),
  command: { type: 'array', items: ref('scalar') },
  args: { type: 'array', items: ref('scalar') },
  namespace: str('Default: the env step\'s namespace in this stage, else the run namespace.'),
  junit: str('Workspace-relative file the Job writes JUnit XML to.'),
  backoffLimit: count('Job backoffLimit.'),
  files: { ...ref('stringMap'), description: 'File name under /data -> workspace file (mounted from a ConfigMap).' },
  resources: ref('resources'),
};

const deployCommon: Record<string, Schema> = {
  namespace: str(),
  wait: bool('Wait until the applied objects are ready. Default false.'),
  timeout: ref('duration'),
  policies: { ...ref('paths'), description: 'Kyverno policy files or directories: the objects are checked first, and an Enforce failure applies nothing.' },
};

/** One branch of the step oneOf: the type key plus the common keys (`env` is the type for env steps). */
function stepBranch(type: string, body: Schema): Schema {
  const common = { ...stepCommon };
  if (type === 'env') delete common.env;
  return obj({ [type]: body, ...common }, [type]);
}

const stageFields: Record<string, Schema> = {
  name: { type: 'string', minLength: 1, description: 'Unique among all stages, parallel ones included.' },
  needs: { type: 'array', items: { type: 'string' }, uniqueItems: true, description: 'Stages to wait for; omitted = the previous stage; [] = start at once.' },
  when: ref('when'),
  env: ref('envMap'),
  timeout: ref('duration'),
  retries: count('Extra attempts of the whole stage.'),
  artifacts: strList('Workspace-relative globs kept with the run.'),
  kubernetes: ref('kubernetes'),
  steps: { type: 'array', items: ref('step'), minItems: 1 },
  parallel: { type: 'array', items: ref('parallelStage'), minItems: 1, description: 'Child stages run at the same time (instead of steps).' },
  failFast: bool('A failing parallel stage aborts the others.'),
  post: ref('post'),
};
const { needs: _needs, parallel: _parallel, failFast: _failFast, ...parallelStageFields } = stageFields;

/** The JSON Schema of slipway.yaml (kind Pipeline). */
export const pipelineSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://slipway.dev/schema/pipeline.schema.json',
  title: 'Slipway Pipeline (slipway.yaml)',
  ...obj(
    {
      apiVersion: { const: 'slipway.dev/v1alpha1' },
      kind: { const: 'Pipeline' },
      metadata: obj({ name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 } }, ['name']),
      spec: obj(
        {
          executor: { enum: ['local', 'kubernetes'], description: 'Default executor. Default local.' },
          timeout: ref('duration'),
          params: { type: 'array', items: ref('param') },
          env: ref('envMap'),
          secrets: { type: 'array', items: ref('secret') },
          kubernetes: ref('kubernetes'),
          caches: { type: 'array', items: ref('cache') },
          stages: { type: 'array', items: ref('stage'), minItems: 1 },
          post: ref('post'),
        },
        ['stages'],
      ),
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
  $defs: {
    duration: { type: 'string', pattern: '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*$', description: 'Go-style duration: 90s, 5m, 1h30m, 500ms.' },
    variableName: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    scalar: { type: ['string', 'number', 'boolean'] },
    stringMap: { type: 'object', additionalProperties: ref('scalar') },
    paths: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }], description: 'A workspace-relative file or directory, or a list of them.' },
    envMap: { type: 'object', propertyNames: ref('variableName'), additionalProperties: ref('scalar'), description: 'Variables; numbers and booleans are kept as written. Values may use ${...}.' },
    resources: obj({ requests: ref('stringMap'), limits: ref('stringMap') }),
    param: obj(
      {
        name: ref('variableName'),
        type: { enum: ['string', 'boolean', 'choice'], description: 'Default string, or choice when choices are given.' },
        default: ref('scalar'),
        choices: { type: 'array', items: ref('scalar'), minItems: 1 },
        description: str(),
      },
      ['name'],
    ),
    secret: obj(
      {
        name: ref('variableName'),
        fromEnv: ref('variableName'),
        fromFile: str(),
        secretKeyRef: obj({ name: str(), key: str(), namespace: str() }, ['name', 'key']),
      },
      ['name'],
      { oneOf: [{ required: ['fromEnv'] }, { required: ['fromFile'] }, { required: ['secretKeyRef'] }] },
    ),
    cache: obj({ key: str('May use ${...} and ${hashFiles:GLOB}.'), paths: { type: 'array', items: { type: 'string' }, minItems: 1 } }, ['key', 'paths']),
    kubernetes: obj({
      image: str('Image for run steps that name none.'),
      serviceAccountName: str(),
      nodeSelector: ref('stringMap'),
      annotations: ref('stringMap'),
      resources: ref('resources'),
      workspace: {
        oneOf: [
          obj({ type: { const: 'pvc' }, size: str(), storageClassName: str() }, ['type']),
          obj({ type: { const: 'git' }, url: str(), revision: str() }, ['type', 'url']),
        ],
      },
      namespace: str(),
    }),
    when: obj(
      {
        branch: str('Glob on the branch name.'),
        changes: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Runs when any changed file matches one of the globs.' },
        expression: str("e.g. ${params.TARGET} == 'production' && ${BUILD_NUMBER} != '1'"),
        environment: obj({ name: ref('variableName'), value: ref('scalar') }, ['name', 'value']),
        not: ref('when'),
        allOf: { type: 'array', items: ref('when'), minItems: 1 },
        anyOf: { type: 'array', items: ref('when'), minItems: 1 },
      },
      [],
      { minProperties: 1 },
    ),
    post: obj({ always: { type: 'array', items: ref('step') }, success: { type: 'array', items: ref('step') }, failure: { type: 'array', items: ref('step') } }),
    stage: obj(stageFields, ['name'], { oneOf: [{ required: ['steps'] }, { required: ['parallel'] }], dependentRequired: { failFast: ['parallel'] } }),
    parallelStage: obj(parallelStageFields, ['name', 'steps']),
    initJob: obj({ name: str(), env: ref('envMap'), timeout: ref('duration'), ...jobFields }, ['image']),
    step: {
      oneOf: [
        stepBranch('run', {
          oneOf: [{ type: 'string', description: 'Shell script.' }, obj({ script: str(), shell: str(), dir: str(), image: str() }, ['script'])],
        }),
        stepBranch('echo', ref('scalar')),
        stepBranch(
          'image',
          obj(
            {
              context: str('Workspace-relative build context. Default ".".'),
              dockerfile: str('Relative to the context. Default Dockerfile.'),
              destination: str(),
              destinations: strList(),
              buildArgs: ref('stringMap'),
              builder: { enum: ['auto', 'kaniko', 'buildkit', 'buildah', 'podman', 'docker'] },
              push: { type: 'boolean' },
              pushSecret: str(),
              insecure: { type: 'boolean' },
              target: str(),
            },
            [],
            { not: { required: ['destination', 'destinations'] } },
          ),
        ),
        stepBranch('deploy', {
          oneOf: [
            obj({ release: str(), chart: str(), values: strList('Values files.'), set: ref('stringMap'), createNamespace: { type: 'boolean' }, ...deployCommon }, ['release', 'chart']),
            obj({ kustomize: str('Kustomization directory.'), prune: { type: 'boolean' }, ...deployCommon }, ['kustomize']),
            obj({ apply: str('Manifest file or directory.'), prune: { type: 'boolean' }, ...deployCommon }, ['apply']),
          ],
        }),
        stepBranch('job', obj(jobFields, ['image'])),
        stepBranch(
          'env',
          obj({
            namespace: str('Default test-<pipeline>-<BUILD_NUMBER>.'),
            ttl: ref('duration'),
            keep: { enum: ['never', 'on-failure', 'always'] },
            labels: ref('stringMap'),
            release: obj({ name: str(), chart: str(), values: strList(), set: ref('stringMap'), wait: { type: 'boolean' } }, ['name', 'chart']),
            initJobs: { type: 'array', items: ref('initJob') },
          }),
        ),
        stepBranch(
          'gate',
          obj(
            {
              coverage: str('Coverage report (Go coverprofile, lcov, Cobertura, Istanbul json-summary, JaCoCo).'),
              minCoverage: { type: 'number', minimum: 0, maximum: 100 },
              junit: str('JUnit XML report.'),
              maxFailures: count('Most failed tests allowed.'),
              vulns: str('Vulnerability report (Trivy, Grype, SARIF).'),
              maxCritical: count('Most critical vulnerabilities allowed.'),
              maxHigh: count('Most high vulnerabilities allowed.'),
              maxMedium: count('Most medium vulnerabilities allowed.'),
              coverageHtml: str('Write an HTML coverage report here.'),
            },
            [],
            {
              anyOf: [{ required: ['coverage'] }, { required: ['junit'] }, { required: ['vulns'] }],
              dependentRequired: { minCoverage: ['coverage'], coverageHtml: ['coverage'], maxFailures: ['junit'], maxCritical: ['vulns'], maxHigh: ['vulns'], maxMedium: ['vulns'] },
            },
          ),
        ),
        stepBranch(
          'policy',
          obj(
            {
              policies: { ...ref('paths'), description: 'Kyverno ClusterPolicy/Policy files or directories.' },
              resources: { ...ref('paths'), description: 'Manifest files or directories to check.' },
              chart: str('Chart directory or .tgz to render (as helm template) and check.'),
              release: str('Release name of the chart. Default release-name.'),
              namespace: str('Release namespace of the chart. Default default.'),
              values: strList('Values files of the chart.'),
              set: ref('stringMap'),
              kustomize: str('Kustomization directory to build and check.'),
              failOn: { enum: ['enforce', 'any'], description: 'enforce (default): only Enforce rules fail the step; any: every failed rule does.' },
            },
            ['policies'],
            {
              anyOf: [{ required: ['resources'] }, { required: ['chart'] }, { required: ['kustomize'] }],
              dependentRequired: { release: ['chart'], namespace: ['chart'], values: ['chart'], set: ['chart'] },
            },
          ),
        ),
      ],
    },
  },
} as const;
