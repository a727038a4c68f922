import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { readString } from '../internal/fields.js';

/**
 * Namespace (core): Active or Terminating. A terminating namespace usually also has a
 * deletionTimestamp, which `assessHealth` reports first; this covers the phase on its own.
 */
export const namespaceHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    if (readString(obj, 'status.phase') === 'Terminating') {
      return { status: 'Progressing', message: 'Namespace is terminating' };
    }
    return { status: 'Healthy', message: 'Namespace is active' };
  },
};
