/**
 * PolicyReports (wgpolicyk8s.io/v1alpha2) for what the admission webhook admitted, in the
 * per-namespace shape of Kyverno 1.7–1.9 (kyverno pkg/policyreport): one PolicyReport
 * `polr-ns-<namespace>` per namespace and one ClusterPolicyReport `clusterpolicyreport` for
 * cluster-scoped resources, each result naming its resource in `resources[]`, with `summary`
 * counts. Audit failures land here as `fail`; passes are recorded too, so a fixed resource shows
 * `pass` instead of an old failure. A resource's results replace its earlier ones; a deletion
 * seen by the webhook removes them.
 *
 * Writes are batched: results wait `flushMs` and each report changed in that window is read and
 * written once (replace with resourceVersion, retried on conflict), so a burst of admissions in
 * one namespace costs one write, not one per request.
 */
import { ApiError, isNotFound, splitApiVersion, type KubeObject } from '../core/index.js';
import type { Policy, RuleResult } from '../engines/policy/index.js';
import { resourcePath, type KubeClient } from '../kube/index.js';

export const REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
/** Name of the ClusterPolicyReport for cluster-scoped resources (Kyverno 1.7–1.9's). */
export const CLUSTER_REPORT_NAME = 'clusterpolicyreport';
/** A report holds at most this many results (the oldest go first), to stay far below etcd's 1.5 MiB object limit. */
export const MAX_REPORT_RESULTS = 2000;

/** The report of a namespace (`polr-ns-<ns>`), or the cluster report for ''. */
export function reportName(namespace: string): string {
  return namespace ? `polr-ns-${namespace}` : CLUSTER_REPORT_NAME;
}

/** The resource a result is about. */
export interface ReportResource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

/** One wgpolicyk8s.io PolicyReportResult. */
export interface ReportResult {
  policy: string;
  rule: string;
  result: 'pass' | 'fail' | 'warn' | 'error' | 'skip';
  message: string;
  resources: ReportResource[];
  scored: boolean;
  source: string;
  timestamp: { seconds: number; nanos: number };
  category?: string;
  severity?: string;
}

/** Report summary counts. */
export interface ReportSummary {
  pass: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
}

/** Identity of a resource within its report: group, kind and name (a re-created object replaces the old one's results). */
export function resourceId(r: Pick<ReportResource, 'apiVersion' | 'kind' | 'name'>): string {
  return `${splitApiVersion(r.apiVersion).group}|${r.kind}|${r.name}`;
}

/**
 * The report results of one admitted resource: one per evaluated rule, skips left out (they
 * would list every resource under every policy). Category and severity come from the policy's
 * `policies.kyverno.io/category` and `/severity` annotations, as Kyverno fills them.
 */
export function reportResults(
  ruleResults: readonly RuleResult[],
  resource: KubeObject,
  policies: readonly Policy[],
  options: { now: Date; source?: string },
): ReportResult[] {
  const ref: ReportResource = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name: resource.metadata?.name ?? '',
    ...(resource.metadata?.namespace ? { namespace: resource.metadata.namespace } : {}),
    ...(resource.metadata?.uid ? { uid: resource.metadata.uid } : {}),
  };
  const ms = options.now.getTime();
  const timestamp = { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
  const annotations = new Map(policies.map((p) => [`${p.namespace ?? ''}/${p.name}`, p.object.metadata?.annotations ?? {}]));
  return ruleResults
    .filter((r) => r.status !== 'skip')
    .map((r) => {
      const a = annotations.get(`${r.policyNamespace ?? ''}/${r.policy}`) ?? {};
      const category = a['policies.kyverno.io/category'];
      const severity = a['policies.kyverno.io/severity'];
      return {
        policy: r.policyNamespace ? `${r.policyNamespace}/${r.policy}` : r.policy,
        rule: r.rule,
        result: r.status,
        message: r.message,
        resources: [ref],
        scored: true,
        source: options.source ?? 'slipway',
        timestamp,
        ...(category ? { category } : {}),
        ...(severity ? { severity } : {}),
      };
    });
}

/** Counts of each result. */
export function summarize(results: readonly ReportResult[]): ReportSummary {
  const s: ReportSummary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}

/**
 * A report's results after an update: results of the resources in `changes` are replaced by the
 * new ones (`null` removes them), others are kept; sorted by resource, policy and rule so that
 * an unchanged set writes the same text; capped at `max`, dropping the oldest.
 */
export function mergeResults(
  existing: readonly ReportResult[],
  changes: ReadonlyMap<string, readonly ReportResult[] | null>,
  max = MAX_REPORT_RESULTS,
): ReportResult[] {
  const kept = existing.filter((r) => !r.resources?.[0] || !changes.has(resourceId(r.resources[0])));
  const added = [...changes.values()].flatMap((v) => v ?? []);
  let all = [...kept, ...added];
  if (all.length > max) {
    all = [...all].sort((a, b) => b.timestamp.seconds - a.timestamp.seconds || b.timestamp.nanos - a.timestamp.nanos).slice(0, max);
  }
  const key = (r: ReportResult) => `${r.resources?.[0] ? resourceId(r.resources[0]) : ''}\u0000${r.policy}\u0000${r.rule}`;
  return all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A PolicyReport (namespace set) or ClusterPolicyReport ('') object with these results. */
export function reportObject(namespace: string, results: readonly ReportResult[], base?: KubeObject): KubeObject {
  const kind = namespace ? 'PolicyReport' : 'ClusterPolicyReport';
  return {
    ...(base ?? {}),
    apiVersion: REPORT_API_VERSION,
    kind,
    metadata: {
      ...(base?.metadata ?? {}),
      name: reportName(namespace),
      ...(namespace ? { namespace } : {}),
      labels: { ...(base?.metadata?.labels ?? {}), 'app.kubernetes.io/managed-by': 'slipway' },
    },
    summary: summarize(results),
    results: [...results],
  };
}

/** Options of {@link PolicyReportWriter}. */
export interface PolicyReportWriterOptions {
  /** How long results wait to be written with others. @default 500 */
  flushMs?: number;
  /** `source` of every result. @default 'slipway' */
  source?: string;
  log?: (line: string) => void;
  /** The clock (tests). */
  now?: () => Date;
}

/** Counters of the writer, for tests and benchmarks. */
export interface ReportWriterStats {
  /** Reports written (created or replaced). */
  writes: number;
  /** Admissions recorded. */
  recorded: number;
  /** Writes that failed for good (logged). */
  failures: number;
}

/** Batches admission results into PolicyReports and ClusterPolicyReports. */
export class PolicyReportWriter {
  private pending = new Map<string, Map<string, ReportResult[] | null>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly counters: ReportWriterStats = { writes: 0, recorded: 0, failures: 0 };

  constructor(
    private readonly client: KubeClient,
    private readonly options: PolicyReportWriterOptions = {},
  ) {}

  /** Records the results of an admitted resource (replacing its earlier ones). */
  record(resource: KubeObject, ruleResults: readonly RuleResult[], policies: readonly Policy[]): void {
    const results = reportResults(ruleResults, resource, policies, { now: this.options.now?.() ?? new Date(), source: this.options.source });
    if (results.length === 0) return;
    this.counters.recorded++;
    this.queue(resource, results);
  }

  /** Removes the results of a deleted resource. */
  forget(resource: KubeObject): void {
    this.queue(resource, null);
  }

  /** Writes everything pending now; resolves when written. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  get stats(): ReportWriterStats {
    return { ...this.counters };
  }

  /** Writes what is pending and stops the timer. */
  async stop(): Promise<void> {
    await this.flush();
  }

  private queue(resource: KubeObject, results: ReportResult[] | null): void {
    const ns = resource.metadata?.namespace ?? '';
    let changes = this.pending.get(ns);
    if (!changes) this.pending.set(ns, (changes = new Map()));
    changes.set(resourceId({ apiVersion: resource.apiVersion, kind: resource.kind, name: resource.metadata?.name ?? '' }), results);
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 500);
  }

  private async write(batch: Map<string, Map<string, ReportResult[] | null>>): Promise<void> {
    for (const [ns, changes] of batch) {
      try {
        await this.writeOne(ns, changes);
      } catch (e) {
        // A namespace being deleted refuses new objects (403) and takes its report with it.
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) continue;
        this.counters.failures++;
        this.options.log?.(`writing ${ns ? `PolicyReport ${ns}/${reportName(ns)}` : `ClusterPolicyReport ${CLUSTER_REPORT_NAME}`} failed: ${(e as Error).message}`);
      }
    }
  }

  private async writeOne(ns: string, changes: Map<string, ReportResult[] | null>): Promise<void> {
    const res = await this.client.discovery.resolve(REPORT_API_VERSION, ns ? 'PolicyReport' : 'ClusterPolicyReport');
    const name = reportName(ns);
    for (let attempt = 0; ; attempt++) {
      let live: KubeObject | undefined;
      try {
        live = await this.client.request<KubeObject>('GET', resourcePath(res, ns, name));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      const results = mergeResults(((live as { results?: ReportResult[] } | undefined)?.results ?? []), changes);
      try {
        if (live) {
          await this.client.request('PUT', resourcePath(res, ns, name), { body: reportObject(ns, results, live) });
        } else {
          if (results.length === 0) return;
          await this.client.request('POST', resourcePath(res, ns), { body: reportObject(ns, results) });
        }
        this.counters.writes++;
        return;
      } catch (e) {
        // Someone else wrote it in between (another replica, a create race): read again.
        if (e instanceof ApiError && e.status === 409 && attempt < 5) continue;
        throw e;
      }
    }
  }
}
