/**
 * Policy evaluation: 50 validate ClusterPolicies (the Kyverno corpus's, repeated under new
 * names to reach 50; Pod-controller autogen on, as Kyverno does by default) applied in-process
 * with applyPolicies to 10,000 generated Pods, Deployments and Services (labels, images,
 * registries, resources, security contexts, host paths, probes and Service types vary, so
 * rules pass, fail and skip). Budget: at least 20,000 rule evaluations per second per core,
 * where a rule evaluation is a rule whose match applied to a resource (the results the engine
 * returns); the match checks (every rule, autogen ones included, against every resource) are
 * counted too. Evaluation is single-threaded, so CPU time is one core's.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../src/core/index.js';
import { applyPolicies, autogenRules, parsePolicies, type AdmissionContext, type Policy, type RuleStatus } from '../src/engines/policy/index.js';
import { parseManifests } from '../src/engines/yaml/index.js';
import { fmt } from './lib.js';

const CORPUS = '/work/shared/corpus/kyverno';
const POLICIES = 50;
const RESOURCES = 10_000;
/** Rule evaluations per second per core. */
const BUDGET = 20_000;

/** Every policy file of the corpus (test and chainsaw folders left out), in path order. */
function policyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...policyFiles(path));
    else if (name.endsWith('.yaml') && name !== 'artifacthub-pkg.yaml') out.push(path);
  }
  return out;
}

/** The corpus's ClusterPolicies whose rules are all validate rules, renamed and repeated to `n`. */
export function benchPolicies(n = POLICIES): { policies: Policy[]; distinct: number } {
  const objects: KubeObject[] = [];
  for (const file of policyFiles(CORPUS)) {
    for (const m of parseManifests(readFileSync(file, 'utf8'), file)) {
      const rules = ((m.object.spec as { rules?: Record<string, unknown>[] } | undefined)?.rules ?? []);
      if (m.object.kind === 'ClusterPolicy' && rules.length > 0 && rules.every((r) => r.validate !== undefined)) objects.push(m.object);
    }
  }
  const copies: KubeObject[] = [];
  for (let i = 0; copies.length < n; i++) {
    const o = objects[i % objects.length]!;
    copies.push({ ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-${Math.floor(i / objects.length)}` } });
  }
  return { policies: parsePolicies(copies), distinct: Math.min(objects.length, n) };
}

/** A small deterministic PRNG (mulberry32), so every run checks the same resources. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = ['nginx', 'nginx:1.27', 'docker.io/library/redis:7', 'ghcr.io/acme/api:v1.2.3', 'registry.k8s.io/pause:3.9', 'quay.io/prometheus/node-exporter:latest', 'busybox@sha256:' + 'a'.repeat(64), 'eu.gcr.io/shop/web:2.0'];
const NAMESPACES = ['default', 'shop', 'payments', 'kube-system', 'team-a', 'team-b'];

/** `n` Pods, Deployments and Services (4:4:2), with enough variety that rules pass, fail and skip. */
export function benchResources(n = RESOURCES, seed = 42): KubeObject[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const out: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const name = `app-${i}`;
    const namespace = pick(NAMESPACES);
    const labels: Record<string, string> = { app: name };
    if (chance(0.6)) labels['app.kubernetes.io/name'] = name;
    if (chance(0.3)) labels['app.kubernetes.io/component'] = pick(['web', 'db', 'cache']);
    const container = () => ({
      name: pick(['main', 'app', 'sidecar']),
      image: pick(IMAGES),
      ...(chance(0.5) ? { imagePullPolicy: pick(['Always', 'IfNotPresent']) } : {}),
      ...(chance(0.6) ? { resources: { requests: { cpu: pick(['100m', '250m', '1']), memory: pick(['64Mi', '256Mi', '1Gi']) }, ...(chance(0.5) ? { limits: { memory: pick(['128Mi', '512Mi', '2Gi']) } } : {}) } } : {}),
      ...(chance(0.5)
        ? { securityContext: { readOnlyRootFilesystem: chance(0.7), allowPrivilegeEscalation: chance(0.2), ...(chance(0.2) ? { privileged: true } : {}), ...(chance(0.5) ? { runAsNonRoot: true } : {}) } }
        : {}),
      ...(chance(0.4) ? { livenessProbe: { httpGet: { path: '/healthz', port: 8080 } }, readinessProbe: { tcpSocket: { port: 8080 } } } : {}),
      ...(chance(0.3) ? { ports: [{ containerPort: pick([80, 8080, 443]), ...(chance(0.1) ? { hostPort: 80 } : {}) }] } : {}),
    });
    const podSpec = () => ({
      containers: Array.from({ length: 1 + Math.floor(rnd() * 2) }, container),
      ...(chance(0.2) ? { initContainers: [container()] } : {}),
      ...(chance(0.1) ? { hostNetwork: true } : {}),
      ...(chance(0.1) ? { volumes: [{ name: 'sock', hostPath: { path: pick(['/var/run/docker.sock', '/var/run/containerd/containerd.sock', '/data']) } }] } : {}),
      ...(chance(0.3) ? { automountServiceAccountToken: false } : {}),
    });
    const kind = i % 10 < 4 ? 'Pod' : i % 10 < 8 ? 'Deployment' : 'Service';
    if (kind === 'Pod') out.push({ apiVersion: 'v1', kind, metadata: { name, namespace, labels }, spec: podSpec() });
    else if (kind === 'Deployment') {
      out.push({
        apiVersion: 'apps/v1',
        kind,
        metadata: { name, namespace, labels },
        spec: { replicas: 1 + Math.floor(rnd() * 3), selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec: podSpec() } },
      });
    } else {
      const type = pick(['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer']);
      out.push({
        apiVersion: 'v1',
        kind,
        metadata: { name, namespace, labels },
        spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...(chance(0.1) ? { externalIPs: ['10.0.0.9'] } : {}) },
      });
    }
  }
  return out;
}

export async function run(): Promise<string[]> {
  const { policies, distinct } = benchPolicies();
  const resources = benchResources();
  const ctx: AdmissionContext = { operation: 'CREATE', background: true };
  const rulesPerPolicy = policies.map((p) => autogenRules(p).length);
  const matchChecks = resources.length * rulesPerPolicy.reduce((a, b) => a + b, 0);

  applyPolicies(policies, resources.slice(0, 500), ctx); // warm-up (JIT, autogen and pattern caches)
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const results = applyPolicies(policies, resources, ctx);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;

  const counts: Record<RuleStatus, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) counts[r.status]++;
  const evalsPerCoreS = results.length / cpuS;
  const kinds = ['Pod', 'Deployment', 'Service'].map((k) => `${resources.filter((r) => r.kind === k).length} ${k}s`).join(', ');
  return [
    `${policies.length} ClusterPolicies (${distinct} distinct from the corpus, ${rulesPerPolicy.reduce((a, b) => a + b, 0)} rules with autogen) × ${resources.length} resources (${kinds})`,
    `in-process applyPolicies: ${fmt(wallMs)} wall, ${cpuS.toFixed(2)}s CPU (one thread)`,
    `resources/second: ${Math.round(resources.length / (wallMs / 1000))}`,
    `rule evaluations (match applied): ${results.length} — ${Math.round(evalsPerCoreS)}/s per core; budget ≥ ${BUDGET}/s per core → ratio ${(evalsPerCoreS / BUDGET).toFixed(2)} (above 1 is within budget)`,
    `match checks (every rule against every resource): ${matchChecks} — ${Math.round(matchChecks / cpuS)}/s per core`,
    `results: pass ${counts.pass}, fail ${counts.fail}, warn ${counts.warn}, error ${counts.error}, skip ${counts.skip}`,
  ];
}
