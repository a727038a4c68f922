import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DeployStep, GateStep, ImageStep, Pipeline, Stage, Step } from '../../src/pipeline/model.js';
import { parseJenkinsfile } from '../../src/pipeline/jenkinsfile/index.js';
import { evaluateWhen, interpolate, parsePipelineYaml } from '../../src/pipeline/spec/index.js';
import { parseYamlStream } from '../../src/engines/yaml/index.js';

// examples/myapp/slipway.yaml, the pipeline of the README, read by Slipway's own parser: the
// stages the README promises, the conditions that keep the image and production stages off
// by default, and every file it names present in the example (the workspace is the
// directory holding the pipeline file).

const APP = resolve('examples/myapp');
const FILE = 'examples/myapp/slipway.yaml';
const pipeline: Pipeline = parsePipelineYaml(readFileSync(join(APP, 'slipway.yaml'), 'utf8'), FILE);
const stage = (name: string): Stage => {
  const s = pipeline.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
const only = <T extends Step['type']>(s: Stage, type: T) => s.steps.filter((x): x is Extract<Step, { type: T }> => x.type === type);

/** The parameters with their defaults, overridden as `slipway run --param` would. */
function params(over: Record<string, string> = {}): Record<string, string> {
  return { ...Object.fromEntries(pipeline.params.map((p) => [p.name, p.default ?? ''])), ...over };
}
const runs = (s: Stage, over: Record<string, string> = {}) => {
  const p = params(over);
  return s.when ? evaluateWhen(s.when, { vars: { ...pipeline.env, ...p, BUILD_NUMBER: '7' }, params: p }).run : true;
};

describe('examples/myapp/slipway.yaml', () => {
  test('the stages of the README, in order, one after another', () => {
    expect(pipeline.name).toBe('myapp');
    expect(pipeline.format).toBe('slipway');
    expect(pipeline.stages.map((s) => s.name)).toEqual(['build', 'test', 'image', 'deploy-staging', 'verify', 'deploy-production']);
    expect(pipeline.stages.every((s) => s.needs === undefined)).toBe(true);
    expect(only(stage('build'), 'run').map((s) => s.script)).toEqual(['make build']);
    expect(only(stage('test'), 'run').map((s) => s.script)).toContain('make test');
  });

  test('the test stage gates on coverage >= 70% and no failed test, and writes an HTML coverage report', () => {
    const [gate] = only(stage('test'), 'gate') as GateStep[];
    expect(gate).toMatchObject({ coverage: 'coverage.out', junit: 'reports/junit.xml', coverageHtml: 'reports/coverage.html', thresholds: { minCoverage: 70, maxFailures: 0 } });
    // The Makefile writes both reports where the gate reads them.
    const make = readFileSync(join(APP, 'Makefile'), 'utf8');
    expect(make).toMatch(/-coverprofile=coverage\.out -covermode=set/);
    expect(make).toMatch(/-o reports\/junit\.xml/);
  });

  test('the image stage runs only with BUILD_IMAGE=true; deploy-production only with TARGET=production', () => {
    expect(pipeline.params.map((p) => [p.name, p.type, p.default])).toEqual([
      ['BUILD_IMAGE', 'boolean', 'false'],
      ['REGISTRY', 'string', 'localhost:5000'],
      ['TARGET', 'choice', 'staging'],
    ]);
    expect(runs(stage('image'))).toBe(false);
    expect(runs(stage('image'), { BUILD_IMAGE: 'true' })).toBe(true);
    expect(runs(stage('deploy-production'))).toBe(false);
    expect(runs(stage('deploy-production'), { TARGET: 'production' })).toBe(true);
    for (const name of ['build', 'test', 'deploy-staging', 'verify']) expect(runs(stage(name), { TARGET: 'production' })).toBe(true);
  });

  test('the image is built from the example Dockerfile and pushed as ${IMAGE}:${BUILD_NUMBER}', () => {
    const [image] = only(stage('image'), 'image') as ImageStep[];
    expect(existsSync(join(APP, image!.context, image!.dockerfile))).toBe(true);
    const p = params();
    const image_ = interpolate(pipeline.env.IMAGE!, { vars: {}, params: p }, 'spec.env.IMAGE');
    const lookup = { vars: { IMAGE: image_, BUILD_NUMBER: '7' }, params: p };
    expect(image!.destinations.map((d) => interpolate(d, lookup, 'destination'))).toEqual(['localhost:5000/myapp:7']);
    expect(readFileSync(join(APP, 'Dockerfile'), 'utf8')).toMatch(/^FROM scratch$[\s\S]*^COPY bin\/myapp \/myapp$[\s\S]*^USER 65532/m);
  });

  test('the deploy stages install the example chart with files that exist', () => {
    const deploys = [...only(stage('deploy-staging'), 'deploy'), ...only(stage('deploy-production'), 'deploy')] as DeployStep[];
    expect(deploys.map((d) => (d.mode === 'release' ? [d.release, d.namespace, d.valuesFiles, d.createNamespace, d.wait] : d.mode))).toEqual([
      ['myapp', 'myapp-staging', ['chart/values-staging.yaml'], true, true],
      ['myapp', 'myapp-production', ['chart/values-production.yaml'], true, true],
    ]);
    for (const d of deploys) {
      if (d.mode !== 'release') continue;
      expect(statSync(join(APP, d.chart, 'Chart.yaml')).isFile()).toBe(true);
      for (const f of d.valuesFiles) expect(existsSync(join(APP, f)), f).toBe(true);
      expect(d.set).toEqual({ 'image.repository': '${IMAGE}', 'image.tag': '${BUILD_NUMBER}' });
    }
  });

  test('the verify stage runs the smoke tool the example carries', () => {
    const scripts = only(stage('verify'), 'run').map((s) => s.script);
    expect(scripts).toEqual(['go run ./tools/smoke -bin bin/myapp']);
    expect(existsSync(join(APP, 'tools/smoke/main.go'))).toBe(true);
  });
});

describe('examples/myapp/Jenkinsfile', () => {
  const jenkins = parseJenkinsfile(readFileSync(join(APP, 'Jenkinsfile'), 'utf8'), 'examples/myapp/Jenkinsfile');

  test('the three stages of the issue: make build and test, docker.build, kubectl set image', () => {
    expect(jenkins.format).toBe('jenkinsfile');
    expect(jenkins.stages.map((s) => [s.name, s.steps.map((x) => x.type)])).toEqual([
      ['Build', ['run', 'run']],
      ['Docker Build', ['image']],
      ['Deploy to Kubernetes', ['run']],
    ]);
    expect(only(jenkins.stages[0]!, 'run').map((s) => s.script)).toEqual(['make build', 'make test']);
    const [image] = only(jenkins.stages[1]!, 'image') as ImageStep[];
    expect(image).toMatchObject({ context: '.', dockerfile: 'Dockerfile', destinations: ['myapp:${BUILD_NUMBER}'] });
    expect(existsSync(join(APP, image!.context, image!.dockerfile))).toBe(true);
    expect(only(jenkins.stages[2]!, 'run').map((s) => s.script)).toEqual(['kubectl set image deployment/myapp myapp=myapp:${BUILD_NUMBER}']);
  });

  test('kubectl set image names a deployment and container the example really has', () => {
    const base = parseYamlStream(readFileSync(join(APP, 'k8s/base/deployment.yaml'), 'utf8'), 'deployment.yaml')[0]!.value as {
      metadata: { name: string };
      spec: { template: { spec: { containers: { name: string }[] } } };
    };
    expect(base.metadata.name).toBe('myapp');
    expect(base.spec.template.spec.containers.map((c) => c.name)).toEqual(['myapp']);
    // The chart, installed as release myapp, names both the same (fullname = release name, container = chart name).
    expect(readFileSync(join(APP, 'chart/Chart.yaml'), 'utf8')).toMatch(/^name: myapp$/m);
    expect(readFileSync(join(APP, 'chart/templates/deployment.yaml'), 'utf8')).toContain('- name: {{ .Chart.Name }}');
  });
});
