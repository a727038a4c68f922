import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { conditionWith, describeCondition, readConditions } from '../internal/conditions.js';
import { readBool, readInt, readString } from '../internal/fields.js';

/**
 * Job (batch): its terminal conditions, then suspension, else running. Follows
 * argoproj/gitops-engine pkg/health/health_job.go and the Job part of
 * kubernetes-sigs/cli-utils pkg/kstatus/status/core.go (jobConditions).
 */
export const jobHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const conditions = readConditions(obj);
    const failed = conditionWith(conditions, 'Failed', 'True');
    if (failed) {
      return { status: 'Degraded', message: describeCondition(failed, 'Job failed') };
    }
    // Kubernetes 1.31+ sets FailureTarget as soon as the outcome is decided, and Failed only
    // after the last pod has terminated. The outcome cannot change, so report it now.
    const failing = conditionWith(conditions, 'FailureTarget', 'True');
    if (failing) {
      return { status: 'Degraded', message: `${describeCondition(failing, 'Job failed')} (pods still terminating)` };
    }
    const complete = conditionWith(conditions, 'Complete', 'True');
    if (complete) {
      const succeeded = readInt(obj, 'status.succeeded', 0);
      return { status: 'Healthy', message: complete.message || `Job completed: ${succeeded} succeeded` };
    }
    // SuccessCriteriaMet is the success twin of FailureTarget. We wait for Complete so the
    // next step does not start while this Job's pods still run; the gap is short.
    const succeeding = conditionWith(conditions, 'SuccessCriteriaMet', 'True');
    if (succeeding) {
      return { status: 'Progressing', message: 'Job met its success criteria; waiting for its remaining pods to finish' };
    }
    if (readBool(obj, 'spec.suspend')) {
      return { status: 'Suspended', message: 'Job is suspended' };
    }
    if (!readString(obj, 'status.startTime')) {
      return { status: 'Progressing', message: 'Job has not started yet' };
    }
    const active = readInt(obj, 'status.active', 0);
    const succeeded = readInt(obj, 'status.succeeded', 0);
    const failedPods = readInt(obj, 'status.failed', 0);
    return {
      status: 'Progressing',
      message: `Job is running: ${active} active, ${succeeded} succeeded, ${failedPods} failed`,
    };
  },
};
