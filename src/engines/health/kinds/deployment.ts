import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { findCondition, readConditions } from '../internal/conditions.js';
import { readBool, readInt } from '../internal/fields.js';
import { count, generationNotObserved } from '../internal/text.js';

/**
 * Deployment (apps): paused, then rollout progress as `kubectl rollout status` reads it.
 * Same order of checks as argoproj/gitops-engine pkg/health/health_deployment.go.
 */
export const deploymentHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    if (readBool(obj, 'spec.paused')) {
      return { status: 'Suspended', message: 'Deployment is paused' };
    }
    // Every number below describes the spec the controller last saw; until it has seen the
    // current one they may describe the previous rollout.
    if (readInt(obj, 'metadata.generation', 0) > readInt(obj, 'status.observedGeneration', 0)) {
      return { status: 'Progressing', message: generationNotObserved('deployment') };
    }
    const progressing = findCondition(readConditions(obj), 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      const detail = progressing.message ? `: ${progressing.message}` : '';
      return { status: 'Degraded', message: `Deployment exceeded its progress deadline${detail}` };
    }

    const desired = readInt(obj, 'spec.replicas', 1); // the apiserver's default
    const total = readInt(obj, 'status.replicas', 0);
    const updated = readInt(obj, 'status.updatedReplicas', 0);
    const available = readInt(obj, 'status.availableReplicas', 0);
    if (updated < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${updated} out of ${count(desired, 'new replica')} have been updated`,
      };
    }
    if (total > updated) {
      const old = total - updated;
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${count(old, 'old replica')} ${old === 1 ? 'is' : 'are'} pending termination`,
      };
    }
    if (available < updated) {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${available} of ${count(updated, 'updated replica')} are available`,
      };
    }
    return {
      status: 'Healthy',
      message: desired === 0 ? 'Deployment is scaled to zero' : `${available} of ${count(desired, 'replica')} available`,
    };
  },
};
