import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { adoptHelmFields, ownershipProblem, parseReleaseManifest, unionFields, withReleaseMetadata } from '../../../src/release/index.js';
import { dryRunMode, parseLabels, takeBackDryRun, type DeployFlags } from '../../../src/cli/commands/install.js';

const deployment = (managedFields: unknown[], labels?: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels, annotations, managedFields, resourceVersion: '7' },
});

describe('adoptHelmFields: taking over what helm wrote (client-go csaupgrade)', () => {
  const helmEntry = {
    manager: 'helm',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2026-01-01T00:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:extra': {} } }, 'f:spec': { 'f:replicas': {} } },
  };
  const status = { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} }, subresource: 'status' };
  const now = new Date('2026-02-03T04:05:06.789Z');

  test('moves helm\'s Update fields into slipway\'s Apply entry and drops helm\'s entry', () => {
    expect(adoptHelmFields(deployment([helmEntry, status]), now)).toEqual([
      status,
      {
        manager: 'slipway',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-02-03T04:05:06Z',
        fieldsType: 'FieldsV1',
        fieldsV1: helmEntry.fieldsV1,
      },
    ]);
  });

  test('merges into an existing slipway entry', () => {
    const ours = { manager: 'slipway', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } } } };
    const out = adoptHelmFields(deployment([ours, helmEntry]), now)!;
    expect(out).toHaveLength(1);
    expect(out[0]!.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:app': {}, '.': {}, 'f:extra': {} } }, 'f:spec': { 'f:replicas': {} } });
  });

  test('leaves objects without helm Update entries (or with another version\'s) alone', () => {
    expect(adoptHelmFields(deployment([status]))).toBeUndefined();
    expect(adoptHelmFields(deployment([{ ...helmEntry, apiVersion: 'apps/v1beta2' }]))).toBeUndefined();
    expect(adoptHelmFields(deployment([{ ...helmEntry, operation: 'Apply' }]))).toBeUndefined();
    expect(adoptHelmFields(deployment([]))).toBeUndefined();
  });

  test('unionFields is the union of two field sets', () => {
    expect(unionFields({ 'f:a': { 'f:b': {} } }, { 'f:a': { 'f:c': {} }, 'f:d': {} })).toEqual({ 'f:a': { 'f:b': {}, 'f:c': {} }, 'f:d': {} });
  });
});

describe('ownership metadata (helm pkg/action/validate.go)', () => {
  test('an object of this release passes; others get helm\'s message', () => {
    const mine = deployment([], { 'app.kubernetes.io/managed-by': 'Helm' }, { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'shop' });
    expect(ownershipProblem(mine, 'web', 'shop')).toBeUndefined();
    expect(ownershipProblem(deployment([]), 'web', 'shop')).toBe(
      'invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; ' +
        'annotation validation error: missing key "meta.helm.sh/release-name": must be set to "web"; ' +
        'annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "shop"',
    );
    expect(ownershipProblem(mine, 'api', 'shop')).toBe(
      'invalid ownership metadata; annotation validation error: key "meta.helm.sh/release-name" must equal "api": current value is "web"',
    );
  });

  test('withReleaseMetadata adds the label and annotations, on a copy', () => {
    const obj = deployment([], { app: 'web' }, { note: 'x' });
    const out = withReleaseMetadata(obj, 'web', 'shop');
    expect(out.metadata.labels).toEqual({ app: 'web', 'app.kubernetes.io/managed-by': 'Helm' });
    expect(out.metadata.annotations).toEqual({ note: 'x', 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'shop' });
    expect(obj.metadata.labels).toEqual({ app: 'web' });
  });
});

describe('parseReleaseManifest (helm KubeClient.Build)', () => {
  test('reads each # Source document and names the template', () => {
    const text = '---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n';
    const ms = parseReleaseManifest(text);
    expect(ms.map((m) => [m.object.kind, m.object.metadata.name, m.origin.at?.file])).toEqual([
      ['ConfigMap', 'a', 'c/templates/a.yaml'],
      ['Secret', 's', 'c/templates/b.yaml'],
    ]);
    expect(() => parseReleaseManifest('---\n# Source: c/templates/bad.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n')).toThrow(/missing required field "metadata.name"/);
  });
});

describe('command-line helpers', () => {
  const flags = (dryRun?: string | boolean) => ({ dryRun }) as DeployFlags;
  test.each([
    [undefined, 'none'],
    [true, 'client'],
    ['client', 'client'],
    ['true', 'client'],
    ['server', 'server'],
    ['none', 'none'],
    ['false', 'none'],
  ] as const)('--dry-run %s is %s', (value, mode) => {
    expect(dryRunMode(value)).toBe(mode);
  });

  test('a bad --dry-run value is helm\'s error', () => {
    expect(() => dryRunMode('maybe')).toThrow('Invalid dry-run flag. Flag must one of the following: false, true, none, client, server');
  });

  test('a positional argument read as the --dry-run value goes back to the arguments', () => {
    const f = flags('web');
    expect(takeBackDryRun(f, ['./chart'])).toEqual(['web', './chart']);
    expect(f.dryRun).toBe(true);
    const g = flags('server');
    expect(takeBackDryRun(g, ['web', './chart'])).toEqual(['web', './chart']);
    expect(g.dryRun).toBe('server');
  });

  test('--labels is pflag StringToString', () => {
    expect(parseLabels(['team=shop,tier=web', 'x=1=2'])).toEqual({ team: 'shop', tier: 'web', x: '1=2' });
    expect(parseLabels([])).toBeUndefined();
    expect(() => parseLabels(['oops'])).toThrow('invalid --labels "oops": use key=value');
  });
});
