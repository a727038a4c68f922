import { parseSemver, semverConstraintCheck } from '../gotemplate/index.js';

/**
 * The two version checks helm makes on charts, both with Masterminds/semver's coercing
 * NewVersion (not StrictNewVersion: "1", "v1.2" and "01.2.3" are versions), which is what
 * sprig's `semver` and `semverCompare` use too, so gotemplate's port serves both.
 */

/**
 * chartutil.IsCompatibleRange (pkg/chartutil/compatible.go): whether `version` satisfies
 * `constraint`, for a dependency's version range and for a chart's kubeVersion. An unparsable
 * constraint or version is "not compatible", as in helm.
 */
export function isCompatibleRange(constraint: string, version: string): boolean {
  try {
    return semverConstraintCheck(constraint, version);
  } catch {
    return false;
  }
}

/** isValidSemver of pkg/chart/metadata.go: whether semver.NewVersion accepts `version`. */
export function isValidSemver(version: string): boolean {
  try {
    parseSemver(version);
    return true;
  } catch {
    return false;
  }
}
