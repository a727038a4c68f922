import { semverConstraintCheck } from '../gotemplate/index.js';

/**
 * chartutil.IsCompatibleRange: whether a Kubernetes version satisfies a chart's kubeVersion
 * constraint, with Masterminds/semver's rules (the ones sprig's semverCompare uses).
 * An unparsable constraint or version is "not compatible", as in helm.
 */
export function satisfiesKubeVersion(constraint: string, version: string): boolean {
  try {
    return semverConstraintCheck(constraint, version);
  } catch {
    return false;
  }
}
