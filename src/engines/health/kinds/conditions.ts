import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { conditionWith, describeCondition, findCondition, readConditions } from '../internal/conditions.js';
import { lookup, readInt, readRecord } from '../internal/fields.js';

/** Ready=False reasons that name a failure rather than work in progress (Flux: InstallFailed, ...). */
const FAILURE_REASON = /fail|error/i;

/**
 * Any other object with a status: kstatus's generic rules from
 * kubernetes-sigs/cli-utils pkg/kstatus/status/generic.go, extended with the Ready condition that
 * Flux, cert-manager, Crossplane and most operators set. In order:
 * observedGeneration behind metadata.generation is Progressing; Stalled=True is Degraded;
 * Reconciling=True is Progressing; Ready=False is Degraded if its reason names a failure, else
 * Progressing; Ready=True is Healthy, any other Ready status Progressing; none of these
 * conditions at all is Healthy, as kstatus decides.
 * Returns undefined for objects without a status object, leaving them to the caller.
 */
export const conditionsHealth: HealthAssessor = {
  assess(obj: KubeObject): Health | undefined {
    if (!readRecord(obj, 'status')) return undefined;
    const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : 'Object';

    // Only when both numbers exist: many CRDs never write observedGeneration.
    if (lookup(obj, 'metadata.generation') !== undefined && lookup(obj, 'status.observedGeneration') !== undefined) {
      const generation = readInt(obj, 'metadata.generation', 0);
      const observed = readInt(obj, 'status.observedGeneration', 0);
      if (observed < generation) {
        return {
          status: 'Progressing',
          message: `${kind} generation is ${generation}, but the controller has observed only ${observed}`,
        };
      }
    }

    const conditions = readConditions(obj);
    const stalled = conditionWith(conditions, 'Stalled', 'True');
    if (stalled) return { status: 'Degraded', message: describeCondition(stalled, `${kind} is stalled`) };
    const reconciling = conditionWith(conditions, 'Reconciling', 'True');
    if (reconciling) return { status: 'Progressing', message: describeCondition(reconciling, `${kind} is reconciling`) };

    const notReady = conditionWith(conditions, 'Ready', 'False');
    if (notReady) {
      // Stalled=True would have returned above, so only the reason can tell a failure apart.
      const failed = FAILURE_REASON.test(notReady.reason);
      return { status: failed ? 'Degraded' : 'Progressing', message: describeCondition(notReady, `${kind} is not ready`) };
    }
    const ready = findCondition(conditions, 'Ready');
    if (ready?.status === 'True') return { status: 'Healthy', message: describeCondition(ready, `${kind} is ready`) };
    // Ready=Unknown: the controller has picked the object up but not reached a verdict yet.
    if (ready) return { status: 'Progressing', message: describeCondition(ready, `${kind} readiness is not known yet`) };
    return { status: 'Healthy', message: `${kind} reports no Ready, Reconciling or Stalled condition` };
  },
};
