import { keyString, type KubeObject, type ResourceKey } from '../../core/index.js';
import type { AppSpec } from './deps.js';

/** Argo CD's annotation tracking (argo-cd util/argo/resource_tracking.go): `<app>:<group>/<kind>:<namespace>/<name>`. */
export const ARGO_TRACKING_ID = 'argocd.argoproj.io/tracking-id';
/** Flux's owner labels (kustomize-controller). */
export const FLUX_NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const FLUX_NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
/** Flux's opt-out of pruning. */
export const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';
/** Slipway's own apps. */
export const SLIPWAY_APP = 'slipway.dev/app';

/** A stable id of an app: "group/Kind/namespace/name" of its object. */
export function appId(app: Pick<AppSpec, 'ref'>): string {
  const slash = app.ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : app.ref.apiVersion.slice(0, slash);
  return `${group}/${app.ref.kind}/${app.ref.namespace}/${app.ref.name}`;
}

/**
 * Adds the owner marks each tool writes on the objects it applies, so that Argo CD or Flux
 * (and `kubectl get -l`) recognise them, and so that prune can refuse objects another app
 * owns: Argo's tracking-id annotation, Flux's two labels, or `slipway.dev/app`.
 */
export function withOwnerMarks(obj: KubeObject, key: ResourceKey, app: AppSpec): KubeObject {
  const metadata = { ...obj.metadata };
  if (app.format === 'flux') {
    metadata.labels = { ...metadata.labels, [FLUX_NAME_LABEL]: app.ref.name, [FLUX_NAMESPACE_LABEL]: app.ref.namespace };
  } else if (app.format === 'argocd') {
    metadata.annotations = { ...metadata.annotations, [ARGO_TRACKING_ID]: argoTrackingId(app, key) };
  } else {
    metadata.annotations = { ...metadata.annotations, [SLIPWAY_APP]: `${app.ref.namespace}/${app.ref.name}` };
  }
  return { ...obj, metadata };
}

function argoTrackingId(app: AppSpec, key: ResourceKey): string {
  return `${app.ref.name}:${key.group}/${key.kind}:${key.namespace}/${key.name}`;
}

/**
 * Whether a live object carries this app's owner mark ('mine'), another app's ('other'), or
 * none ('none'). Prune deletes only 'mine' (Flux deletes only objects with its owner labels;
 * Argo CD only objects tracked to the app).
 */
export function ownership(live: KubeObject, app: AppSpec): 'mine' | 'other' | 'none' {
  const labels = live.metadata.labels ?? {};
  const annotations = live.metadata.annotations ?? {};
  let mark: string | undefined;
  let mine: string;
  if (app.format === 'flux') {
    mark = labels[FLUX_NAME_LABEL] === undefined ? undefined : `${labels[FLUX_NAMESPACE_LABEL] ?? ''}/${labels[FLUX_NAME_LABEL]}`;
    mine = `${app.ref.namespace}/${app.ref.name}`;
  } else if (app.format === 'argocd') {
    mark = annotations[ARGO_TRACKING_ID]?.split(':')[0];
    mine = app.ref.name;
  } else {
    mark = annotations[SLIPWAY_APP];
    mine = `${app.ref.namespace}/${app.ref.name}`;
  }
  if (mark === undefined) return 'none';
  return mark === mine ? 'mine' : 'other';
}

/**
 * Which apps own which objects: object key -> app ids, and app id -> keys. Built from each
 * app's desired objects and inventory at every refresh and sync, so a watch event on an
 * object finds its apps in O(1) (STYLE §8: index the cache by owning app, never scan).
 */
export class OwnerIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byApp = new Map<string, ResourceKey[]>();

  /** Replaces the keys an app owns. */
  set(app: string, keys: readonly ResourceKey[]): void {
    this.remove(app);
    const unique = new Map(keys.map((k) => [keyString(k), k]));
    this.byApp.set(app, [...unique.values()]);
    for (const id of unique.keys()) {
      let set = this.byKey.get(id);
      if (!set) this.byKey.set(id, (set = new Set()));
      set.add(app);
    }
  }

  /** Forgets an app. */
  remove(app: string): void {
    for (const k of this.byApp.get(app) ?? []) {
      const set = this.byKey.get(keyString(k));
      set?.delete(app);
      if (set?.size === 0) this.byKey.delete(keyString(k));
    }
    this.byApp.delete(app);
  }

  /** The keys an app owns (empty before its first refresh). */
  keys(app: string): ResourceKey[] {
    return this.byApp.get(app) ?? [];
  }

  /** The ids of the apps owning an object. */
  apps(key: ResourceKey): string[] {
    return [...(this.byKey.get(keyString(key)) ?? [])];
  }

  /** The (group, kind) pairs any app owns, as "group/Kind". */
  kinds(): Set<string> {
    const out = new Set<string>();
    for (const keys of this.byApp.values()) for (const k of keys) out.add(`${k.group}/${k.kind}`);
    return out;
  }
}
