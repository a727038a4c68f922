import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { asRecord, asString, readList } from '../internal/fields.js';

/**
 * Ingress (networking.k8s.io, extensions): always Healthy; the message says whether an
 * address has been assigned.
 *
 * Argo CD (gitops-engine pkg/health/health_ingress.go) reports Progressing until
 * `status.loadBalancer.ingress` is set. We do not: an address appears only if an ingress
 * controller runs and chooses to publish one, which local clusters (kind, k3d, minikube
 * without the addon) and many controllers never do, so a wait would hang until its timeout.
 * Helm's --wait and kstatus (pkg/kstatus/status/core.go has no Ingress rule) do not wait
 * for it either.
 */
export const ingressHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const addresses = readList(obj, 'status.loadBalancer.ingress').map((entry, i) => {
      const where = `status.loadBalancer.ingress[${i}]`;
      const rec = asRecord(entry, where);
      return asString(rec?.['ip'], `${where}.ip`) || asString(rec?.['hostname'], `${where}.hostname`);
    });
    const shown = addresses.filter(Boolean);
    if (addresses.length === 0) {
      return { status: 'Healthy', message: 'No address assigned yet (Slipway does not wait for ingress addresses)' };
    }
    return { status: 'Healthy', message: shown.length > 0 ? `Address assigned: ${shown.join(', ')}` : 'Address assigned' };
  },
};
