/**
 * From what the user asked for to a commit: `git ls-remote --symref` output parsed, then
 * Argo CD's targetRevision rules (util/git/client.go lsRemote, resolveSemverRevision) or
 * Flux's ref rules (fluxcd/pkg git/gogit clone.go: commit > name > semver > tag > branch,
 * default branch `master`) applied to it. Pure.
 */
import { parseSemver, semverConstraintCheck } from '../../../engines/gotemplate/index.js';
import type { GitRefSpec } from '../types.js';

/** One line of `git ls-remote`. */
export interface RemoteRef {
  /** `HEAD`, `refs/heads/main`, `refs/tags/v1` … */
  name: string;
  /** The object the ref points to (a tag object for annotated tags). */
  hash: string;
  /** For annotated tags: the commit (`^{}` line). */
  peeled?: string;
  /** For a symbolic ref (HEAD): its target. */
  target?: string;
}

/** Parses `git ls-remote --symref` output, keeping the order git prints (HEAD, then refs sorted). */
export function parseLsRemote(text: string): RemoteRef[] {
  const refs: RemoteRef[] = [];
  const byName = new Map<string, RemoteRef>();
  const targets = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const left = line.slice(0, tab);
    const name = line.slice(tab + 1).trim();
    if (left.startsWith('ref: ')) {
      targets.set(name, left.slice(5).trim());
      continue;
    }
    if (name.endsWith('^{}')) {
      const base = byName.get(name.slice(0, -3));
      if (base) base.peeled = left;
      continue;
    }
    const ref: RemoteRef = { name, hash: left };
    byName.set(name, ref);
    refs.push(ref);
  }
  for (const [name, target] of targets) {
    const ref = byName.get(name);
    if (ref) ref.target = target;
  }
  return refs;
}

/** The commit a ref stands for (annotated tags peeled). */
export function refCommit(ref: RemoteRef): string {
  return ref.peeled ?? ref.hash;
}

/** What the fetch has to do to get the commit. */
export type Resolution =
  | {
      /** A ref the server advertises; fetched by name. */
      kind: 'ref';
      refName: string;
      commit: string;
      /** The part of Flux's revision before `@`. */
      label: string;
    }
  | {
      /** A commit given by SHA: fetched by SHA (or, when the server refuses, with all refs). */
      kind: 'commit';
      commit: string;
      /** Set when the SHA is abbreviated: it is expanded after a full fetch. */
      abbreviated: boolean;
      /** Flux `commit` + `branch`: fetched from this ref if fetching the SHA fails. */
      refName?: string;
      label?: string;
    };

/** Why no commit was found, as a sentence without the URL. */
export class RefResolutionError extends Error {
  constructor(
    /** How the request reads in messages: `branch "main"`, `revision "v9"`. */
    readonly revision: string,
    message: string,
  ) {
    super(message);
  }
}

const FULL_SHA = /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;
const SHORT_SHA = /^[0-9a-fA-F]{7,64}$/;

/** IsCommitSHA of Argo CD (SHA-1 or SHA-256 length). */
export function isFullSha(s: string): boolean {
  return FULL_SHA.test(s);
}

/** go-git's ReferenceName.Short(): `refs/heads/x` → `x`, `refs/tags/x` → `x`, `refs/pull/1/head` → `pull/1/head`. */
export function shortRefName(name: string): string {
  let res = name;
  for (const prefix of ['refs/', 'refs/tags/', 'refs/heads/', 'refs/remotes/']) {
    if (name.startsWith(prefix) && name.length > prefix.length) res = name.slice(prefix.length);
  }
  return res;
}

/** Flux's Commit.String() prefix: the reference after its second slash (`refs/heads/main` → `main`). */
function fluxLabel(refName: string): string {
  const parts = refName.split('/');
  return parts.length >= 3 ? parts.slice(2).join('/') : refName;
}

/** Whether `s` parses as a (lenient, Masterminds) semantic version. */
export function isSemverVersion(s: string): boolean {
  try {
    parseSemver(s);
    return true;
  } catch {
    return false;
  }
}

/** Whether `s` is a Masterminds constraint. */
export function isSemverConstraint(s: string): boolean {
  try {
    semverConstraintCheck(s, '0.0.0');
    return true;
  } catch {
    return false;
  }
}

type Version = ReturnType<typeof parseSemver>;

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  if (an && bn) return cmpBig(BigInt(a), BigInt(b));
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : 1;
}

/** Masterminds Version.Compare. */
export function compareVersions(a: Version, b: Version): number {
  const d = cmpBig(a.major, b.major) || cmpBig(a.minor, b.minor) || cmpBig(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  const ap = a.pre.split('.');
  const bp = b.pre.split('.');
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const c = comparePrePart(ap[i] ?? '', bp[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

/** The highest tag whose name is a version matching `constraint` (first such tag on a tie), or undefined. */
export function highestSemverTag(constraint: string, refs: readonly RemoteRef[]): RemoteRef | undefined {
  let best: { ref: RemoteRef; v: Version } | undefined;
  for (const ref of refs) {
    if (!ref.name.startsWith('refs/tags/')) continue;
    const tag = ref.name.slice('refs/tags/'.length);
    let v: Version;
    try {
      v = parseSemver(tag);
      if (!semverConstraintCheck(constraint, tag)) continue;
    } catch {
      continue;
    }
    if (!best || compareVersions(v, best.v) > 0) best = { ref, v };
  }
  return best?.ref;
}

/** Whether resolving this Argo revision needs the server's refs (a full SHA does not). */
export function argoNeedsRefs(revision: string | undefined): boolean {
  return !isFullSha(revision ?? '');
}

/**
 * Argo CD's lsRemote: a full SHA as is; otherwise a semver constraint (when the revision is a
 * constraint and not a plain version) picks the highest matching tag; then a ref whose name or
 * short name equals the revision (`HEAD` follows its target); then anything that looks like an
 * abbreviated SHA; else "unable to resolve".
 */
export function resolveArgoRevision(revisionIn: string | undefined, refs: readonly RemoteRef[]): Resolution {
  const revision = revisionIn === undefined || revisionIn === '' ? 'HEAD' : revisionIn;
  if (isFullSha(revision)) return { kind: 'commit', commit: revision.toLowerCase(), abbreviated: false };
  if (!isSemverVersion(revision) && isSemverConstraint(revision)) {
    const tag = highestSemverTag(revision, refs);
    if (tag) return { kind: 'ref', refName: tag.name, commit: refCommit(tag), label: fluxLabel(tag.name) };
  }
  for (const ref of refs) {
    if (ref.name !== revision && shortRefName(ref.name) !== revision) continue;
    if (ref.target) {
      const target = refs.find((r) => r.name === ref.target);
      return { kind: 'ref', refName: target?.name ?? ref.name, commit: refCommit(target ?? ref), label: revision };
    }
    return { kind: 'ref', refName: ref.name, commit: refCommit(ref), label: revision };
  }
  if (SHORT_SHA.test(revision)) return { kind: 'commit', commit: revision.toLowerCase(), abbreviated: true };
  throw new RefResolutionError(`revision "${revision}"`, `unable to resolve '${revision}' to a commit SHA`);
}

/** Whether resolving this Flux ref needs the server's refs (a commit does not). */
export function fluxNeedsRefs(ref: GitRefSpec): boolean {
  return !ref.commit;
}

/** Flux's checkout strategy for `ref` (the default branch is `master`, as in Flux). */
export function resolveFluxRef(ref: GitRefSpec, refs: readonly RemoteRef[]): Resolution {
  if (ref.commit) {
    const commit = ref.commit.toLowerCase();
    if (!SHORT_SHA.test(commit)) throw new RefResolutionError(`commit "${ref.commit}"`, `commit "${ref.commit}" is not a commit SHA`);
    return {
      kind: 'commit',
      commit,
      abbreviated: !isFullSha(commit),
      ...(ref.branch ? { refName: `refs/heads/${ref.branch}`, label: ref.branch } : {}),
    };
  }
  const find = (name: string) => refs.find((r) => r.name === name);
  if (ref.name) {
    const r = find(ref.name);
    if (!r) throw new RefResolutionError(`reference "${ref.name}"`, `couldn't find remote ref "${ref.name}"`);
    const target = r.target ? find(r.target) : undefined;
    // Flux prints name refs in full (Commit.AbsoluteReference).
    return { kind: 'ref', refName: target?.name ?? r.name, commit: refCommit(target ?? r), label: ref.name };
  }
  if (ref.semver) {
    if (!isSemverConstraint(ref.semver)) throw new RefResolutionError(`semver "${ref.semver}"`, `semver parse error: improper constraint: ${ref.semver}`);
    const tag = highestSemverTag(ref.semver, refs);
    if (!tag) throw new RefResolutionError(`semver "${ref.semver}"`, `no match found for semver: ${ref.semver}`);
    return { kind: 'ref', refName: tag.name, commit: refCommit(tag), label: fluxLabel(tag.name) };
  }
  if (ref.tag) {
    const r = find(`refs/tags/${ref.tag}`);
    if (!r) throw new RefResolutionError(`tag "${ref.tag}"`, `couldn't find remote ref "refs/tags/${ref.tag}"`);
    return { kind: 'ref', refName: r.name, commit: refCommit(r), label: ref.tag };
  }
  const branch = ref.branch || 'master';
  const r = find(`refs/heads/${branch}`);
  if (!r) throw new RefResolutionError(`branch "${branch}"`, `couldn't find remote ref "refs/heads/${branch}"`);
  return { kind: 'ref', refName: r.name, commit: refCommit(r), label: branch };
}

/** Flux's revision string: `label@sha1:…`, or `sha1:…` without a label. */
export function revisionString(label: string | undefined, commit: string): string {
  const digest = `${commit.length === 64 ? 'sha256' : 'sha1'}:${commit}`;
  return label ? `${label}@${digest}` : digest;
}
