/** "1 pod", "3 pods": counts in messages read as English. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * The message for a controller that has not yet seen the latest spec. The wording is kubectl's
 * (`rollout status`), which Argo CD also shows, so users recognise it.
 */
export function generationNotObserved(kindWords: string): string {
  return `Waiting for rollout to finish: observed ${kindWords} generation less than desired generation`;
}
