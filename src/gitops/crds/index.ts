/**
 * crds — the CustomResourceDefinitions of the app kinds Slipway reads, as data: Argo CD's
 * Application and AppProject, Flux's GitRepository and Kustomization (v1 and v1beta2), and
 * Slipway's own Application. Only models/ imports this folder (gitopsCrds()).
 */
import type { KubeObject } from '../../core/index.js';
import { argoAppProjectCrd, argoApplicationCrd } from './argocd.js';
import { fluxGitRepositoryCrd, fluxKustomizationCrd } from './flux.js';
import { slipwayApplicationCrd } from './slipway.js';

/** Every CRD, Argo CD's first, then Flux's, then Slipway's; fresh objects on each call. */
export function allCrds(): KubeObject[] {
  return [argoApplicationCrd(), argoAppProjectCrd(), fluxGitRepositoryCrd(), fluxKustomizationCrd(), slipwayApplicationCrd()];
}
