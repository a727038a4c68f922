import type { KubeObject } from '../../core/index.js';

/**
 * Health of one object, in Argo CD's words. `Missing` is for an object that should exist
 * and does not; `Suspended` for paused/suspended workloads.
 */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Suspended' | 'Degraded' | 'Missing' | 'Unknown';

/** The verdict on one object: a status and the reason for it. */
export interface Health {
  status: HealthStatus;
  /** Why, in one line, e.g. "Waiting for rollout to finish: 1 of 3 updated replicas are available". */
  message: string;
}

/** One health rule for one kind (or a family of kinds). */
export interface HealthAssessor {
  /** Returns undefined when the rule has no opinion about this object. */
  assess(obj: KubeObject): Health | undefined;
}
