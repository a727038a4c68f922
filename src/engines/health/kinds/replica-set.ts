import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { conditionWith, describeCondition, readConditions } from '../internal/conditions.js';
import { readInt } from '../internal/fields.js';
import { count, generationNotObserved } from '../internal/text.js';

/**
 * ReplicaSet (apps) and ReplicationController (core): the two share their status fields and
 * the ReplicaFailure condition. Follows argoproj/gitops-engine pkg/health/health_replicaset.go.
 */
export const replicaSetHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const words = obj.kind === 'ReplicationController' ? 'replication controller' : 'replica set';
    if (readInt(obj, 'metadata.generation', 0) > readInt(obj, 'status.observedGeneration', 0)) {
      return { status: 'Progressing', message: generationNotObserved(words) };
    }
    // ReplicaFailure means pods could not be created at all (quota, admission, bad template).
    const failure = conditionWith(readConditions(obj), 'ReplicaFailure', 'True');
    if (failure) {
      return { status: 'Degraded', message: describeCondition(failure, 'Pods could not be created') };
    }
    const desired = readInt(obj, 'spec.replicas', 1);
    const available = readInt(obj, 'status.availableReplicas', 0);
    if (available < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${available} out of ${count(desired, 'replica')} are available`,
      };
    }
    return {
      status: 'Healthy',
      message: desired === 0 ? `The ${words} is scaled to zero` : `${available} of ${count(desired, 'replica')} available`,
    };
  },
};
