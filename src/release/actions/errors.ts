import { SlipwayError, formatError } from '../../core/index.js';

/**
 * A release action failed: its message is helm's (pkg/action), e.g.
 * `release web failed, and has been rolled back due to atomic being set: …`.
 */
export class ReleaseActionError extends SlipwayError {
  readonly code = 'SLW520' as const;
}

/**
 * helm's errPending: the newest revision is pending-install/upgrade/rollback and no expired
 * lease explains it (a helm process may be working on the release right now).
 */
export class ReleasePendingError extends SlipwayError {
  readonly code = 'SLW521' as const;
  constructor(readonly release: string) {
    super('another operation (install/upgrade/rollback) is in progress');
  }
}

/** A hook failed (could not be created, its Job or Pod failed, or it timed out). */
export class HookFailedError extends SlipwayError {
  readonly code = 'SLW522' as const;
}

/** An object of the chart exists and belongs to no release or to another one (helm's existingResourceConflict). */
export class OwnershipConflictError extends SlipwayError {
  readonly code = 'SLW523' as const;
}

/** `lookup` in a template could not be answered. */
export class LookupError extends SlipwayError {
  readonly code = 'SLW524' as const;
}

/**
 * How the CLI reports a failed action, as helm's commands do: `UPGRADE FAILED: <cause>`.
 * Errors that are not SlipwayErrors (bugs) pass through unchanged.
 */
export function wrapActionError(prefix: string, e: unknown): unknown {
  if (!(e instanceof SlipwayError)) return e;
  return new ReleaseActionError(prefix ? `${prefix}: ${formatError(e)}` : formatError(e), undefined, { cause: e });
}
