import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/core/index.js';
import { parseLabelSelector, selectReleases, statusMask, type Release, type ReleaseRecord, type ReleaseStatus } from '../../../src/release/index.js';

function rec(name: string, version: number, status: ReleaseStatus, lastDeployed: string, namespace = 'default', labels: Record<string, string> = {}): ReleaseRecord {
  const release: Release = {
    name,
    namespace,
    version,
    info: { deleted: '', status, last_deployed: lastDeployed },
    chart: { metadata: { name: 'c', version: '1.0.0' }, lock: null, templates: null, values: null, schema: null, files: null },
    config: {},
    manifest: '',
    hooks: [],
  };
  return { release, secretLabels: { name, owner: 'helm', status, version: String(version), ...labels } };
}

const records = [
  rec('web', 1, 'superseded', '2026-01-01T00:00:00Z'),
  rec('web', 2, 'deployed', '2026-01-03T00:00:00Z', 'default', { team: 'a' }),
  rec('api', 1, 'failed', '2026-01-02T00:00:00Z'),
  rec('db', 1, 'deployed', '2026-01-01T00:00:00Z', 'default', { team: 'b' }),
  rec('db', 2, 'pending-upgrade', '2026-01-04T00:00:00Z'),
  rec('old', 1, 'uninstalled', '2025-01-01T00:00:00Z'),
  rec('web', 1, 'deployed', '2026-01-05T00:00:00Z', 'other'),
];
const names = (f: Parameters<typeof selectReleases>[1]) => selectReleases(records, f).map((r) => `${r.namespace}/${r.name}.v${r.version}`);

describe('helm list’s selection', () => {
  test('by default: the latest revision of each release when deployed or failed, by name', () => {
    expect(names({})).toEqual(['default/api.v1', 'default/web.v2', 'other/web.v1']);
  });

  test('--all shows every status; --pending the pending ones', () => {
    expect(names({ all: true })).toEqual(['default/api.v1', 'default/db.v2', 'default/old.v1', 'default/web.v2', 'other/web.v1']);
    expect(names({ pending: true })).toEqual(['default/db.v2']);
  });

  test('--superseded alone lists superseded revisions, which are never the latest', () => {
    expect(names({ superseded: true })).toEqual(['default/web.v1']);
    expect(names({ superseded: true, deployed: true })).toEqual(['default/web.v2', 'other/web.v1']);
  });

  test('--date sorts oldest first, --reverse turns it round; --reverse alone sorts names backwards', () => {
    expect(names({ all: true, byDate: true })).toEqual(['default/old.v1', 'default/api.v1', 'default/web.v2', 'default/db.v2', 'other/web.v1']);
    expect(names({ all: true, byDate: true, reverse: true })).toEqual(['other/web.v1', 'default/db.v2', 'default/web.v2', 'default/api.v1', 'default/old.v1']);
    expect(names({ reverse: true })).toEqual(['other/web.v1', 'default/web.v2', 'default/api.v1']);
  });

  test('--max and --offset page through the sorted list', () => {
    expect(names({ all: true, max: 2 })).toEqual(['default/api.v1', 'default/db.v2']);
    expect(names({ all: true, max: 2, offset: 2 })).toEqual(['default/old.v1', 'default/web.v2']);
    expect(names({ all: true, offset: 9 })).toEqual([]);
  });

  test('--filter is a Go regular expression on names; --selector matches Secret labels', () => {
    expect(names({ all: true, filter: '^(a|d)' })).toEqual(['default/api.v1', 'default/db.v2']);
    expect(names({ all: true, selector: 'status=deployed,name!=db' })).toEqual(['default/web.v2', 'other/web.v1']);
    expect(names({ all: true, selector: 'team' })).toEqual(['default/web.v2']);
  });

  test('the default status mask is deployed and failed', () => {
    expect([...statusMask({})]).toEqual(['deployed', 'failed']);
  });
});

describe('label selectors', () => {
  test.each([
    ['a=b', [{ key: 'a', op: 'in', values: ['b'] }]],
    ['a==b, c!=d', [{ key: 'a', op: 'in', values: ['b'] }, { key: 'c', op: 'notin', values: ['d'] }]],
    ['env in (prod, dev),!x,y', [{ key: 'env', op: 'in', values: ['prod', 'dev'] }, { key: 'x', op: '!exists', values: [] }, { key: 'y', op: 'exists', values: [] }]],
    ['example.com/team notin (a)', [{ key: 'example.com/team', op: 'notin', values: ['a'] }]],
  ])('%s', (text, want) => {
    expect(parseLabelSelector(text)).toEqual(want);
  });

  test('a bad key is a usage error', () => {
    expect(() => parseLabelSelector('a b=c')).toThrow(UsageError);
  });
});
