/**
 * The two glob dialects Argo CD uses on sources:
 * - gobwas/glob without separators (util/glob Match) for `directory.include/exclude`: `*` and
 *   `**` match any run of characters including `/`, `?` one character, `[abc]`, `[a-z]`,
 *   `[!…]`, `{a,b}` alternatives (nested, each a pattern), `\` escapes. A pattern that does not
 *   compile matches nothing (Argo logs and returns false).
 * - bmatcuk/doublestar (helm valueFiles globs): `*` and `?` stop at `/`, a `**` path segment
 *   spans any number of directories, classes take `!` or `^`, `{a,b}` alternatives.
 */

const escapeRe = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, (m) => `\\${m}`);

/** Compiles a glob to a RegExp source (no anchors); throws on syntax errors. */
function compile(pattern: string, doublestar: boolean): string {
  let i = 0;
  const star = doublestar ? '[^/]*' : '[\\s\\S]*';
  const one = doublestar ? '[^/]' : '[\\s\\S]';

  const parseSeq = (inBraces: boolean): string => {
    let re = '';
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (inBraces && (c === ',' || c === '}')) return re;
      i++;
      switch (c) {
        case '\\': {
          if (i >= pattern.length) throw new Error('unexpected end of pattern after escape');
          re += escapeRe(pattern[i++]!);
          break;
        }
        case '*': {
          let n = 1;
          while (pattern[i] === '*') {
            i++;
            n++;
          }
          if (doublestar && n >= 2) {
            const startOfSegment = i - n === 0 || pattern[i - n - 1] === '/';
            if (startOfSegment && pattern[i] === '/') {
              i++;
              re += '(?:[^/]*/)*';
              break;
            }
            if (startOfSegment && i === pattern.length) {
              re += '[\\s\\S]*';
              break;
            }
          }
          re += star;
          break;
        }
        case '?':
          re += one;
          break;
        case '[': {
          const end = pattern.indexOf(']', i + (pattern[i] === ']' ? 1 : 0));
          if (end < 0) throw new Error('unexpected end of pattern: unclosed [');
          let body = pattern.slice(i, end);
          i = end + 1;
          let negate = false;
          if (body.startsWith('!') || (doublestar && body.startsWith('^'))) {
            negate = true;
            body = body.slice(1);
          }
          if (body === '') throw new Error('empty character class');
          const cls = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
          re += negate ? `[^${doublestar ? '/' : ''}${cls}]` : `[${cls}]`;
          break;
        }
        case '{': {
          const alternatives: string[] = [];
          for (;;) {
            alternatives.push(parseSeq(true));
            const d = pattern[i];
            if (d === undefined) throw new Error('unexpected end of pattern: unclosed {');
            i++;
            if (d === '}') break;
          }
          re += `(?:${alternatives.join('|')})`;
          break;
        }
        default:
          re += escapeRe(c);
      }
    }
    if (inBraces) throw new Error('unexpected end of pattern: unclosed {');
    return re;
  };
  return parseSeq(false);
}

const cache = new Map<string, RegExp | null>();

function compiled(pattern: string, doublestar: boolean): RegExp | null {
  const key = `${doublestar ? 'd' : 'g'}:${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(`^${compile(pattern, doublestar)}$`);
    } catch {
      re = null;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** gobwas glob.Match without separators; false for a pattern that does not compile. */
export function matchArgoGlob(pattern: string, text: string): boolean {
  return compiled(pattern, false)?.test(text) ?? false;
}

/** doublestar.Match on slash-separated paths; false for a bad pattern. */
export function matchDoublestar(pattern: string, path: string): boolean {
  return compiled(pattern, true)?.test(path) ?? false;
}

/** Whether a values file entry is a glob (Argo's isGlobPath). */
export function isGlobPath(path: string): boolean {
  return /[*?[]/.test(path);
}
