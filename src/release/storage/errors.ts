import { SlipwayError } from '../../core/index.js';

/**
 * No such release, or no such revision of it. The message is helm's driver.ErrReleaseNotFound
 * text, so `slipway status x` fails as `helm status x` does.
 */
export class ReleaseNotFoundError extends SlipwayError {
  readonly code = 'SLW400' as const;
  constructor(
    /** The release asked for. */
    readonly release?: string,
    /** The revision asked for, if one was. */
    readonly revision?: number,
  ) {
    super('release: not found');
  }
}

/** The revision is already stored (helm's driver.ErrReleaseExists). */
export class ReleaseExistsError extends SlipwayError {
  readonly code = 'SLW401' as const;
  constructor(
    readonly release: string,
    readonly revision: number,
  ) {
    super('release: already exists');
  }
}

/**
 * Another client holds the release's lock, or the last revision is pending. The message is
 * helm's errPending (pkg/action/action.go), so users see the text they know.
 */
export class ReleaseLockedError extends SlipwayError {
  readonly code = 'SLW402' as const;
  constructor(
    readonly release: string,
    /** Who holds the lock, when known. */
    readonly holder?: string,
    /** When the holder's lease runs out, when known (ISO 8601). */
    readonly expiresAt?: string,
  ) {
    super('another operation (install/upgrade/rollback) is in progress');
  }
}

/** renew() or release() found that the lease is no longer ours (it expired and was taken over). */
export class ReleaseLockLostError extends SlipwayError {
  readonly code = 'SLW403' as const;
}

/** The encoded release does not fit in one Secret; the message names the limit and the biggest parts. */
export class ReleaseTooLargeError extends SlipwayError {
  readonly code = 'SLW404' as const;
  constructor(
    message: string,
    /** Bytes the Secret's data would hold. */
    readonly size: number,
    /** The limit, 1 MiB. */
    readonly limit: number,
  ) {
    super(message);
  }
}

/** A stored record that is not a release helm could read (bad base64, gzip or JSON). */
export class ReleaseDecodeError extends SlipwayError {
  readonly code = 'SLW405' as const;
}

/** A release name helm would refuse (chartutil.ValidateReleaseName). */
export class InvalidReleaseNameError extends SlipwayError {
  readonly code = 'SLW406' as const;
}
