import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { asRecord, asString, readList, readString } from '../internal/fields.js';

/**
 * Service (core): only a LoadBalancer has something to wait for, its address. Follows
 * argoproj/gitops-engine pkg/health/health_service.go; Helm's --wait does the same.
 */
export const serviceHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const type = readString(obj, 'spec.type', 'ClusterIP');
    if (type !== 'LoadBalancer') {
      return { status: 'Healthy', message: `${type} service` };
    }
    const ingress = readList(obj, 'status.loadBalancer.ingress');
    if (ingress.length === 0) {
      return { status: 'Progressing', message: 'Waiting for the load balancer to be given an address' };
    }
    const first = asRecord(ingress[0], 'status.loadBalancer.ingress[0]');
    const address =
      asString(first?.['ip'], 'status.loadBalancer.ingress[0].ip') ||
      asString(first?.['hostname'], 'status.loadBalancer.ingress[0].hostname');
    return { status: 'Healthy', message: address ? `Load balancer address: ${address}` : 'Load balancer address assigned' };
  },
};
