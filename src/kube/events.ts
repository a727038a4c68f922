import { SlipwayError, type KubeObject } from '../core/index.js';
import type { KubeClient } from './client.js';
import { apiVersionOf, type ObjectRef } from './objects.js';
import { mergePatch } from './patch.js';

/** One event to record. */
export interface EventInput {
  type: 'Normal' | 'Warning';
  /** One CamelCase word: ReconciliationSucceeded, BuildFailed, ApplyFailed, PruneFailed, HealthCheckFailed… */
  reason: string;
  message: string;
}

/** Options of {@link EventRecorder}. */
export interface EventRecorderOptions {
  /** `source.component` / `reportingComponent`. @default 'slipway' */
  component?: string;
  /** `reportingInstance`, e.g. the pod name. @default the host name */
  instance?: string;
  /** Repeats of the same event within this window bump its count instead of making a new one. @default 600000 */
  aggregateMs?: number;
  clock?: () => Date;
  /** Called when an event cannot be written; recording never throws. */
  onError?: (error: unknown) => void;
}

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

/**
 * Writes core/v1 Events about objects, as client-go's record.EventRecorder does: named
 * `<object>.<hex nanoseconds>`, in the object's namespace ('default' for cluster-scoped
 * objects), and the same reason and message on the same object within the aggregation window
 * bump `count` and `lastTimestamp` of the first event rather than adding one. Failures are
 * reported to `onError` and otherwise ignored: an event is never worth failing a sync for.
 */
export class EventRecorder {
  private readonly recent = new Map<string, Recorded>();

  constructor(
    private readonly client: KubeClient,
    private readonly options: EventRecorderOptions = {},
  ) {}

  /** Records one event about `object` (a live object, whose uid is kept, or a ref). */
  async record(object: KubeObject | ObjectRef, event: EventInput): Promise<void> {
    const involved = involvedObject(object);
    const now = (this.options.clock ?? (() => new Date()))();
    const id = `${involved.apiVersion}|${involved.kind}|${involved.namespace ?? ''}|${involved.name}|${event.type}|${event.reason}|${event.message}`;
    const namespace = involved.namespace || 'default';
    try {
      const seen = this.recent.get(id);
      if (seen && now.getTime() - seen.at < (this.options.aggregateMs ?? 600_000)) {
        seen.count++;
        seen.at = now.getTime();
        const ref: ObjectRef = { group: '', version: 'v1', kind: 'Event', namespace: seen.namespace, name: seen.name };
        await mergePatch(this.client, ref, { count: seen.count, lastTimestamp: iso(now) });
        return;
      }
      const name = `${involved.name}.${(BigInt(now.getTime()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`;
      const component = this.options.component ?? 'slipway';
      await this.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject: involved,
          type: event.type,
          reason: event.reason,
          message: event.message.slice(0, 1024),
          source: { component },
          reportingComponent: component,
          reportingInstance: this.options.instance ?? process.env.HOSTNAME ?? component,
          firstTimestamp: iso(now),
          lastTimestamp: iso(now),
          count: 1,
        },
      });
      this.recent.set(id, { name, namespace, count: 1, at: now.getTime() });
      if (this.recent.size > 1000) this.recent.delete(this.recent.keys().next().value!);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      this.recent.delete(id);
      this.options.onError?.(e);
    }
  }
}

function involvedObject(o: KubeObject | ObjectRef): { apiVersion: string; kind: string; name: string; namespace?: string; uid?: string } {
  if ('metadata' in o) {
    return {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name ?? '',
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      ...(o.metadata.uid ? { uid: o.metadata.uid } : {}),
    };
  }
  return { apiVersion: apiVersionOf(o), kind: o.kind, name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) };
}

// Event timestamps are metav1.Time: seconds precision.
function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
