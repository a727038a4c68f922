/**
 * Kyverno policies in GitOps syncs: the cluster's `kyverno.io` ClusterPolicy and Policy
 * objects, read through the shared watch cache, checked against what a sync is about to apply
 * as the admission webhook would check each object (CREATE when it is not live, UPDATE with
 * the live object as oldObject). A failed or errored Enforce rule refuses the whole sync (the
 * reconciler applies nothing); Audit failures are reported and the sync goes on.
 *
 * Without the kyverno.io CRDs on the cluster nothing is checked; discovery is asked again at
 * most every {@link RECHECK_MS} so policies installed later are picked up.
 */
import { formatKey, type KubeObject } from '../../core/index.js';
import { applyPolicies, parsePolicies, type AdmissionContext, type Policy, type RuleResult } from '../../engines/policy/index.js';
import { getObject, type KubeClient, type WatchCache } from '../../kube/index.js';
import type { ComparedResource } from './compare.js';

/** How often a cluster without the kyverno.io CRDs is asked again. */
export const RECHECK_MS = 30_000;
/** Longest wait for the first list of policies; after it the sync goes on without them (and says so). */
const SYNC_WAIT_MS = 10_000;
const KINDS = ['ClusterPolicy', 'Policy'] as const;
const API_VERSION = 'kyverno.io/v1';

/** What a sync's check found. */
export interface SyncPolicyCheck {
  /** Failed or errored Enforce rules: the sync applies nothing. */
  blocking: RuleResult[];
  /** Failed Audit rules: reported, not blocking. */
  audit: RuleResult[];
  /** Number of policies checked. */
  policies: number;
}

/** The cluster's Kyverno policies, as the shared watch cache sees them. */
export class ClusterPolicies {
  private watched = new Set<string>();
  private lastMiss = new Map<string, number>();
  private memo?: { key: string; policies: Policy[] };

  constructor(
    private readonly client: KubeClient,
    private readonly cache: WatchCache,
    private readonly clock: () => number = Date.now,
    private readonly log: (m: string) => void = () => undefined,
  ) {}

  /** The policies now on the cluster (parsed once per change of their resourceVersions). */
  async current(): Promise<Policy[]> {
    const objects: KubeObject[] = [];
    for (const kind of KINDS) {
      if (!(await this.watch(kind))) continue;
      objects.push(...this.cache.list('kyverno.io', kind));
    }
    if (objects.length === 0) return [];
    objects.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    const key = objects.map((o) => `${keyOf(o)}@${o.metadata.resourceVersion ?? ''}`).join(',');
    if (this.memo?.key !== key) {
      const policies: Policy[] = [];
      // One bad policy must not switch the others off: parse each on its own.
      for (const o of objects) {
        try {
          policies.push(...parsePolicies([o]));
        } catch (e) {
          this.log(`policy ${keyOf(o)} ignored: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      this.memo = { key, policies };
    }
    return this.memo.policies;
  }

  /** Starts the informer of a kind once its type is served; false while it is not (or not listed yet). */
  private async watch(kind: string): Promise<boolean> {
    if (this.watched.has(kind)) return true;
    const missed = this.lastMiss.get(kind);
    if (missed !== undefined && this.clock() - missed < RECHECK_MS) return false;
    const res = await this.client.discovery.find(API_VERSION, kind).catch(() => undefined);
    if (!res) {
      this.lastMiss.set(kind, this.clock());
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    const synced = await Promise.race([
      this.cache.watchKind(API_VERSION, kind).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), SYNC_WAIT_MS))),
    ]).finally(() => clearTimeout(timer));
    if (!synced) {
      // Not listable (RBAC, a broken conversion webhook): do not make every sync wait for it.
      this.lastMiss.set(kind, this.clock());
      this.log(`kyverno.io ${kind} objects could not be listed within ${SYNC_WAIT_MS / 1000}s: syncing without them`);
      return false;
    }
    this.watched.add(kind);
    return true;
  }
}

/**
 * Checks the objects a sync would apply (hooks included) against the policies, each as its
 * admission request: CREATE, or UPDATE of the live object. `namespaceLabels` gives the labels
 * of a namespace for namespaceSelector (called only when a policy uses one).
 */
export async function checkSyncPolicies(
  policies: readonly Policy[],
  resources: readonly ComparedResource[],
  namespaceLabels: (namespace: string) => Promise<Record<string, string> | undefined>,
): Promise<SyncPolicyCheck> {
  const out: SyncPolicyCheck = { blocking: [], audit: [], policies: policies.length };
  if (policies.length === 0) return out;
  const needLabels = policies.some((p) => JSON.stringify(p.rules.map((r) => [r.match, r.exclude])).includes('namespaceSelector'));
  const labels = new Map<string, Record<string, string> | undefined>();
  for (const r of resources) {
    const obj = r.desired?.object;
    if (!obj) continue;
    const ns = obj.metadata.namespace;
    if (needLabels && ns && !labels.has(ns)) labels.set(ns, await namespaceLabels(ns));
    const ctx: AdmissionContext = {
      operation: r.live ? 'UPDATE' : 'CREATE',
      ...(r.live ? { oldObject: r.live } : {}),
      ...(ns && labels.get(ns) ? { namespaceLabels: labels.get(ns) } : {}),
    };
    for (const result of applyPolicies([...policies], [obj], ctx)) {
      if (result.action === 'Enforce' && (result.status === 'fail' || result.status === 'error')) out.blocking.push(result);
      else if (result.status === 'fail') out.audit.push(result);
    }
  }
  return out;
}

/** Labels of a namespace: from the watch cache when Namespaces are watched, else read once. */
export function namespaceLabelReader(client: KubeClient, cache: WatchCache): (namespace: string) => Promise<Record<string, string> | undefined> {
  return async (name) => {
    const key = { group: '', kind: 'Namespace', namespace: '', name };
    const ns = cache.get(key) ?? (await getObject(client, { ...key, version: 'v1' }).catch(() => undefined));
    return ns?.metadata.labels;
  };
}

/** One line per result: `Pod/shop/web: require-labels/check-for-labels: validation error: …`. */
export function describeResults(results: readonly RuleResult[], max = 10): string {
  const lines = results.slice(0, max).map((r) => `${resultKey(r)}: ${r.policy}/${r.rule}: ${oneLine(r.message)}`);
  if (results.length > max) lines.push(`and ${results.length - max} more`);
  return lines.join('; ');
}

/** The message of a refused sync. */
export function violationMessage(check: SyncPolicyCheck): string {
  const n = check.blocking.length;
  return `policy violation: ${n} Enforce rule${n === 1 ? '' : 's'} failed, nothing applied: ${describeResults(check.blocking)}`;
}

/** The message of Audit failures. */
export function auditMessage(check: SyncPolicyCheck): string {
  const n = check.audit.length;
  return `${n} Audit rule${n === 1 ? '' : 's'} failed (applied anyway): ${describeResults(check.audit)}`;
}

export function resultKey(r: RuleResult): string {
  return formatKey({ group: '', kind: r.resource.kind, namespace: r.resource.namespace ?? '', name: r.resource.name });
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function keyOf(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}
