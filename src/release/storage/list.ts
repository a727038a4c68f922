/**
 * helm's List action (pkg/action/list.go) over stored revisions: the latest revision of each
 * release, the status mask of --deployed/--failed/…/--all, --filter, --selector, the sort
 * (by name, or by date with --date, reversed with --reverse) and --max/--offset.
 */
import { UsageError } from '../../core/index.js';
import { compileRegexp } from '../../engines/gotemplate/index.js';
import { parseHelmTime, unixSeconds } from './go-time.js';
import type { Release, ReleaseStatus } from './types.js';

/** One stored revision and all labels of its Secret (system labels included, as helm's List sees them). */
export interface ReleaseRecord {
  release: Release;
  secretLabels: Record<string, string>;
}

/** helm list's filters, with helm's flag names. */
export interface ListFilter {
  /** --all: every status (helm's ListAll; "unknown" excepted). @default false */
  all?: boolean;
  deployed?: boolean;
  failed?: boolean;
  /** pending-install, pending-upgrade and pending-rollback. */
  pending?: boolean;
  superseded?: boolean;
  uninstalled?: boolean;
  uninstalling?: boolean;
  /** --date: by last deployment, oldest first (as helm sorts it). @default false */
  byDate?: boolean;
  /** --reverse @default false */
  reverse?: boolean;
  /** --max: at most this many (0: no limit). @default 256 */
  max?: number;
  /** --offset @default 0 */
  offset?: number;
  /** --filter: a Go (RE2) regular expression on release names. */
  filter?: string;
  /** --selector: a label selector on the Secret labels (=, ==, !=, in, notin, exists, !exists). */
  selector?: string;
}

/** The statuses a filter lets through (helm's SetStateMask); deployed and failed by default. */
export function statusMask(f: ListFilter): Set<ReleaseStatus> {
  if (f.all) {
    return new Set<ReleaseStatus>(['deployed', 'uninstalled', 'uninstalling', 'pending-install', 'pending-rollback', 'pending-upgrade', 'superseded', 'failed']);
  }
  const s = new Set<ReleaseStatus>();
  if (f.deployed) s.add('deployed');
  if (f.uninstalled) s.add('uninstalled');
  if (f.uninstalling) s.add('uninstalling');
  if (f.pending) for (const p of ['pending-install', 'pending-rollback', 'pending-upgrade'] as const) s.add(p);
  if (f.failed) s.add('failed');
  if (f.superseded) s.add('superseded');
  if (s.size === 0) {
    s.add('deployed');
    s.add('failed');
  }
  return s;
}

/** filterLatestReleases: the highest revision of each namespace/name. */
export function latestRevisions<T extends { release: Release }>(records: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const r of records) {
    const key = `${r.release.namespace}/${r.release.name}`;
    const seen = latest.get(key);
    if (seen && seen.release.version > r.release.version) continue;
    latest.set(key, r);
  }
  return [...latest.values()];
}

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

const LABEL_KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

/** A Kubernetes label selector (labels.Parse): `a=b,c!=d,e in (f,g),h,!i`. */
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  const src = text.trim();
  if (src === '') return reqs;
  // Split at commas outside parentheses.
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '(') depth++;
    else if (src[i] === ')') depth--;
    else if (src[i] === ',' && depth === 0) {
      terms.push(src.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(src.slice(start));
  for (const raw of terms) {
    const t = raw.trim();
    let m: RegExpExecArray | null;
    const key = (k: string) => {
      if (!LABEL_KEY.test(k)) throw new UsageError(`invalid label selector "${text}": invalid label key "${k}"`);
      return k;
    };
    if ((m = /^!\s*(\S+)$/.exec(t))) reqs.push({ key: key(m[1]!), op: '!exists', values: [] });
    else if ((m = /^([^\s=!]+)\s*(==|=|!=)\s*(\S*)$/.exec(t))) reqs.push({ key: key(m[1]!), op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
    else if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(t)))
      reqs.push({ key: key(m[1]!), op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) });
    else if ((m = /^(\S+)$/.exec(t))) reqs.push({ key: key(m[1]!), op: 'exists', values: [] });
    else throw new UsageError(`invalid label selector "${text}"`);
  }
  return reqs;
}

function matches(reqs: Requirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
    }
  });
}

/** helm's SortByName, with the namespace to order equal names. */
export const compareByName = (a: Release, b: Release): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0);

function deployedSeconds(r: Release): bigint {
  const t = parseHelmTime(r.info.last_deployed);
  return t ? unixSeconds(t) : 0n;
}

/**
 * helm's List.Run after the storage read: latest revisions (except when only superseded ones
 * are asked for), status mask, name filter, selector, sort, offset and limit. Among releases
 * with equal sort keys helm's order is random (it walks a Go map); here it is by namespace.
 */
export function selectReleases(records: readonly ReleaseRecord[], f: ListFilter = {}): Release[] {
  let filter: ((name: string) => boolean) | undefined;
  if (f.filter) {
    try {
      const re = compileRegexp(f.filter);
      filter = (name) => re.matchString(name);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  let results = records.filter((r) => !filter || filter(r.release.name));
  const mask = statusMask(f);
  if (!(mask.size === 1 && mask.has('superseded'))) results = latestRevisions(results);
  results = results.filter((r) => mask.has(r.release.info.status));
  const reqs = parseLabelSelector(f.selector ?? '');
  results = results.filter((r) => matches(reqs, r.secretLabels));
  let rels = results.map((r) => r.release);
  rels.sort(compareByName);
  if (f.byDate) {
    rels.sort((a, b) => {
      const d = deployedSeconds(a) - deployedSeconds(b);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    });
    // helm names it ByDateDesc but runs SortByDate (oldest first); --reverse gives newest first.
    if (f.reverse) rels.reverse();
  } else if (f.reverse) {
    rels.reverse();
  }
  const offset = f.offset ?? 0;
  if (offset >= rels.length) return [];
  const max = f.max ?? 256;
  let limit = rels.length;
  if (max > 0 && max < limit) limit = max;
  rels = rels.slice(offset, Math.min(offset + limit, rels.length));
  return rels;
}
