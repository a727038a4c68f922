import { SlipwayError, type SourceLocation } from '../../core/index.js';

/**
 * A template that does not parse. The message is Go's, e.g.
 * `template: deployment.yaml:3: function "foo" not defined`; `at` names the text's name and
 * line (Go reports no column for parse errors).
 */
export class TemplateParseError extends SlipwayError {
  readonly code = 'SLW200' as const;
}

/**
 * A template that fails while executing. The message is Go's, e.g.
 * `template: a.yaml:14:22: executing "a.yaml" at <.Values.x.y>: nil pointer evaluating interface {}.y`.
 * `at` is the location the message starts with; `via` holds the locations of errors that
 * functions such as `include` and `tpl` passed up from the templates they ran, innermost last.
 */
export class TemplateExecError extends SlipwayError {
  readonly code = 'SLW201' as const;

  constructor(
    message: string,
    at?: SourceLocation,
    /** Locations of nested template errors carried by function errors, innermost last. */
    readonly via: SourceLocation[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, at, options);
  }
}
