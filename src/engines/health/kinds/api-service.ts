import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { describeCondition, findCondition, readConditions } from '../internal/conditions.js';

/**
 * APIService (apiregistration.k8s.io): the aggregator's Available condition. Follows
 * argoproj/gitops-engine pkg/health/health_apiservice.go: not available yet is Progressing,
 * because the backing Service usually comes up a little after the APIService is registered.
 */
export const apiServiceHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const available = findCondition(readConditions(obj), 'Available');
    if (!available) {
      return { status: 'Progressing', message: 'Waiting for the aggregator to check the API service' };
    }
    const text = describeCondition(available, available.status === 'True' ? 'Available' : 'Not available');
    return { status: available.status === 'True' ? 'Healthy' : 'Progressing', message: text };
  },
};
