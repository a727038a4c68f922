import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { readString } from '../internal/fields.js';

/**
 * PersistentVolumeClaim (core): its phase. Follows argoproj/gitops-engine
 * pkg/health/health_pvc.go, except that a claim with no phase yet is Progressing (as kstatus
 * pvcConditions has it) rather than Unknown.
 */
export const persistentVolumeClaimHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const phase = readString(obj, 'status.phase');
    switch (phase) {
      case 'Bound': {
        const volume = readString(obj, 'spec.volumeName');
        return { status: 'Healthy', message: volume ? `Bound to volume ${volume}` : 'Bound' };
      }
      case 'Pending':
      case '':
        // The claim object gives no hint of its storage class's binding mode, so say both.
        return {
          status: 'Progressing',
          message: 'Waiting for the claim to be bound (with a WaitForFirstConsumer storage class, only once a pod uses it)',
        };
      case 'Lost':
        return { status: 'Degraded', message: 'Claim lost its volume: the bound PersistentVolume no longer exists' };
      default:
        return { status: 'Unknown', message: `Claim phase is ${phase}` };
    }
  },
};
