import { SlipwayError, type SourceLocation } from '../../core/index.js';

/** The git step that failed, as named in messages. */
export type GitStep = 'ls-remote' | 'fetch' | 'checkout' | 'init';

/**
 * A git operation on a source failed. The message names the step and the URL (credentials
 * removed): `git fetch https://example.com/org/repo.git: …`. Subclasses say why.
 */
export class GitError extends SlipwayError {
  readonly code: `SLW${number}` = 'SLW650';
  constructor(
    /** The URL as given, with any password removed. */
    readonly url: string,
    readonly step: GitStep,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`git ${step} ${url}: ${detail}`, undefined, options);
  }
}

/** The server could not be reached (refused, DNS, timeout, TLS) or the local path is not there. */
export class GitUnreachableError extends GitError {
  override readonly code = 'SLW651' as const;
}

/** The server refused the credentials, or asked for some and none were given; or the ssh host key did not verify. */
export class GitAuthError extends GitError {
  override readonly code = 'SLW652' as const;
}

/** The server answered but has no repository at that URL. */
export class GitRepositoryNotFoundError extends GitError {
  override readonly code = 'SLW653' as const;
}

/** The repository has no branch, tag, commit or semver match for the requested revision. */
export class GitRefNotFoundError extends GitError {
  override readonly code = 'SLW654' as const;
  constructor(
    url: string,
    step: GitStep,
    /** The revision as asked for, e.g. `branch "main"`, `semver ">=1.0.0"`. */
    readonly revision: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(url, step, detail, options);
  }
}

/**
 * Rendering a source failed outside the engines' own errors: the app path, a values file
 * outside the repository, an override that kustomize edit would refuse, a directory file that
 * is not a manifest, a failed substitution.
 */
export class SourceRenderError extends SlipwayError {
  readonly code = 'SLW655' as const;
  constructor(message: string, at?: SourceLocation, options?: { cause?: unknown }) {
    super(message, at, options);
  }
}
