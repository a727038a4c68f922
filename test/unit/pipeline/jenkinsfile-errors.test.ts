import { describe, expect, test } from 'vitest';
import { formatError, InputError } from '../../../src/core/errors.js';
import { parseJenkinsfile } from '../../../src/pipeline/jenkinsfile/index.js';

// Everything outside the subset is an InputError at Jenkinsfile:line:column naming what was
// found. Each case writes the construct at a known place; `^` comments mark the column.

function errorOf(text: string): string {
  try {
    parseJenkinsfile(text, 'Jenkinsfile', { name: 't' });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return formatError(e);
  }
  throw new Error('parsed without an error');
}

/** A pipeline whose one stage has these steps; they start on line 5. */
function withSteps(steps: string, params = ''): string {
  return `pipeline {\n  agent any\n  stages {\n    stage('s') { steps {\n${steps}\n    } }\n  }\n${params}}\n`;
}

describe('constructs outside the subset name file:line:column', () => {
  test.each([
    ['scripted pipeline', "node {\n  sh 'make'\n}", 'Jenkinsfile:1:1: scripted pipelines (node { }) are not supported: only declarative pipeline { } files'],
    ['no pipeline block', "// nothing\n", 'Jenkinsfile:1:1: no pipeline { } block: only declarative Jenkinsfiles are supported'],
    ['shared library', "@Library('utils') _\npipeline { }", 'Jenkinsfile:1:1: annotations (@Library …) are not supported: shared libraries cannot be loaded'],
    ['top-level def', "def x = 'y'\npipeline { agent any }", 'Jenkinsfile:1:1: only a declarative pipeline { } block is supported at the top level, found def x'],
    ['bat step', withSteps("      sh 'ok'\n      bat 'dir'"), 'Jenkinsfile:6:7: unsupported step "bat"'],
    ['withCredentials', withSteps("        withCredentials([string(credentialsId: 'x', variable: 'X')]) { sh 'x' }"), 'Jenkinsfile:5:9: unsupported step "withCredentials"'],
    ['docker.image', withSteps("      script { docker.image('x').inside { sh 'y' } }"), 'Jenkinsfile:5:16: unsupported step "docker.image(…).inside": only docker.build, docker.withRegistry and img.push are supported'],
    ['docker.build outside script', withSteps("      docker.build('x')"), 'Jenkinsfile:5:7: docker.build must be inside script { }'],
    ['push of an unknown image', withSteps('      script { app.push() }'), 'Jenkinsfile:5:16: "app" is not an image from "def app = docker.build(…)"'],
    ['def of something else', withSteps("      script { def v = sh(script: 'x', returnStdout: true) }"), 'Jenkinsfile:5:16: unsupported def v: inside script { } only "def img = docker.build(…)" is supported'],
    ['unknown container', withSteps("      container('maven') { sh 'x' }"), 'Jenkinsfile:5:17: container "maven" is not defined by the yaml of an agent { kubernetes { } } of this stage or the pipeline'],
    ['unknown sh parameter', withSteps("      sh script: 'x', retrn: true"), 'Jenkinsfile:5:23: unknown parameter "retrn" of sh (known: script, returnStatus, returnStdout, label, encoding)'],
    ['unsupported interpolation', withSteps('      echo "v=${version()}"'), 'Jenkinsfile:5:15: unsupported interpolation ${version()}: only ${env.NAME}, ${params.NAME}, ${NAME} and ${currentBuild.number} can be used'],
    ['unknown parameter', withSteps('      echo "to ${params.TARGT}"', "  parameters { string(name: 'TARGET') }\n"), 'Jenkinsfile:5:16: unknown parameter "TARGT" in params.TARGT (declared: TARGET)'],
    ['bare $ in a GString', withSteps('      sh "echo $(date)"'), 'Jenkinsfile:5:16: a "$" in a double-quoted string must start ${…} or $name, or be escaped as \\$'],
    ['unknown escape', withSteps('      sh "grep \\d+ x"'), 'Jenkinsfile:5:16: unsupported escape sequence "\\d" in a string (Groovy rejects it too; write "\\\\" for a backslash)'],
    ['unterminated string', withSteps("      sh 'make\n"), "Jenkinsfile:5:10: unterminated string: a newline inside '…' (use '''…''' for several lines)"],
    ['slashy regex', withSteps("      script { if (env.B ==~ /x/) { echo 'y' } }"), 'Jenkinsfile:5:30: slashy strings (/…/) and division are not supported'],
    ['==~', withSteps("      script { if (env.B ==~ 'x') { echo 'y' } }"), 'Jenkinsfile:5:26: the operator "==~" is not supported'],
    ['slashy string as an argument', withSteps('      echo /x/'), 'Jenkinsfile:5:12: slashy strings (/…/) and division are not supported'],
    ['missing brace', "pipeline {\n  agent any\n  stages {\n", 'Jenkinsfile:4:1: expected "}" to close the block opened at line 3, found the end of the file'],
    ['two statements on a line', withSteps("      sh 'a' sh 'b'"), 'Jenkinsfile:5:14: unexpected "sh" after a statement (one statement per line)'],
    ['unsupported section', "pipeline {\n  agent any\n  matrix { }\n  stages { }\n}", 'Jenkinsfile:3:3: unsupported section "matrix" in pipeline'],
    ['steps at the pipeline level', "pipeline {\n  agent any\n  steps { sh 'x' }\n}", 'Jenkinsfile:3:3: unsupported section "steps" in pipeline (steps belong in a stage)'],
    ['dockerfile agent', "pipeline {\n  agent { dockerfile true }\n  stages { stage('a') { steps { sh 'x' } } }\n}", 'Jenkinsfile:2:11: unsupported agent "dockerfile" (supported: any, none, label, node, docker, kubernetes)'],
    ['unsupported option', "pipeline {\n  agent any\n  options { lock('res') }\n  stages { stage('a') { steps { sh 'x' } } }\n}", 'Jenkinsfile:3:13: unsupported option "lock"'],
    ['password parameter', "pipeline {\n  agent any\n  parameters { password(name: 'P') }\n  stages { stage('a') { steps { sh 'x' } } }\n}", 'Jenkinsfile:3:16: unsupported parameter type "password" (supported: string, text, booleanParam, choice)'],
    ['environment from a step', "pipeline {\n  agent any\n  environment {\n    V = sh(script: 'git describe', returnStdout: true)\n  }\n  stages { stage('a') { steps { sh 'x' } } }\n}", 'Jenkinsfile:4:9: unsupported value a call of sh(…) for V: only strings and credentials(\'id\')'],
    ['stage with steps and parallel', "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps { sh 'x' }\n      parallel { stage('b') { steps { sh 'y' } } }\n    }\n  }\n}", 'Jenkinsfile:4:5: stage "a" must have exactly one of steps, parallel or stages (has steps and parallel)'],
    ['duplicate stage name', "pipeline {\n  agent any\n  stages {\n    stage('a') { steps { sh 'x' } }\n    stage('a') { steps { sh 'y' } }\n  }\n}", 'Jenkinsfile:5:11: duplicate stage name "a" (first at line 4)'],
    ['post changed', "pipeline {\n  agent any\n  stages { stage('a') { steps { sh 'x' } } }\n  post { changed { echo 'c' } }\n}", 'Jenkinsfile:4:10: post condition "changed" is not supported (supported: always, success, failure, unsuccessful, cleanup, unstable)'],
    ['input in a stage', "pipeline {\n  agent any\n  stages {\n    stage('a') {\n      input { message 'ok?' }\n      steps { sh 'x' }\n    }\n  }\n}", 'Jenkinsfile:5:7: input in a stage is not supported'],
    ['interpolated stage name', "pipeline {\n  agent any\n  stages { stage(\"deploy ${env.X}\") { steps { sh 'x' } } }\n}", 'Jenkinsfile:3:26: stage name cannot use interpolation ("${env.X}"); write the value itself'],
  ])('%s', (_name, text, want) => {
    expect(errorOf(text)).toBe(want);
  });
});

describe('when conditions outside the subset', () => {
  const withWhen = (when: string) =>
    `pipeline {\n  agent any\n  parameters { booleanParam(name: 'FLAG') }\n  stages {\n    stage('a') {\n      when {\n${when}\n      }\n      steps { sh 'x' }\n    }\n  }\n}\n`;

  test.each([
    ['tag', "        tag 'v*'", 'Jenkinsfile:7:9: unsupported when condition "tag" (supported: branch, changeset, environment, expression, not, allOf, anyOf)'],
    ['regexp comparator', "        branch pattern: 'rel-\\\\d+', comparator: 'REGEXP'", 'Jenkinsfile:7:49: comparator "REGEXP" is not supported (only GLOB, or EQUALS with a plain name)'],
    ['a method call', '        expression { params.FLAG.toBoolean() }', 'Jenkinsfile:7:22: unsupported condition a call of params.FLAG.toBoolean(…): only params.X / env.X compared with ==, != or =~ to a string, number or boolean, combined with &&, || and !, can be translated'],
    ['currentBuild.result', "        expression { currentBuild.result == 'SUCCESS' }", 'Jenkinsfile:7:22: unsupported condition "currentBuild.result": only params.X / env.X compared with ==, != or =~ to a string, number or boolean, combined with &&, || and !, can be translated'],
    ['two statements', '        expression {\n          def f = params.FLAG\n          return f\n        }', 'Jenkinsfile:9:11: expression { } must hold exactly one boolean expression (found 2 statements); only simple comparisons of params.X / env.X are supported'],
    ['an unknown parameter', '        expression { return params.FLAGG }', 'Jenkinsfile:7:29: unknown parameter "FLAGG" in params.FLAGG (declared: FLAG)'],
    ['not with two conditions', "        not { branch 'a'; branch 'b' }", 'Jenkinsfile:7:9: not { } must hold exactly one condition, found 2'],
    ['a less-than', '        expression { env.BUILD_NUMBER < 3 }', 'Jenkinsfile:7:39: the operator "<" is not supported'],
  ])('%s', (_name, when, want) => {
    expect(errorOf(withWhen(when))).toBe(want);
  });
});
