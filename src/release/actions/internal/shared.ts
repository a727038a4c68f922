import { formatError, SlipwayError } from '../../../core/index.js';
import type { Chart } from '../../../engines/chart/index.js';
import { goTimeText, releaseNameProblem, type Release, type ReleaseStatus } from '../../storage/index.js';
import { ReleaseActionError } from '../errors.js';

/** Throws helm's message for an invalid name, e.g. `release name is invalid: Web` (the prefix differs per action). */
export function checkReleaseName(name: string, message: (problem: string) => string): void {
  const problem = releaseNameProblem(name);
  if (problem) throw new ReleaseActionError(message(problem));
}

/** An error as one line, for a release description (helm history prints it in a column). */
export function oneLine(e: unknown): string {
  const text = e instanceof SlipwayError ? formatError(e) : e instanceof Error ? e.message : String(e);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

/** release.SetStatus: status and description together. */
export function setStatus(rel: Release, status: ReleaseStatus, description: string): void {
  rel.info.status = status;
  rel.info.description = description;
}

/** The newest revision whose status is one of `statuses`. */
export function newest(history: readonly Release[], statuses: readonly ReleaseStatus[]): Release | undefined {
  let best: Release | undefined;
  for (const r of history) if (statuses.includes(r.info.status) && (!best || r.version > best.version)) best = r;
  return best;
}

/** helm's Timestamper: now, as stored. */
export function stamp(now: () => Date): string {
  return goTimeText(now());
}

/** chart.CRDObjects: crds/*.yaml|yml|json of the chart, then of each (enabled) subchart. */
export function chartCrds(chart: Chart, path = chart.metadata.name): { name: string; content: string }[] {
  const out: { name: string; content: string }[] = [];
  for (const f of chart.files) {
    if (f.name.startsWith('crds/') && /\.(ya?ml|json)$/.test(f.name)) out.push({ name: `${path}/${f.name}`, content: new TextDecoder().decode(f.data) });
  }
  for (const dep of chart.dependencies) out.push(...chartCrds(dep, `${path}/charts/${dep.metadata.name}`));
  return out;
}

/** helm's "wraps" of errors.Wrapf: `message: cause`. */
export function wrap(message: string, cause: unknown): ReleaseActionError {
  const inner = cause instanceof SlipwayError ? formatError(cause) : cause instanceof Error ? cause.message : String(cause);
  return new ReleaseActionError(`${message}: ${inner}`, undefined, { cause });
}
