import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LocalExecutor } from '../../../src/pipeline/local/executor.js';
import { PipelineRunner, type RunnerOptions } from '../../../src/pipeline/run/runner.js';
import { parsePipelineYaml } from '../../../src/pipeline/spec/index.js';
import { openRunStore, type RunStore } from '../../../src/pipeline/store/index.js';

// The runner with the real local executor (sh processes) and the real SQLite store in a
// temporary workspace: what `slipway run` does, without the CLI.

let ws: string;
let store: RunStore;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'slipway-runner-'));
  store = openRunStore(join(ws, '.slipway'));
});

afterEach(() => {
  store.close();
  rmSync(ws, { recursive: true, force: true });
});

function pipeline(spec: string, name = 'demo') {
  const text = `apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
  writeFileSync(join(ws, 'slipway.yaml'), text);
  return parsePipelineYaml(text, 'slipway.yaml');
}

async function run(spec: string, opts: Partial<RunnerOptions> = {}) {
  const p = opts.pipeline ?? pipeline(spec);
  const record = await new PipelineRunner({
    pipeline: p,
    workspace: ws,
    store,
    cacheDir: join(ws, '.slipway', 'caches'),
    executor: new LocalExecutor(),
    ...opts,
  }).execute();
  const nodes = Object.fromEntries(store.listNodes(record.id).map((n) => [n.path, n]));
  const log = (node?: string) =>
    store
      .readLogs(record.id, node ? { node } : {})
      .map((c) => c.text)
      .join('');
  return { record, nodes, log };
}

describe('PipelineRunner with the local executor', () => {
  test('runs stages in order with built-in variables, params and env; numbers runs per pipeline', async () => {
    const spec = `
params:
  - {name: GREETING, default: hello}
env:
  TAG: "v-\${BUILD_NUMBER}"
stages:
  - name: build
    steps:
      - run: echo "$GREETING $TAG $BUILD_NUMBER $JOB_NAME $STAGE_NAME" > out.txt
  - name: check
    env: {EXPECT: "\${params.GREETING}"}
    steps:
      - run: grep -q "^$EXPECT v-$BUILD_NUMBER" out.txt
      - echo: "checked \${TAG}"
`;
    const first = await run(spec, { params: { GREETING: 'hi' } });
    expect(first.record.status).toBe('succeeded');
    expect(first.record.number).toBe(1);
    expect(readFileSync(join(ws, 'out.txt'), 'utf8')).toBe('hi v-1 1 demo build\n');
    expect(first.log('check/1')).toBe('checked v-1\n');
    expect(first.nodes['build']!.status).toBe('succeeded');
    expect(first.nodes['check/0']!.exitCode).toBe(0);

    const second = await run(spec);
    expect(second.record.number).toBe(2);
    expect(readFileSync(join(ws, 'out.txt'), 'utf8')).toBe('hello v-2 2 demo build\n');
  });

  test('a failing step fails the run: later steps and stages are skipped, post failure runs, the error names the step', async () => {
    const { record, nodes, log } = await run(`
stages:
  - name: build
    steps:
      - run: echo compiling; exit 3
      - run: echo never
    post:
      failure: [{echo: "build broke"}]
      success: [{echo: "no"}]
  - name: deploy
    steps: [{run: echo deploying}]
post:
  always: [{run: echo cleanup}]
`);
    expect(record.status).toBe('failed');
    expect(record.error).toContain('build/0');
    expect(record.error).toMatch(/slipway\.yaml:\d+: exit code 3/);
    expect(nodes['build/0']!.exitCode).toBe(3);
    expect(nodes['build/1']!.status).toBe('skipped');
    expect(nodes['deploy']!.status).toBe('skipped');
    expect(nodes['deploy']!.error).toContain('stage build did not succeed');
    expect(log('build/post.failure/0')).toBe('build broke\n');
    expect(nodes['build/post.success/0']).toBeUndefined();
    expect(log('post.always/0')).toBe('cleanup\n');
    expect(log('build/0')).toContain('compiling\n');
  });

  test('retries a failing step and records the attempts', async () => {
    const { record, nodes, log } = await run(`
stages:
  - name: flaky
    steps:
      - run: |
          n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
          echo "attempt $n"; [ "$n" -ge 3 ]
        retries: 2
`);
    expect(record.status).toBe('succeeded');
    expect(nodes['flaky/0']!.attempts).toBe(3);
    expect(log('flaky/0')).toMatch(/attempt 1[\s\S]*retrying \(attempt 2 of 3\)[\s\S]*attempt 3/);
  });

  test('a step timeout stops the process group, background children included', async () => {
    const started = Date.now();
    const { record, nodes } = await run(`
stages:
  - name: slow
    steps:
      - run: (sleep 30; echo late > late.txt) & echo $! > child.pid; sleep 30
        timeout: 400ms
`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(record.status).toBe('failed');
    expect(nodes['slow/0']!.error).toContain('timed out after 400ms');
    const pid = Number(readFileSync(join(ws, 'child.pid'), 'utf8'));
    // Gone, or a zombie waiting for init to reap it: either way no longer running.
    const running = () => existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    for (let i = 0; i < 50 && running(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(running()).toBe(false);
  });

  test('cancel stops the running step and marks the run cancelled; post blocks are skipped', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 300);
    const { record, nodes } = await run(
      `
stages:
  - name: long
    steps: [{run: sleep 30}]
  - name: after
    steps: [{run: touch after.txt}]
post:
  always: [{run: touch post.txt}]
`,
      { signal: cancel.signal },
    );
    expect(record.status).toBe('cancelled');
    expect(nodes['long/0']!.status).toBe('cancelled');
    expect(nodes['after']!.status).not.toBe('succeeded');
    expect(existsSync(join(ws, 'after.txt'))).toBe(false);
    expect(existsSync(join(ws, 'post.txt'))).toBe(false);
  });

  test('parallel branches run at once; failFast stops the others', async () => {
    const started = Date.now();
    const { record, nodes } = await run(`
stages:
  - name: tests
    failFast: true
    parallel:
      - name: unit
        steps: [{run: sleep 0.3; exit 1}]
      - name: lint
        steps: [{run: sleep 20}]
`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(record.status).toBe('failed');
    expect(nodes['tests/unit']!.status).toBe('failed');
    expect(nodes['tests/lint']!.status).toBe('failed');
    expect(nodes['tests/lint/0']!.error).toContain('failFast: branch unit failed');
  });

  test('parallel branches overlap in time', async () => {
    const { record } = await run(`
stages:
  - name: both
    parallel:
      - name: a
        steps: [{run: "touch a.started; for i in 1 2 3 4 5 6 7 8 9 10; do [ -f b.started ] && exit 0; sleep 0.1; done; exit 1"}]
      - name: b
        steps: [{run: "touch b.started; for i in 1 2 3 4 5 6 7 8 9 10; do [ -f a.started ] && exit 0; sleep 0.1; done; exit 1"}]
`);
    expect(record.status).toBe('succeeded');
  });

  test('needs: a stage waits only for what it needs; dependents of a failure are skipped', async () => {
    const { record, nodes } = await run(`
stages:
  - name: a
    steps: [{run: "sleep 0.2; touch a.done"}]
  - name: b
    needs: []
    steps: [{run: "[ ! -f a.done ] && exit 1"}]
  - name: c
    needs: [a]
    steps: [{run: "test -f a.done"}]
  - name: d
    needs: [b]
    steps: [{run: "true"}]
`);
    expect(record.status).toBe('failed');
    expect(nodes['b']!.status).toBe('failed');
    expect(nodes['c']!.status).toBe('succeeded');
    expect(nodes['d']!.status).toBe('skipped');
  });

  test('when: branch, expression and changes decide; the reason is stored', async () => {
    const { record, nodes } = await run(
      `
params:
  - {name: TARGET, default: staging, choices: [staging, production]}
stages:
  - name: main-only
    when: {branch: main}
    steps: [{run: touch main.txt}]
  - name: prod
    when: {expression: "\${params.TARGET} == 'production'"}
    steps: [{run: touch prod.txt}]
  - name: docs
    when: {changes: ["docs/**"]}
    steps: [{run: touch docs.txt}]
`,
      { git: { branch: 'feature/x', changedFiles: ['src/a.ts'] } },
    );
    expect(record.status).toBe('succeeded');
    expect(nodes['main-only']!.status).toBe('skipped');
    expect(nodes['main-only']!.error).toContain('feature/x');
    expect(nodes['prod']!.status).toBe('skipped');
    expect(nodes['docs']!.status).toBe('skipped');
    expect(existsSync(join(ws, 'main.txt'))).toBe(false);
  });

  test('secrets are masked in stored logs, also when a value arrives in pieces', async () => {
    const { record, log } = await run(
      `
secrets:
  - {name: TOKEN, fromEnv: MY_TOKEN}
stages:
  - name: s
    steps:
      - run: printf 'token=%s' "$(echo $TOKEN | cut -c1-4)"; sleep 0.1; printf '%s\\n' "$(echo $TOKEN | cut -c5-)"; echo "again $TOKEN" >&2
`,
      { processEnv: { ...process.env, MY_TOKEN: 's3cr3t-value' } },
    );
    expect(record.status).toBe('succeeded');
    const text = log();
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('token=****\n');
    expect(text).toContain('again ****\n');
  });

  test('a missing secret fails the run before any step, naming the variable', async () => {
    const { record } = await run(`
secrets:
  - {name: TOKEN, fromEnv: SLIPWAY_TEST_UNSET_VAR}
stages:
  - name: s
    steps: [{run: touch ran.txt}]
`);
    expect(record.status).toBe('failed');
    expect(record.error).toContain('SLIPWAY_TEST_UNSET_VAR is not set');
    expect(existsSync(join(ws, 'ran.txt'))).toBe(false);
  });

  test('continueOnError records the failure and goes on', async () => {
    const { record, nodes } = await run(`
stages:
  - name: s
    steps:
      - run: exit 4
        continueOnError: true
      - run: touch next.txt
`);
    expect(record.status).toBe('succeeded');
    expect(nodes['s/0']!.status).toBe('failed');
    expect(nodes['s/0']!.exitCode).toBe(4);
    expect(existsSync(join(ws, 'next.txt'))).toBe(true);
  });

  test('--from-stage skips the stages before it', async () => {
    const { record, nodes } = await run(
      `
stages:
  - name: one
    steps: [{run: touch one.txt}]
  - name: two
    steps: [{run: touch two.txt}]
`,
      { fromStage: 'two' },
    );
    expect(record.status).toBe('succeeded');
    expect(nodes['one']!.status).toBe('skipped');
    expect(existsSync(join(ws, 'one.txt'))).toBe(false);
    expect(existsSync(join(ws, 'two.txt'))).toBe(true);
  });

  test('an unknown variable in a field fails the step naming the field', async () => {
    const { record, nodes } = await run(`
stages:
  - name: s
    steps:
      - echo: "\${NOPE}"
`);
    expect(record.status).toBe('failed');
    expect(nodes['s/0']!.error).toContain('NOPE');
  });

  test('artifacts are stored with the run; caches are restored by key on the next run', async () => {
    writeFileSync(join(ws, 'deps.lock'), 'v1');
    const spec = `
caches:
  - key: deps-\${hashFiles:deps.lock}
    paths: [.deps]
stages:
  - name: build
    artifacts: [bin/*]
    steps:
      - run: |
          if [ -f .deps/ok ]; then echo cache-hit; else mkdir -p .deps && touch .deps/ok && echo cache-miss; fi
          mkdir -p bin && echo binary > bin/app
`;
    const first = await run(spec);
    expect(first.record.status).toBe('succeeded');
    expect(first.log('build/0')).toContain('cache-miss');
    expect(store.listArtifacts(first.record.id).map((a) => a.path)).toEqual(['bin/app']);
    expect(store.readArtifact(first.record.id, 'bin/app')?.toString()).toBe('binary\n');

    rmSync(join(ws, '.deps'), { recursive: true });
    const second = await run(spec);
    expect(second.log('build/0')).toContain('cache-hit');
  });

  test('a gate step fails the run when a threshold is missed and stores the reports', async () => {
    writeFileSync(
      join(ws, 'lcov.info'),
      'TN:\nSF:src/a.ts\nDA:1,1\nDA:2,0\nDA:3,0\nDA:4,1\nLF:4\nLH:2\nend_of_record\n',
    );
    const { record, nodes, log } = await run(`
stages:
  - name: gates
    steps:
      - gate: {coverage: lcov.info, minCoverage: 80}
`);
    expect(record.status).toBe('failed');
    expect(nodes['gates/0']!.exitCode).toBe(1);
    expect(log('gates/0')).toContain('50.0%');
    const kinds = store.listReports(record.id).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['coverage', 'gate']));
  });
});

describe('PipelineRunner: skipped stages between a failure and its dependents', () => {
  test('a stage skipped because of a failure upstream does not let the stages after it run', async () => {
    const { record, nodes } = await run(`
stages:
  - name: test
    steps: [{run: exit 1}]
  - name: optional
    when: {expression: "'a' == 'b'"}
    steps: [{run: "true"}]
  - name: deploy
    steps: [{run: touch deployed.txt}]
`);
    expect(record.status).toBe('failed');
    expect(nodes['optional']!.status).toBe('skipped');
    expect(nodes['deploy']!.status).toBe('skipped');
    expect(nodes['deploy']!.error).toBe('stage test did not succeed');
    expect(existsSync(join(ws, 'deployed.txt'))).toBe(false);
  });

  test('a stage skipped by its own when lets the next stage run', async () => {
    const { record, nodes } = await run(`
stages:
  - name: optional
    when: {expression: "'a' == 'b'"}
    steps: [{run: "true"}]
  - name: deploy
    steps: [{run: touch deployed.txt}]
`);
    expect(record.status).toBe('succeeded');
    expect(nodes['deploy']!.status).toBe('succeeded');
  });
});

describe('PipelineRunner: gate step reports', () => {
  test('a JUnit glob adds the matching reports up, as Jenkins junit does', async () => {
    const suite = (name: string, failures: number) =>
      `<testsuite name="${name}" tests="2" failures="${failures}" errors="0" skipped="0" time="0.5">` +
      `<testcase classname="${name}" name="ok" time="0.1"/>` +
      `<testcase classname="${name}" name="maybe" time="0.4">${failures ? '<failure message="boom"/>' : ''}</testcase></testsuite>`;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(ws, 'reports'));
    writeFileSync(join(ws, 'reports/a.xml'), suite('a', 0));
    writeFileSync(join(ws, 'reports/b.xml'), suite('b', 1));
    writeFileSync(join(ws, 'reports/notes.txt'), 'not a report');
    const { record, log } = await run(`
stages:
  - name: t
    steps:
      - gate: {junit: "reports/*.xml", maxFailures: 0}
`);
    expect(record.status).toBe('failed');
    expect(log('t/0')).toContain('4 tests, 1 failed, 0 errors, 0 skipped');
    expect(log('t/0')).toContain('FAILED b › maybe: boom');
  });

  test('a JUnit glob that matches nothing fails the step naming the pattern', async () => {
    const { record, nodes } = await run(`
stages:
  - name: t
    steps:
      - gate: {junit: "reports/*.xml"}
`);
    expect(record.status).toBe('failed');
    expect(nodes['t/0']!.error).toContain('no JUnit report matches reports/*.xml');
  });
});

describe('PipelineRunner: secrets in errors', () => {
  test('a secret in a step error is masked in the stored node and run errors', async () => {
    const { record, nodes } = await run(
      `
secrets:
  - {name: TOKEN, fromEnv: MY_TOKEN}
stages:
  - name: s
    steps:
      - run: {script: "true", dir: "../\${TOKEN}"}
`,
      { processEnv: { ...process.env, MY_TOKEN: 'hunter2-secret' } },
    );
    expect(record.status).toBe('failed');
    expect(nodes['s/0']!.error).toContain('dir "../****" is outside the workspace');
    expect(JSON.stringify(store.listNodes(record.id))).not.toContain('hunter2');
    expect(record.error).not.toContain('hunter2');
  });
});
