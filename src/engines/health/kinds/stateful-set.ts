import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { readInt, readString } from '../internal/fields.js';
import { count, generationNotObserved } from '../internal/text.js';

/**
 * StatefulSet (apps): observed generation, readiness, then the update strategy's own notion of
 * "rolled out". Follows argoproj/gitops-engine pkg/health/health_statefulset.go, plus the
 * scale-down check from kubernetes-sigs/cli-utils pkg/kstatus/status/core.go (stsConditions).
 */
export const statefulSetHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const generation = readInt(obj, 'metadata.generation', 0);
    const observed = readInt(obj, 'status.observedGeneration', 0);
    // A missing observedGeneration means the controller has not written status at all yet.
    if (observed === 0 || generation > observed) {
      return { status: 'Progressing', message: generationNotObserved('statefulset') };
    }

    const desired = readInt(obj, 'spec.replicas', 1);
    const ready = readInt(obj, 'status.readyReplicas', 0);
    if (ready < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for ${count(desired - ready, 'pod')} to be ready (${ready} of ${desired} ready)`,
      };
    }

    // OnDelete leaves updating pods to the user, so there is no rollout to wait for; readiness
    // (checked above) is all that is left.
    const strategy = readString(obj, 'spec.updateStrategy.type', 'RollingUpdate');
    if (strategy === 'OnDelete') {
      return {
        status: 'Healthy',
        message: `${count(ready, 'pod')} ready; OnDelete update strategy updates pods only when they are deleted`,
      };
    }

    // Scale-down removes pods one at a time, highest ordinal first; the extra pods still count
    // in status.replicas until they are gone.
    const current = readInt(obj, 'status.replicas', 0);
    if (current > desired) {
      return {
        status: 'Progressing',
        message: `Waiting for ${count(current - desired, 'extra pod')} to terminate (scaling down to ${desired})`,
      };
    }

    const updated = readInt(obj, 'status.updatedReplicas', 0);
    const partition = readInt(obj, 'spec.updateStrategy.rollingUpdate.partition', 0);
    if (partition > 0) {
      // Only ordinals >= partition are updated; the rest stay on the old revision on purpose.
      const target = Math.max(desired - partition, 0);
      if (updated < target) {
        return {
          status: 'Progressing',
          message: `Waiting for partitioned roll out to finish: ${updated} out of ${count(target, 'new pod')} have been updated`,
        };
      }
      return {
        status: 'Healthy',
        message: `Partitioned roll out complete: ${updated} of ${count(desired, 'pod')} updated (partition ${partition})`,
      };
    }

    const updateRevision = readString(obj, 'status.updateRevision');
    const currentRevision = readString(obj, 'status.currentRevision');
    const atRevision = updateRevision ? ` at revision ${updateRevision}` : '';
    if (updated < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for rolling update to finish: ${updated} out of ${count(desired, 'pod')} updated${atRevision}`,
      };
    }
    // The controller moves currentRevision forward only once every pod is updated and ready.
    if (currentRevision !== updateRevision) {
      return {
        status: 'Progressing',
        message: `Waiting for rolling update to finish: current revision ${currentRevision || '(none)'}, update revision ${updateRevision || '(none)'}`,
      };
    }
    return {
      status: 'Healthy',
      message: desired === 0 ? 'StatefulSet is scaled to zero' : `${ready} of ${count(desired, 'pod')} ready${atRevision}`,
    };
  },
};
