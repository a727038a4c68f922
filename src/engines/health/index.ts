/**
 * health — decides whether one live Kubernetes object is Healthy, Progressing, Suspended,
 * Degraded or Unknown, with a one-line reason, and folds many of those into one verdict.
 *
 * Pure: it reads the object it is given and nothing else. It must not import anything outside
 * `src/core` (no kube client, no clock, no fs, no network); waiting and polling belong to `kube/`.
 *
 * Behaviour is copied from argoproj/gitops-engine `pkg/health/` (one `health_<kind>.go` per
 * kind, `health.go` for the order of statuses) and, for objects no kind rule covers,
 * kubernetes-sigs/cli-utils `pkg/kstatus/status/generic.go`. `kinds/` holds one file per Kind,
 * named after it in kebab-case, plus `conditions.ts` for the generic rule; each says where it
 * departs from upstream and why.
 */
import { splitApiVersion, type KubeObject } from '../../core/index.js';
import type { Health, HealthAssessor, HealthStatus } from './types.js';
import { MalformedFieldError, describeType, isRecord, readList, readString } from './internal/fields.js';
import { apiServiceHealth } from './kinds/api-service.js';
import { conditionsHealth } from './kinds/conditions.js';
import { cronJobHealth } from './kinds/cron-job.js';
import { customResourceDefinitionHealth } from './kinds/custom-resource-definition.js';
import { daemonSetHealth } from './kinds/daemon-set.js';
import { deploymentHealth } from './kinds/deployment.js';
import { horizontalPodAutoscalerHealth } from './kinds/horizontal-pod-autoscaler.js';
import { ingressHealth } from './kinds/ingress.js';
import { jobHealth } from './kinds/job.js';
import { namespaceHealth } from './kinds/namespace.js';
import { persistentVolumeClaimHealth } from './kinds/persistent-volume-claim.js';
import { podHealth } from './kinds/pod.js';
import { replicaSetHealth } from './kinds/replica-set.js';
import { serviceHealth } from './kinds/service.js';
import { statefulSetHealth } from './kinds/stateful-set.js';

export * from './types.js';

/**
 * The kind rules, keyed by {@link healthRuleKey}: "group/Kind", and the bare Kind for the core
 * group ("Pod", "apps/Deployment"), the spelling kstatus uses in
 * kubernetes-sigs/cli-utils pkg/kstatus/status/core.go. The version is left out on purpose: a
 * rule reads fields that every served version of its kind shares.
 */
export const healthAssessors: ReadonlyMap<string, HealthAssessor> = new Map<string, HealthAssessor>([
  ['Pod', podHealth],
  ['Service', serviceHealth],
  ['PersistentVolumeClaim', persistentVolumeClaimHealth],
  ['ReplicationController', replicaSetHealth],
  ['Namespace', namespaceHealth],
  ['apps/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['batch/Job', jobHealth],
  ['batch/CronJob', cronJobHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['extensions/Ingress', ingressHealth],
  ['autoscaling/HorizontalPodAutoscaler', horizontalPodAutoscalerHealth],
  ['apiextensions.k8s.io/CustomResourceDefinition', customResourceDefinitionHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
]);

/** The {@link healthAssessors} key of an object: "apps/Deployment", or "Pod" for the core group. */
export function healthRuleKey(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const group = typeof obj.apiVersion === 'string' ? splitApiVersion(obj.apiVersion).group : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  return group ? `${group}/${kind}` : kind;
}

/**
 * The health of one live object. Checks, in order: pending deletion (as gitops-engine
 * health.go does for every kind), the kind rule from {@link healthAssessors}, the generic
 * conditions rule, and otherwise Healthy, since an object with no status and no rule
 * (ConfigMap, Secret, RBAC) is done once it exists.
 *
 * Never throws: a field of the wrong type gives Unknown with the field named in the message.
 * Never returns Missing either; that is for the caller, which knows an object should exist.
 * Messages do not repeat the object's kind and name; callers print those.
 */
export function assessHealth(obj: KubeObject): Health {
  try {
    if (!isRecord(obj)) {
      return { status: 'Unknown', message: `Cannot assess health: expected an object, got ${describeType(obj)}` };
    }
    if (readString(obj, 'metadata.deletionTimestamp')) {
      const finalizers = readList(obj, 'metadata.finalizers').filter((f): f is string => typeof f === 'string');
      return {
        status: 'Progressing',
        message: finalizers.length > 0 ? `Pending deletion (finalizers: ${finalizers.join(', ')})` : 'Pending deletion',
      };
    }
    const byKind = healthAssessors.get(healthRuleKey(obj))?.assess(obj);
    if (byKind) return byKind;
    const byConditions = conditionsHealth.assess(obj);
    if (byConditions) return byConditions;
    return { status: 'Healthy', message: 'Exists; this kind has no status to assess' };
  } catch (err) {
    if (err instanceof MalformedFieldError) {
      return { status: 'Unknown', message: `Cannot assess health: ${err.message}` };
    }
    // A bug in a rule must not take down a reconcile loop that is assessing hundreds of objects.
    const detail = err instanceof Error ? err.message : String(err);
    return { status: 'Unknown', message: `Cannot assess health: unexpected error: ${detail}` };
  }
}

/**
 * Best to worst, the order argoproj/gitops-engine pkg/health/health.go (healthOrder) uses.
 * Unknown ranks worst there, and so here: an object we cannot judge must not let the whole
 * set pass as healthy.
 */
const HEALTH_ORDER: readonly HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/**
 * The worst of several statuses, for the health of an app or release as a whole:
 * Healthy < Suspended < Progressing < Missing < Degraded < Unknown. An empty list is Healthy.
 */
export function worstHealth(healths: readonly HealthStatus[]): HealthStatus {
  let worst: HealthStatus = 'Healthy';
  for (const h of healths) {
    if (HEALTH_ORDER.indexOf(h) > HEALTH_ORDER.indexOf(worst)) worst = h;
  }
  return worst;
}

/**
 * True for Healthy and Degraded: the states a waiter stops on, as kstatus waits stop on Current
 * and Failed. Progressing, Suspended, Missing and Unknown may still change.
 */
export function isTerminalHealth(status: HealthStatus): boolean {
  return status === 'Healthy' || status === 'Degraded';
}
