// Path globs for `when.branch`, `when.changes` and `${hashFiles:...}`: `*` and `?` stay inside
// one `/`-separated segment, a `**` segment spans any number of segments (none included).

const cache = new Map<string, RegExp>();

/** The anchored regular expression of a glob; `src/**` matches `src/a/b.ts`, `*.md` only top-level files. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  const segments = glob.split('/');
  let source = '';
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '**') {
      source += last ? '.*' : '(?:[^/]*/)*';
      return;
    }
    source += segmentSource(seg) + (last ? '' : '/');
  });
  re = new RegExp(`^${source}$`);
  cache.set(glob, re);
  return re;
}

function segmentSource(seg: string): string {
  let out = '';
  for (const ch of seg) {
    if (ch === '*') out += out.endsWith('[^/]*') ? '' : '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return out;
}

/** Whether `path` (posix, no leading `./`) matches `glob`. */
export function matchGlob(glob: string, path: string): boolean {
  return globToRegExp(stripDot(glob)).test(stripDot(path));
}

/** The leading segments of a glob that hold no wildcard: where a file walk can start. */
export function globBase(glob: string): string {
  const segs = stripDot(glob).split('/');
  const fixed: string[] = [];
  for (const s of segs.slice(0, -1)) {
    if (/[*?]/.test(s)) break;
    fixed.push(s);
  }
  return fixed.join('/');
}

function stripDot(p: string): string {
  return p.startsWith('./') ? p.slice(2) : p;
}
