import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { readInt, readString } from '../internal/fields.js';
import { count, generationNotObserved } from '../internal/text.js';

/**
 * DaemonSet (apps): observed generation, then updated and available pods against the number
 * of nodes that should run one. Follows argoproj/gitops-engine pkg/health/health_daemonset.go.
 */
export const daemonSetHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    if (readInt(obj, 'metadata.generation', 0) > readInt(obj, 'status.observedGeneration', 0)) {
      return { status: 'Progressing', message: generationNotObserved('daemon set') };
    }
    const desired = readInt(obj, 'status.desiredNumberScheduled', 0);
    const updated = readInt(obj, 'status.updatedNumberScheduled', 0);
    const available = readInt(obj, 'status.numberAvailable', 0);

    // With OnDelete the user replaces pods; the controller never finishes a rollout on its own.
    if (readString(obj, 'spec.updateStrategy.type', 'RollingUpdate') === 'OnDelete') {
      return {
        status: 'Healthy',
        message: `${updated} out of ${count(desired, 'pod')} updated; OnDelete update strategy updates pods only when they are deleted`,
      };
    }
    if (updated < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for daemon set rollout to finish: ${updated} out of ${count(desired, 'new pod')} have been updated`,
      };
    }
    if (available < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for daemon set rollout to finish: ${available} of ${count(desired, 'updated pod')} are available`,
      };
    }
    return {
      status: 'Healthy',
      message: desired === 0 ? 'No nodes are scheduled to run this daemon set' : `${available} of ${count(desired, 'pod')} available`,
    };
  },
};
