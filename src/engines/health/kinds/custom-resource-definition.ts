import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { conditionWith, findCondition, readConditions } from '../internal/conditions.js';

/**
 * CustomResourceDefinition (apiextensions.k8s.io): usable once Established. Names that clash
 * with another CRD never get accepted, so that is Degraded. Follows the CRD rule in
 * kubernetes-sigs/cli-utils pkg/kstatus/status/core.go (crdConditions) and argoproj/gitops-engine
 * pkg/health/health_customresourcedefinition.go.
 */
export const customResourceDefinitionHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const conditions = readConditions(obj);
    const rejected = conditionWith(conditions, 'NamesAccepted', 'False');
    if (rejected) {
      return { status: 'Degraded', message: `CRD names were not accepted: ${rejected.message || rejected.reason}` };
    }
    if (conditionWith(conditions, 'Established', 'True')) {
      return { status: 'Healthy', message: 'CRD is established' };
    }
    const established = findCondition(conditions, 'Established');
    return {
      status: 'Progressing',
      message: `Waiting for the CRD to be established${established?.message ? `: ${established.message}` : ''}`,
    };
  },
};
