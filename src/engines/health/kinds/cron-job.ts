import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { readBool, readList, readString } from '../internal/fields.js';

/**
 * CronJob (batch): a schedule, not a workload, so only suspension matters. The Jobs it starts
 * carry their own health. kstatus (pkg/kstatus/status/core.go) calls every CronJob ready;
 * Argo CD's "Suspended" comes from its health docs' own example.
 */
export const cronJobHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    if (readBool(obj, 'spec.suspend')) {
      return { status: 'Suspended', message: 'CronJob is suspended' };
    }
    const active = readList(obj, 'status.active').length;
    const last = readString(obj, 'status.lastScheduleTime');
    const schedule = readString(obj, 'spec.schedule');
    const parts = [`schedule "${schedule}"`, `${active} active`];
    parts.push(last ? `last scheduled at ${last}` : 'not scheduled yet');
    return { status: 'Healthy', message: `CronJob: ${parts.join(', ')}` };
  },
};
