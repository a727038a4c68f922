import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Pipeline, RunStep, Stage } from '../../../src/pipeline/model.js';
import { parseJenkinsfile, parseJenkinsfileWithNotes } from '../../../src/pipeline/jenkinsfile/index.js';
import { defaultName } from '../../../src/pipeline/jenkinsfile/map.js';
import { evaluateWhen, interpolate } from '../../../src/pipeline/spec/index.js';

// The sample Jenkinsfiles of fixtures/jenkinsfiles mapped to the pipeline model. The issue's
// example is compared whole, locations included; the others field by field.

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/jenkinsfiles/${name}`, import.meta.url), 'utf8');
}

function parseFixture(name: string): { pipeline: Pipeline; notes: string[] } {
  const { pipeline, notes } = parseJenkinsfileWithNotes(fixture(name), 'Jenkinsfile', { name: 'app' });
  return { pipeline, notes: notes.map((n) => `${n.at.line}:${n.at.column}: ${n.message}`) };
}

function stage(p: Pipeline | Stage[], name: string): Stage {
  const all = (Array.isArray(p) ? p : p.stages).flatMap((s) => [s, ...(s.parallel ?? [])]);
  const s = all.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
}

const at = (line: number, column: number) => ({ file: 'Jenkinsfile', line, column });
const noPost = { always: [], success: [], failure: [] };

describe('the issue example', () => {
  test('maps to three sequential stages: two sh steps, an image build, a kubectl sh step', () => {
    const p = parseJenkinsfile(fixture('issue-example.Jenkinsfile'), 'Jenkinsfile', { name: 'myapp' });
    const expected: Pipeline = {
      name: 'myapp',
      file: 'Jenkinsfile',
      format: 'jenkinsfile',
      params: [],
      env: {},
      secrets: [],
      caches: [],
      post: noPost,
      at: at(1, 1),
      stages: [
        {
          name: 'Build',
          env: {},
          retries: 0,
          post: noPost,
          artifacts: [],
          at: at(4, 9),
          steps: [
            { type: 'run', name: 'run: make build', script: 'make build', env: {}, retries: 0, at: at(6, 17) },
            { type: 'run', name: 'run: make test', script: 'make test', env: {}, retries: 0, at: at(7, 17) },
          ],
        },
        {
          name: 'Docker Build',
          env: {},
          retries: 0,
          post: noPost,
          artifacts: [],
          at: at(10, 9),
          steps: [
            {
              type: 'image',
              name: 'image: myapp:${BUILD_NUMBER}',
              context: '.',
              dockerfile: 'Dockerfile',
              destinations: ['myapp:${BUILD_NUMBER}'],
              // docker.build only builds and tags; nothing pushes it
              push: false,
              buildArgs: {},
              builder: 'auto',
              env: {},
              retries: 0,
              at: at(13, 21),
            },
          ],
        },
        {
          name: 'Deploy to Kubernetes',
          env: {},
          retries: 0,
          post: noPost,
          artifacts: [],
          at: at(17, 9),
          steps: [
            {
              type: 'run',
              name: 'run: kubectl set image deployment/myapp myapp=myapp:${BUI...',
              // the shell expands ${BUILD_NUMBER}: every built-in is an env var of the step
              script: 'kubectl set image deployment/myapp myapp=myapp:${BUILD_NUMBER}',
              env: {},
              retries: 0,
              at: at(19, 17),
            },
          ],
        },
      ],
    };
    expect(p).toStrictEqual(expected);
    // sequential: no stage says what it needs, so each waits for the previous one
    expect(p.stages.map((s) => s.needs)).toEqual([undefined, undefined, undefined]);
  });

  test('the image tag is interpolated by the runner with the run number', () => {
    const p = parseJenkinsfile(fixture('issue-example.Jenkinsfile'), 'Jenkinsfile', { name: 'myapp' });
    const img = p.stages[1]!.steps[0]!;
    expect(img.type).toBe('image');
    const dest = img.type === 'image' ? img.destinations[0]! : '';
    expect(interpolate(dest, { vars: { BUILD_NUMBER: '42' }, params: {} }, 'destination')).toBe('myapp:42');
  });
});

describe('node-service.Jenkinsfile', () => {
  const { pipeline: p, notes } = parseFixture('node-service.Jenkinsfile');

  test('parameters: choice with its first choice as default, boolean default false, string', () => {
    expect(p.params.map(({ at: _at, ...rest }) => rest)).toEqual([
      { name: 'TARGET', type: 'choice', choices: ['staging', 'production'], default: 'staging', description: 'Where to deploy' },
      { name: 'DEPLOY', type: 'boolean', default: 'false', description: 'Deploy after the build' },
      { name: 'GREETING', type: 'string', default: 'hello', description: 'Printed at the start' },
    ]);
  });

  test('environment values in runner form and credentials() as a secret from the environment', () => {
    expect(p.env).toEqual({ APP: 'orders', IMAGE: 'registry.example.com/${APP}', VERSION: '1.0.${BUILD_NUMBER}' });
    expect(p.secrets).toEqual([{ name: 'NPM_TOKEN', from: { env: 'NPM_TOKEN' }, at: at(18, 21) }]);
  });

  test('agent docker image, pipeline timeout, ignored options as notes', () => {
    expect(p.kubernetes).toEqual({ image: 'node:20-alpine' });
    expect(p.timeoutMs).toBe(30 * 60_000);
    expect(p.executor).toBeUndefined();
    expect(notes).toEqual([
      '23:9: option buildDiscarder is ignored: run history is kept by the run store',
      '24:9: option disableConcurrentBuilds is ignored: Slipway does not serialise runs of one pipeline',
      '25:9: option timestamps is ignored: Slipway timestamps every log line anyway',
      '49:29: junit "reports/*.xml": the gate step reads one report file, not a pattern',
    ]);
  });

  test('echo interpolates ${APP}, ${params.TARGET} and $GREETING in runner form', () => {
    const echo = stage(p, 'Install').steps[0]!;
    expect(echo).toMatchObject({ type: 'echo', message: 'Building ${APP} ${VERSION} for ${params.TARGET}: ${GREETING}' });
    const msg = echo.type === 'echo' ? echo.message : '';
    const vars = { APP: 'orders', VERSION: '1.0.7', GREETING: 'hi' };
    expect(interpolate(msg, { vars, params: { TARGET: 'staging' } }, 'echo')).toBe('Building orders 1.0.7 for staging: hi');
  });

  test('parallel with failFast: two child stages, the unit tests with a junit report in post', () => {
    const checks = stage(p, 'Checks');
    expect(checks.steps).toEqual([]);
    expect(checks.failFast).toBe(true);
    expect(checks.parallel!.map((s) => s.name)).toEqual(['Lint', 'Unit tests']);
    const unit = stage(p, 'Unit tests');
    expect(unit.post.always).toEqual([
      // failed tests are recorded (Jenkins: UNSTABLE) without failing the stage
      { type: 'gate', name: 'junit: reports/*.xml', junit: 'reports/*.xml', thresholds: {}, continueOnError: true, env: {}, retries: 0, at: at(49, 29) },
    ]);
  });

  test("a ''' script keeps its text; archiveArtifacts' comma list becomes the stage's artifacts", () => {
    const pkg = stage(p, 'Package');
    expect((pkg.steps[0] as RunStep).script).toBe('\n                    npm run build\n                    tar czf dist.tgz dist\n                ');
    expect(pkg.artifacts).toEqual(['dist.tgz', 'reports/**']);
  });

  test('Deploy: when branch + expression, stage timeout and retry(2) as one extra attempt', () => {
    const deploy = stage(p, 'Deploy');
    expect(deploy.when).toEqual({ branch: 'main', expression: "${params.DEPLOY} == 'true' && ${params.TARGET} != 'production'" });
    expect(deploy.timeoutMs).toBe(600_000);
    expect(deploy.retries).toBe(1);
    // "\$IMAGE" is left for the shell; ${params.TARGET} and ${VERSION} become shell variables
    expect((deploy.steps[0] as RunStep).script).toBe('./deploy.sh --target ${TARGET} --image $IMAGE:${VERSION}');
  });

  test('the translated expression is evaluated by the runner as Groovy would', () => {
    const when = stage(p, 'Deploy').when!;
    const run = (DEPLOY: string, TARGET: string, branch = 'main') => evaluateWhen(when, { vars: {}, params: { DEPLOY, TARGET }, branch }).run;
    expect(run('true', 'staging')).toBe(true);
    expect(run('true', 'production')).toBe(false);
    expect(run('false', 'staging')).toBe(false);
    expect(run('true', 'staging', 'feature/x')).toBe(false);
  });

  test('pipeline post: cleanup goes to always, ${currentBuild.number} is BUILD_NUMBER', () => {
    expect(p.post.always.map((s) => s.name)).toEqual(['run: rm -rf node_modules/.cache']);
    expect(p.post.success).toMatchObject([{ type: 'echo', message: 'All good' }]);
    expect(p.post.failure).toMatchObject([{ type: 'echo', message: 'Build ${BUILD_NUMBER} failed' }]);
  });
});

describe('docker-registry.Jenkinsfile', () => {
  const { pipeline: p, notes } = parseFixture('docker-registry.Jenkinsfile');

  test('a stage docker agent sets the stage image; its args are ignored with a note', () => {
    expect(stage(p, 'Test').kubernetes).toEqual({ image: 'golang:1.23' });
    expect(p.kubernetes).toBeUndefined();
    expect(notes).toEqual(['11:21: agent docker args is ignored']);
  });

  test('docker.build with -f, --build-arg, --target and a context; pushes through withRegistry replace the local tag', () => {
    const [img, ...rest] = stage(p, 'Image').steps;
    expect(rest).toEqual([]);
    expect(img).toEqual({
      type: 'image',
      name: 'image: registry.example.com:5000/shop/api:${GIT_COMMIT}',
      context: 'services/api',
      // -f is relative to the working directory, the model's dockerfile to the context
      dockerfile: '../../build/Dockerfile.api',
      destinations: ['registry.example.com:5000/shop/api:${GIT_COMMIT}', 'registry.example.com:5000/shop/api:latest'],
      push: true,
      buildArgs: { VERSION: '${BUILD_NUMBER}' },
      target: 'runtime',
      builder: 'auto',
      pushSecret: 'registry-creds',
      env: {},
      retries: 0,
      at: at(21, 31),
    });
  });

  test('docker.build(…).push() inside dir: the context is the directory, the name already has its registry', () => {
    expect(stage(p, 'Worker image').steps).toMatchObject([
      { type: 'image', context: 'services/worker', dockerfile: 'Dockerfile', destinations: ['${REGISTRY}/shop/worker:${BUILD_NUMBER}'], push: true },
    ]);
  });
});

describe('kubernetes-agent.Jenkinsfile', () => {
  const { pipeline: p, notes } = parseFixture('kubernetes-agent.Jenkinsfile');

  test("the pod yaml's default container gives the image, resources and service account; the executor is kubernetes", () => {
    expect(p.executor).toBe('kubernetes');
    expect(p.kubernetes).toEqual({
      image: 'maven:3.9-eclipse-temurin-21',
      serviceAccountName: 'builder',
      resources: { requests: { cpu: '500m', memory: '1Gi' } },
    });
  });

  test('choices given as one string with newlines', () => {
    expect(p.params[1]).toMatchObject({ name: 'ENVIRONMENT', type: 'choice', choices: ['dev', 'qa', 'prod'], default: 'dev' });
  });

  test('retry(3) { } gives 2 extra attempts; timeout { } and sh(label:) on the step', () => {
    expect(stage(p, 'Build').steps[0]).toMatchObject({ type: 'run', script: 'mvn -B -DskipTests package', retries: 2 });
    expect(stage(p, 'Test').steps).toMatchObject([
      { type: 'run', name: 'unit tests', script: 'mvn -B test', timeoutMs: 90_000, retries: 0 },
      { type: 'gate', junit: 'target/surefire-reports/*.xml', thresholds: {}, continueOnError: true },
    ]);
    expect(stage(p, 'Test').when).toEqual({ not: { expression: "${params.SKIP_TESTS} == 'true'" } });
  });

  test('nested stages run in place of their parent and inherit its when', () => {
    expect(p.stages.map((s) => s.name)).toEqual(['Build', 'Test', 'Manifests', 'Verify', 'Guard']);
    const releaseWhen = {
      anyOf: [{ branch: 'release/*' }, { environment: { name: 'ENVIRONMENT', value: 'prod' } }],
      changes: ['src/**'],
    };
    expect(stage(p, 'Manifests').when).toEqual(releaseWhen);
    expect(stage(p, 'Verify').when).toEqual(releaseWhen);
  });

  test('dir, withEnv and container() set dir, env and image of the sh step', () => {
    expect(stage(p, 'Manifests').steps).toEqual([
      {
        type: 'run',
        name: 'run: kubectl apply -n $NAMESPACE -f .',
        script: 'kubectl apply -n $NAMESPACE -f .',
        dir: 'deploy',
        image: 'bitnami/kubectl:1.31',
        env: { NAMESPACE: 'shop-${params.ENVIRONMENT}', DRY_RUN: 'false' },
        retries: 0,
        at: at(66, 37),
      },
    ]);
  });

  test('if/else in script becomes step conditions; catchError makes a step continue on error', () => {
    const steps = stage(p, 'Verify').steps;
    expect(steps.map((s) => [s.name, s.when, s.continueOnError])).toEqual([
      ['run: ./verify.sh --strict', { expression: "${params.ENVIRONMENT} == 'prod' || ${GIT_BRANCH} == 'main'" }, undefined],
      ['echo: Skipping strict verification', { expression: "${params.ENVIRONMENT} != 'prod' && ${GIT_BRANCH} != 'main'" }, undefined],
      ['run: ./smoke.sh', undefined, true],
    ]);
    const ctx = (ENVIRONMENT: string, GIT_BRANCH: string) => ({ vars: { GIT_BRANCH }, params: { ENVIRONMENT } });
    expect(evaluateWhen(steps[0]!.when!, ctx('dev', 'main')).run).toBe(true);
    expect(evaluateWhen(steps[1]!.when!, ctx('dev', 'main')).run).toBe(false);
    expect(evaluateWhen(steps[1]!.when!, ctx('dev', 'feature')).run).toBe(true);
  });

  test('error prints its interpolated message to stderr and exits 1', () => {
    const guard = stage(p, 'Guard');
    expect(guard.when).toEqual({ expression: "${ENVIRONMENT} == 'prod' && ${params.SKIP_TESTS} != 'true'" });
    expect(guard.steps).toMatchObject([
      {
        type: 'run',
        name: 'error: Refusing to deploy ${params.ENVIRONMENT} without a...',
        script: `printf '%s\\n' 'Refusing to deploy '"\${ENVIRONMENT}"' without approval' >&2\nexit 1`,
      },
    ]);
  });

  test("the pipeline's post: archiveArtifacts goes to the last stage, unsuccessful to failure", () => {
    expect(stage(p, 'Guard').artifacts).toEqual(['target/*.jar']);
    expect(p.post.always).toEqual([]);
    expect(p.post.failure).toMatchObject([{ type: 'echo', message: 'The build did not succeed' }]);
    expect(notes).toEqual([
      '8:13: agent kubernetes inheritFrom is ignored',
      '49:17: junit "target/surefire-reports/*.xml": the gate step reads one report file, not a pattern',
      '60:13: the nested stages of "Release" run as top-level stages in its place',
      `97:13: archiveArtifacts in the pipeline's post are stored with the last stage, "Guard"`,
    ]);
  });
});

describe('the pipeline name', () => {
  test('defaults to the directory holding the Jenkinsfile, as a DNS label', () => {
    expect(defaultName('/repos/My_Service/Jenkinsfile')).toBe('my-service');
    expect(defaultName('/Jenkinsfile')).toBe('pipeline');
    expect(parseJenkinsfile("pipeline { agent any\n stages { stage('a') { steps { echo 'x' } } } }", '/src/shop-api/Jenkinsfile').name).toBe('shop-api');
  });
});

describe('smaller cases', () => {
  const parse = (text: string) => {
    const { pipeline, notes } = parseJenkinsfileWithNotes(text, 'Jenkinsfile', { name: 't' });
    return { p: pipeline, notes: notes.map((n) => `${n.at.line}:${n.at.column}: ${n.message}`) };
  };

  test('Docker Hub through withRegistry(\'\', cred), command-style docker.build with a concatenated name', () => {
    const { p } = parse(`pipeline {
  agent any
  environment { registry = 'acme/web' }
  stages {
    stage('push') {
      steps {
        script {
          dockerImage = docker.build registry + ":$BUILD_NUMBER"
          docker.withRegistry('', 'dockerhub') {
            dockerImage.push()
          }
        }
      }
    }
  }
}`);
    expect(p.stages[0]!.steps).toMatchObject([
      { type: 'image', context: '.', destinations: ['${registry}:${BUILD_NUMBER}'], push: true, pushSecret: 'dockerhub', name: 'image: ${registry}:${BUILD_NUMBER}' },
    ]);
  });

  test('an image built but never pushed is only tagged, with its name and its -t tags', () => {
    const { p } = parse(`pipeline { agent any
  stages { stage('b') { steps { script { docker.build("app:1", "-t app:latest --pull .") } } } } }`);
    expect(p.stages[0]!.steps[0]).toMatchObject({ type: 'image', destinations: ['app:1', 'app:latest'], push: false });
  });

  test('pipeline retry applies to each top-level stage; parallelsAlwaysFailFast sets failFast', () => {
    const { p, notes } = parse(`pipeline {
  agent any
  options {
    retry(3)
    parallelsAlwaysFailFast()
  }
  stages {
    stage('a') { steps { sh 'a' } }
    stage('b') {
      options { retry(1) }
      parallel {
        stage('b1') { steps { sh 'b1' } }
        stage('b2') { steps { sh 'b2' } }
      }
    }
  }
}`);
    expect(p.stages.map((s) => [s.name, s.retries, s.failFast])).toEqual([
      ['a', 2, undefined],
      ['b', 0, true],
    ]);
    expect(p.stages[1]!.parallel!.map((s) => s.retries)).toEqual([0, 0]);
    expect(notes).toEqual(['4:5: retry in the pipeline options retries each failing top-level stage (Jenkins reruns the whole pipeline)']);
  });

  test('stage credentials become pipeline secrets; stage env stays with the stage', () => {
    const { p, notes } = parse(`pipeline {
  agent any
  stages {
    stage('deploy') {
      environment {
        KUBECONFIG_DATA = credentials('prod.kubeconfig')
        NS = "shop-\${env.BUILD_ID}"
      }
      steps { sh 'deploy' }
    }
  }
}`);
    expect(p.secrets).toEqual([{ name: 'KUBECONFIG_DATA', from: { env: 'PROD_KUBECONFIG' }, at: { file: 'Jenkinsfile', line: 6, column: 27 } }]);
    expect(p.stages[0]!.env).toEqual({ NS: 'shop-${BUILD_ID}' });
    expect(notes).toEqual(['6:27: credentials of a stage are secrets of the whole pipeline in Slipway (KUBECONFIG_DATA)']);
  });

  test('checkout scm and cleanWs are dropped with notes; sleep is a run step; post unstable never runs', () => {
    const { p, notes } = parse(`pipeline {
  agent any
  stages {
    stage('a') {
      steps {
        checkout scm
        sleep(time: 2, unit: 'MINUTES')
        sleep 5
      }
      post {
        unstable { echo 'tests failed' }
        always { cleanWs() }
      }
    }
  }
}`);
    const a = p.stages[0]!;
    expect(a.steps.map((s) => (s.type === 'run' ? s.script : s.type))).toEqual(['sleep 120', 'sleep 5']);
    expect(a.post).toEqual({ always: [], success: [], failure: [] });
    expect(notes).toEqual([
      '6:9: checkout is ignored: the workspace already is the checkout',
      '11:9: post unstable is never run: Slipway has no unstable result',
      '12:18: cleanWs is ignored: Slipway does not delete the workspace (locally it is your checkout)',
    ]);
  });

  test('a kubernetes agent without defaultContainer keeps the pod basics and says why there is no image', () => {
    const { p, notes } = parse(`pipeline {
  agent {
    kubernetes {
      namespace 'ci'
      yaml """
spec:
  nodeSelector: {disk: ssd}
  containers:
  - {name: go, image: "golang:1.23"}
"""
    }
  }
  stages { stage('a') { steps { container('go') { sh 'go build' } } } }
}`);
    expect(p.executor).toBe('kubernetes');
    expect(p.kubernetes).toEqual({ namespace: 'ci', nodeSelector: { disk: 'ssd' } });
    expect(p.stages[0]!.steps[0]).toMatchObject({ type: 'run', image: 'golang:1.23', script: 'go build' });
    expect(notes).toEqual(["3:5: agent kubernetes has no defaultContainer: steps outside container(…) use the executor's default image"]);
  });

  test('timeout and retry wrappers nest: the smaller timeout and the larger retry count win', () => {
    const { p } = parse(`pipeline { agent any
  stages { stage('a') { steps {
    timeout(10) { retry(2) { timeout(time: 30, unit: 'SECONDS') { retry(4) { sh 'x' } } } }
  } } } }`);
    expect(p.stages[0]!.steps[0]).toMatchObject({ timeoutMs: 30_000, retries: 3 });
  });
});
