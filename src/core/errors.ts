import type { ResourceKey, SourceLocation } from './types.js';
import { formatKey } from './types.js';

/**
 * Base of every error Slipway reports to a user. A SlipwayError is expected (bad input,
 * unreachable server, timeout); the CLI prints it as one line plus location and exits with
 * `exitCode`. Anything else reaching the top is a bug and is printed with its stack.
 */
export abstract class SlipwayError extends Error {
  abstract readonly code: `SLW${number}`;
  /** Process exit code for the CLI. @default 1 */
  readonly exitCode: number = 1;

  constructor(
    message: string,
    readonly at?: SourceLocation,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong flags or arguments on the command line. */
export class UsageError extends SlipwayError {
  readonly code = 'SLW001' as const;
}

/** A file that cannot be read, or YAML/JSON that does not parse. */
export class InputError extends SlipwayError {
  readonly code = 'SLW101' as const;
}

/** A document that parses but is not a valid Kubernetes object (missing kind, name, …). */
export class ManifestError extends SlipwayError {
  readonly code = 'SLW102' as const;
}

/** The kubeconfig is missing or unusable. */
export class KubeConfigError extends SlipwayError {
  readonly code = 'SLW300' as const;
}

/** The apiserver does not serve this apiVersion/kind. */
export class UnknownKindError extends SlipwayError {
  readonly code = 'SLW301' as const;
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    at?: SourceLocation,
  ) {
    super(`the server has no resource type for kind "${kind}" in apiVersion "${apiVersion}"`, at);
  }
}

/** The apiserver could not be reached (refused, reset, DNS, TLS). */
export class ApiUnreachableError extends SlipwayError {
  readonly code = 'SLW302' as const;
}

/** The apiserver answered with an error status. */
export class ApiError extends SlipwayError {
  readonly code = 'SLW303' as const;
  constructor(
    message: string,
    /** HTTP status code. */
    readonly status: number,
    /** Kubernetes `Status.reason`, e.g. NotFound, Conflict, Invalid, AlreadyExists. */
    readonly reason: string,
    readonly key?: ResourceKey,
    at?: SourceLocation,
  ) {
    super(key ? `${formatKey(key)}: ${message}` : message, at);
  }
}

/** A wait ran out of time; the message lists each object that was not ready. */
export class TimeoutError extends SlipwayError {
  readonly code = 'SLW304' as const;
}

/** Some objects of a batch failed; each failure is listed. */
export class BatchError extends SlipwayError {
  readonly code = 'SLW305' as const;
  constructor(readonly failures: SlipwayError[]) {
    super(failures.map((f) => formatError(f)).join('\n'));
  }
}

/** "file:line:column: message" when the error has a location, else the message. */
export function formatError(err: SlipwayError): string {
  const at = err.at;
  if (!at) return err.message;
  const where = [at.file, at.line, at.line !== undefined ? at.column : undefined].filter((p) => p !== undefined);
  return `${where.join(':')}: ${err.message}`;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}
