import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../../src/core/index.js';
import { parsePipelineYaml, pipelineSchema } from '../../../src/pipeline/spec/index.js';
import { FULL_EXAMPLE } from './spec-example.js';

// schema/pipeline.schema.json is pipelineSchema written out; SLIPWAY_UPDATE_GOLDEN=1 rewrites it.
const schemaFile = fileURLToPath(new URL('../../../schema/pipeline.schema.json', import.meta.url));

// ajv is CommonJS: under ESM the default import is module.exports, whose `default` is the class.
const Ajv2020 = Ajv2020Module.default;
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(pipelineSchema);

function schemaErrors(text: string): string[] {
  return validate(parse(text)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function parserError(text: string): string | undefined {
  try {
    parsePipelineYaml(text, 'slipway.yaml');
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
}

const doc = (spec: string) => `apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: app\nspec:\n${spec}`;
const steps = (s: string) => doc(`  stages:\n    - name: s\n      steps:\n${s}`);

describe('pipeline JSON Schema', () => {
  test('schema/pipeline.schema.json is the exported pipelineSchema', async () => {
    const text = `${JSON.stringify(pipelineSchema, null, 2)}\n`;
    if (process.env.SLIPWAY_UPDATE_GOLDEN === '1') await writeFile(schemaFile, text);
    expect(await readFile(schemaFile, 'utf8')).toBe(text);
  });

  test('it is a valid draft 2020-12 schema', () => {
    expect(ajv.validateSchema(pipelineSchema)).toBe(true);
    expect(pipelineSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  test('the full example is accepted', () => {
    expect(schemaErrors(FULL_EXAMPLE)).toEqual([]);
  });

  const good: [string, string][] = [
    ['a minimal pipeline', steps('        - run: make\n')],
    ['run as a mapping with step env', steps('        - run: {script: make, shell: bash}\n          env: {A: 1}\n')],
    ['an env step', steps('        - env: {namespace: t, keep: always}\n')],
    ['an apply deploy with prune', steps('        - deploy: {apply: k8s, prune: true}\n')],
    ['a git workspace', doc('  kubernetes: {workspace: {type: git, url: u}}\n  stages: [{name: s, steps: [{run: x}]}]\n')],
    ['when with not/anyOf', doc('  stages: [{name: s, when: {not: {branch: main}, anyOf: [{changes: [a]}]}, steps: [{run: x}]}]\n')],
    ['a secret from a Kubernetes Secret', doc('  secrets: [{name: A, secretKeyRef: {name: s, key: k}}]\n  stages: [{name: s, steps: [{run: x}]}]\n')],
  ];
  test.each(good)('accepts %s (and so does the parser)', (_n, text) => {
    expect(schemaErrors(text)).toEqual([]);
    expect(parserError(text)).toBeUndefined();
  });

  // Each bad document is rejected by both: the schema and the parser agree on the format.
  const bad: [string, string, string][] = [
    ['wrong kind', doc('  stages: [{name: s, steps: [{run: x}]}]\n').replace('kind: Pipeline', 'kind: Job'), '/kind must be equal to constant'],
    ['an unknown step field', steps('        - imagee: {context: .}\n'), '/spec/stages/0/steps/0 must NOT have additional properties'],
    ['two step types', steps('        - run: x\n          echo: y\n'), '/spec/stages/0/steps/0 must NOT have additional properties'],
    ['no step type', steps('        - name: x\n'), "/spec/stages/0/steps/0 must have required property 'run'"],
    ['deploy with release and kustomize', steps('        - deploy: {release: r, chart: c, kustomize: k}\n'), '/spec/stages/0/steps/0/deploy must NOT have additional properties'],
    ['deploy release without chart', steps('        - deploy: {release: r}\n'), "/spec/stages/0/steps/0/deploy must have required property 'chart'"],
    ['prune on a release', steps('        - deploy: {release: r, chart: c, prune: true}\n'), '/spec/stages/0/steps/0/deploy must NOT have additional properties'],
    ['secret with two sources', doc('  secrets: [{name: A, fromEnv: A, fromFile: f}]\n  stages: [{name: s, steps: [{run: x}]}]\n'), '/spec/secrets/0 must match exactly one schema in oneOf'],
    ['secret without a source', doc('  secrets: [{name: A}]\n  stages: [{name: s, steps: [{run: x}]}]\n'), "/spec/secrets/0 must have required property 'fromEnv'"],
    ['a stage with steps and parallel', doc('  stages: [{name: s, steps: [{run: x}], parallel: [{name: p, steps: [{run: y}]}]}]\n'), '/spec/stages/0 must match exactly one schema in oneOf'],
    ['a stage with neither', doc('  stages: [{name: s}]\n'), "/spec/stages/0 must have required property 'steps'"],
    ['needs inside parallel', doc('  stages: [{name: s, parallel: [{name: p, needs: [], steps: [{run: y}]}]}]\n'), '/spec/stages/0/parallel/0 must NOT have additional properties'],
    ['a bad duration', doc('  timeout: 5 minutes\n  stages: [{name: s, steps: [{run: x}]}]\n'), '/spec/timeout must match pattern'],
    ['a duration without unit', doc('  timeout: 30\n  stages: [{name: s, steps: [{run: x}]}]\n'), '/spec/timeout must be string'],
    ['a bad param name', doc('  params: [{name: 1X}]\n  stages: [{name: s, steps: [{run: x}]}]\n'), '/spec/params/0/name must match pattern'],
    ['a bad env name', doc('  env: {A-B: x}\n  stages: [{name: s, steps: [{run: x}]}]\n'), '/spec/env property name must be valid'],
    ['an env value mapping', doc('  env: {A: {b: c}}\n  stages: [{name: s, steps: [{run: x}]}]\n'), '/spec/env/A must be string,number,boolean'],
    ['no stages', doc('  stages: []\n'), '/spec/stages must NOT have fewer than 1 items'],
    ['bad metadata.name', doc('  stages: [{name: s, steps: [{run: x}]}]\n').replace('name: app', 'name: My_App'), '/metadata/name must match pattern'],
    ['empty when', doc('  stages: [{name: s, when: {}, steps: [{run: x}]}]\n'), '/spec/stages/0/when must NOT have fewer than 1 properties'],
    ['failFast without parallel', doc('  stages: [{name: s, failFast: true, steps: [{run: x}]}]\n'), '/spec/stages/0 must have property parallel when property failFast is present'],
    ['a gate without a report', steps('        - gate: {minCoverage: 80}\n'), "/spec/stages/0/steps/0/gate must have required property 'coverage'"],
    ['a gate threshold without its report', steps('        - gate: {junit: r.xml, maxHigh: 1}\n'), '/spec/stages/0/steps/0/gate must have property vulns when property maxHigh is present'],
    ['minCoverage over 100', steps('        - gate: {coverage: c, minCoverage: 101}\n'), '/spec/stages/0/steps/0/gate/minCoverage must be <= 100'],
    ['both destination and destinations', steps('        - image: {destination: a, destinations: [b]}\n'), '/spec/stages/0/steps/0/image must NOT be valid'],
    ['a bad builder', steps('        - image: {builder: x}\n'), '/spec/stages/0/steps/0/image/builder must be equal to one of the allowed values'],
    ['a bad keep', steps('        - env: {keep: sometimes}\n'), '/spec/stages/0/steps/0/env/keep must be equal to one of the allowed values'],
    ['negative retries', doc('  stages: [{name: s, retries: -1, steps: [{run: x}]}]\n'), '/spec/stages/0/retries must be >= 0'],
    ['a pvc workspace with url', doc('  kubernetes: {workspace: {type: pvc, url: u}}\n  stages: [{name: s, steps: [{run: x}]}]\n'), '/spec/kubernetes/workspace must NOT have additional properties'],
    ['a job without image', steps('        - job: {command: [x]}\n'), "/spec/stages/0/steps/0/job must have required property 'image'"],
  ];
  test.each(bad)('rejects %s (and so does the parser)', (_n, text, want) => {
    const errs = schemaErrors(text);
    expect(errs.some((e) => e.startsWith(want)), errs.join('\n')).toBe(true);
    expect(parserError(text)).toBeDefined();
  });
});
