/**
 * Flux's post-build variable substitution language: a port of fluxcd/pkg/envsubst (itself a
 * fork of drone/envsubst): parse/scan.go, parse/parse.go, template.go, funcs.go. Only `${…}`
 * is recognised (`$var` stays as written), `$$` is an escaped `$` (so `$${var}` prints
 * `${var}`), and the bash-like forms `${var:=default}`, `${var:-default}`, `${var=default}`,
 * `${#var}`, `${var^^}`, `${var,}`, `${var:1:2}`, `${var#pat}`, `${var/a/b}` … are
 * understood. Strict mode (unset variables are errors) is not implemented: Flux turns it off
 * by default and unset variables read as "".
 */
import { matchFilepath } from '../../../engines/chart/index.js';

/** A parse error, with the library's message ("bad substitution", "missing closing brace" …). */
export class EnvsubstError extends Error {}

const EOF = '';
const MODE_IDENT = 1;
const MODE_LBRACK = 2;
const MODE_RBRACK = 4;
const MODE_ESCAPE = 8;
const ESC_DOLLAR = 1;
const ESC_BACKSLASH = 2;

type Accept = (r: string, i: number) => boolean;

const isLetter = (r: string) => /^\p{L}$/u.test(r);
const isDigit = (r: string) => /^\p{Nd}$/u.test(r);

const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => isLetter(r) || isDigit(r) || r === '_';
const acceptColon: Accept = (r) => r === ':';
const acceptOneHash: Accept = (r, i) => r === '#' && i === 1;
const acceptNotClosing: Accept = (r) => r !== '}';
const acceptHashFunc: Accept = (r, i) => r === '#' && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === '%' && i < 3;
const acceptDefaultFunc: Accept = (r, i) => (i === 1 && r === ':') || (i === 2 && (r === '=' || r === '-' || r === '?' || r === '+'));
const acceptReplaceFunc: Accept = (r, i) => (i === 1 && r === '/') || (i === 2 && (r === '/' || r === '#' || r === '%'));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === '=';
const acceptOneColon: Accept = (r, i) => i === 1 && r === ':';
const rejectColonClose: Accept = (r) => r !== ':' && r !== '}';
const acceptSlash: Accept = (r) => r === '/';
const acceptNotSlash: Accept = (r) => r !== '/';
const acceptCasingFunc: Accept = (r, i) => (r === ',' || r === '^') && i < 3;

enum Token {
  Illegal,
  EOF,
  Ident,
  Lbrack,
  Rbrack,
}

/** scan.go's scanner; `skip` removes the escaping character from the buffer, as upstream. */
class Scanner {
  buf = '';
  pos = 0;
  start = 0;
  width = 0;
  mode = 0;
  escapeChars = 0;
  accept: Accept = acceptRune;

  init(buf: string): void {
    this.buf = buf;
    this.pos = 0;
    this.start = 0;
    this.width = 0;
  }

  read(): string {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    const ch = String.fromCodePoint(this.buf.codePointAt(this.pos)!);
    this.width = ch.length;
    this.pos += this.width;
    return ch;
  }

  unread(): void {
    this.pos -= this.width;
  }

  skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos);
  }

  peek(): string {
    const r = this.read();
    this.unread();
    return r;
  }

  string(): string {
    return this.buf.slice(this.start, this.pos);
  }

  scan(): Token {
    this.start = this.pos;
    const r = this.read();
    if (r === EOF) return Token.EOF;
    if (this.scanLbrack(r)) return Token.Lbrack;
    if (this.scanRbrack(r)) return Token.Rbrack;
    if (this.scanIdent(r)) return Token.Ident;
    return Token.Illegal;
  }

  scanIdent(first: string): boolean {
    if ((this.mode & MODE_IDENT) === 0) return false;
    if (this.scanEscaped(first)) this.skip();
    else if (!this.accept(first, this.pos - this.start)) return false;
    for (;;) {
      const r = this.read();
      if (r === EOF) {
        this.unread();
        break;
      }
      if (this.scanLbrack(r)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(r)) {
        this.skip();
        continue;
      }
      if (!this.accept(r, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  scanLbrack(r: string): boolean {
    if ((this.mode & MODE_LBRACK) === 0) return false;
    if (r === '$') {
      if (this.read() === '{') return true;
      this.unread();
    }
    return false;
  }

  scanRbrack(r: string): boolean {
    return (this.mode & MODE_RBRACK) !== 0 && r === '}';
  }

  scanEscaped(r: string): boolean {
    if ((this.mode & MODE_ESCAPE) === 0) return false;
    if (r === '$' && (this.escapeChars & ESC_DOLLAR) !== 0 && this.peek() === '$') return true;
    if (r === '\\' && (this.escapeChars & ESC_BACKSLASH) !== 0) {
      const next = this.peek();
      return next === '/' || next === '\\';
    }
    return false;
  }
}

type Node = { type: 'text'; value: string } | { type: 'func'; param: string; name: string; args: Node[] } | { type: 'list'; nodes: Node[] };

const empty: Node = { type: 'text', value: '' };

const ERR_BAD = 'bad substitution';
const ERR_BRACE = 'missing closing brace';
const ERR_NAME = 'unable to parse variable name';
const ERR_FUNC = 'unable to parse substitution within function';
const ERR_DEFAULT = 'unable to parse default function';

/** parse.go's Tree. */
class Parser {
  private s = new Scanner();

  parse(buf: string): Node {
    this.s.init(buf);
    return this.parseAny();
  }

  private parseAny(): Node {
    const s = this.s;
    s.accept = acceptRune;
    s.mode = MODE_IDENT | MODE_LBRACK | MODE_ESCAPE;
    s.escapeChars = ESC_DOLLAR;
    switch (s.scan()) {
      case Token.Ident: {
        const left: Node = { type: 'text', value: s.string() };
        const right = this.parseAny();
        return right === empty ? left : { type: 'list', nodes: [left, right] };
      }
      case Token.EOF:
        return empty;
      case Token.Lbrack: {
        const left = this.parseFunc();
        const right = this.parseAny();
        return right === empty ? left : { type: 'list', nodes: [left, right] };
      }
      default:
        throw new EnvsubstError(ERR_BAD);
    }
  }

  private parseFunc(): Node {
    const s = this.s;
    s.escapeChars = ESC_DOLLAR | ESC_BACKSLASH;
    if (s.peek() === '#') return this.parseLenFunc();
    s.accept = acceptIdent;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_NAME);
    const name = s.string();
    switch (s.peek()) {
      case ':':
        return this.parseDefaultOrSubstr(name);
      case '=':
        return this.parseDefaultFunc(name);
      case ',':
      case '^':
        return this.parseCasingFunc(name);
      case '/':
        return this.parseReplaceFunc(name);
      case '#':
        return this.parseRemoveFunc(name, acceptHashFunc);
      case '%':
        return this.parseRemoveFunc(name, acceptPercentFunc);
    }
    s.accept = acceptIdent;
    s.mode = MODE_RBRACK;
    if (s.scan() === Token.Rbrack) return { type: 'func', param: name, name: '', args: [] };
    throw new EnvsubstError(ERR_BRACE);
  }

  private parseParam(accept: Accept, mode: number): Node {
    const s = this.s;
    s.accept = accept;
    s.mode = mode | MODE_LBRACK;
    switch (s.scan()) {
      case Token.Lbrack:
        return this.parseFunc();
      case Token.Ident:
      case Token.Rbrack:
        return { type: 'text', value: s.string() };
      default:
        throw new EnvsubstError(ERR_FUNC);
    }
  }

  private parseDefaultOrSubstr(name: string): Node {
    const s = this.s;
    s.read();
    const r = s.peek();
    s.unread();
    return r === '=' || r === '-' || r === '?' || r === '+' ? this.parseDefaultFunc(name) : this.parseSubstrFunc(name);
  }

  private parseSubstrFunc(name: string): Node {
    const s = this.s;
    const node = { type: 'func' as const, param: name, name: '', args: [] as Node[] };
    s.accept = acceptOneColon;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    node.name = s.string();
    node.args.push(this.parseParam(rejectColonClose, MODE_IDENT));
    s.accept = acceptColon;
    s.mode = MODE_IDENT | MODE_RBRACK;
    const t = s.scan();
    if (t === Token.Rbrack) return node;
    if (t !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseRemoveFunc(name: string, accept: Accept): Node {
    const s = this.s;
    s.accept = accept;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    const node: Node = { type: 'func', param: name, name: s.string(), args: [] };
    node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseReplaceFunc(name: string): Node {
    const s = this.s;
    s.accept = acceptReplaceFunc;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    const node = { type: 'func' as const, param: name, name: s.string(), args: [] as Node[] };
    if (s.peek() === '/') node.args.push({ type: 'text', value: '' });
    else node.args.push(this.parseParam(acceptNotSlash, MODE_IDENT | MODE_ESCAPE));
    s.accept = acceptSlash;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    if (s.peek() === '}') {
      this.consumeRbrack();
      return node;
    }
    node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT | MODE_ESCAPE));
    this.consumeRbrack();
    return node;
  }

  private parseDefaultFunc(name: string): Node {
    const s = this.s;
    s.accept = s.peek() === '=' ? acceptOneEqual : acceptDefaultFunc;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_DEFAULT);
    const node = { type: 'func' as const, param: name, name: s.string(), args: [] as Node[] };
    for (;;) {
      if (s.peek() === '}') {
        this.consumeRbrack();
        return node;
      }
      node.args.push(this.parseParam(acceptNotClosing, MODE_IDENT));
    }
  }

  private parseCasingFunc(name: string): Node {
    const s = this.s;
    s.accept = acceptCasingFunc;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    const node: Node = { type: 'func', param: name, name: s.string(), args: [] };
    this.consumeRbrack();
    return node;
  }

  private parseLenFunc(): Node {
    const s = this.s;
    s.accept = acceptOneHash;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    const name = s.string();
    s.accept = acceptIdent;
    s.mode = MODE_IDENT;
    if (s.scan() !== Token.Ident) throw new EnvsubstError(ERR_BAD);
    const node: Node = { type: 'func', param: s.string(), name, args: [] };
    this.consumeRbrack();
    return node;
  }

  private consumeRbrack(): void {
    this.s.mode = MODE_RBRACK;
    if (this.s.scan() !== Token.Rbrack) throw new EnvsubstError(ERR_BAD);
  }
}

// funcs.go ------------------------------------------------------------------------------------

const byteLen = (s: string) => Buffer.byteLength(s, 'utf8');
const atoi = (s: string): number | undefined => (/^[+-]?[0-9]+$/.test(s) ? Number.parseInt(s, 10) : undefined);

function toSubstr(s: string, args: string[]): string {
  if (args.length === 0) return s;
  let pos = atoi(args[0]!);
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, s.length + pos);
  if (args.length === 1) return pos < s.length ? s.slice(pos) : '';
  const length = atoi(args[1]!);
  if (length === undefined) return s;
  if (length < 0) {
    const end = s.length + length;
    return end < pos ? '' : s.slice(pos, end);
  }
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : '';
  return s.slice(pos, pos + length);
}

function trimShortest(s: string, pattern: string): string {
  let shortest = '';
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    if (matchFilepath(pattern, candidate)) shortest = candidate;
  }
  return shortest !== '' && s.startsWith(shortest) ? s.slice(shortest.length) : s;
}

function trimLongest(s: string, pattern: string): string {
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    if (matchFilepath(pattern, candidate)) return s.slice(candidate.length);
  }
  return s;
}

const reverse = (s: string) => [...s].reverse().join('');

function applyFunc(name: string, v: string, args: string[]): string {
  switch (name) {
    case ',':
      return v === '' ? v : [...v][0]!.toLowerCase() + v.slice([...v][0]!.length);
    case ',,':
      return v.toLowerCase();
    case '^':
      return v === '' ? v : [...v][0]!.toUpperCase() + v.slice([...v][0]!.length);
    case '^^':
      return v.toUpperCase();
    case '#':
      return args.length === 0 ? String(byteLen(v)) : trimShortest(v, args[0]!);
    case '##':
      return args.length === 0 ? v : trimLongest(v, args[0]!);
    case '%':
      return args.length === 0 ? v : reverse(trimShortest(reverse(v), reverse(args[0]!)));
    case '%%':
      return args.length === 0 ? v : reverse(trimLongest(reverse(v), reverse(args[0]!)));
    case ':':
      return toSubstr(v, args);
    case '/#':
      return args.length === 2 && v.startsWith(args[0]!) ? args[1]! + v.slice(args[0]!.length) : v;
    case '/%':
      return args.length === 2 && v.endsWith(args[0]!) ? v.slice(0, v.length - args[0]!.length) + args[1]! : v;
    case '/':
      return args.length === 0 ? v : v.replace(args[0]!, () => args[1] ?? '');
    case '//':
      return args.length === 0 ? v : v.split(args[0]!).join(args[1] ?? '');
    default:
      // "=", ":=", ":-", ":?", ":+", "-", "+" and a bare ${var} all use toDefault upstream.
      return v === '' && args.length > 0 ? args.join('') : v;
  }
}

function evaluate(node: Node, lookup: (name: string) => string): string {
  switch (node.type) {
    case 'text':
      return node.value;
    case 'list':
      return node.nodes.map((n) => evaluate(n, lookup)).join('');
    case 'func': {
      const args = node.args.map((n) => evaluate(n, lookup));
      return applyFunc(node.name, lookup(node.param), args);
    }
  }
}

/** envsubst.Eval with a mapping that treats every variable as set (Flux without strict substitution). */
export function envsubst(text: string, vars: Readonly<Record<string, string>>): string {
  const tree = new Parser().parse(text);
  return evaluate(tree, (name) => (Object.hasOwn(vars, name) ? vars[name]! : ''));
}
