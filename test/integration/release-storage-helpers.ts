import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { nodeFileSystem } from '../../src/core/index.js';
import { loadChart, processDependencies, renderLoadedChart } from '../../src/engines/chart/index.js';
import { parseManifests } from '../../src/engines/yaml/index.js';
import { serverSideApply, type KubeClient } from '../../src/kube/index.js';
import { chartToJson, goTimeNow, type Release, type ReleaseStatus } from '../../src/release/index.js';
import { toolchainBin } from '../parity/oracle.js';
import { kubeconfig, slipway, type CliResult } from './helpers.js';

let bin: string | undefined;

/** Runs the real helm of the toolchain against the test cluster. */
export function helm(args: string[]): Promise<CliResult> {
  bin ??= join(toolchainBin(), 'helm');
  return new Promise((resolve, reject) => {
    const child = spawn(bin!, args, { env: { ...process.env, KUBECONFIG: kubeconfig(), HELM_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs `helm ARGS` and `slipway ARGS` side by side and returns both. */
export async function both(args: string[]): Promise<{ helm: CliResult; slipway: CliResult }> {
  const [h, s] = await Promise.all([helm(args), slipway(args)]);
  return { helm: h, slipway: s };
}

/** The JSON helm marshalled into a release Secret, read with kubectl's view of the data. */
export async function storedJson(client: KubeClient, namespace: string, name: string, version: number): Promise<string> {
  const secret = await client.request<{ data: { release: string } }>('GET', `/api/v1/namespaces/${namespace}/secrets/sh.helm.release.v1.${name}.v${version}`);
  return gunzipSync(Buffer.from(Buffer.from(secret.data.release, 'base64').toString('utf8'), 'base64')).toString('utf8');
}

/** A small chart: a ConfigMap from values, a ConfigMap hook, a test hook and NOTES. */
export function smallChart(name = 'small'): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\ndescription: a small chart <for> tests & such\nversion: 0.3.1\nappVersion: "1.4"\n`,
    'values.yaml': 'greeting: hello\ncount: 2\nnested:\n  list: [a, b]\n  ratio: 0.5\n',
    'templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  count: {{ .Values.count | quote }}\n  name: {{ .Values.name | default "none" | quote }}\n',
    'templates/hook.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade,pre-rollback\n    "helm.sh/hook-weight": "3"\n    "helm.sh/hook-delete-policy": before-hook-creation\ndata:\n  at: {{ .Release.Revision | quote }}\n',
    'templates/test.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n    "helm.sh/hook": test\nspec:\n  restartPolicy: Never\n  containers: [{name: t, image: busybox}]\n',
    'templates/NOTES.txt': '\nRelease {{ .Release.Name }} is at revision {{ .Release.Revision }}.\n  Greeting: {{ .Values.greeting }}\n',
  };
}

/** Options of {@link releaseFromChart}. */
export interface ChartReleaseOptions {
  name: string;
  namespace: string;
  version?: number;
  status?: ReleaseStatus;
  values?: Record<string, unknown>;
  description?: string;
  labels?: Record<string, string>;
}

/**
 * A release record for a chart directory, built the way helm install builds one: the chart
 * processed for dependencies, rendered with renderLoadedChart, the manifest in helm's
 * `---\n# Source:` form, hooks as release.Hook, times now.
 */
export async function releaseFromChart(dir: string, o: ChartReleaseOptions): Promise<Release> {
  const chart = await loadChart(dir, nodeFileSystem);
  const values = o.values ?? {};
  const version = o.version ?? 1;
  const result = renderLoadedChart(chart, values, { releaseName: o.name, namespace: o.namespace, revision: version, isUpgrade: version > 1 });
  const now = goTimeNow();
  return {
    name: o.name,
    namespace: o.namespace,
    version,
    info: {
      first_deployed: now,
      last_deployed: now,
      deleted: '',
      description: o.description ?? 'Install complete',
      status: o.status ?? 'deployed',
      notes: result.notes,
    },
    chart: chartToJson(processDependencies(chart, values)),
    config: values,
    manifest: result.manifests.map((m) => `---\n# Source: ${m.name}\n${m.content}\n`).join(''),
    hooks: result.hooks.map((h) => ({
      name: h.name,
      kind: h.kind,
      path: h.path,
      manifest: h.manifest,
      events: h.events,
      last_run: { started_at: '', completed_at: '', phase: '' },
      weight: h.weight,
      delete_policies: h.deletePolicies,
      output_log_policies: h.outputLogPolicies,
    })),
    ...(o.labels ? { labels: o.labels } : {}),
  };
}

/** Applies a release's manifest the way an install would (objects owned by the release, as helm marks them). */
export async function applyRelease(client: KubeClient, r: Release): Promise<void> {
  for (const m of parseManifests(r.manifest, 'manifest')) {
    const obj = structuredClone(m.object);
    obj.metadata.namespace ??= r.namespace;
    obj.metadata.labels = { ...obj.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm' };
    obj.metadata.annotations = { ...obj.metadata.annotations, 'meta.helm.sh/release-name': r.name, 'meta.helm.sh/release-namespace': r.namespace };
    await serverSideApply(client, obj, { fieldManager: 'slipway', force: true });
  }
}
