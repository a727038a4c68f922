/**
 * What `slipway webhook --install` puts in the cluster: the CRDs of Kyverno's ClusterPolicy and
 * Policy and of wgpolicyk8s.io's PolicyReport and ClusterPolicyReport when the cluster lacks
 * them (real Kyverno's are left alone), and the ValidatingWebhookConfiguration that sends
 * CREATE and UPDATE requests for the kinds the policies match to the webhook, with its CA.
 * Kinds are resolved to resources through discovery, as Kyverno's webhook controller narrows
 * its rules to what policies match (kyverno pkg/controllers/webhook); a wildcard kind, or one
 * the cluster does not serve, widens the rule to every resource.
 */
import { ApiError, isNotFound, splitApiVersion, type KubeObject } from '../core/index.js';
import { autogenRules, type Policy } from '../engines/policy/index.js';
import { deleteObject, getObject, serverSideApply, type KubeClient } from '../kube/index.js';

/** Field manager of everything the webhook writes to the cluster. */
export const WEBHOOK_FIELD_MANAGER = 'slipway-webhook';
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const MANAGED_BY = 'slipway';
/** Default name of the ValidatingWebhookConfiguration. */
export const DEFAULT_WEBHOOK_CONFIG_NAME = 'slipway-policy';
/** Name of the validating webhook inside it (the apiserver quotes it in every denial). */
export const VALIDATE_WEBHOOK_NAME = 'validate.slipway.dev';
/** Name of the webhook that tells us about deletions, so reports drop deleted resources (failurePolicy Ignore). */
export const CLEANUP_WEBHOOK_NAME = 'reports.slipway.dev';

// ---------- CRDs ----------

function crd(group: string, kind: string, plural: string, scope: 'Cluster' | 'Namespaced', shortNames: string[], versions: { name: string; storage: boolean }[], schema: object, columns: object[]): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec: {
      group,
      scope,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames, categories: group === 'kyverno.io' ? ['kyverno'] : [] },
      versions: versions.map((v) => ({
        name: v.name,
        served: true,
        storage: v.storage,
        subresources: group === 'kyverno.io' ? { status: {} } : undefined,
        additionalPrinterColumns: columns,
        schema: { openAPIV3Schema: schema },
      })),
    },
  };
}

const kyvernoSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    // The policy language is checked by the engine when the webhook reads a policy, not by the apiserver.
    spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
  required: ['spec'],
};

const kyvernoColumns = [
  { name: 'Admission', type: 'boolean', jsonPath: '.spec.admission' },
  { name: 'Background', type: 'boolean', jsonPath: '.spec.background' },
  { name: 'Validate Action', type: 'string', jsonPath: '.spec.validationFailureAction' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

const reportSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    scope: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    scopeSelector: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    summary: {
      type: 'object',
      properties: Object.fromEntries(['pass', 'fail', 'warn', 'error', 'skip'].map((k) => [k, { type: 'integer' }])),
    },
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          policy: { type: 'string' },
          rule: { type: 'string' },
          result: { type: 'string', enum: ['pass', 'fail', 'warn', 'error', 'skip'] },
          message: { type: 'string' },
          scored: { type: 'boolean' },
          source: { type: 'string' },
          category: { type: 'string' },
          severity: { type: 'string' },
          resources: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          timestamp: { type: 'object', properties: { seconds: { type: 'integer', format: 'int64' }, nanos: { type: 'integer', format: 'int32' } } },
          properties: { type: 'object', additionalProperties: { type: 'string' } },
        },
        required: ['policy'],
        'x-kubernetes-preserve-unknown-fields': true,
      },
    },
  },
};

const reportColumns = [
  ...['Pass', 'Fail', 'Warn', 'Error', 'Skip'].map((n) => ({ name: n, type: 'integer', jsonPath: `.summary.${n.toLowerCase()}` })),
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/**
 * The CRDs the webhook needs: kyverno.io ClusterPolicy and Policy (v1 stored, v2beta1 served;
 * spec kept as written) and wgpolicyk8s.io/v1alpha2 PolicyReport and ClusterPolicyReport.
 */
export function policyCrds(): KubeObject[] {
  const kyvernoVersions = [
    { name: 'v1', storage: true },
    { name: 'v2beta1', storage: false },
  ];
  return [
    crd('kyverno.io', 'ClusterPolicy', 'clusterpolicies', 'Cluster', ['cpol'], kyvernoVersions, kyvernoSchema, kyvernoColumns),
    crd('kyverno.io', 'Policy', 'policies', 'Namespaced', ['pol'], kyvernoVersions, kyvernoSchema, kyvernoColumns),
    crd('wgpolicyk8s.io', 'PolicyReport', 'policyreports', 'Namespaced', ['polr'], [{ name: 'v1alpha2', storage: true }], reportSchema, reportColumns),
    crd('wgpolicyk8s.io', 'ClusterPolicyReport', 'clusterpolicyreports', 'Cluster', ['cpolr'], [{ name: 'v1alpha2', storage: true }], reportSchema, reportColumns),
  ];
}

/** Creates the policy CRDs the cluster lacks and updates the ones Slipway made; others (Kyverno's) are left alone. */
export async function installPolicyCrds(client: KubeClient, options: { timeoutMs?: number } = {}): Promise<{ created: string[]; updated: string[]; skipped: string[] }> {
  const out = { created: [] as string[], updated: [] as string[], skipped: [] as string[] };
  for (const c of policyCrds()) {
    const name = c.metadata.name!;
    const live = await getObject(client, { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name });
    if (live && live.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) {
      out.skipped.push(name);
      continue;
    }
    await serverSideApply(client, c, { fieldManager: WEBHOOK_FIELD_MANAGER, force: true });
    (live ? out.updated : out.created).push(name);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (const name of out.created) {
    for (;;) {
      const live = await getObject(client, { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name });
      const conds = ((live?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      if (conds.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new ApiError(`CustomResourceDefinition ${name} was not established in time`, 504, 'Timeout');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (out.created.length || out.updated.length) {
    for (const v of ['kyverno.io/v1', 'kyverno.io/v2beta1', 'wgpolicyk8s.io/v1alpha2']) client.discovery.invalidate(v);
  }
  return out;
}

// ---------- which kinds the policies match ----------

/**
 * The kinds the validate rules of `policies` match (match.resources, match.any[], match.all[]),
 * including the rules Kyverno's autogen makes for Pod controllers (the engine's autogenRules,
 * which honours `pod-policies.kyverno.io/autogen-controllers`). `'*'` when a rule matches any
 * kind (a wildcard, or no kinds).
 */
export function policyKinds(policies: readonly Policy[]): string[] | '*' {
  const kinds = new Set<string>();
  for (const p of policies) {
    for (const rule of autogenRules(p)) {
      if (rule.type !== 'validate') continue;
      const ruleKinds = matchKinds(rule.match);
      if (ruleKinds === '*') return '*';
      for (const k of ruleKinds) {
        if (/[*?]/.test(k)) return '*';
        kinds.add(k);
      }
    }
  }
  return [...kinds].sort();
}

function matchKinds(match: unknown): string[] | '*' {
  const m = (match ?? {}) as { resources?: { kinds?: unknown }; any?: unknown; all?: unknown };
  const filters: { resources?: { kinds?: unknown } }[] = [];
  if (m.resources) filters.push(m);
  for (const list of [m.any, m.all]) if (Array.isArray(list)) filters.push(...(list as { resources?: { kinds?: unknown } }[]));
  if (filters.length === 0) return '*';
  const out: string[] = [];
  for (const f of filters) {
    const kinds = f?.resources?.kinds;
    if (!Array.isArray(kinds) || kinds.length === 0) return '*';
    for (const k of kinds) if (typeof k === 'string') out.push(k);
  }
  return out;
}

/** A served resource, for webhook rules. */
export interface ServedResource {
  group: string;
  version: string;
  kind: string;
  resource: string;
}

/** Every resource type the cluster serves, in each group's preferred version. */
export async function servedResources(client: KubeClient): Promise<ServedResource[]> {
  const out: ServedResource[] = [];
  const add = async (group: string, version: string) => {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    try {
      const list = await client.request<{ resources?: { name: string; kind: string }[] }>('GET', path);
      for (const r of list.resources ?? []) out.push({ group, version, kind: r.kind, resource: r.name });
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 503))) throw e; // an aggregated API that is down
    }
  };
  await add('', 'v1');
  const groups = await client.request<{ groups?: { name: string; preferredVersion?: { version: string } }[] }>('GET', '/apis');
  await Promise.all((groups.groups ?? []).map((g) => (g.preferredVersion ? add(g.name, g.preferredVersion.version) : undefined)));
  return out;
}

/** One rule of a webhook. */
export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  scope: '*';
}

/**
 * Webhook rules for `kinds` (from {@link policyKinds}) on `served` resources: one rule per API
 * group listing its resources, any version (matchPolicy Equivalent covers the others). A
 * wildcard, or a kind the cluster does not serve, gives the `*` rule so nothing a policy
 * matches can slip past.
 */
export function webhookRules(kinds: string[] | '*', served: readonly ServedResource[], operations: string[]): WebhookRule[] {
  const all: WebhookRule[] = [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations, scope: '*' }];
  if (kinds === '*') return all;
  const byGroup = new Map<string, Set<string>>();
  for (const k of kinds) {
    const parts = k.split('/');
    let group: string | undefined;
    let kind = k;
    let sub: string | undefined;
    if (parts.length === 2 && /^[A-Z]/.test(parts[0]!)) [kind, sub] = [parts[0]!, parts[1]!.toLowerCase()];
    else if (parts.length === 2) [group, kind] = [splitApiVersion(parts[0]!).group, parts[1]!];
    else if (parts.length === 3) [group, kind] = [parts[0]!, parts[2]!];
    const matches = served.filter((r) => r.kind === kind && !r.resource.includes('/') && (group === undefined || r.group === group));
    if (matches.length === 0) return all;
    for (const r of matches) {
      let set = byGroup.get(r.group);
      if (!set) byGroup.set(r.group, (set = new Set()));
      set.add(sub ? `${r.resource}/${sub}` : r.resource);
    }
  }
  if (byGroup.size === 0) return [];
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], resources: [...resources].sort(), operations, scope: '*' as const }));
}

// ---------- the ValidatingWebhookConfiguration ----------

/** Options of {@link webhookConfiguration}. */
export interface WebhookConfigOptions {
  /** @default DEFAULT_WEBHOOK_CONFIG_NAME */
  name?: string;
  /** How the apiserver reaches the webhook: a URL (a webhook outside the cluster) or a Service. */
  target: { url: string } | { service: { namespace: string; name: string; port?: number } };
  /** PEM CA certificate of the serving certificate. */
  caCert: string;
  rules: WebhookRule[];
  /** Which namespaces' requests are sent. @default every namespace but kube-system (and the webhook's own namespace) */
  namespaceSelector?: Record<string, unknown>;
  /** What the apiserver does when the webhook cannot answer. @default 'Fail' */
  failurePolicy?: 'Fail' | 'Ignore';
  /** @default 10 */
  timeoutSeconds?: number;
  /** Also send DELETE requests (to a second webhook, failurePolicy Ignore) so reports drop deleted resources. @default true */
  reportDeletions?: boolean;
}

/** The default namespaceSelector: every namespace but kube-system and, for an in-cluster webhook, its own. */
export function defaultNamespaceSelector(ownNamespace?: string): Record<string, unknown> {
  const values = ['kube-system', ...(ownNamespace && ownNamespace !== 'kube-system' ? [ownNamespace] : [])];
  return { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values }] };
}

/** The ValidatingWebhookConfiguration object. */
export function webhookConfiguration(options: WebhookConfigOptions): KubeObject {
  const clientConfig =
    'url' in options.target
      ? { url: options.target.url, caBundle: Buffer.from(options.caCert).toString('base64') }
      : {
          service: { namespace: options.target.service.namespace, name: options.target.service.name, path: '/validate', port: options.target.service.port ?? 443 },
          caBundle: Buffer.from(options.caCert).toString('base64'),
        };
  const ownNs = 'service' in options.target ? options.target.service.namespace : undefined;
  const namespaceSelector = options.namespaceSelector ?? defaultNamespaceSelector(ownNs);
  const base = {
    admissionReviewVersions: ['v1'],
    // Reports are written for admitted requests, never for dry runs.
    sideEffects: 'NoneOnDryRun',
    matchPolicy: 'Equivalent',
    clientConfig,
    namespaceSelector,
  };
  const webhooks: object[] = [];
  if (options.rules.length > 0) {
    webhooks.push({
      ...base,
      name: VALIDATE_WEBHOOK_NAME,
      failurePolicy: options.failurePolicy ?? 'Fail',
      timeoutSeconds: options.timeoutSeconds ?? 10,
      rules: options.rules.map((r) => ({ ...r, operations: ['CREATE', 'UPDATE'] })),
    });
    if (options.reportDeletions ?? true) {
      webhooks.push({
        ...base,
        name: CLEANUP_WEBHOOK_NAME,
        // Deletions are never refused: an unreachable webhook must not block them.
        failurePolicy: 'Ignore',
        timeoutSeconds: 3,
        rules: options.rules.map((r) => ({ ...r, operations: ['DELETE'] })),
      });
    }
  }
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: options.name ?? DEFAULT_WEBHOOK_CONFIG_NAME, labels: { [MANAGED_BY_LABEL]: MANAGED_BY, 'app.kubernetes.io/component': 'policy-webhook' } },
    webhooks,
  };
}

/** Creates or updates the ValidatingWebhookConfiguration (server-side apply; webhooks no longer wanted are removed). */
export async function applyWebhookConfiguration(client: KubeClient, config: KubeObject): Promise<KubeObject> {
  return serverSideApply(client, config, { fieldManager: WEBHOOK_FIELD_MANAGER, force: true });
}

/** Deletes the ValidatingWebhookConfiguration; false when it was not there. */
export async function deleteWebhookConfiguration(client: KubeClient, name = DEFAULT_WEBHOOK_CONFIG_NAME): Promise<boolean> {
  try {
    return await deleteObject(client, { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', namespace: '', name });
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
