/**
 * gitops/sources — where an app's manifests come from: Git repositories fetched with the git CLI
 * into a cache keyed by URL and commit (GitSourceCache), credentials read from Argo CD or Flux
 * Secrets, and a checked-out directory rendered into manifests (renderSource) as Argo CD's
 * repo-server renders directory, kustomize and helm sources, with Flux's kustomization
 * overrides and post-build substitution.
 *
 * Imports core and the engines (yaml, kustomize, chart, gotemplate); never kube, release or a
 * surface. Only git-cache.ts spawns processes (git); rendering reads files through core's
 * FileSystem and nothing else.
 *
 * Upstream behaviour copied, by file: Argo CD util/git/client.go (targetRevision resolution,
 * semver tags), reposerver/repository/repository.go (findManifests, helmTemplate, out-of-bounds
 * symlinks), value_files.go (values files and globs), util/kustomize/kustomize.go (overrides as
 * `kustomize edit`), util/app/discovery (source type detection), util/glob (include/exclude);
 * Flux fluxcd/pkg git/gogit (ref precedence, revision strings), kustomize/kustomize_generator.go
 * and kustomize_varsub.go, envsubst/ (the substitution language).
 *
 * Symlinks: an export is refused when a symlink in it resolves (following the symlinks on its
 * way) outside it; directory walks (Argo's directory source, Flux's generated kustomization,
 * values file globs) do not descend into symlinked directories, as filepath.Walk and
 * doublestar do not. Errors name files relative to the checkout, as origins do.
 *
 * Not done: jsonnet directories, config management plugins, helm dependencies that need
 * `helm dependency build` (charts/ must hold them), remote values files and kustomize remote
 * bases (no network in rendering), git submodules and LFS, commit signature verification,
 * `.sourceignore`, Flux strict substitution; a Flux `commit` with a `branch` is fetched by SHA
 * without checking that the branch contains it (Flux fails when it does not).
 */
export type {
  DirectoryRenderOptions,
  FetchedSource,
  GitCredentials,
  GitRefSpec,
  GitSourceSpec,
  HelmRenderOptions,
  KustomizeImage,
  KustomizeRenderOptions,
  RenderKind,
  RenderSourceResult,
  RenderSpec,
} from './types.js';
export { GitSourceCache, defaultGitSourceCacheOptions, repoKey, type GitSourceCacheOptions } from './git-cache.js';
export { credentialsFromSecret, findArgoRepoSecret, normalizeGitUrl, secretValues, ARGOCD_SECRET_TYPE_LABEL } from './credentials.js';
export { renderSource, detectRenderKind, substituteVariables, setCommonMetadata } from './render.js';
export {
  GitError,
  GitUnreachableError,
  GitAuthError,
  GitRepositoryNotFoundError,
  GitRefNotFoundError,
  SourceRenderError,
  type GitStep,
} from './errors.js';
