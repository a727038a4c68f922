import type { KubeObject } from '../../../core/index.js';
import type { Health, HealthAssessor } from '../types.js';
import { conditionWith, findCondition, readConditions } from '../internal/conditions.js';
import { asInt, asList, asRecord, asString, readString } from '../internal/fields.js';

/** What we need from one entry of `status.containerStatuses` / `initContainerStatuses`. */
interface ContainerState {
  name: string;
  waitingReason: string;
  waitingMessage: string;
  terminated?: { reason: string; message: string; exitCode: number };
  lastTerminated?: { reason: string; exitCode: number };
  restartCount: number;
}

function readTerminated(value: unknown, where: string): { reason: string; message: string; exitCode: number } | undefined {
  const t = asRecord(value, where);
  if (!t) return undefined;
  return {
    reason: asString(t['reason'], `${where}.reason`),
    message: asString(t['message'], `${where}.message`),
    exitCode: asInt(t['exitCode'], `${where}.exitCode`, 0),
  };
}

/** Init containers first: when one of them fails, the main containers never start. */
function readContainerStates(pod: KubeObject): ContainerState[] {
  const out: ContainerState[] = [];
  for (const field of ['initContainerStatuses', 'containerStatuses']) {
    const where = `status.${field}`;
    const list = asList(asRecord(pod['status'], 'status')?.[field], where);
    list.forEach((item, i) => {
      const at = `${where}[${i}]`;
      const entry = asRecord(item, at) ?? {};
      const state = asRecord(entry['state'], `${at}.state`) ?? {};
      const waiting = asRecord(state['waiting'], `${at}.state.waiting`) ?? {};
      const last = asRecord(entry['lastState'], `${at}.lastState`) ?? {};
      const lastTerminated = readTerminated(last['terminated'], `${at}.lastState.terminated`);
      out.push({
        name: asString(entry['name'], `${at}.name`),
        waitingReason: asString(waiting['reason'], `${at}.state.waiting.reason`),
        waitingMessage: asString(waiting['message'], `${at}.state.waiting.message`),
        terminated: readTerminated(state['terminated'], `${at}.state.terminated`),
        lastTerminated: lastTerminated && { reason: lastTerminated.reason, exitCode: lastTerminated.exitCode },
        restartCount: asInt(entry['restartCount'], `${at}.restartCount`, 0),
      });
    });
  }
  return out;
}

/**
 * Waiting reasons that will not clear by waiting longer. The prefix/suffix test is Argo CD's
 * (gitops-engine pkg/health/health_pod.go) and catches ErrImagePull, ImagePullBackOff,
 * CrashLoopBackOff, CreateContainerConfigError, RunContainerError and friends; the kubelet's
 * InvalidImageName fits no pattern, so it is named.
 */
function isStuckReason(reason: string): boolean {
  return (
    reason.startsWith('Err') ||
    reason.endsWith('Error') ||
    reason.endsWith('BackOff') ||
    reason === 'InvalidImageName'
  );
}

function describeWaiting(c: ContainerState): string {
  return `container "${c.name}" is waiting: ${c.waitingReason}${c.waitingMessage ? ` (${c.waitingMessage})` : ''}`;
}

/** Why a finished pod failed, from the first container with something to say. */
function describeFailure(containers: readonly ContainerState[]): string | undefined {
  for (const c of containers) {
    const t = c.terminated;
    if (!t) continue;
    if (t.message) return `container "${c.name}": ${t.message}`;
    if (t.reason === 'OOMKilled') return `container "${c.name}" was OOMKilled`;
    if (t.exitCode !== 0) return `container "${c.name}" exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}`;
  }
  return undefined;
}

/**
 * Pod (core): phase first, then container states. Follows argoproj/gitops-engine
 * pkg/health/health_pod.go, including its split on restartPolicy: a pod that restarts forever
 * is a long-running workload, a pod with OnFailure/Never is a run-once task (often a hook).
 */
export const podHealth: HealthAssessor = {
  assess(obj: KubeObject): Health {
    const phase = readString(obj, 'status.phase');
    const restartPolicy = readString(obj, 'spec.restartPolicy', 'Always');
    const statusMessage = readString(obj, 'status.message');
    const statusReason = readString(obj, 'status.reason');
    const containers = readContainerStates(obj);
    const conditions = readConditions(obj);

    // Only for restartPolicy Always, as Argo CD does: a run-once pod stuck on an image pull
    // would otherwise fail a hook early, then run anyway once the image shows up.
    if (restartPolicy === 'Always') {
      const stuck = containers.filter((c) => c.waitingReason && isStuckReason(c.waitingReason));
      if (stuck.length > 0) {
        return { status: 'Degraded', message: stuck.map(describeWaiting).join('; ') };
      }
    }

    switch (phase) {
      case 'Succeeded':
        return { status: 'Healthy', message: statusMessage || 'Pod completed successfully' };
      case 'Failed': {
        // The kubelet's own summary (e.g. "Evicted: The node was low on resource: memory")
        // beats anything we can piece together from containers.
        if (statusMessage) {
          return { status: 'Degraded', message: statusReason ? `${statusReason}: ${statusMessage}` : statusMessage };
        }
        return { status: 'Degraded', message: describeFailure(containers) ?? (statusReason || 'Pod failed') };
      }
      case 'Pending': {
        const unscheduled = conditionWith(conditions, 'PodScheduled', 'False');
        if (unscheduled) {
          // kstatus calls this Failed after 15 s; we have no clock, so we keep waiting.
          return { status: 'Progressing', message: `Pod is not scheduled yet: ${unscheduled.message || unscheduled.reason}` };
        }
        const waiting = containers.find((c) => c.waitingReason);
        return {
          status: 'Progressing',
          message: statusMessage || (waiting ? describeWaiting(waiting) : 'Pod is pending'),
        };
      }
      case 'Running': {
        if (restartPolicy !== 'Always') {
          return {
            status: 'Progressing',
            message: `Pod is running; with restartPolicy ${restartPolicy} it is healthy only once it succeeds`,
          };
        }
        const ready = findCondition(conditions, 'Ready');
        if (ready?.status === 'True') {
          return { status: 'Healthy', message: statusMessage || 'Pod is running and ready' };
        }
        const restarted = containers.find((c) => c.restartCount > 0 && c.lastTerminated);
        const restarts = restarted
          ? `; container "${restarted.name}" restarted ${restarted.restartCount} times, last exit code ${restarted.lastTerminated?.exitCode ?? 0}`
          : '';
        return { status: 'Progressing', message: `Pod is running but not ready${ready?.message ? ` (${ready.message})` : ''}${restarts}` };
      }
      case '':
        return { status: 'Progressing', message: 'Waiting for the pod to be given a phase' };
      default:
        // "Unknown": the node stopped reporting, so we cannot tell either.
        return { status: 'Unknown', message: statusMessage || `Pod phase is ${phase}` };
    }
  },
};
