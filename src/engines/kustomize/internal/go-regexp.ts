/**
 * Go (RE2) regular expressions as JS RegExps, for the places kustomize compiles user text
 * with regexp.Compile: selector fields, image names, replacement list matchers. RE2 is
 * close to JS syntax; the differences users meet are translated: inline flags at the
 * start (`(?i)`), named groups `(?P<n>...)`, `\z`, `\A` and POSIX classes.
 */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** Compiles a Go regexp; throws Error("error parsing regexp: ...") when JS cannot read it. */
export function compileGoRegexp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let src = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) if (f === 'i' || f === 'm' || f === 's') flags += f;
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = POSIX[name];
      if (!cls) return m;
      return neg ? `^${cls}` : cls;
    });
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch (e) {
    throw new Error(`error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, { cause: e });
  }
  cache.set(pattern, re);
  return re;
}
