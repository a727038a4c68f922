import { afterAll } from 'vitest';
import { listObjects } from '../../src/kube/index.js';
import type { NamespaceSuite } from './helpers.js';

/**
 * A pre-upgrade hook that waits until the test labels a node (the "gate"), so an upgrade
 * can be held in the middle for as long as a test needs. Rendered when `.Values.gate` holds
 * the label key ({@link ReleaseGate.gateKey}).
 */
export const GATE_TEMPLATE = `{{- if .Values.gate }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-gate
  annotations: {helm.sh/hook: pre-upgrade, helm.sh/hook-delete-policy: "before-hook-creation,hook-succeeded"}
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {{ printf "{%q: \\"open\\"}" .Values.gate }}
      containers: [{name: c, image: busybox}]
{{- end }}
`;

export interface ReleaseGate {
  /** The node label the gate hook waits for, one per suite namespace. */
  gateKey: () => string;
  /** Opens (labels the fake node) or closes the gate. */
  gate: (open: boolean) => Promise<void>;
}

/** The gate of a suite; it is closed again after the suite (registered with afterAll). */
export function useGate({ client, ns }: Pick<NamespaceSuite, 'client' | 'ns'>): ReleaseGate {
  const gateKey = () => `slipway-test/gate-${ns()}`;
  async function gate(open: boolean): Promise<void> {
    const node = (await listObjects(client(), 'v1', 'Node')).items.find((n) => n.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake')!;
    await client().request('PATCH', `/api/v1/nodes/${node.metadata.name}`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { [gateKey()]: open ? 'open' : null } } },
    });
  }
  afterAll(async () => {
    await gate(false).catch(() => undefined);
  });
  return { gateKey, gate };
}
