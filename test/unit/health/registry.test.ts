import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { assessHealth, healthAssessors, healthRuleKey } from '../../../src/engines/health/index.js';

describe('healthRuleKey', () => {
  test.each([
    ['v1', 'Pod', 'Pod'],
    ['apps/v1', 'Deployment', 'apps/Deployment'],
    ['networking.k8s.io/v1', 'Ingress', 'networking.k8s.io/Ingress'],
    ['autoscaling/v1', 'HorizontalPodAutoscaler', 'autoscaling/HorizontalPodAutoscaler'],
  ])('%s %s is keyed %s', (apiVersion, kind, key) => {
    expect(healthRuleKey({ apiVersion, kind })).toBe(key);
    expect(healthAssessors.has(key)).toBe(true);
  });

  test('a kind of the same name in another group gets the generic rule, not the built-in one', () => {
    const lookalike: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Deployment',
      metadata: { name: 'web', generation: 2 },
      status: { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True', reason: 'Synced' }] },
    };
    expect(assessHealth(lookalike)).toEqual({ status: 'Healthy', message: 'Synced' });
  });
});

describe('kind rules called directly', () => {
  test('a Namespace in phase Terminating without a deletionTimestamp is Progressing', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old' }, status: { phase: 'Terminating' } };
    expect(healthAssessors.get('Namespace')?.assess(ns)).toEqual({ status: 'Progressing', message: 'Namespace is terminating' });
  });

  test('pending deletion lists the finalizers that hold the object', () => {
    const pvc: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', deletionTimestamp: '2025-03-02T10:32:19Z', finalizers: ['kubernetes.io/pvc-protection'] },
      status: { phase: 'Bound' },
    };
    expect(assessHealth(pvc)).toEqual({ status: 'Progressing', message: 'Pending deletion (finalizers: kubernetes.io/pvc-protection)' });
  });

  test('a Deployment without spec.replicas wants one replica, as the apiserver defaults it', () => {
    const dep: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', generation: 1 },
      spec: {},
      status: { observedGeneration: 1 },
    };
    expect(assessHealth(dep)).toMatchObject({ status: 'Progressing', message: expect.stringContaining('0 out of 1 new replica') });
  });
});

describe('module boundary', () => {
  // Engines are pure; the health engine may import only itself and src/core.
  test('src/engines/health imports nothing outside itself and src/core', async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');
    const moduleDir = join(root, 'engines/health');
    const allowed = [moduleDir, join(root, 'core')];
    const files = (await readdir(moduleDir, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const violations: string[] = [];
    for (const file of files) {
      const path = join(moduleDir, file);
      const text = await readFile(path, 'utf8');
      for (const match of text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
        const spec = match[1] ?? match[2] ?? '';
        const target = spec.startsWith('.') ? resolve(dirname(path), spec) : spec;
        if (!allowed.some((dir) => target === dir || target.startsWith(`${dir}/`))) {
          violations.push(`${relative(root, path)} -> ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
