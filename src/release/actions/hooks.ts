import { SlipwayError, formatError, type KubeObject } from '../../core/index.js';
import { parseManifests } from '../../engines/yaml/index.js';
import { getObject, listObjects, type KubeClient, type ObjectRef } from '../../kube/index.js';
import type { HelmHook, Release } from '../storage/index.js';
import { HookFailedError } from './errors.js';
import { isTransient, sleep } from './internal/async.js';
import { goTimeText } from '../storage/index.js';
import { createObject, deleteResources, resolveResources, waitDeleted, type ReleaseResource } from './resources.js';

/** What running hooks needs besides the release. */
export interface HookRunContext {
  client: KubeClient;
  /** The release namespace: hook objects that name none go there. */
  namespace: string;
  /** For each hook: creation to completion, and each deletion. */
  timeoutMs: number;
  /** Stores the release; called when a hook starts, so `helm status` shows it running. */
  record: () => Promise<void>;
  now: () => Date;
  /** Receives container logs of hooks whose `helm.sh/hook-output-log-policy` asks for them. */
  onLog?: (namespace: string, pod: string, container: string, text: string) => void;
  log?: (message: string) => void;
  signal?: AbortSignal;
}

/** helm's hookByWeight: weight, then name; stable, so the kind order of rendering breaks ties. */
export function sortHooks(hooks: readonly HelmHook[]): HelmHook[] {
  return [...hooks].sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0) || ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0));
}

/**
 * Runs the hooks of one event as helm's Configuration.execHook does: sorted by weight then
 * name; each one first deleted if its policy says before-hook-creation (the default when it
 * names none), created, and, for Jobs and Pods, waited on until it completes (a failed Job
 * or Pod fails the event). After a failure: logs by policy, the failed hook deleted if it
 * says hook-failed, the hooks that ran before it deleted if they say hook-succeeded. After
 * success, in reverse order: logs by policy, and hook-succeeded deletions. Each hook's
 * last_run is written into the release, which is recorded when the hook starts.
 */
export async function execHooks(rel: Release, event: string, ctx: HookRunContext): Promise<void> {
  const executing = sortHooks(rel.hooks.filter((h) => h.events?.includes(event)));
  for (let i = 0; i < executing.length; i++) {
    const h = executing[i]!;
    if (!h.delete_policies || h.delete_policies.length === 0) h.delete_policies = ['before-hook-creation'];
    await deleteHookByPolicy(h, 'before-hook-creation', ctx);
    let resources: ReleaseResource[];
    try {
      resources = await resolveResources(ctx.client, parseManifests(h.manifest ?? '', h.path ?? ''), ctx.namespace);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      throw new HookFailedError(`unable to build kubernetes object for ${event} hook ${h.path}: ${formatError(e)}`, undefined, { cause: e });
    }
    h.last_run = { started_at: goTimeText(ctx.now()), completed_at: '', phase: 'Running' };
    await ctx.record();
    h.last_run.phase = 'Unknown';
    try {
      for (const r of resources) await createObject(ctx.client, r.manifest.object, r.ref, ctx.signal);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      h.last_run.completed_at = goTimeText(ctx.now());
      h.last_run.phase = 'Failed';
      throw new HookFailedError(`warning: Hook ${event} ${h.path} failed: ${e.message}`, undefined, { cause: e });
    }
    try {
      for (const r of resources) await watchUntilReady(ctx.client, r.ref, ctx.timeoutMs, ctx.signal);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      h.last_run.completed_at = goTimeText(ctx.now());
      h.last_run.phase = 'Failed';
      await outputLogsByPolicy(h, 'hook-failed', ctx).catch((le: Error) => ctx.log?.(`error outputting logs for hook failure: ${le.message}`));
      await deleteHookByPolicy(h, 'hook-failed', ctx).catch((de: Error) => ctx.log?.(`error deleting the hook resource on hook failure: ${de.message}`));
      for (const done of executing.slice(0, i)) await deleteHookByPolicy(done, 'hook-succeeded', ctx);
      throw e;
    }
    h.last_run.completed_at = goTimeText(ctx.now());
    h.last_run.phase = 'Succeeded';
  }
  for (let i = executing.length - 1; i >= 0; i--) {
    const h = executing[i]!;
    await outputLogsByPolicy(h, 'hook-succeeded', ctx).catch((le: Error) => ctx.log?.(`error outputting logs for hook: ${le.message}`));
    await deleteHookByPolicy(h, 'hook-succeeded', ctx);
  }
}

/** helm's deleteHookByPolicy: CRD hooks are never deleted; others are when they carry the policy, and waited for. */
async function deleteHookByPolicy(h: HelmHook, policy: string, ctx: HookRunContext): Promise<void> {
  if (h.kind === 'CustomResourceDefinition' || !h.delete_policies?.includes(policy)) return;
  const resources = await resolveResources(ctx.client, parseManifests(h.manifest ?? '', h.path ?? ''), ctx.namespace, { skipUnknown: true });
  const refs = resources.map((r) => r.ref);
  const { errors } = await deleteResources(ctx.client, refs, { signal: ctx.signal });
  if (errors.length > 0) throw new HookFailedError(errors.map((e) => e.message).join('; '));
  await waitDeleted(ctx.client, refs, ctx.timeoutMs, ctx.signal);
}

/**
 * helm's watchUntilReady for a hook: a Job until its Complete or Failed condition, a Pod
 * until it Succeeded or Failed, anything else at once. An object that is deleted meanwhile
 * counts as done, as in helm.
 */
async function watchUntilReady(client: KubeClient, ref: ObjectRef, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const isJob = ref.group === 'batch' && ref.kind === 'Job';
  const isPod = ref.group === '' && ref.kind === 'Pod';
  if (!isJob && !isPod) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let obj: KubeObject | undefined = { apiVersion: '', kind: '', metadata: {} };
    try {
      obj = await getObject(client, ref, signal);
    } catch (e) {
      // the apiserver restarting: look again on the next round
      if (!isTransient(e)) throw e;
    }
    if (obj === undefined) return; // deleted meanwhile: helm's watch sees the Deleted event and is done
    const status = (obj.status ?? {}) as { conditions?: { type: string; status: string; reason?: string }[]; phase?: string };
    if (isJob) {
      for (const c of status.conditions ?? []) {
        if (c.type === 'Complete' && c.status === 'True') return;
        if (c.type === 'Failed' && c.status === 'True') throw new HookFailedError(`job ${ref.name} failed: ${c.reason ?? ''}`);
      }
    } else {
      if (status.phase === 'Succeeded') return;
      if (status.phase === 'Failed') throw new HookFailedError(`pod ${ref.name} failed`);
    }
    if (Date.now() >= deadline) throw new HookFailedError(`timed out waiting for the condition (${ref.kind} ${ref.name})`);
    if (signal?.aborted) throw new HookFailedError(`cancelled while waiting for ${ref.kind} ${ref.name}`);
    await sleep(250, signal);
  }
}

/** helm's outputLogsByPolicy: logs of a Job's pods (label job-name) or of the Pod. */
async function outputLogsByPolicy(h: HelmHook, policy: string, ctx: HookRunContext): Promise<void> {
  if (!ctx.onLog || !h.output_log_policies?.includes(policy)) return;
  if (h.kind !== 'Job' && h.kind !== 'Pod') return;
  const ns = (parseManifests(h.manifest ?? '', h.path ?? '')[0]?.object.metadata.namespace as string | undefined) || ctx.namespace;
  for (const log of await podLogs(ctx.client, ns, h.kind, h.name ?? '')) ctx.onLog(ns, log.pod, log.container, log.text);
}

/** One container's log. */
export interface ContainerLog {
  pod: string;
  container: string;
  text: string;
}

/**
 * The logs of every container of a hook: a Pod's own, or those of the pods a Job made
 * (label job-name). A log the node cannot serve (no kubelet, as with kwok) comes back as
 * a line saying so rather than failing the command.
 */
export async function podLogs(client: KubeClient, namespace: string, kind: string, name: string): Promise<ContainerLog[]> {
  let pods: KubeObject[];
  if (kind === 'Job') {
    pods = (await listObjects(client, 'v1', 'Pod', { namespace, labelSelector: `job-name=${name}` })).items;
  } else {
    const pod = await getObject(client, { group: '', version: 'v1', kind: 'Pod', namespace, name });
    pods = pod ? [pod] : [];
  }
  const out: ContainerLog[] = [];
  for (const pod of pods) {
    const podName = pod.metadata.name ?? '';
    const containers = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
    for (const container of containers) {
      let text: string;
      try {
        text = await client.requestText('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(podName)}/log`, {
          query: { container },
        });
      } catch (e) {
        if (e instanceof SlipwayError) text = `(logs unavailable: ${e.message})`;
        else throw e;
      }
      out.push({ pod: podName, container, text });
    }
  }
  return out;
}
