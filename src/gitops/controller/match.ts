/**
 * Which apps a Git push concerns, as Argo CD's webhook handler decides it
 * (argo-cd util/webhook/webhook.go: the repository URL matched ignoring scheme, user, port and
 * `.git`; the pushed branch against targetRevision, where HEAD means the default branch) and
 * Flux's receivers would (the GitRepository's branch, tag or semver ref).
 */
import type { AppSource, AppSpec } from '../models/index.js';
import { normalizeGitUrl } from '../sources/index.js';

/** A push, read from a webhook payload. */
export interface PushEvent {
  /** Every URL the payload gives for the repository (clone, ssh, web). */
  urls: string[];
  /** The full ref pushed: refs/heads/main, refs/tags/v1.2.0. */
  ref: string;
  /** The repository's default branch, when the payload says. */
  defaultBranch?: string;
  /** The commit the ref points to now. */
  after?: string;
}

/** A repository URL reduced to host and path: scheme, user, port and `.git` left out. */
export function repoIdentity(url: string): string {
  let u = normalizeGitUrl(url);
  if (u.startsWith('file://')) return u.slice('file://'.length).replace(/\/+$/, '');
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?(\/.*)?$/.exec(u);
  if (m) u = `${m[1]}${(m[2] ?? '').replace(/\/+$/, '')}`;
  return u;
}

/** Whether `url` names one of the pushed repository's URLs. */
export function sameRepository(url: string, pushed: readonly string[]): boolean {
  const want = repoIdentity(url);
  return pushed.some((p) => p && repoIdentity(p) === want);
}

const SHA = /^[0-9a-f]{7,64}$/i;
const SEMVER_CONSTRAINT = /[*^~<>=x|]|\s-\s/;

/** Whether a push of `ref` moves what `source` deploys. */
export function revisionMatches(source: Pick<AppSource, 'ref' | 'revision'>, push: Pick<PushEvent, 'ref' | 'defaultBranch'>): boolean {
  const branch = push.ref.startsWith('refs/heads/') ? push.ref.slice('refs/heads/'.length) : undefined;
  const tag = push.ref.startsWith('refs/tags/') ? push.ref.slice('refs/tags/'.length) : undefined;
  const r = source.ref;
  if (r && Object.keys(r).length > 0) {
    // Flux: commit beats name beats semver beats tag beats branch (fluxcd/pkg git checkout strategy).
    if (r.commit) return false;
    if (r.name) return r.name === push.ref;
    if (r.semver) return tag !== undefined;
    if (r.tag) return r.tag === tag;
    return r.branch === branch;
  }
  const rev = (source.revision ?? 'HEAD').trim();
  if (rev === '' || rev === 'HEAD') return branch !== undefined && (!push.defaultBranch || branch === push.defaultBranch);
  if (rev === branch || rev === tag || rev === push.ref) return true;
  if (rev.startsWith('refs/heads/') || rev.startsWith('refs/tags/')) return false;
  if (SHA.test(rev)) return false;
  return tag !== undefined && SEMVER_CONSTRAINT.test(rev);
}

/** Whether the push concerns the app: one of its sources is that repository at that ref. */
export function matchesPush(app: Pick<AppSpec, 'sources' | 'source'>, push: PushEvent): boolean {
  const sources = app.sources.length ? app.sources : [app.source];
  return sources.some((s) => sameRepository(s.url, push.urls) && revisionMatches(s, push));
}
