import { describe, expect, test } from 'vitest';
import type { Pipeline, Step } from '../../../src/pipeline/model.js';
import { parseJenkinsfile } from '../../../src/pipeline/jenkinsfile/index.js';
import { evaluateWhen, interpolate } from '../../../src/pipeline/spec/index.js';

// Groovy strings (quotes, escapes, GString interpolation, comments) and Groovy conditions
// mapped to the model: shell form for sh scripts, runner form elsewhere, the runner's
// expression language for when/if. Runner forms are also run through the runner's own
// interpolate/evaluateWhen, so a mapping that reads right but means something else fails.

const PARAMS = `  parameters {
    booleanParam(name: 'FLAG', defaultValue: false)
    string(name: 'NAME', defaultValue: '')
    choice(name: 'A', choices: ['x', 'y'])
  }`;

function pipelineWith(steps: string, extra = PARAMS): Pipeline {
  const text = `pipeline {\n  agent any\n${extra}\n  stages {\n    stage('s') {\n      steps {\n${steps}\n      }\n    }\n  }\n}\n`;
  return parseJenkinsfile(text, 'Jenkinsfile', { name: 't' });
}

function stepsOf(steps: string): Step[] {
  return pipelineWith(steps).stages[0]!.steps;
}

function one(steps: string): Step {
  const all = stepsOf(steps);
  expect(all).toHaveLength(1);
  return all[0]!;
}

const script = (src: string) => {
  const s = one(src);
  if (s.type !== 'run') throw new Error(`not a run step: ${s.type}`);
  return s.script;
};
const message = (src: string) => {
  const s = one(src);
  if (s.type !== 'echo') throw new Error(`not an echo step: ${s.type}`);
  return s.message;
};

describe('sh scripts (the shell expands variables, the runner leaves them alone)', () => {
  test.each([
    ["sh 'echo $HOME ${X}'", 'echo $HOME ${X}'],
    ['sh "echo ${env.A} $B ${params.NAME} \\$HOME"', 'echo ${A} ${B} ${NAME} $HOME'],
    ['sh "tag=${currentBuild.number} id=${currentBuild.id} br=${env.BRANCH_NAME}"', 'tag=${BUILD_NUMBER} id=${BUILD_ID} br=${GIT_BRANCH}'],
    ['sh "v=$env.BUILD_NUMBER.txt"', 'v=${BUILD_NUMBER}.txt'],
    ['sh "cp $SRC.txt out"', 'cp ${SRC}.txt out'],
    ["sh 'a \\\\ b \\' c'", "a \\ b ' c"],
    ['sh "say \\"hi\\" \\u00e9"', 'say "hi" é'],
    ["sh 'curl http://example.com/a' // a comment after the step", 'curl http://example.com/a'],
    ["sh 'echo one' + \" ${env.TWO}\"", 'echo one ${TWO}'],
    ['sh script: \'make\', label: \'compile\'', 'make'],
    ['sh(script: "make ${params.A}", returnStatus: false)', 'make ${A}'],
  ])('%s', (src, want) => {
    expect(script(src)).toBe(want);
  });

  test("''' and \"\"\" scripts keep their lines; a backslash at a line end joins lines; stripIndent()", () => {
    expect(script("sh '''\n  set -e\n  make\n'''")).toBe('\n  set -e\n  make\n');
    expect(script('sh """\n  echo ${env.X} \\\n    more\n"""')).toBe('\n  echo ${X}     more\n');
    expect(script("sh '''\n    a\n      b\n    '''.stripIndent()")).toBe('\na\n  b\n');
    expect(script('sh """\n    echo ${env.X}\n      b\n""".stripIndent().trim()')).toBe('echo ${X}\n  b');
  });

  test('returnStatus: true does not fail the stage; label names the step', () => {
    expect(one("sh script: 'test -f x', returnStatus: true, label: 'probe'")).toMatchObject({ name: 'probe', continueOnError: true });
  });

  test('CRLF line ends: scripts get \\n, locations are unchanged', () => {
    const text = "pipeline {\r\n  agent any\r\n  stages {\r\n    stage('s') {\r\n      steps {\r\n        sh '''\r\na\r\nb'''\r\n      }\r\n    }\r\n  }\r\n}\r\n";
    const step = parseJenkinsfile(text, 'Jenkinsfile', { name: 't' }).stages[0]!.steps[0]!;
    expect(step).toMatchObject({ type: 'run', script: '\na\nb', at: { line: 6, column: 9 } });
  });

  test('comments between and inside blocks are skipped', () => {
    const steps = stepsOf("// first\nsh 'a' /* inline */\n/* block\n sh 'not a step'\n*/\nsh 'b'");
    expect(steps.map((s) => (s.type === 'run' ? s.script : ''))).toEqual(['a', 'b']);
  });
});

describe('runner-form fields (echo, env values, withEnv)', () => {
  const vars = { BUILD_NUMBER: '7', X: 'ex', GIT_BRANCH: 'main' };
  const params = { NAME: 'nm', FLAG: 'false', A: 'x' };
  const run = (text: string) => interpolate(text, { vars, params }, 'field');

  test.each([
    ["echo 'no ${interpolation} in single quotes'", 'no $${interpolation} in single quotes', 'no ${interpolation} in single quotes'],
    ['echo "build ${env.BUILD_NUMBER} of ${params.NAME} on $X"', 'build ${BUILD_NUMBER} of ${params.NAME} on ${X}', 'build 7 of nm on ex'],
    ['echo "literal \\${X} and \\$X"', 'literal $${X} and $X', 'literal ${X} and $X'],
    ['echo "tab\\tnewline\\nquote\\\' end"', "tab\tnewline\nquote' end", "tab\tnewline\nquote' end"],
    ['echo "branch ${BRANCH_NAME}"', 'branch ${GIT_BRANCH}', 'branch main'],
    ['echo 42', '42', '42'],
  ])('%s', (src, want, interpolated) => {
    const m = message(src);
    expect(m).toBe(want);
    expect(run(m)).toBe(interpolated);
  });

  test('withEnv entries become step env in runner form', () => {
    expect(one('withEnv(["A=${env.BUILD_NUMBER}", \'B=x=y\']) { sh \'env\' }').env).toEqual({ A: '${BUILD_NUMBER}', B: 'x=y' });
  });

  test('environment values: GStrings refer to other variables; numbers are stringified', () => {
    const p = pipelineWith("echo 'x'", "  environment {\n    A = 'a${b}'\n    B = \"${A}-${env.BUILD_NUMBER}\"\n    N = 3\n  }");
    expect(p.env).toEqual({ A: 'a$${b}', B: '${A}-${BUILD_NUMBER}', N: '3' });
  });
});

describe('conditions: Groovy expression { } into the runner expression language', () => {
  // Groovy semantics of each case, to compare with the runner's evaluation of the translation
  type Env = { FLAG: boolean; NAME: string; A: string; B: string; BRANCH: string };
  const cases: Array<[string, string, (e: Env) => boolean]> = [
    ['return params.FLAG', "${params.FLAG} == 'true'", (e) => e.FLAG],
    ['params.FLAG == true', "${params.FLAG} == 'true'", (e) => e.FLAG],
    ['!params.FLAG', "${params.FLAG} != 'true'", (e) => !e.FLAG],
    ['params.FLAG == false', "${params.FLAG} == 'false'", (e) => !e.FLAG],
    ['return params.NAME', "${params.NAME} != ''", (e) => e.NAME !== ''],
    ["env.B != 'v'", "${B} != 'v'", (e) => e.B !== 'v'],
    ["params.A == 'x' && (params.FLAG || env.B == 'y')", "${params.A} == 'x' && (${params.FLAG} == 'true' || ${B} == 'y')", (e) => e.A === 'x' && (e.FLAG || e.B === 'y')],
    ["params.A == 'x' && params.FLAG || env.B == 'y'", "${params.A} == 'x' && ${params.FLAG} == 'true' || ${B} == 'y'", (e) => (e.A === 'x' && e.FLAG) || e.B === 'y'],
    ["!(params.A == 'x' && params.FLAG)", "${params.A} != 'x' || ${params.FLAG} != 'true'", (e) => !(e.A === 'x' && e.FLAG)],
    ["!(params.A == 'y' || !params.FLAG)", "${params.A} != 'y' && ${params.FLAG} == 'true'", (e) => !(e.A === 'y' || !e.FLAG)],
    ["env.BRANCH_NAME =~ 'release/.*'", "${GIT_BRANCH} =~ 'release/.*'", (e) => /release\/.*/.test(e.BRANCH)],
    ["!(env.BRANCH_NAME =~ '^main$')", "!(${GIT_BRANCH} =~ '^main$')", (e) => !/^main$/.test(e.BRANCH)],
    ["params.NAME == \"it's\"", "${params.NAME} == 'it\\'s'", (e) => e.NAME === "it's"],
    ['return true', "'true' == 'true'", () => true],
  ];
  const envs: Env[] = [];
  for (const FLAG of [true, false])
    for (const NAME of ['', "it's"])
      for (const A of ['x', 'y'])
        for (const B of ['v', 'y'])
          for (const BRANCH of ['main', 'release/1']) envs.push({ FLAG, NAME, A, B, BRANCH });

  test.each(cases)('expression { %s }', (groovy, want, groovySays) => {
    const text = `pipeline {\n  agent any\n${PARAMS}\n  stages {\n    stage('s') {\n      when { expression { ${groovy} } }\n      steps { echo 'x' }\n    }\n  }\n}\n`;
    const when = parseJenkinsfile(text, 'Jenkinsfile', { name: 't' }).stages[0]!.when!;
    expect(when).toEqual({ expression: want });
    for (const e of envs) {
      const ctx = { vars: { B: e.B, GIT_BRANCH: e.BRANCH }, params: { FLAG: String(e.FLAG), NAME: e.NAME, A: e.A } };
      expect(evaluateWhen(when, ctx).run, `${groovy} with ${JSON.stringify(e)}`).toBe(groovySays(e));
    }
  });

  test('several when conditions of different kinds merge; the same kind twice is allOf', () => {
    const when = (body: string) =>
      parseJenkinsfile(`pipeline { agent any\n stages { stage('s') {\n when { ${body} }\n steps { echo 'x' } } } }`, 'Jenkinsfile', { name: 't' }).stages[0]!.when;
    expect(when("branch 'main'; changeset 'src/**'")).toEqual({ branch: 'main', changes: ['src/**'] });
    expect(when("changeset 'a/**'; changeset 'b/**'")).toEqual({ allOf: [{ changes: ['a/**'] }, { changes: ['b/**'] }] });
    expect(when("beforeAgent true; branch pattern: 'release/*', comparator: 'GLOB'")).toEqual({ branch: 'release/*' });
    expect(when("allOf { branch 'main'; not { environment name: 'X', value: 'y' } }")).toEqual({
      allOf: [{ branch: 'main' }, { not: { environment: { name: 'X', value: 'y' } } }],
    });
  });
});
