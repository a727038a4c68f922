import { GoStruct, defineFunc, stringSlice, withMethods } from '../gotemplate/index.js';
import { ChartRenderError } from './errors.js';

/** The helm release whose behaviour Slipway reproduces. */
export const HELM_VERSION = 'v3.22.0';

/**
 * `.Capabilities.KubeVersion` when no --kube-version is given: helm v3.22.0 is built against
 * client-go v0.37, and its Makefile stamps that as Kubernetes v1.37.0.
 */
export const DEFAULT_KUBE_VERSION = 'v1.37.0';

/**
 * chartutil.DefaultVersionSet: every group/version client-go's scheme knows, in its
 * priority order, as helm v3.22.0 reports it without a cluster (`helm template`).
 */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1',
  'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'lifecycle.k8s.io/v1alpha1',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1',
  'resource.k8s.io/v1beta2',
  'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1',
  'storagemigration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1',
];

/** Options for {@link capabilities}. */
export interface CapabilitiesOptions {
  /** --kube-version, e.g. "1.30" or "v1.30.2". @default DEFAULT_KUBE_VERSION */
  kubeVersion?: string;
  /** --api-versions added to the defaults. */
  apiVersions?: readonly string[];
}

/** A parsed Kubernetes version as chartutil.KubeVersion holds it. */
export interface KubeVersion {
  version: string;
  major: string;
  minor: string;
}

/**
 * k8s.io/apimachinery version.ParseGeneric as chartutil.ParseKubeVersion uses it: an optional
 * "v", then major.minor[.patch] and an optional pre-release/build suffix.
 */
export function parseKubeVersion(text: string): KubeVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?([-+.].*)?$/.exec(text.trim());
  if (!m) throw new ChartRenderError(`invalid kube version '${text}': could not parse "${text}" as version`);
  const major = String(Number(m[1]));
  const minor = String(Number(m[2]));
  const patch = String(Number(m[3] ?? '0'));
  return { version: `v${major}.${minor}.${patch}`, major, minor };
}

/** The `.Capabilities` object templates see: KubeVersion, APIVersions (with Has) and HelmVersion. */
export function capabilities(options: CapabilitiesOptions = {}): GoStruct {
  const kv = parseKubeVersion(options.kubeVersion ?? DEFAULT_KUBE_VERSION);
  const versions = stringSlice([...DEFAULT_API_VERSIONS, ...(options.apiVersions ?? [])]);
  withMethods(versions, { Has: defineFunc('Has', ['string'], (v: string) => versions.includes(v)) }, 'chartutil.VersionSet');
  const kubeVersion = new GoStruct(
    'chartutil.KubeVersion',
    { Version: kv.version, Major: kv.major, Minor: kv.minor },
    {
      String: defineFunc('String', [], () => kv.version),
      GitVersion: defineFunc('GitVersion', [], () => kv.version),
    },
    undefined,
    () => kv.version,
  );
  const helmVersion = new GoStruct(
    'version.BuildInfo',
    { Version: HELM_VERSION, GitCommit: '', GitTreeState: 'clean', GoVersion: 'go1.26.8' },
    {},
    {
      names: {
        Version: { name: 'version', omitEmpty: true },
        GitCommit: { name: 'git_commit', omitEmpty: true },
        GitTreeState: { name: 'git_tree_state', omitEmpty: true },
        GoVersion: { name: 'go_version', omitEmpty: true },
      },
    },
  );
  return new GoStruct('*chartutil.Capabilities', { KubeVersion: kubeVersion, APIVersions: versions, HelmVersion: helmVersion });
}
