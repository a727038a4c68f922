import { splitApiVersion, type KubeObject } from '../../core/index.js';
import { parseArgoApplication } from './argocd.js';
import { AppSpecError } from './errors.js';
import { FLUX_KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP, parseFluxKustomization } from './flux.js';
import { appObjectRef } from './internal/common.js';
import { parseSlipwayApplication, SLIPWAY_APP_API_VERSION } from './slipway.js';
import type { AppFormat, AppSpec, RelatedObjects } from './types.js';

/** The object types that are apps, one per format and version; a controller watches these. */
export const APP_TYPES: readonly { apiVersion: string; kind: string; format: AppFormat }[] = [
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', format: 'argocd' },
  { apiVersion: `${FLUX_KUSTOMIZE_GROUP}/v1`, kind: 'Kustomization', format: 'flux' },
  { apiVersion: `${FLUX_KUSTOMIZE_GROUP}/v1beta2`, kind: 'Kustomization', format: 'flux' },
  { apiVersion: SLIPWAY_APP_API_VERSION, kind: 'Application', format: 'slipway' },
];

/** The format of an app object; undefined when the object is not an app. */
export function appFormat(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): AppFormat | undefined {
  return APP_TYPES.find((t) => t.apiVersion === obj.apiVersion && t.kind === obj.kind)?.format;
}

/**
 * Reads an app object — Argo CD Application, Flux Kustomization (with its GitRepository from
 * `related`), Slipway Application — into an AppSpec. Throws AppSpecError naming the object, the
 * field and the value; SourceNotFoundError (a subclass) when a Kustomization's GitRepository is
 * not among `related`.
 */
export function parseApp(obj: KubeObject, related: RelatedObjects = { gitRepositories: [] }): AppSpec {
  switch (appFormat(obj)) {
    case 'argocd':
      return parseArgoApplication(obj, related);
    case 'flux':
      return parseFluxKustomization(obj, related);
    case 'slipway':
      return parseSlipwayApplication(obj);
    default: {
      const ref = appObjectRef(obj);
      const group = splitApiVersion(String(obj.apiVersion ?? '')).group;
      const known = APP_TYPES.map((t) => `${t.apiVersion} ${t.kind}`).join(', ');
      const hint =
        group === FLUX_SOURCE_GROUP && obj.kind === 'GitRepository'
          ? 'a source, not an app: parse the Kustomizations that use it'
          : APP_TYPES.some((t) => splitApiVersion(t.apiVersion).group === group && t.kind === obj.kind)
            ? `unsupported version (Slipway reads ${known})`
            : `not an app (Slipway reads ${known})`;
      throw new AppSpecError(ref, '', hint, `${obj.apiVersion} ${obj.kind}`);
    }
  }
}
