/**
 * Kyverno's wildcard matching: `*` matches any run of characters (the empty one too), `?`
 * exactly one character, everything else itself. No escaping, no classes; `*` and `?` also
 * match `/`. Matching works on code points and is linear in practice: when a match fails
 * after a `*`, only the last `*` is grown, which is enough because anything an earlier `*`
 * could absorb the last one can absorb too.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  let resumeP = -1; // index in p right after the last `*` seen
  let resumeT = 0; // index in t that `*` does not cover yet
  while (ti < t.length) {
    if (pi < p.length) {
      const c = p[pi];
      if (c === '*') {
        pi++;
        if (pi === p.length) return true;
        resumeP = pi;
        resumeT = ti;
        continue;
      }
      if (c === '?' || c === t[ti]) {
        pi++;
        ti++;
        continue;
      }
    }
    if (resumeP < 0) return false;
    resumeT++;
    pi = resumeP;
    ti = resumeT;
  }
  for (; pi < p.length; pi++) if (p[pi] !== '*') return false;
  return true;
}

/** True when `s` has a `*` or `?` in it. */
export function containsWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
