/**
 * The data types of gitops/sources: what a source is (a Git repository at a ref), what
 * fetching it gives back, and how a checked-out directory is rendered.
 */
import type { Manifest } from '../../core/index.js';

/** Flux `GitRepository.spec.ref`. Precedence as in Flux: commit > name > semver > tag > branch. */
export interface GitRefSpec {
  branch?: string;
  tag?: string;
  /** A Masterminds semver constraint; the highest matching tag is checked out. */
  semver?: string;
  /** A commit SHA (full). With `branch`, the revision reads `branch@sha1:…`. */
  commit?: string;
  /** A full reference name: `refs/heads/main`, `refs/tags/v1`, `refs/pull/42/head`. */
  name?: string;
}

/** A Git source to fetch. */
export interface GitSourceSpec {
  /** Local path, file://, git://, http(s)://, ssh:// or scp-style `git@host:org/repo`. */
  url: string;
  /** Flux-style ref. When set, `revision` is ignored. An empty object means Flux's default branch `master`. */
  ref?: GitRefSpec;
  /** Argo CD `targetRevision`: a branch, tag, full or truncated SHA, semver constraint or HEAD. @default 'HEAD' */
  revision?: string;
  credentials?: GitCredentials;
  /** Fetch with `--depth 1` where the server allows it. @default true */
  shallow?: boolean;
}

/** How to authenticate to a Git server. Never put into URLs, command lines or messages. */
export interface GitCredentials {
  /** HTTP basic auth, given to git through GIT_ASKPASS. */
  username?: string;
  password?: string;
  /** Sent as `Authorization: Bearer …` through http.extraHeader (set via the environment). */
  bearerToken?: string;
  /** PEM/OpenSSH private key for ssh URLs (written to a 0600 temp file for the git call). */
  sshPrivateKey?: string;
  /** Passphrase of `sshPrivateKey` (Flux `identity` + `password`). */
  sshPassphrase?: string;
  /** known_hosts lines; with an ssh key and no `insecure`, host keys are checked strictly against them. */
  knownHosts?: string;
  /** Skip TLS verification (https) and host key checking (ssh), as Argo CD's `insecure: "true"`. */
  insecure?: boolean;
  /** PEM CA bundle for https (Flux `ca.crt`). */
  caCert?: string;
  /** PEM client certificate and key for https (Argo `tlsClientCertData`/`tlsClientCertKey`, Flux `tls.crt`/`tls.key`). */
  tlsClientCert?: string;
  tlsClientKey?: string;
}

/** A fetched commit. */
export interface FetchedSource {
  /** The full commit SHA. */
  commit: string;
  /** Read-only export of that commit (no .git), shared by every fetch of the same URL and commit. */
  dir: string;
  /** As Flux prints it: `main@sha1:…`, `v1.2.0@sha1:…`, `refs/pull/1/head@sha1:…`, or `sha1:…` for a bare commit. */
  revision: string;
  /** The reference the commit was resolved from, e.g. `refs/heads/main`; absent for a bare SHA. */
  ref?: string;
  /** True when the export was already in the cache (no fetch and no checkout was run). */
  cached: boolean;
}

/** How a directory is rendered. */
export type RenderKind = 'directory' | 'kustomize' | 'helm';

/** A kustomize image override in Flux's object form (replaces an entry of the same name). */
export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Argo CD `source.directory`. */
export interface DirectoryRenderOptions {
  /** Read sub-directories too. @default false */
  recurse?: boolean;
  /** Glob (gobwas syntax: `*` crosses `/`, `{a,b}` alternatives) on the path below `path`. */
  include?: string;
  /** Glob as `include`; exclusion wins. */
  exclude?: string;
}

/**
 * Overrides of a kustomization, applied to an in-memory copy of the kustomization file the way
 * Argo CD runs `kustomize edit` and Flux's generator rewrites it. Argo's string forms and Flux's
 * object forms are both taken.
 */
export interface KustomizeRenderOptions {
  namePrefix?: string;
  nameSuffix?: string;
  /**
   * `kustomize edit set image` arguments (Argo: `name=new:tag`, `name:tag`, `name@digest`;
   * `$VAR` expanded from `env`), or Flux image objects (an entry of the same name is replaced).
   */
  images?: (string | KustomizeImage)[];
  /** `kustomize edit add label` (into commonLabels; `$VAR` expanded from `env`). */
  commonLabels?: Record<string, string>;
  /** Argo `forceCommonLabels`: overwrite labels the kustomization already sets. @default false */
  forceCommonLabels?: boolean;
  /** Argo `labelWithoutSelector`: add the labels as a `labels` entry without selectors. @default false */
  labelWithoutSelector?: boolean;
  /** Argo `labelIncludeTemplates` (with labelWithoutSelector). @default false */
  labelIncludeTemplates?: boolean;
  commonAnnotations?: Record<string, string>;
  /** @default false */
  forceCommonAnnotations?: boolean;
  /** Argo `commonAnnotationsEnvsubst`: expand `$VAR` in annotation values. @default false */
  commonAnnotationsEnvsubst?: boolean;
  /** `kustomize edit set namespace` (Argo `namespace`, Flux `targetNamespace`). */
  namespace?: string;
  /** Appended to the kustomization's `patches` (Argo and Flux: `{patch?, path?, target?, options?}`). */
  patches?: unknown[];
  /** `kustomize edit set replicas`. */
  replicas?: { name: string; count: number | string }[];
  /** Appended to `components`. */
  components?: string[];
  /** Drop components whose directory does not exist instead of failing. @default false */
  ignoreMissingComponents?: boolean;
  /**
   * Flux: when the directory has no kustomization file, generate one listing every YAML file
   * (and every sub-directory that has its own kustomization), as kustomize-controller does.
   * @default false
   */
  generateKustomization?: boolean;
  /** Flux builds with LoadRestrictionsNone; Argo with kustomize's default. @default 'LoadRestrictionsRootOnly' */
  loadRestrictor?: 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';
  /** `--enable-helm` (Argo `kustomize.buildOptions`): render `helmCharts` with Slipway's chart engine. @default false */
  enableHelm?: boolean;
}

/** Argo CD `source.helm`. */
export interface HelmRenderOptions {
  /** The release name; Argo's default is the Application's name, which the caller passes here. @default 'release-name' */
  releaseName?: string;
  /** Values files, relative to the chart (`$VAR` expanded; `*`, `?`, `[` and `**` globs expanded; `$ref/…` from `refSources`). */
  valueFiles?: string[];
  /** A missing values file (or a glob matching nothing) is skipped instead of failing. @default false */
  ignoreMissingValueFiles?: boolean;
  /** Values as YAML text, applied after the values files. */
  values?: string;
  /** Values as an object; wins over `values` when both are set (as in Argo). */
  valuesObject?: Record<string, unknown>;
  /** `--set` (or `--set-string` with forceString); `$VAR` expanded; commas escaped as Argo does. */
  parameters?: { name: string; value: string; forceString?: boolean }[];
  /** `--set-file name=path`, path relative to the chart. */
  fileParameters?: { name: string; path: string }[];
  /** `.Release.Namespace`; Argo passes the destination namespace. @default 'default' */
  namespace?: string;
  /** Leave out the chart's crds/ (Argo passes --include-crds unless skipCrds). @default false */
  skipCrds?: boolean;
  /** Leave out test hooks. @default false */
  skipTests?: boolean;
  /** @default false */
  skipSchemaValidation?: boolean;
  /** Multi-source `$ref` value files: `{ $values: '/cache/trees/…' }`. */
  refSources?: Record<string, string>;
}

/** What to render in a checked-out directory, and how. */
export interface RenderSpec {
  /** The app's directory inside the checkout (Argo `source.path`, Flux `spec.path`). @default '.' */
  path: string;
  /** Detected as Argo CD does when absent (kustomization file → kustomize, *Chart.yaml → helm, else directory). */
  kind?: RenderKind;
  directory?: DirectoryRenderOptions;
  kustomize?: KustomizeRenderOptions;
  helm?: HelmRenderOptions;
  /** Flux `postBuild`: `${var}` substitution in every rendered object (substituteFrom already resolved by the caller). */
  postBuild?: { substitute?: Record<string, string> };
  /** Flux `commonMetadata`: labels and annotations set on every rendered object's metadata. */
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Argo CD build environment (ARGOCD_APP_NAME, ARGOCD_APP_REVISION …) for `$VAR` in overrides. */
  env?: Record<string, string>;
  /** `.Capabilities.KubeVersion` for charts (Argo passes the cluster's). */
  kubeVersion?: string;
  /** `.Capabilities.APIVersions` additions for charts (Argo passes what the cluster serves). */
  apiVersions?: string[];
}

/** What rendering produced. */
export interface RenderSourceResult {
  /** Objects in the tool's output order; helm hooks are included with their annotations. */
  manifests: Manifest[];
  kind: RenderKind;
  /** Warnings the tools print (kustomize deprecations, helm's "chart is deprecated"). */
  warnings: string[];
}
