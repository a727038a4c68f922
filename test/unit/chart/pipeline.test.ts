import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { nodeFileSystem } from '../../../src/core/index.js';
import { coalesceValues } from '../../../src/engines/chart/coalesce.js';
import { checkDependencies, processDependencies } from '../../../src/engines/chart/dependencies.js';
import { loadChart } from '../../../src/engines/chart/loader.js';
import { validateValues } from '../../../src/engines/chart/schema.js';
import type { Chart, GoMap } from '../../../src/engines/chart/types.js';
import { mergeValueOptions } from '../../../src/engines/chart/values.js';

// The values every chart of the corpus renders with, for its defaults and for each of its
// ci/*.yaml test values: -f, dependency processing, coalescing and the schema check, in helm's
// order (cmd/helm/install.go, pkg/action/install.go). Oracle: the real helm v3.22.0 running
// `helm template [-f ci/x.yaml]` with a template printing `toJson .Values` in every chart; the
// table keeps the first 16 hex digits of the sha256 of each chart's canonical JSON values.

const CORPUS = '/work/shared/corpus/helm';

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const m = v as GoMap;
    return Object.fromEntries(
      Object.keys(m)
        .sort()
        .map((k) => [k, canonical(m[k])]),
    );
  }
  return typeof v === 'bigint' ? Number(v) : v;
}

const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(canonical(v))).digest('hex').slice(0, 16);

function valuesByChart(c: Chart, values: GoMap, out: Record<string, string> = {}): Record<string, string> {
  out[c.fullPath ?? c.metadata.name] = digest(values);
  for (const d of c.dependencies) valuesByChart(d, (values[d.metadata.name] ?? {}) as GoMap, out);
  return out;
}

const RUNS: [string, string | null, Record<string, string> | { error: string }][] = [
  ["alertmanager", null, { "alertmanager": '07a0ca80408b54fc' }],
  ["alertmanager", "05-ingress-and-gateway-routes-values.yaml", { "alertmanager": '343ac110f8712ad7' }],
  ["alertmanager", "config-reload-values.yaml", { "alertmanager": 'f67e129148c05d97' }],
  ["alertmanager", "httproute-values.yaml", { "alertmanager": '4589229f8b0367aa' }],
  ["alertmanager", "ingress-labels-values.yaml", { "alertmanager": '943b975ee73f2a1b' }],
  ["alertmanager", "servicemonitor-values.yaml", { "alertmanager": '9f34e0527ac4bd73' }],
  ["argo-cd", null, { "argo-cd": '9a90b25fb3aa122c' }],
  ["argo-cd", "default-values.yaml", { "argo-cd": 'b85996a61d30215c' }],
  ["argo-cd", "dynamic-sharding-values.yaml", { "argo-cd": '331ebbc453091648' }],
  ["argo-cd", "extension-values.yaml", { "argo-cd": '2a7e1dd4e573a087' }],
  ["argo-cd", "external-redis-values.yaml", { "argo-cd": 'b9066c136bee8a18' }],
  ["argo-cd", "grpcroute-empty-matches.yaml", { "argo-cd": 'e4c2d8886bd50640' }],
  ["argo-cd", "ha-autoscaling-values.yaml", { "argo-cd": '290bff3f2c0c05a2', "argo-cd/charts/redis-ha": '50e5afcf7c15bc12' }],
  ["argo-cd", "ha-static-values.yaml", { "argo-cd": '72a55f4b9def1bff', "argo-cd/charts/redis-ha": '650f6e4bc72d7c70' }],
  ["argo-cd", "httproute-empty-matches.yaml", { "argo-cd": '0c8fa0ab74785d35' }],
  ["argo-cd", "listenerset-values.yaml", { "argo-cd": 'fd98b5fc69a4e397' }],
  ["argo-cd", "vpa-values.yaml", { "argo-cd": '2b65b5391840f526' }],
  ["argo-cd", "with-commit-server-values.yaml", { "argo-cd": 'd8bab3ce54482b76' }],
  ["argo-events", null, { "argo-events": '723261f4dd0ab6a8' }],
  ["argo-events", "test-values.yaml", { "argo-events": '254d1ea8b678675b' }],
  ["argo-rollouts", null, { "argo-rollouts": '78bd41bf820d87e0' }],
  ["argo-rollouts", "default-values.yaml", { "argo-rollouts": '78bd41bf820d87e0' }],
  ["argo-rollouts", "enable-dashboard-values.yaml", { "argo-rollouts": 'cf6c1da6bc13701b' }],
  ["argo-rollouts", "enable-extra-objects-values.yaml", { "argo-rollouts": '85a65b1bcaff6ba4' }],
  ["argocd-apps", null, { "argocd-apps": '7ad906a30e60bf91' }],
  ["argocd-apps", "applications-multiple-sources-values.yaml", { "argocd-apps": 'e8ca5c4676e165bb' }],
  ["argocd-apps", "applications-values.yaml", { "argocd-apps": '6238f547f6bf8a8b' }],
  ["argocd-apps", "applicationsets-multiple-sources-values.yaml", { "argocd-apps": '36ebf1a1545a2f0b' }],
  ["argocd-apps", "applicationsets-progressive-syncs-values.yaml", { "argocd-apps": 'e3bca5cc90bd9902' }],
  ["argocd-apps", "applicationsets-values.yaml", { "argocd-apps": '9be7d63b2fcd3e04' }],
  ["argocd-apps", "default-values.yaml", { "argocd-apps": '7ad906a30e60bf91' }],
  ["argocd-apps", "item-templates.yaml", { "argocd-apps": 'c50d3012a48473cb' }],
  ["argocd-image-updater", null, { "argocd-image-updater": '3f99828f93575259' }],
  ["argocd-image-updater", "enable-extra-objects-values.yaml", { "argocd-image-updater": '4f4591637ff5579b' }],
  ["argocd-image-updater", "enable-ingress-values.yaml", { "argocd-image-updater": '11245c00989d2b69' }],
  ["argocd-image-updater", "priority-class-values.yaml", { "argocd-image-updater": 'ece3807f99afd82f' }],
  ["kube-state-metrics", null, { "kube-state-metrics": '58493aa4af102a4e' }],
  ["kube-state-metrics", "01-default-values.yaml", { "kube-state-metrics": '58493aa4af102a4e' }],
  ["kube-state-metrics", "02-custom-resource-state-only-values.yaml", { "kube-state-metrics": '0d52f73556c64adc' }],
  ["kube-state-metrics", "03-servicemonitor-values.yaml", { "kube-state-metrics": '78e1d3f63cf84733' }],
  ["kube-state-metrics", "04-self-monitor-values.yaml", { "kube-state-metrics": '729b3a19f40496d6' }],
  ["kubebuilder-project-v4-with-plugins", null, { "project-v4-with-plugins": 'f5df7d17ef4ebee8' }],
  ["prometheus", null, { "prometheus": '619a81595deb7fd9', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "01-automount-sa-token-values.yaml", { "prometheus": 'eff73d944854e2e4', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "02-config-reloader-deployment-values.yaml", { "prometheus": '91b3eadff9e7332c', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "03-config-reloader-sts-values.yaml", { "prometheus": 'fcdd4461dc56264d', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "04-extra-manifest-values.yaml", { "prometheus": 'dd9f22b245682bab', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "05-server-deployment-values.yaml", { "prometheus": 'ccced72f6ee2f6a0', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "06-server-sts-values.yaml", { "prometheus": '2be2fa6a823e4f88', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "07-meta-labels-values.yaml", { "prometheus": '855143ae0121fe8a', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "08-sts-pvc-retention-policy-values.yaml", { "prometheus": '15abe0ea68588198', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "09-standalone-deployment-values.yaml", { "prometheus": '3ab6fabe8ff39179' }],
  ["prometheus", "10-namespaced-sd-values.yaml", { "prometheus": '51052aea03f08f1c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92' }],
  ["prometheus", "11-default-values.yaml", { "prometheus": '619a81595deb7fd9', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "12-ingress-values.yaml", { "prometheus": '50e1d59b7afd6220', "prometheus/charts/alertmanager": 'e9d25789f8360a0c', "prometheus/charts/kube-state-metrics": '64da2564a1adbae6', "prometheus/charts/prometheus-node-exporter": 'b77718e45046b041', "prometheus/charts/prometheus-pushgateway": '16e3778b3169c1a4' }],
  ["prometheus", "13-pdb-values.yaml", { "prometheus": 'd88476768b70683a' }],
  ["prometheus", "14-config-secret-values.yaml", { "prometheus": '20edb1d1c5cf83ee' }],
  ["prometheus", "15-config-configmap-override-values.yaml", { "prometheus": '501f123cfa293503' }],
  ["prometheus", "16-httproute-values.yaml", { "prometheus": '4fc0a4ffe02e37f8' }],
  ["prometheus", "17-daemonset-values.yaml", { "prometheus": 'aad1077eccf96d27', "prometheus/charts/alertmanager": 'a3f6e0c68b9a241c', "prometheus/charts/kube-state-metrics": '81b6e398029fbe92', "prometheus/charts/prometheus-node-exporter": 'b9112968eb001cdd', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "18-scrape-configs-values.yaml", { "prometheus": 'dede0898eb14bd25', "prometheus/charts/prometheus-pushgateway": 'dd66e0d6f134c202' }],
  ["prometheus", "19-scrape-configs-legacy-values.yaml", { "prometheus": 'c389ed3c0bfac4bf' }],
  ["prometheus-adapter", null, { "prometheus-adapter": 'ecf3edfec3a8cbe1' }],
  ["prometheus-adapter", "default-values.yaml", { "prometheus-adapter": 'ecf3edfec3a8cbe1' }],
  ["prometheus-adapter", "external-rules-values.yaml", { "prometheus-adapter": '33b488c4b10df537' }],
  ["prometheus-blackbox-exporter", null, { "prometheus-blackbox-exporter": '1a6f6aeb48680b52' }],
  ["prometheus-blackbox-exporter", "config-reloader-values.yaml", { "prometheus-blackbox-exporter": '6ecf6ff5fb6e1d15' }],
  ["prometheus-blackbox-exporter", "daemonset-values.yml", { "prometheus-blackbox-exporter": '548b61a6cb4caed7' }],
  ["prometheus-blackbox-exporter", "default-values.yaml", { "prometheus-blackbox-exporter": '1a6f6aeb48680b52' }],
  ["prometheus-blackbox-exporter", "extraenv-values.yaml", { "prometheus-blackbox-exporter": '70518e57a89bd023' }],
  ["prometheus-blackbox-exporter", "hostAliases.yml", { "prometheus-blackbox-exporter": 'e39ae89e16ec4a08' }],
  ["prometheus-blackbox-exporter", "httproute-values.yml", { "prometheus-blackbox-exporter": '9185fc19539c3a43' }],
  ["prometheus-blackbox-exporter", "ingress-values.yml", { "prometheus-blackbox-exporter": 'bc85b3d70b2cafc5' }],
  ["prometheus-blackbox-exporter", "networkpolicy-values.yaml", { "prometheus-blackbox-exporter": '4b5d5375a9203332' }],
  ["prometheus-blackbox-exporter", "secret-values.yaml", { "prometheus-blackbox-exporter": '56747ad8d26d2347' }],
  ["prometheus-blackbox-exporter", "service-monitor-tpl-values.yaml", { "prometheus-blackbox-exporter": 'b9d0101c09e9ab86' }],
  ["prometheus-node-exporter", null, { "prometheus-node-exporter": '844ec2f9a41e87a5' }],
  ["prometheus-node-exporter", "common-labels-values.yaml", { "prometheus-node-exporter": 'a3b3f1edeea2ddf3' }],
  ["prometheus-node-exporter", "default-values.yaml", { "prometheus-node-exporter": '844ec2f9a41e87a5' }],
  ["prometheus-node-exporter", "distroless-values.yaml", { "prometheus-node-exporter": '4a0b961fc3bc31bf' }],
  ["prometheus-node-exporter", "kube-rbac-proxy-tlssecret-values.yaml", { "prometheus-node-exporter": '4eb01a852ac627f0' }],
  ["prometheus-node-exporter", "networkpolicy-values.yaml", { "prometheus-node-exporter": 'dbbfc7aef35863ee' }],
  ["prometheus-node-exporter", "pod-labels-values.yaml", { "prometheus-node-exporter": '70823093998e7113' }],
  ["prometheus-node-exporter", "port-values.yaml", { "prometheus-node-exporter": '50894721f0dabb5d' }],
  ["prometheus-node-exporter", "service-labels-values.yaml", { "prometheus-node-exporter": '59f56d19fba25a26' }],
  ["prometheus-node-exporter", "serviceport-values.yaml", { "prometheus-node-exporter": '420eabc4806c2f2d' }],
  ["prometheus-pushgateway", null, { "prometheus-pushgateway": '51340e201468ba1c' }],
  ["prometheus-pushgateway", "automount-sa-token-values.yaml", { "prometheus-pushgateway": 'd0e6b6134d8c35a6' }],
  ["prometheus-pushgateway", "basic-auth-values.yaml", { "prometheus-pushgateway": 'e676b286263d1894' }],
  ["prometheus-pushgateway", "default-sts-values.yaml", { "prometheus-pushgateway": '6854e53d4cad9796' }],
  ["prometheus-pushgateway", "default-values.yaml", { "prometheus-pushgateway": '51340e201468ba1c' }],
  ["prometheus-pushgateway", "extraargs-values.yaml", { "prometheus-pushgateway": 'c2f832759d470c87' }],
  ["prometheus-pushgateway", "extramanifests-values.yaml", { "prometheus-pushgateway": '235c853a55bac375' }],
  ["prometheus-pushgateway", "extravars-values.yaml", { "prometheus-pushgateway": 'eb79f099335b2865' }],
  ["prometheus-pushgateway", "httproute-values.yaml", { "prometheus-pushgateway": 'ff95c94b0aa07ee0' }],
  ["prometheus-pushgateway", "lifecycle-values.yaml", { "prometheus-pushgateway": '17ee3271ed9bf33a' }],
  ["prometheus-pushgateway", "persistence-sts-values.yaml", { "prometheus-pushgateway": '00c1e6299be6dc2e' }],
  ["prometheus-pushgateway", "persistence-values.yaml", { "prometheus-pushgateway": '74270205fd018314' }],
  ["prometheus-pushgateway", "podlabels-sts-values.yaml", { "prometheus-pushgateway": '14c0a62b12d96800' }],
  ["prometheus-pushgateway", "podlabels-values.yaml", { "prometheus-pushgateway": 'a0acccaca9a0b043' }],
  ["prometheus-pushgateway", "resources-values.yaml", { "prometheus-pushgateway": '6355c368a433cdac' }],
  ["prometheus-pushgateway", "securitycontext-values.yaml", { "prometheus-pushgateway": 'caa05ecc96fa510d' }],
  ["prometheus-pushgateway", "servicelabels-values.yaml", { "prometheus-pushgateway": '4408ce21ff217ff4' }],
  ["prometheus-pushgateway", "servicemonitor-basicauth-secret-values.yaml", { "prometheus-pushgateway": 'e5f96dfe7ed1284a' }],
  ["prometheus-pushgateway", "servicemonitor-basicauth-values.yaml", { "prometheus-pushgateway": '8c198d98a0cc3e21' }],
  ["prometheus-pushgateway", "servicemonitor-values.yaml", { "prometheus-pushgateway": '6d91fef5a5d64bc4' }],
  ["prometheus-pushgateway", "web-config-existing-secret-values.yaml", { "prometheus-pushgateway": 'f311eb38a408fb98' }],
];

describe('values of every corpus chart and ci/ values file, against helm template v3.22.0', () => {
  test.each(RUNS)('%s with %s', async (dir, ciFile, want) => {
    const user = mergeValueOptions({ valueFiles: ciFile ? [`${CORPUS}/${dir}/ci/${ciFile}`] : [] }, nodeFileSystem);
    const chart = await loadChart(`${CORPUS}/${dir}`, nodeFileSystem);
    checkDependencies(chart);
    const processed = processDependencies(chart, user);
    const values = coalesceValues(processed, user);
    if ('error' in want) {
      expect(() => validateValues(processed, values)).toThrow(want.error as string);
      return;
    }
    validateValues(processed, values);
    const got = valuesByChart(processed, values);
    expect(Object.fromEntries(Object.keys(want).map((k) => [k, got[k]]))).toEqual(want);
  });
});
