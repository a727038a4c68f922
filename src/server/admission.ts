/**
 * The validating admission webhook: admission.k8s.io/v1 AdmissionReviews in, Kyverno policies
 * applied through the policy engine, allowed or denied out — with the body Kyverno's webhook
 * writes, so people and scripts reading denials see the same text (kyverno
 * pkg/webhooks/utils/block.go GetBlockedMessages, warning.go GetWarningMessages,
 * pkg/webhooks/resource/validation/validation.go HandleValidation).
 *
 * Decision, as Kyverno's BlockRequest: a request is denied when a rule whose failure action is
 * Enforce fails, or when a rule errors and one of the policies that apply has
 * spec.failurePolicy Fail (the default). Every other non-passing result (Audit failures, warnings,
 * errors under Ignore) becomes an admission warning `policy <policy>.<rule>: <message>`, and the
 * results of admitted requests go to `onAdmitted` (the PolicyReport writer).
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../core/index.js';
import { GoYamlMap, marshalGoYaml } from '../engines/yaml/index.js';
import { applyPolicy, type AdmissionContext, type Policy, type RuleResult } from '../engines/policy/index.js';

/** The request part of an admission.k8s.io/v1 AdmissionReview. */
export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource?: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionContext['operation'];
  userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
}

/** The response part of an AdmissionReview. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  /** Set when denied: the apiserver prefixes the message with `admission webhook "<name>" denied the request: `. */
  status?: { status: 'Failure'; message: string; code?: number; reason?: string };
  warnings?: string[];
}

/** An AdmissionReview answer. */
export interface AdmissionReviewResponse {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/** What {@link reviewAdmission} decided, with the rule results behind it. */
export interface AdmissionDecision {
  review: AdmissionReviewResponse;
  /** The request as read (undefined when the body was not an AdmissionReview). */
  request?: AdmissionRequest;
  /** Results of every policy that applied (skips included). */
  results: RuleResult[];
  /** The resource the results are about: the new object, or the old one for DELETE. */
  resource?: KubeObject;
}

/** Options of {@link reviewAdmission}. */
export interface AdmissionOptions {
  /** The policies in force now (ClusterPolicies and namespaced Policies); read on every request. */
  policies: () => readonly Policy[];
  /** Labels of a namespace, for match/exclude namespaceSelector; undefined when unknown. */
  namespaceLabels?: (namespace: string) => Promise<Record<string, string> | undefined> | Record<string, string> | undefined;
}

/** Thrown for a body that is not an AdmissionReview: answered with HTTP 400. */
export class AdmissionReviewError extends Error {}

/** Reads the request of an AdmissionReview body (parsed JSON). */
export function readAdmissionReview(body: unknown): AdmissionRequest {
  const review = body as { apiVersion?: unknown; kind?: unknown; request?: Partial<AdmissionRequest> } | null;
  if (!review || typeof review !== 'object' || review.kind !== 'AdmissionReview') {
    throw new AdmissionReviewError('expected an admission.k8s.io/v1 AdmissionReview');
  }
  if (review.apiVersion !== 'admission.k8s.io/v1') {
    throw new AdmissionReviewError(`unsupported AdmissionReview version ${String(review.apiVersion)}: admissionReviewVersions must include v1`);
  }
  const req = review.request;
  if (!req || typeof req.uid !== 'string' || !req.kind || typeof req.operation !== 'string') {
    throw new AdmissionReviewError('AdmissionReview has no request (uid, kind and operation are required)');
  }
  return req as AdmissionRequest;
}

/**
 * Decides one admission request. Requests on subresources, deletions and updates of objects
 * being deleted are allowed without evaluation (as Kyverno's validation handler does for the
 * latter two: nothing to validate in what is going away).
 */
export async function reviewAdmission(body: unknown, options: AdmissionOptions): Promise<AdmissionDecision> {
  const req = readAdmissionReview(body);
  const allow = (): AdmissionDecision => ({ review: answer({ uid: req.uid, allowed: true }), request: req, results: [] });
  const resource = req.operation === 'DELETE' ? req.oldObject ?? undefined : req.object ?? undefined;
  if (!resource || req.subResource) return allow();
  if (req.operation === 'DELETE') return { ...allow(), resource };
  if (req.operation === 'UPDATE' && req.oldObject?.metadata?.deletionTimestamp) return allow();

  // For a Namespace the apiserver sends its own name as the request's namespace; it is cluster-scoped.
  const isNamespace = req.kind.kind === 'Namespace' && !req.kind.group;
  const namespace = isNamespace ? '' : (req.namespace ?? resource.metadata?.namespace ?? '');
  const applicable = options.policies().filter((p) => p.kind === 'ClusterPolicy' || (p.namespace !== undefined && p.namespace === namespace));
  if (applicable.length === 0) return { ...allow(), resource };

  const namespaceLabels = isNamespace
    ? (resource.metadata?.labels ?? {})
    : namespace
      ? ((await options.namespaceLabels?.(namespace)) ?? undefined)
      : undefined;
  const ctx: AdmissionContext = {
    operation: req.operation,
    ...(req.userInfo?.username !== undefined
      ? { userInfo: { username: req.userInfo.username, ...(req.userInfo.groups ? { groups: req.userInfo.groups } : {}), ...(req.userInfo.uid ? { uid: req.userInfo.uid } : {}) } }
      : {}),
    ...(req.oldObject ? { oldObject: req.oldObject } : {}),
    ...(namespaceLabels ? { namespaceLabels } : {}),
  };
  // The resource as the apiserver will store it: a name from generateName is not known yet,
  // and the request's namespace is authoritative when the object omits it.
  const object: KubeObject = namespace && !resource.metadata?.namespace ? { ...resource, metadata: { ...resource.metadata, namespace } } : resource;

  const results: RuleResult[] = [];
  for (const policy of applicable) results.push(...applyPolicy(policy, object, ctx));

  const failurePolicyFail = applicable.some((p) => policyFailurePolicy(p) === 'Fail');
  if (isBlocked(results, failurePolicyFail)) {
    const message = blockedMessage(object, results);
    return { review: answer({ uid: req.uid, allowed: false, status: { status: 'Failure', message } }), request: req, results, resource: object };
  }
  const warnings = warningMessages(results);
  return {
    review: answer({ uid: req.uid, allowed: true, ...(warnings.length ? { warnings } : {}) }),
    request: req,
    results,
    resource: object,
  };
}

function answer(response: AdmissionResponse): AdmissionReviewResponse {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

/** spec.failurePolicy of a policy (Kyverno's default: Fail). */
export function policyFailurePolicy(policy: Policy): 'Fail' | 'Ignore' {
  const spec = (policy.object as { spec?: { failurePolicy?: unknown } }).spec;
  return spec?.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail';
}

/**
 * Kyverno's BlockRequest: an Enforce rule failed, or a rule errored while some applicable
 * policy has failurePolicy Fail.
 */
export function isBlocked(results: readonly RuleResult[], failurePolicyFail: boolean): boolean {
  return results.some((r) => (r.status === 'fail' && r.action === 'Enforce') || (r.status === 'error' && failurePolicyFail));
}

/**
 * The denial text Kyverno's webhook returns (GetBlockedMessages): every policy's non-passing,
 * non-skipped rules as YAML `policy: {rule: message}` with keys sorted, marshalled by go-yaml v2
 * (so long messages fold and quote exactly as Kyverno's do), after
 * `\n\nresource <Kind>/<namespace>/<name> was blocked due to the following policies \n\n`.
 */
export function blockedMessage(resource: KubeObject, results: readonly RuleResult[]): string {
  const failures = new GoYamlMap();
  const byPolicy = new Map<string, GoYamlMap>();
  for (const r of results) {
    if (r.status === 'pass' || r.status === 'skip' || r.message === 'preconditions not met') continue;
    let rules = byPolicy.get(r.policy);
    if (!rules) {
      byPolicy.set(r.policy, (rules = new GoYamlMap()));
      failures.set(r.policy, rules);
    }
    rules.set(r.rule, r.message);
  }
  if (byPolicy.size === 0) return '';
  const name = `${resource.kind}/${resource.metadata?.namespace ?? ''}/${resource.metadata?.name ?? ''}`;
  return `\n\nresource ${name} was blocked due to the following policies \n\n${marshalGoYaml(failures)}`;
}

/** Kyverno's GetWarningMessages: `policy <policy>.<rule>: <message>` for each non-passing, non-skipped rule. */
export function warningMessages(results: readonly RuleResult[]): string[] {
  return results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `policy ${r.policy}.${r.rule}: ${r.message}`);
}

/** Options of {@link startAdmissionServer}. */
export interface AdmissionServerOptions extends AdmissionOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** PEM serving certificate and key. */
  cert: string;
  key: string;
  /** Called with each decision of an admitted or denied request (after the answer is sent). */
  onDecision?: (decision: AdmissionDecision) => void;
  /** Whether the policies have been loaded (GET /readyz answers 503 until then). @default () => true */
  ready?: () => boolean;
  /** One line per denied request and per failure. */
  log?: (line: string) => void;
  /** Largest AdmissionReview accepted. @default 8 MiB (above the apiserver's 3 MiB object limit, doubled for UPDATE's old object) */
  bodyLimit?: number;
}

/** Admission counters and latency (time spent in the handler per request). */
export interface AdmissionStats {
  requests: number;
  allowed: number;
  denied: number;
  errors: number;
  /** Latency percentiles in milliseconds over the last 1,000 reviews. */
  p50Ms: number;
  p99Ms: number;
}

/** A running admission server. */
export interface RunningAdmissionServer {
  /** https://host:port */
  url: string;
  port: number;
  stats(): AdmissionStats;
  close(): Promise<void>;
}

/**
 * Serves the webhook over HTTPS: `POST /validate` (AdmissionReview v1), `GET /healthz`,
 * `GET /readyz`. A body that is not an AdmissionReview is a 400; a failure while evaluating is
 * a 500, which the apiserver treats per the webhook's failurePolicy.
 */
export async function startAdmissionServer(options: AdmissionServerOptions): Promise<RunningAdmissionServer> {
  const log = options.log ?? (() => {});
  const limit = options.bodyLimit ?? 8 * 1024 * 1024;
  const counters = { requests: 0, allowed: 0, denied: 0, errors: 0 };
  const latencies: number[] = [];
  const send = (res: ServerResponse, code: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      return (options.ready?.() ?? true) ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'not ready', reason: 'policies not loaded' });
    }
    if (path !== '/validate') return send(res, 404, { error: `no route ${req.method} ${path}` });
    if (req.method !== 'POST') return send(res, 405, { error: 'POST an AdmissionReview to /validate' });
    const started = performance.now();
    counters.requests++;
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, limit));
    } catch (e) {
      counters.errors++;
      return send(res, 400, { error: `cannot read the AdmissionReview: ${(e as Error).message}` });
    }
    let decision: AdmissionDecision;
    try {
      decision = await reviewAdmission(body, options);
    } catch (e) {
      counters.errors++;
      if (e instanceof AdmissionReviewError) return send(res, 400, { error: e.message });
      log(`admission failed: ${(e as Error).stack ?? String(e)}`);
      return send(res, 500, { error: `policy evaluation failed: ${(e as Error).message}` });
    }
    send(res, 200, decision.review);
    latencies.push(performance.now() - started);
    if (latencies.length > 1000) latencies.shift();
    if (decision.review.response.allowed) counters.allowed++;
    else {
      counters.denied++;
      const r = decision.request;
      log(`denied ${r?.operation} ${r?.kind.kind} ${r?.namespace ? `${r.namespace}/` : ''}${decision.resource?.metadata?.name ?? r?.name ?? ''}`);
    }
    try {
      options.onDecision?.(decision);
    } catch (e) {
      log(`recording the decision failed: ${(e as Error).message}`);
    }
  };
  const server = https.createServer({ cert: options.cert, key: options.key }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      counters.errors++;
      log(`admission server: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, { error: (e as Error).message });
    });
  });
  server.keepAliveTimeout = 65_000; // the apiserver keeps connections to webhooks open
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${port}`,
    port,
    stats: () => ({ ...counters, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The p-th percentile (0..1) by nearest rank; 0 for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
