/**
 * Go regexp (RE2) patterns run as JavaScript RegExps: leading `(?flags)`, `(?P<name>`, `\A`,
 * `\z`, POSIX classes and `\pL` are translated; what RE2 rejects (lookaround, backreferences)
 * is rejected with Go's message. Matching is unanchored search, as Go's MatchString.
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
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** The syntax errors RE2 reports most, with its messages (regexp/syntax). */
function goSyntaxError(pattern: string): string | undefined {
  let depth = 0;
  let prev = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      prev = 'x';
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) return `missing closing ]: \`${pattern.slice(i)}\``;
      i = j;
      prev = 'x';
      continue;
    }
    if ((c === '*' || c === '+' || c === '?') && (prev === '' || prev === '(' || prev === '|')) {
      return `missing argument to repetition operator: \`${c}\``;
    }
    if (c === '(') {
      depth++;
      prev = c;
      if (pattern[i + 1] === '?') {
        const look = /^\(\?(=|!|<=|<!)/.exec(pattern.slice(i));
        if (look) return `invalid or unsupported Perl syntax: \`${look[0].slice(0, 3)}\``;
        i++;
      }
      continue;
    }
    if (c === ')' && --depth < 0) return `unexpected ): \`${pattern}\``;
    prev = c;
  }
  return depth > 0 ? `missing closing ): \`${pattern}\`` : undefined;
}

/** Compiles a Go regular expression; `error` carries Go's "error parsing regexp: ..." text where it can. */
export function compileGoRegexp(pattern: string): { re: RegExp } | { error: string } {
  const syntax = goSyntaxError(pattern);
  if (syntax) return { error: `error parsing regexp: ${syntax}` };
  const unsupported = /\(\?(<=|<!|=|!)/.exec(pattern);
  if (unsupported) return { error: `error parsing regexp: invalid or unsupported Perl syntax: \`${unsupported[0].slice(0, 3)}\`` };
  const backref = /(?<!\\)(?:\\\\)*\\([1-9])/.exec(pattern);
  if (backref) return { error: `error parsing regexp: invalid escape sequence: \`\\${backref[1]}\`` };
  let flags = '';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = POSIX[name];
      if (!cls) return m;
      return neg ? `[^${cls}]`.slice(1, -1) : cls;
    })
    .replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}');
  for (const f of [`${flags}u`, flags]) {
    try {
      return { re: new RegExp(src, f) };
    } catch {
      // try without the unicode flag, which rejects escapes RE2 allows (\-, \_ …)
    }
  }
  try {
    new RegExp(src, flags);
  } catch (e) {
    return { error: `error parsing regexp: ${(e as Error).message}` };
  }
  return { error: 'error parsing regexp' };
}
