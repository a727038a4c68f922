import { SlipwayError } from '../../core/index.js';

/** The object an app spec was read from, as errors and warnings name it. */
export interface AppObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** "Kustomization/flux-system/apps", as Flux prints objects. */
export function formatAppRef(ref: Pick<AppObjectRef, 'kind' | 'namespace' | 'name'>): string {
  return [ref.kind, ref.namespace, ref.name].filter(Boolean).join('/');
}

/**
 * An app object (Argo CD Application, Flux Kustomization or GitRepository, Slipway Application)
 * that Slipway cannot run as written. The message names the object, the field path and the bad
 * value: `Application/argocd/guestbook: spec.destination.server: only the in-cluster server is
 * supported ("https://kubernetes.default.svc", or name "in-cluster"), got "https://10.0.0.1"`.
 */
export class AppSpecError extends SlipwayError {
  readonly code: `SLW${number}` = 'SLW610';

  constructor(
    /** The object at fault. */
    readonly object: AppObjectRef,
    /** Path of the field at fault, e.g. `spec.syncPolicy.retry.backoff.duration`; '' for the whole object. */
    readonly field: string,
    /** What is wrong, without the object or field. */
    readonly problem: string,
    /** The value found; undefined when the field is missing. */
    readonly value?: unknown,
  ) {
    super(`${formatAppRef(object)}: ${field ? `${field}: ` : ''}${problem}${value === undefined ? '' : `, got ${showValue(value)}`}`);
  }
}

/**
 * A Flux Kustomization whose `spec.sourceRef` names a GitRepository that was not among the
 * related objects. Unlike other spec errors this can heal by itself (the source may be created
 * later), so a controller retries it as Flux does (reason `ArtifactFailed`).
 */
export class SourceNotFoundError extends AppSpecError {
  override readonly code: `SLW${number}` = 'SLW611';
}

function showValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
