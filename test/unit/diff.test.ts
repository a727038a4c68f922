import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { diffName, diffObjects, maskSecrets, normalizeForDiff } from '../../src/engines/diff/index.js';
import { toYaml } from '../../src/engines/yaml/index.js';

/**
 * What GNU `diff -U<context> -N` prints for the two texts, without its two header lines
 * (they carry temp paths and times). The real tool is the oracle for hunk ranges and lines.
 */
function gnuDiff(before: string, after: string, context = 3): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-diff-'));
  try {
    mkdirSync(join(dir, 'live'));
    mkdirSync(join(dir, 'merged'));
    writeFileSync(join(dir, 'live', 'x'), before);
    writeFileSync(join(dir, 'merged', 'x'), after);
    const run = spawnSync('diff', [`-U${context}`, '-N', join(dir, 'live', 'x'), join(dir, 'merged', 'x')], { encoding: 'utf8' });
    if (run.error) throw new Error(`cannot run GNU diff (install diffutils): ${run.error.message}`);
    if (run.status !== 0 && run.status !== 1) throw new Error(`diff failed: ${run.stderr}`);
    return run.stdout.split('\n').slice(2).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The YAML that diffObjects compares for one side: normalised, secrets masked. */
function sideYaml(live: KubeObject | undefined, merged: KubeObject | undefined): [string, string] {
  const [a, b] = maskSecrets(live && normalizeForDiff(live), merged && normalizeForDiff(merged));
  return [a ? toYaml(a) : '', b ? toYaml(b) : ''];
}

/** diffObjects without its three header lines. */
const hunks = (out: string) => out.split('\n').slice(3).join('\n');

function deployment(image: string, overrides: { replicas?: number; env?: Record<string, string>; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      ...(overrides.labels ? { labels: overrides.labels } : {}),
      managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
    },
    spec: {
      replicas: overrides.replicas ?? 2,
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              image,
              env: Object.entries(overrides.env ?? {}).map(([name, value]) => ({ name, value })),
            },
          ],
        },
      },
    },
  };
}

/** A ConfigMap with keys k01..k<n>, each value v; `changes` overrides some keys. */
function configMap(n: number, changes: Record<string, string | undefined> = {}): KubeObject {
  const data: Record<string, string> = {};
  for (let i = 1; i <= n; i++) data[`k${String(i).padStart(2, '0')}`] = 'v';
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete data[k];
    else data[k] = v;
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data };
}

function secret(data: Record<string, string>, stringData?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'shop' }, type: 'Opaque', data, ...(stringData ? { stringData } : {}) };
}

const manyEnv = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`VAR_${String(i).padStart(2, '0')}`, `value-${i}`]));

describe('diffObjects', () => {
  test('equal objects give an empty string', () => {
    expect(diffObjects(deployment('web:1'), deployment('web:1'), 'x')).toBe('');
  });

  test('two absent objects give an empty string', () => {
    expect(diffObjects(undefined, undefined, 'x')).toBe('');
  });

  test('objects that differ only in managedFields give an empty string', () => {
    const live = deployment('web:1');
    const merged = deployment('web:1');
    merged.metadata.managedFields = [{ manager: 'slipway', operation: 'Apply' }];
    expect(diffObjects(live, merged, 'x')).toBe('');
  });

  test('a changed image gives a header as kubectl diff prints it and a hunk with - and + lines', () => {
    const name = 'apps.v1.Deployment.shop.web';
    const out = diffObjects(deployment('web:1'), deployment('web:2'), name);
    expect(hunks(out)).toBe(gnuDiff(...sideYaml(deployment('web:1'), deployment('web:2'))));
    expect(out).toBe(
      [
        `diff -u -N live/${name} merged/${name}`,
        `--- live/${name}`,
        `+++ merged/${name}`,
        '@@ -9,5 +9,5 @@',
        '     spec:',
        '       containers:',
        '       - env: []',
        '-        image: web:1',
        '+        image: web:2',
        '         name: web',
        '',
      ].join('\n'),
    );
  });

  test('a new object is one hunk that adds every line', () => {
    const out = diffObjects(undefined, deployment('web:1'), 'x');
    const lines = toYaml(normalizeForDiff(deployment('web:1'))).trimEnd().split('\n');
    expect(out.split('\n')[3]).toBe(`@@ -0,0 +1,${lines.length} @@`);
    expect(hunks(out)).toBe(['@@ -0,0 +1,' + lines.length + ' @@', ...lines.map((l) => `+${l}`), ''].join('\n'));
    expect(hunks(out)).toBe(gnuDiff(...sideYaml(undefined, deployment('web:1'))));
  });

  test('a deleted object is one hunk that removes every line', () => {
    const out = diffObjects(deployment('web:1'), undefined, 'x');
    const lines = toYaml(normalizeForDiff(deployment('web:1'))).trimEnd().split('\n');
    expect(hunks(out)).toBe(['@@ -1,' + lines.length + ' +0,0 @@', ...lines.map((l) => `-${l}`), ''].join('\n'));
    expect(hunks(out)).toBe(gnuDiff(...sideYaml(deployment('web:1'), undefined)));
  });

  test('managedFields never appear, on either side', () => {
    for (const out of [
      diffObjects(deployment('web:1'), deployment('web:2'), 'x', { context: 100 }),
      diffObjects(undefined, deployment('web:1'), 'x'),
      diffObjects(deployment('web:1'), undefined, 'x'),
    ]) {
      expect(out).not.toContain('managedFields');
      expect(out).not.toContain('kubectl');
    }
  });

  test('a one-line range is written without a count, as GNU diff writes it', () => {
    const out = diffObjects(deployment('web:1', { replicas: 1 }), deployment('web:1', { replicas: 3 }), 'x', { context: 0 });
    expect(hunks(out)).toBe('@@ -7 +7 @@\n-  replicas: 1\n+  replicas: 3\n');
    expect(hunks(out)).toBe(gnuDiff(...sideYaml(deployment('web:1', { replicas: 1 }), deployment('web:1', { replicas: 3 })), 0));
  });

  test.each<[string, KubeObject | undefined, KubeObject | undefined, number]>([
    ['a changed image', deployment('web:1'), deployment('web:2'), 3],
    ['a change on the first line', { ...deployment('web:1'), apiVersion: 'apps/v1beta1' }, deployment('web:1'), 3],
    ['a change on the last line', deployment('web:1', { replicas: 1 }), deployment('web:1', { replicas: 3 }), 3],
    ['an added label', deployment('web:1'), deployment('web:1', { labels: { app: 'web', tier: 'front' } }), 3],
    ['a removed env list', deployment('web:1', { env: { A: '1', B: '2' } }), deployment('web:1'), 3],
    ['changes far apart, in two hunks', deployment('web:1', { env: manyEnv, replicas: 2 }), deployment('web:2', { env: manyEnv, replicas: 5 }), 3],
    ['two changes 6 unchanged lines apart, joined in one hunk', configMap(20), configMap(20, { k05: 'x', k12: 'x' }), 3],
    ['two changes 7 unchanged lines apart, in two hunks', configMap(20), configMap(20, { k05: 'x', k13: 'x' }), 3],
    ['added and removed keys', configMap(20), configMap(20, { k03: undefined, k04: 'changed', k21: 'new', k22: 'new' }), 3],
    ['a change with no context', configMap(20), configMap(20, { k05: 'x', k07: undefined }), 0],
    ['a change with one line of context', configMap(20), configMap(20, { k05: 'x', k08: 'x', k15: undefined }), 1],
    ['a change with ten lines of context', configMap(20), configMap(20, { k10: 'x' }), 10],
    ['a new object', undefined, configMap(3), 3],
    ['a deleted object', configMap(3), undefined, 3],
    ['a changed Secret', secret({ a: 'QQ==', b: 'Qg==' }), secret({ a: 'QQ==', b: 'Qw==' }), 3],
  ])('%s gives the same hunks as GNU diff -u', (_name, live, merged, context) => {
    const [before, after] = sideYaml(live, merged);
    expect(hunks(diffObjects(live, merged, 'x', { context }))).toBe(gnuDiff(before, after, context));
  });
});

describe('Secret masking', () => {
  // base64 of "kept", "old" and "new"; the plain values below must never show either.
  const live = secret({ same: 'a2VwdA==', changed: 'b2xk' });
  const merged = secret({ same: 'a2VwdA==', changed: 'bmV3' });
  const secretValues = ['a2VwdA==', 'b2xk', 'bmV3', 'kept', 'old', 'new', 'hunter2', 'correct-horse'];

  test('an equal value is *** on both sides and a changed one *** (before) / *** (after)', () => {
    const [a, b] = maskSecrets(live, merged);
    expect(a?.data).toEqual({ same: '***', changed: '*** (before)' });
    expect(b?.data).toEqual({ same: '***', changed: '*** (after)' });
  });

  test('the diff shows that a value changed without showing it', () => {
    const out = diffObjects(live, merged, 'v1.Secret.shop.token', { context: 100 });
    expect(out).toContain('\n-  changed: "*** (before)"\n+  changed: "*** (after)"\n');
    expect(out).toContain('\n   same: "***"\n');
    for (const v of secretValues) expect(out).not.toContain(v);
  });

  test('stringData is masked too', () => {
    const out = diffObjects(secret({}, { password: 'hunter2' }), secret({}, { password: 'correct-horse' }), 'x', { context: 100 });
    expect(out).toContain('-  password: "*** (before)"\n+  password: "*** (after)"\n');
    for (const v of secretValues) expect(out).not.toContain(v);
  });

  test.each<[string, KubeObject | undefined, KubeObject | undefined]>([
    ['a new Secret', undefined, secret({ a: 'a2VwdA==' }, { p: 'hunter2' })],
    ['a deleted Secret', secret({ a: 'a2VwdA==' }, { p: 'hunter2' }), undefined],
    ['a key added and a key removed', secret({ gone: 'b2xk' }), secret({ added: 'bmV3' })],
  ])('%s never shows a value', (_name, a, b) => {
    const out = diffObjects(a, b, 'x', { context: 100 });
    expect(out).toContain('***');
    for (const v of secretValues) expect(out).not.toContain(v);
  });

  test('a key on one side only is *** without a before/after mark, as kubectl masks it', () => {
    const [a, b] = maskSecrets(secret({ gone: 'b2xk', same: 'a2VwdA==' }), secret({ added: 'bmV3', same: 'a2VwdA==' }));
    expect(a?.data).toEqual({ gone: '***', same: '***' });
    expect(b?.data).toEqual({ added: '***', same: '***' });
  });

  test('masking leaves the objects it was given untouched', () => {
    maskSecrets(live, merged);
    expect(live.data).toEqual({ same: 'a2VwdA==', changed: 'b2xk' });
    expect(merged.data).toEqual({ same: 'a2VwdA==', changed: 'bmV3' });
  });

  test('objects other than a core v1 Secret are not masked', () => {
    const cm = { ...configMap(1), data: { k: 'visible' } };
    const lookalike: KubeObject = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'visible' } };
    expect(maskSecrets(cm, cm)).toEqual([cm, cm]);
    expect(maskSecrets(lookalike, undefined)[0]).toEqual(lookalike);
  });
});

describe('normalizeForDiff', () => {
  test('drops managedFields, keeps the rest of metadata and leaves the input untouched', () => {
    const obj = deployment('web:1', { labels: { app: 'web' } });
    const out = normalizeForDiff(obj);
    expect(out.metadata).toEqual({ name: 'web', namespace: 'shop', labels: { app: 'web' } });
    expect(out.spec).toEqual(obj.spec);
    expect(obj.metadata.managedFields).toHaveLength(1);
  });
});

describe('diffName', () => {
  test.each<[string, KubeObject]>([
    ['apps.v1.Deployment.shop.web', deployment('web:1')],
    ['v1.Namespace..demo', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } }],
    ['v1.ConfigMap.shop.settings', configMap(1)],
    ['rbac.authorization.k8s.io.v1.ClusterRole..admin', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'admin' } }],
  ])('is %s', (want, obj) => {
    expect(diffName(obj)).toBe(want);
  });
});
