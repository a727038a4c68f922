// Durations as Go's time.ParseDuration reads them (Flux's metav1.Duration fields), and as
// Argo CD's parseStringToDuration reads retry backoffs (a bare integer is seconds).
// The Go ones live in core (the pipeline spec reads them too); re-exported here for gitops.
import { parseGoDuration } from '../../../core/index.js';

export { formatGoDuration, parseGoDuration } from '../../../core/index.js';

/** Argo CD's retry backoff durations: an integer is seconds, anything else a Go duration. */
export function parseArgoDuration(text: string): number | undefined {
  if (/^[-+]?\d+$/.test(text)) return Number(text) * 1000;
  return parseGoDuration(text);
}
