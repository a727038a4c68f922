import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { parsePolicies, type Policy, type RuleResult } from '../../../src/engines/policy/index.js';
import { parseManifests } from '../../../src/engines/yaml/index.js';
import {
  AdmissionReviewError,
  blockedMessage,
  createCa,
  createServingCert,
  isBlocked,
  percentile,
  reviewAdmission,
  startAdmissionServer,
  warningMessages,
} from '../../../src/server/index.js';

// The require-labels policy of kyverno/policies best-practices, as in the corpus.
const REQUIRE_LABELS = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-labels
  annotations:
    policies.kyverno.io/category: Best Practices
    policies.kyverno.io/severity: medium
spec:
  validationFailureAction: Audit
  background: true
  rules:
  - name: check-for-labels
    match:
      any:
      - resources:
          kinds:
          - Pod
    validate:
      message: "The label \`app.kubernetes.io/name\` is required."
      pattern:
        metadata:
          labels:
            app.kubernetes.io/name: "?*"
`;

function policy(action: 'Enforce' | 'Audit', extra: Record<string, unknown> = {}): Policy[] {
  const obj = parseManifests(REQUIRE_LABELS, 'require-labels.yaml')[0]!.object;
  const spec = { ...(obj.spec as object), validationFailureAction: action, ...extra };
  return parsePolicies([{ ...obj, spec }]);
}

function pod(name: string, labels?: Record<string, string>, namespace = 'shop'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
}

function deployment(name: string, namespace = 'shop'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
  };
}

function review(object: KubeObject | null, extra: Record<string, unknown> = {}): unknown {
  const [group, version] = object?.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object?.apiVersion ?? 'v1'];
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'req-1',
      kind: { group, version, kind: object?.kind ?? 'Pod' },
      namespace: object?.metadata?.namespace,
      name: object?.metadata?.name,
      operation: 'CREATE',
      userInfo: { username: 'alice', groups: ['dev'] },
      object,
      ...extra,
    },
  };
}

// What Kyverno's webhook answers for this policy and a Pod without labels (go-yaml v2 folds the
// long message past column 80; the engine's failure path stops at the missing labels map).
const POD_DENIAL =
  '\n\nresource Pod/shop/bad was blocked due to the following policies \n\n' +
  'require-labels:\n' +
  "  check-for-labels: 'validation error: The label `app.kubernetes.io/name` is required.\n" +
  "    rule check-for-labels failed at path /metadata/labels/'\n";

describe('reviewAdmission', () => {
  test('an Enforce policy denies a Pod without the label, with Kyverno\'s message', async () => {
    const d = await reviewAdmission(review(pod('bad')), { policies: () => policy('Enforce') });
    expect(d.review).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'req-1', allowed: false, status: { status: 'Failure', message: POD_DENIAL } },
    });
    expect(d.results.map((r) => [r.rule, r.status, r.action])).toEqual([['check-for-labels', 'fail', 'Enforce']]);
  });

  test('a labelled Pod is allowed without warnings', async () => {
    const d = await reviewAdmission(review(pod('good', { 'app.kubernetes.io/name': 'web' })), { policies: () => policy('Enforce') });
    expect(d.review.response).toEqual({ uid: 'req-1', allowed: true });
    expect(d.results.map((r) => r.status)).toEqual(['pass']);
  });

  test('a Deployment without the label in its Pod template is denied through autogen', async () => {
    const d = await reviewAdmission(review(deployment('web')), { policies: () => policy('Enforce') });
    expect(d.review.response.allowed).toBe(false);
    expect(d.review.response.status?.message).toBe(
      '\n\nresource Deployment/shop/web was blocked due to the following policies \n\n' +
        'require-labels:\n' +
        "  autogen-check-for-labels: 'validation error: The label `app.kubernetes.io/name`\n" +
        "    is required. rule autogen-check-for-labels failed at path /spec/template/metadata/labels/app.kubernetes.io/name/'\n",
    );
  });

  test('an Audit policy admits the Pod with a warning and keeps the failed result', async () => {
    const d = await reviewAdmission(review(pod('bad')), { policies: () => policy('Audit') });
    expect(d.review.response).toEqual({
      uid: 'req-1',
      allowed: true,
      warnings: [
        'policy require-labels.check-for-labels: validation error: The label `app.kubernetes.io/name` is required. rule check-for-labels failed at path /metadata/labels/',
      ],
    });
    expect(d.results.map((r) => [r.status, r.action])).toEqual([['fail', 'Audit']]);
    expect(d.resource?.metadata.name).toBe('bad');
  });

  test('subresources, deletions and updates of objects being deleted are allowed unevaluated', async () => {
    const policies = () => policy('Enforce');
    const sub = await reviewAdmission(review(pod('bad'), { subResource: 'status', operation: 'UPDATE' }), { policies });
    expect([sub.review.response.allowed, sub.results]).toEqual([true, []]);
    const del = await reviewAdmission(review(null, { operation: 'DELETE', oldObject: pod('bad'), namespace: 'shop' }), { policies });
    expect([del.review.response.allowed, del.results, del.resource?.metadata.name]).toEqual([true, [], 'bad']);
    const old = { ...pod('bad'), metadata: { ...pod('bad').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const upd = await reviewAdmission(review(pod('bad'), { operation: 'UPDATE', oldObject: old }), { policies });
    expect([upd.review.response.allowed, upd.results]).toEqual([true, []]);
  });

  test('a namespaced Policy applies only in its own namespace', async () => {
    const obj = parseManifests(REQUIRE_LABELS, 'p.yaml')[0]!.object;
    const ns = parsePolicies([{ ...obj, kind: 'Policy', metadata: { ...obj.metadata, namespace: 'team-a' }, spec: { ...(obj.spec as object), validationFailureAction: 'Enforce' } }]);
    const inside = await reviewAdmission(review(pod('bad', undefined, 'team-a')), { policies: () => ns });
    const outside = await reviewAdmission(review(pod('bad', undefined, 'team-b')), { policies: () => ns });
    expect([inside.review.response.allowed, outside.review.response.allowed]).toEqual([false, true]);
  });

  test('namespace labels are looked up for namespaceSelector', async () => {
    const obj = parseManifests(REQUIRE_LABELS, 'p.yaml')[0]!.object;
    const spec = obj.spec as { rules: { match: unknown }[] };
    const selected = parsePolicies([
      {
        ...obj,
        spec: {
          ...spec,
          validationFailureAction: 'Enforce',
          rules: [{ ...spec.rules[0], match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { env: 'prod' } } } }] } }],
        },
      },
    ]);
    const labels: Record<string, Record<string, string>> = { prod: { env: 'prod' }, dev: { env: 'dev' } };
    const asked: string[] = [];
    const opts = {
      policies: () => selected,
      namespaceLabels: async (ns: string) => {
        asked.push(ns);
        return labels[ns];
      },
    };
    const prod = await reviewAdmission(review(pod('bad', undefined, 'prod')), opts);
    const dev = await reviewAdmission(review(pod('bad', undefined, 'dev')), opts);
    expect([prod.review.response.allowed, dev.review.response.allowed, asked]).toEqual([false, true, ['prod', 'dev']]);
  });

  test('a Namespace is cluster-scoped although the apiserver names it as the request namespace', async () => {
    const nsPolicy = parsePolicies([
      {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'ns-owner' },
        spec: {
          validationFailureAction: 'Enforce',
          rules: [{ name: 'owner', match: { any: [{ resources: { kinds: ['Namespace'] } }] }, validate: { message: 'owner needed', pattern: { metadata: { labels: { owner: '?*' } } } } }],
        },
      },
    ]);
    const asked: string[] = [];
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { env: 'dev' } } };
    const d = await reviewAdmission(review(ns, { namespace: 'team-a' }), { policies: () => nsPolicy, namespaceLabels: (n) => (asked.push(n), {}) });
    expect(d.resource?.metadata.namespace).toBeUndefined();
    expect(d.review.response.status?.message).toContain('resource Namespace//team-a was blocked');
    expect(asked).toEqual([]);
  });

  test('a body that is not an AdmissionReview v1 is refused', async () => {
    const policies = () => policy('Enforce');
    await expect(reviewAdmission({ kind: 'Pod' }, { policies })).rejects.toThrow(AdmissionReviewError);
    await expect(reviewAdmission({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} }, { policies })).rejects.toThrow(/admissionReviewVersions must include v1/);
    await expect(reviewAdmission({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, { policies })).rejects.toThrow(/no request/);
  });
});

function result(rule: string, status: RuleResult['status'], message: string, action: 'Enforce' | 'Audit' = 'Enforce', policyName = 'test'): RuleResult {
  return { policy: policyName, rule, status, message, action, resource: { apiVersion: 'v1', kind: 'foo', namespace: 'bar', name: 'baz' } };
}

describe("Kyverno's decision and message (kyverno pkg/webhooks/utils/block_test.go cases)", () => {
  const foo: KubeObject = { apiVersion: 'v1', kind: 'foo', metadata: { namespace: 'bar', name: 'baz' } };
  test.each([
    ['failure', [result('rule-fail', 'fail', 'message fail')], 'test:\n  rule-fail: message fail\n'],
    ['error', [result('rule-error', 'error', 'message error')], 'test:\n  rule-error: message error\n'],
    ['error and failure, rules sorted', [result('rule-fail', 'fail', 'message fail'), result('rule-error', 'error', 'message error')], 'test:\n  rule-error: message error\n  rule-fail: message fail\n'],
    ['policies sorted, passes and skips left out', [result('r', 'fail', 'm', 'Enforce', 'zeta'), result('p', 'pass', 'ok', 'Enforce', 'alpha'), result('s', 'skip', 'x', 'Enforce', 'alpha'), result('w', 'warn', 'careful', 'Audit', 'alpha')], 'alpha:\n  w: careful\nzeta:\n  r: m\n'],
  ])('%s', (_name, results, body) => {
    expect(blockedMessage(foo, results)).toBe(`\n\nresource foo/bar/baz was blocked due to the following policies \n\n${body}`);
  });

  test('nothing to report is an empty message', () => {
    expect(blockedMessage(foo, [result('r', 'pass', 'ok'), result('p', 'error', 'preconditions not met')])).toBe('');
  });

  test.each([
    ['an Enforce failure blocks', [result('r', 'fail', 'm', 'Enforce')], true, true],
    ['an Audit failure does not', [result('r', 'fail', 'm', 'Audit')], true, false],
    ['an error blocks under failurePolicy Fail', [result('r', 'error', 'm', 'Audit')], true, true],
    ['an error does not under Ignore', [result('r', 'error', 'm', 'Enforce')], false, false],
    ['a warning never blocks', [result('r', 'warn', 'm', 'Enforce')], true, false],
  ])('%s', (_name, results, failurePolicyFail, blocked) => {
    expect(isBlocked(results, failurePolicyFail)).toBe(blocked);
  });

  test('warnings name policy.rule', () => {
    expect(warningMessages([result('a', 'fail', 'bad', 'Audit'), result('b', 'pass', 'ok'), result('c', 'skip', 'no')])).toEqual(['policy test.a: bad']);
  });

  test('percentile by nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([percentile(xs, 0.5), percentile(xs, 0.99), percentile([], 0.5), percentile([7], 0.99)]).toEqual([50, 99, 0, 7]);
  });
});

describe('the HTTPS server', () => {
  test('answers AdmissionReviews on /validate, health on /healthz, and refuses junk', async () => {
    const ca = await createCa();
    const serving = await createServingCert(ca, ['localhost', '127.0.0.1']);
    const decisions: boolean[] = [];
    const server = await startAdmissionServer({
      host: '127.0.0.1',
      port: 0,
      cert: serving.cert,
      key: serving.key,
      policies: () => policy('Enforce'),
      onDecision: (d) => decisions.push(d.review.response.allowed),
    });
    const post = (path: string, body: string, method = 'POST') =>
      new Promise<{ code: number; body: string }>((resolve, reject) => {
        const req = request(`${server.url}${path}`, { method, ca: ca.cert, headers: { 'Content-Type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const denied = await post('/validate', JSON.stringify(review(pod('bad'))));
      expect(denied.code).toBe(200);
      expect(JSON.parse(denied.body).response.status.message).toBe(POD_DENIAL);
      const allowed = await post('/validate', JSON.stringify(review(pod('ok', { 'app.kubernetes.io/name': 'x' }))));
      expect(JSON.parse(allowed.body).response).toEqual({ uid: 'req-1', allowed: true });
      expect((await post('/validate', '{not json')).code).toBe(400);
      expect((await post('/validate', JSON.stringify({ kind: 'Pod' }))).code).toBe(400);
      expect((await post('/healthz', '', 'GET')).code).toBe(200);
      expect((await post('/other', '', 'GET')).code).toBe(404);
      expect(decisions).toEqual([false, true]);
      const s = server.stats();
      expect([s.requests, s.allowed, s.denied, s.errors]).toEqual([4, 1, 1, 2]);
      expect(s.p99Ms).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

test('the require-labels policy of the corpus is the one these tests use', () => {
  const corpus = '/work/shared/corpus/kyverno/best-practices/require-labels/require-labels.yaml';
  let text: string;
  try {
    text = readFileSync(corpus, 'utf8');
  } catch {
    return; // the corpus is not on this machine
  }
  const fromCorpus = parsePolicies([parseManifests(text, corpus)[0]!.object])[0]!;
  const here = parsePolicies([parseManifests(REQUIRE_LABELS, 'here.yaml')[0]!.object])[0]!;
  expect(here.rules.map((r) => [r.name, r.match, r.validate])).toEqual(fromCorpus.rules.map((r) => [r.name, r.match, r.validate]));
});
