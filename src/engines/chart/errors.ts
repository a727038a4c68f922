import { SlipwayError } from '../../core/index.js';

/** A chart failed to render: a template error, a `required`/`fail`, or a rendered document that is not YAML. */
export class ChartRenderError extends SlipwayError {
  readonly code = 'SLW214' as const;
}
