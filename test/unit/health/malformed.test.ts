import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { assessHealth } from '../../../src/engines/health/index.js';

const STATUSES = ['Healthy', 'Progressing', 'Suspended', 'Degraded', 'Missing', 'Unknown'];

/** Inputs no apiserver would return but a broken CRD, a test double or a bad cast might. */
const asObject = (value: unknown) => value as KubeObject;

// [description, input, expected status or undefined for "anything but a throw", message part]
const garbage: [string, KubeObject, string | undefined, string][] = [
  ['null', asObject(null), 'Unknown', 'expected an object, got null'],
  ['a number', asObject(42), 'Unknown', 'got a number'],
  ['a string', asObject('kind: Pod'), 'Unknown', 'got a string'],
  ['a list', asObject([{ kind: 'Pod' }]), 'Unknown', 'got a list'],
  ['an empty object', asObject({}), 'Healthy', ''],
  ['a Deployment with no metadata', asObject({ apiVersion: 'apps/v1', kind: 'Deployment' }), undefined, ''],
  ['a Pod with no metadata and no status', asObject({ apiVersion: 'v1', kind: 'Pod' }), 'Progressing', ''],
  ['metadata that is a string', asObject({ apiVersion: 'v1', kind: 'Pod', metadata: 'web' }), 'Unknown', 'metadata is a string'],
  ['a deletionTimestamp that is a number', asObject({ apiVersion: 'v1', kind: 'Pod', metadata: { deletionTimestamp: 5 } }), 'Unknown', 'metadata.deletionTimestamp is a number'],
  ['kind and apiVersion of the wrong type', asObject({ apiVersion: { group: 'apps' }, kind: 7, metadata: {} }), undefined, ''],
  ['a Deployment whose status is a string', asObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 1 }, status: 'string' }), 'Unknown', 'status is a string'],
  ['a Deployment whose conditions are a number', asObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { conditions: 5 } }), 'Unknown', 'status.conditions is a number'],
  ['a Job whose condition is a number', asObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { conditions: [5] } }), 'Unknown', 'status.conditions[0] is a number'],
  ['a Job condition type that is a list', asObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: {}, status: { conditions: [{ type: ['Failed'], status: 'True' }] } }), 'Unknown', 'status.conditions[0].type is a list'],
  ['a StatefulSet with replicas as a string', asObject({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { generation: 1 }, spec: { replicas: '3' }, status: { observedGeneration: 1 } }), 'Unknown', 'spec.replicas is a string, expected an integer'],
  ['a DaemonSet with a fractional count', asObject({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: {}, status: { desiredNumberScheduled: 1.5 } }), 'Unknown', 'status.desiredNumberScheduled is a number, expected an integer'],
  ['a Pod whose containerStatuses is a string', asObject({ apiVersion: 'v1', kind: 'Pod', metadata: {}, status: { phase: 'Running', containerStatuses: 'ready' } }), 'Unknown', 'status.containerStatuses is a string'],
  ['a Pod whose container state is a list', asObject({ apiVersion: 'v1', kind: 'Pod', metadata: {}, status: { containerStatuses: [{ name: 'web', state: [] }] } }), 'Unknown', 'status.containerStatuses[0].state is a list'],
  ['a Service whose ingress is an object', asObject({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: { ip: '1.2.3.4' } } } }), 'Unknown', 'status.loadBalancer.ingress is an object'],
  ['an HPA v1 with a conditions annotation that is not JSON', asObject({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { annotations: { 'autoscaling.alpha.kubernetes.io/conditions': '[{type: AbleToScale' } } }), 'Unknown', 'is not valid JSON'],
  ['a custom resource whose status is a string', asObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: {}, status: 'Ready' }), 'Unknown', 'status is a string'],
  ['a custom resource whose conditions are a number', asObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: {}, status: { conditions: 5 } }), 'Unknown', 'status.conditions is a number'],
  ['a custom resource with null fields', asObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { generation: null }, status: { conditions: null, observedGeneration: null } }), 'Healthy', ''],
];

describe('assessHealth never throws', () => {
  test.each(garbage)('on %s', (_name, input, status, message) => {
    let health: ReturnType<typeof assessHealth> | undefined;
    expect(() => {
      health = assessHealth(input);
    }).not.toThrow();
    expect(STATUSES).toContain(health?.status);
    if (status) expect(health?.status).toBe(status);
    expect(health?.message).toContain(message);
  });

  test('an object whose fields throw when read gives Unknown', () => {
    const hostile = new Proxy(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      {
        get(target, key) {
          if (key === 'metadata') throw new RangeError('getter exploded');
          return Reflect.get(target, key);
        },
      },
    );
    const health = assessHealth(hostile as unknown as KubeObject);
    expect(health).toEqual({ status: 'Unknown', message: 'Cannot assess health: unexpected error: getter exploded' });
  });
});
