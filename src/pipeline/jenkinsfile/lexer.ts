/**
 * Tokens of the Groovy that declarative Jenkinsfiles are written in: identifiers, numbers,
 * the four string forms ('…', '''…''', "…", """…""") with Groovy's escapes, and the few
 * operators the subset uses. Double-quoted strings are GStrings: they are split into text and
 * `${…}` / `$name` references here, so later stages never see raw interpolation syntax.
 * Comments (`//`, `/* *\/`, a leading `#!` line) are skipped.
 */
import { InputError, type SourceLocation } from '../../core/index.js';

/** A piece of a string literal: plain text, or a Groovy `${expr}` / `$name` reference. */
export type StrPart = { kind: 'text'; text: string } | { kind: 'ref'; code: string; at: SourceLocation };

export type Token =
  | { kind: 'ident'; value: string; at: SourceLocation; line: number }
  | { kind: 'number'; value: number; text: string; at: SourceLocation; line: number }
  | { kind: 'string'; parts: StrPart[]; gstring: boolean; at: SourceLocation; line: number }
  | { kind: 'op'; value: string; at: SourceLocation; line: number }
  | { kind: 'eof'; at: SourceLocation; line: number };

/** Longest first, so `==` wins over `=`. Operators outside the subset are lexed so the parser can name them. */
const OPERATORS = [
  '==~', '<=>', '?.', '?:', '*.', '=~', '==', '!=', '&&', '||', '<=', '>=', '->', '++', '--', '+=', '-=', '<<', '>>',
  '{', '}', '(', ')', '[', ']', ',', ':', ';', '.', '=', '!', '+', '-', '*', '%', '<', '>', '?', '@', '&', '|', '^', '~',
];

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  s: ' ',
  '\\': '\\',
  "'": "'",
  '"': '"',
  $: '$',
};

export function tokenize(source: string, file: string): Token[] {
  // Groovy reads CRLF line ends in multi-line strings as \n; columns are unaffected
  const text = source.replace(/\r\n/g, '\n');
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  const here = (): SourceLocation => ({ file, line, column: pos - lineStart + 1 });
  const fail = (msg: string, at: SourceLocation = here()): never => {
    throw new InputError(msg, at);
  };
  /** Advance over one character, keeping line/column right. */
  const advance = (): string => {
    const c = text[pos++] ?? '';
    if (c === '\n') {
      line++;
      lineStart = pos;
    }
    return c;
  };

  if (text.startsWith('#!')) {
    while (pos < text.length && text[pos] !== '\n') pos++;
  }

  while (pos < text.length) {
    const c = text[pos]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      advance();
      continue;
    }
    if (c === '\\' && (text[pos + 1] === '\n' || (text[pos + 1] === '\r' && text[pos + 2] === '\n'))) {
      // a line continuation outside strings
      advance();
      continue;
    }
    if (text.startsWith('//', pos)) {
      while (pos < text.length && text[pos] !== '\n') pos++;
      continue;
    }
    if (text.startsWith('/*', pos)) {
      const at = here();
      pos += 2;
      while (pos < text.length && !text.startsWith('*/', pos)) advance();
      if (pos >= text.length) fail('unterminated comment /*', at);
      pos += 2;
      continue;
    }
    const at = here();
    const tokLine = line;
    if (/[A-Za-z_$]/.test(c)) {
      let end = pos + 1;
      while (end < text.length && /[A-Za-z0-9_$]/.test(text[end]!)) end++;
      tokens.push({ kind: 'ident', value: text.slice(pos, end), at, line: tokLine });
      pos = end;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9_]*(\.[0-9]+)?([eE][+-]?[0-9]+)?[lLiIgGdDfF]?/.exec(text.slice(pos))!;
      const digits = m[0].replace(/[lLiIgGdDfF]$/, '').replace(/_/g, '');
      tokens.push({ kind: 'number', value: Number(digits), text: m[0], at, line: tokLine });
      pos += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const triple = text.startsWith(c.repeat(3), pos);
      const gstring = c === '"';
      const quote = triple ? c.repeat(3) : c;
      pos += quote.length;
      const parts: StrPart[] = [];
      let buf = '';
      const flush = (): void => {
        if (buf) parts.push({ kind: 'text', text: buf });
        buf = '';
      };
      for (;;) {
        if (pos >= text.length) fail(`unterminated string ${quote}…${quote}`, at);
        if (text.startsWith(quote, pos)) {
          pos += quote.length;
          break;
        }
        const ch = text[pos]!;
        if (ch === '\n' && !triple) fail(`unterminated string: a newline inside ${quote}…${quote} (use ${c.repeat(3)}…${c.repeat(3)} for several lines)`, at);
        if (ch === '\\') {
          const escAt = here();
          const next = text[pos + 1];
          if (next === '\n') {
            // Groovy's line continuation inside a string: the backslash and newline vanish
            advance();
            advance();
            continue;
          }
          if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
            buf += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
            pos += 6;
            continue;
          }
          if (next !== undefined && next in SIMPLE_ESCAPES) {
            buf += SIMPLE_ESCAPES[next];
            pos += 2;
            continue;
          }
          fail(`unsupported escape sequence "\\${next ?? ''}" in a string (Groovy rejects it too; write "\\\\" for a backslash)`, escAt);
        }
        if (ch === '$' && gstring) {
          const refAt = here();
          if (text[pos + 1] === '{') {
            let depth = 1;
            let end = pos + 2;
            while (end < text.length && depth > 0) {
              if (text[end] === '{') depth++;
              else if (text[end] === '}') depth--;
              if (depth > 0) end++;
            }
            if (depth > 0) fail('unterminated ${ in a string', refAt);
            flush();
            parts.push({ kind: 'ref', code: text.slice(pos + 2, end).trim(), at: refAt });
            while (pos <= end) advance();
            continue;
          }
          const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(pos));
          if (!m) fail('a "$" in a double-quoted string must start ${…} or $name, or be escaped as \\$', refAt);
          let code = m![1]!;
          let len = m![0].length;
          // `$env.X`, `$params.X`: Groovy reads the dotted path; for other names the dot is text
          if (code === 'env' || code === 'params' || code === 'currentBuild') {
            const rest = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(pos + len));
            if (rest) {
              code += rest[0];
              len += rest[0].length;
            }
          }
          flush();
          parts.push({ kind: 'ref', code, at: refAt });
          pos += len;
          continue;
        }
        buf += advance();
      }
      flush();
      tokens.push({ kind: 'string', parts, gstring, at, line: tokLine });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, pos));
    if (!op) fail(c === '/' ? 'slashy strings (/…/) and division are not supported' : `unexpected character "${c}"`);
    tokens.push({ kind: 'op', value: op!, at, line: tokLine });
    pos += op!.length;
  }
  tokens.push({ kind: 'eof', at: here(), line });
  return tokens;
}
