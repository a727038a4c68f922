// The `when.expression` language: string literals ('..' or ".."), numbers, true/false,
// `${NAME}` / `${env.NAME}` / `${params.NAME}` references, `==`, `!=`, `=~` (regular
// expression search, as Groovy's =~), `!`, `&&`, `||` and parentheses.
//
//   or   := and ('||' and)*
//   and  := not ('&&' not)*
//   not  := '!' not | cmp          (so `!a == b` is `!(a == b)`)
//   cmp  := atom (('==' | '!=' | '=~') atom)?
//   atom := STRING | NUMBER | true | false | REF | '(' or ')'
import { InputError, type SourceLocation } from '../../core/index.js';
import { resolveReference, scanTemplate, type Lookup, type Reference } from './interpolate.js';

export type Expr =
  | { kind: 'literal'; value: string | boolean }
  | { kind: 'ref'; ref: Reference }
  | { kind: 'not'; operand: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: '==' | '!=' | '=~'; left: Expr; right: Expr; regex?: RegExp };

interface Token {
  type: 'str' | 'num' | 'word' | 'ref' | 'op' | 'end';
  text: string;
  offset: number;
  value?: string;
  ref?: Reference;
}

/** Where an expression came from, for errors: the field path and the location of the expression. */
export interface ExprSource {
  field: string;
  at?: SourceLocation;
  /** Column of the first character of the expression on `at.line`, when it can be known exactly. */
  column?: number;
}

const OPS = ['==', '!=', '=~', '&&', '||', '!', '(', ')'];

/** Parses an expression; a syntax error throws InputError naming the field, the expression and the column. */
export function parseExpression(text: string, src: ExprSource): Expr {
  const fail = (problem: string, offset: number): never => {
    const at = src.at && src.column !== undefined ? { ...src.at, column: src.column + offset } : src.at;
    throw new InputError(`${src.field}: ${problem} at offset ${offset} of expression "${text}"`, at);
  };
  const tokens = tokenize(text, src, fail);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isOp = (t: Token, op: string) => t.type === 'op' && t.text === op;

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (isOp(peek(), '||')) {
      next();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parseNot();
    while (isOp(peek(), '&&')) {
      next();
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): Expr => {
    if (isOp(peek(), '!')) {
      next();
      return { kind: 'not', operand: parseNot() };
    }
    return parseCmp();
  };
  const parseCmp = (): Expr => {
    const left = parseAtom();
    const t = peek();
    if (t.type === 'op' && (t.text === '==' || t.text === '!=' || t.text === '=~')) {
      next();
      const right = parseAtom();
      const kind = t.text;
      if (kind === '=~' && right.kind === 'literal' && typeof right.value === 'string') {
        try {
          return { kind, left, right, regex: new RegExp(right.value) };
        } catch (e) {
          return fail(`bad regular expression: ${(e as Error).message}`, t.offset);
        }
      }
      return { kind, left, right };
    }
    return left;
  };
  const parseAtom = (): Expr => {
    const t = next();
    switch (t.type) {
      case 'str':
      case 'num':
        return { kind: 'literal', value: t.value! };
      case 'word':
        return { kind: 'literal', value: t.text === 'true' };
      case 'ref':
        return { kind: 'ref', ref: t.ref! };
      case 'op':
        if (t.text === '(') {
          const inner = parseOr();
          const close = next();
          if (!isOp(close, ')')) fail(`expected ")" but found ${describe(close)}`, close.offset);
          return inner;
        }
        return fail(`expected a value but found "${t.text}"`, t.offset);
      case 'end':
        return fail('expected a value but the expression ended', t.offset);
    }
  };

  if (peek().type === 'end') fail('empty expression', 0);
  const expr = parseOr();
  const rest = peek();
  if (rest.type !== 'end') fail(`unexpected ${describe(rest)}`, rest.offset);
  return expr;
}

function describe(t: Token): string {
  return t.type === 'end' ? 'end of expression' : `"${t.text}"`;
}

function tokenize(text: string, src: ExprSource, fail: (problem: string, offset: number) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== ch; j++) {
        // A backslash escapes only the quote and itself, so regular expressions keep theirs ('\d+').
        if (text[j] === '\\' && (text[j + 1] === ch || text[j + 1] === '\\')) j++;
        value += text[j];
      }
      if (j >= text.length) fail(`unterminated string`, i);
      out.push({ type: 'str', text: text.slice(i, j + 1), offset: i, value });
      i = j + 1;
      continue;
    }
    if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i);
      if (end < 0) fail('unterminated "${"', i);
      const raw = text.slice(i, end + 1);
      let parts: ReturnType<typeof scanTemplate> = [];
      try {
        parts = scanTemplate(raw, src.field, src.at);
      } catch {
        // reported below with the offset
      }
      const ref = parts[0];
      if (parts.length !== 1 || typeof ref !== 'object') return fail(`bad reference "${raw}": expected \${NAME}, \${env.NAME} or \${params.NAME}`, i);
      if (ref.scope === 'hashFiles') fail(`${raw} is only allowed in cache keys`, i);
      out.push({ type: 'ref', text: raw, offset: i, ref: { ...ref, offset: i } });
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ type: 'op', text: op, offset: i });
      i += op.length;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ type: 'num', text: num[0], offset: i, value: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(i));
    if (word) {
      if (word[0] !== 'true' && word[0] !== 'false') {
        fail(`unknown word "${word[0]}" (quote strings: '${word[0]}'; write variables as \${${word[0]}})`, i);
      }
      out.push({ type: 'word', text: word[0], offset: i });
      i += word[0].length;
      continue;
    }
    if (ch === '=' || ch === '&' || ch === '|') fail(`unknown operator "${text.slice(i, i + 2).trim()}" (use ==, !=, =~, && or ||)`, i);
    fail(`unexpected character "${ch}"`, i);
  }
  out.push({ type: 'end', text: '', offset: text.length });
  return out;
}

/**
 * A value used as a condition is false when it is the empty string, `false` or `0`
 * (so a boolean parameter's "false" reads as false), and true otherwise.
 */
export function truthy(v: string | boolean): boolean {
  if (typeof v === 'boolean') return v;
  return !(v === '' || v === 'false' || v === '0');
}

function text(v: string | boolean): string {
  return typeof v === 'boolean' ? String(v) : v;
}

/** Evaluates an expression; `&&` and `||` do not evaluate their right side when the left decides. */
export function evaluateExpression(expr: Expr, lookup: Lookup, src: ExprSource): string | boolean {
  const ev = (e: Expr): string | boolean => {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'ref':
        return resolveReference(e.ref, lookup, src.field, src.at);
      case 'not':
        return !truthy(ev(e.operand));
      case 'and':
        return truthy(ev(e.left)) && truthy(ev(e.right));
      case 'or':
        return truthy(ev(e.left)) || truthy(ev(e.right));
      case '==':
        return text(ev(e.left)) === text(ev(e.right));
      case '!=':
        return text(ev(e.left)) !== text(ev(e.right));
      case '=~': {
        const left = text(ev(e.left));
        let re = e.regex;
        if (!re) {
          const pattern = text(ev(e.right));
          try {
            re = new RegExp(pattern);
          } catch (err) {
            throw new InputError(`${src.field}: bad regular expression "${pattern}": ${(err as Error).message}`, src.at);
          }
        }
        return re.test(left);
      }
    }
  };
  return ev(expr);
}
