import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../../src/core/index.js';
import type { DeployStep, PolicyStep } from '../../../src/pipeline/model.js';
import { parsePipelineYaml, pipelineSchema } from '../../../src/pipeline/spec/index.js';

// The policy step and deploy's `policies:` in slipway.yaml: the parser and the JSON Schema agree.

const Ajv2020 = Ajv2020Module.default;
const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true }).compile(pipelineSchema);
const schemaErrors = (text: string) => (validate(parse(text)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
const doc = (step: string) => `apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: app\nspec:\n  stages:\n    - name: s\n      steps:\n        - ${step}\n`;
const firstStep = (text: string) => parsePipelineYaml(text, 'slipway.yaml').stages[0]!.steps[0]!;
function parserError(text: string): string {
  try {
    parsePipelineYaml(text, 'slipway.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('parsed');
}

describe('policy step in slipway.yaml', () => {
  test('resources as one path; failOn defaults to enforce; the name is derived', () => {
    const text = doc('policy: {policies: policies/, resources: k8s}');
    expect(schemaErrors(text)).toEqual([]);
    const step = firstStep(text) as PolicyStep;
    expect(step).toMatchObject({ type: 'policy', name: 'policy: k8s', policies: ['policies/'], resources: ['k8s'], failOn: 'enforce' });
    expect(step.chart).toBeUndefined();
    expect(step.at).toEqual({ file: 'slipway.yaml', line: 9, column: 11 });
  });

  test('a chart with release, namespace, values and set; a kustomization; failOn any', () => {
    const text = doc('policy: {policies: [p1.yaml, p2], chart: chart, release: shop, namespace: prod, values: [v.yaml], set: {image.tag: "${BUILD_NUMBER}"}, kustomize: k8s/prod, failOn: any}');
    expect(schemaErrors(text)).toEqual([]);
    expect(firstStep(text)).toMatchObject({
      type: 'policy',
      policies: ['p1.yaml', 'p2'],
      chart: { chart: 'chart', release: 'shop', namespace: 'prod', valuesFiles: ['v.yaml'], set: { 'image.tag': '${BUILD_NUMBER}' } },
      kustomize: 'k8s/prod',
      failOn: 'any',
    });
  });

  test('deploy steps take policies (one path or a list)', () => {
    const rel = doc('deploy: {release: shop, chart: chart, policies: policies}');
    const app = doc('deploy: {apply: k8s, policies: [a.yaml, b.yaml]}');
    expect(schemaErrors(rel)).toEqual([]);
    expect(schemaErrors(app)).toEqual([]);
    expect((firstStep(rel) as DeployStep).policies).toEqual(['policies']);
    expect((firstStep(app) as DeployStep).policies).toEqual(['a.yaml', 'b.yaml']);
    expect((firstStep(doc('deploy: {apply: k8s}')) as DeployStep).policies).toBeUndefined();
  });

  const bad: [string, string, string, string][] = [
    ['no policies', 'policy: {resources: k8s}', 'spec.stages[0].steps[0].policy.policies: required field is missing', "must have required property 'policies'"],
    ['nothing to check', 'policy: {policies: p}', 'a policy step checks at least one of resources, chart, kustomize', "must have required property 'resources'"],
    ['values without a chart', 'policy: {policies: p, resources: k, values: [v.yaml]}', 'spec.stages[0].steps[0].policy.values: only applies with chart', 'must have property chart when property values is present'],
    ['a bad failOn', 'policy: {policies: p, resources: k, failOn: audit}', 'spec.stages[0].steps[0].policy.failOn', 'must be equal to one of the allowed values'],
    ['an empty policies list', 'policy: {policies: [], resources: k}', 'spec.stages[0].steps[0].policy.policies: must list at least one path', 'must NOT have fewer than 1 items'],
    ['an unknown field', 'policy: {policies: p, resources: k, resource: x}', 'spec.stages[0].steps[0].policy.resource: unknown field', 'must NOT have additional properties'],
  ];
  test.each(bad)('rejects %s (parser and schema)', (_n, step, parserWants, schemaWants) => {
    const text = doc(step);
    expect(parserError(text)).toContain(parserWants);
    const errs = schemaErrors(text);
    expect(errs.some((e) => e.includes(schemaWants)), errs.join('\n')).toBe(true);
  });
});
