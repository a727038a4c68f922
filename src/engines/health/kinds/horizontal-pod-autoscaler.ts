import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { type Condition, conditionWith, describeCondition, parseConditions, readConditions } from '../internal/conditions.js';
import { MalformedFieldError, asString, lookup, readRecord } from '../internal/fields.js';

/** autoscaling/v1 has no conditions field; the controller stores them JSON-encoded here. */
const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

/** Reasons that mean the autoscaler is misconfigured and will stay so (gitops-engine health_hpa.go). */
const BROKEN = new Set(['AbleToScale/FailedGetScale', 'AbleToScale/FailedUpdateScale', 'ScalingActive/InvalidSelector']);

function readHpaConditions(obj: KubeObject): Condition[] {
  if (lookup(obj, 'status.conditions') !== undefined) return readConditions(obj);
  const where = `metadata.annotations["${V1_CONDITIONS_ANNOTATION}"]`;
  const raw = asString(readRecord(obj, 'metadata.annotations')?.[V1_CONDITIONS_ANNOTATION], where);
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new MalformedFieldError(`${where} is not valid JSON`);
  }
  return parseConditions(parsed, where);
}

/**
 * HorizontalPodAutoscaler (autoscaling, v1 and v2): its AbleToScale and ScalingActive
 * conditions. Broadly follows argoproj/gitops-engine pkg/health/health_hpa.go, but a metric
 * that cannot be read is Healthy with a warning rather than Degraded: right after a rollout, and
 * on clusters with no metrics-server, that is normal, and it does not stop the workload.
 */
export const horizontalPodAutoscalerHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const conditions = readHpaConditions(obj);
    const broken = conditions.find((c) => c.status === 'False' && BROKEN.has(`${c.type}/${c.reason}`));
    if (broken) {
      return { status: 'Degraded', message: describeCondition(broken) };
    }
    if (!conditionWith(conditions, 'AbleToScale', 'True')) {
      return { status: 'Progressing', message: 'Waiting for the autoscaler to read its target' };
    }
    const inactive = conditionWith(conditions, 'ScalingActive', 'False');
    if (inactive) {
      return { status: 'Healthy', message: `Autoscaling is not active: ${describeCondition(inactive)}` };
    }
    const limited = conditionWith(conditions, 'ScalingLimited', 'True');
    return { status: 'Healthy', message: limited ? describeCondition(limited) : 'Autoscaler is active' };
  },
};
