/**
 * A parser for the Groovy statement and expression forms declarative Jenkinsfiles use:
 * method calls with and without parentheses (`sh 'x'`, `timeout(time: 5) { … }`,
 * `docker.build "x"`), closures, named arguments, lists, assignments, `def`, `return`,
 * `if`/`else` and the boolean operators of `when { expression { … } }`. It knows nothing of
 * Jenkins; map.ts gives the tree its meaning. Anything else Groovy has is a syntax error
 * here, naming what was found.
 */
import { InputError, type SourceLocation } from '../../core/index.js';
import { tokenize, type StrPart, type Token } from './lexer.js';

export interface Arg {
  /** Set for a named argument (`time: 5`). */
  name?: string;
  value: Node;
  at: SourceLocation;
}

export type Node =
  | { kind: 'str'; parts: StrPart[]; gstring: boolean; at: SourceLocation }
  | { kind: 'num'; value: number; text: string; at: SourceLocation }
  | { kind: 'bool'; value: boolean; at: SourceLocation }
  | { kind: 'null'; at: SourceLocation }
  | { kind: 'ident'; name: string; at: SourceLocation }
  | { kind: 'prop'; object: Node; name: string; at: SourceLocation }
  | { kind: 'call'; callee: Node; args: Arg[]; closure?: Closure; at: SourceLocation }
  | { kind: 'list'; items: Node[]; at: SourceLocation }
  | { kind: 'binary'; op: string; left: Node; right: Node; at: SourceLocation }
  | { kind: 'unary'; op: '!'; operand: Node; at: SourceLocation }
  | Closure;

export interface Closure {
  kind: 'closure';
  body: Stmt[];
  at: SourceLocation;
}

export type Stmt =
  | { kind: 'expr'; expr: Node; at: SourceLocation }
  | { kind: 'def'; name: string; value?: Node; at: SourceLocation }
  | { kind: 'assign'; target: Node; value: Node; at: SourceLocation }
  | { kind: 'return'; value?: Node; at: SourceLocation }
  | { kind: 'if'; cond: Node; then: Stmt[]; else?: Stmt[]; at: SourceLocation };

const KEYWORDS = new Set(['def', 'return', 'if', 'else', 'true', 'false', 'null', 'new', 'for', 'while', 'try', 'catch', 'finally', 'import', 'class', 'switch', 'in', 'throw']);

/** Parses a whole file into its top-level statements. */
export function parseGroovy(text: string, file: string): Stmt[] {
  return new Parser(tokenize(text, file)).file();
}

/** How a token reads in an error message. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'ident':
      return `"${t.value}"`;
    case 'number':
      return `number ${t.text}`;
    case 'string':
      return 'a string';
    case 'op':
      return `"${t.value}"`;
    case 'eof':
      return 'the end of the file';
  }
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private get tok(): Token {
    return this.toks[this.i]!;
  }
  private peek(n = 1): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!;
  }
  private isOp(value: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.value === value;
  }
  private isIdent(value: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.value === value;
  }
  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private fail(msg: string, t: Token = this.tok): never {
    throw new InputError(msg, t.at);
  }
  private expectOp(value: string, what: string): Token {
    if (!this.isOp(value)) this.fail(`expected "${value}" ${what}, found ${describeToken(this.tok)}`);
    return this.next();
  }

  file(): Stmt[] {
    const body = this.statements();
    if (this.tok.kind !== 'eof') this.fail(`unexpected ${describeToken(this.tok)}`);
    return body;
  }

  /** Statements up to a `}` or the end of the file (neither consumed). */
  private statements(): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      while (this.isOp(';')) this.next();
      if (this.tok.kind === 'eof' || this.isOp('}')) return out;
      const stmt = this.statement();
      out.push(stmt);
      const t = this.toks[this.i]!;
      // Groovy ends a statement at a newline or `;`; two statements on one line need the `;`
      if (t.kind !== 'eof' && !this.isOp(';') && !this.isOp('}') && t.line === this.toks[this.i - 1]!.line) {
        this.fail(`unexpected ${describeToken(t)} after a statement (one statement per line)`);
      }
    }
  }

  private statement(): Stmt {
    const t = this.tok;
    if (t.kind === 'op' && t.value === '@') this.fail('annotations (@Library …) are not supported: shared libraries cannot be loaded');
    if (t.kind === 'ident') {
      switch (t.value) {
        case 'def': {
          this.next();
          const name = this.tok;
          if (name.kind !== 'ident' || KEYWORDS.has(name.value)) this.fail(`expected a variable name after "def", found ${describeToken(name)}`);
          this.next();
          if (this.isOp('=')) {
            this.next();
            return { kind: 'def', name: (name as { value: string }).value, value: this.commandOrExpr(), at: t.at };
          }
          return { kind: 'def', name: (name as { value: string }).value, at: t.at };
        }
        case 'return': {
          this.next();
          if (this.tok.kind === 'eof' || this.isOp('}') || this.isOp(';') || this.tok.line !== t.line) return { kind: 'return', at: t.at };
          return { kind: 'return', value: this.expr(), at: t.at };
        }
        case 'if': {
          this.next();
          this.expectOp('(', 'after "if"');
          const cond = this.expr();
          this.expectOp(')', 'to close the condition of "if"');
          const then = this.blockOrStatement();
          if (this.isIdent('else')) {
            this.next();
            const otherwise = this.isIdent('if') ? [this.statement()] : this.blockOrStatement();
            return { kind: 'if', cond, then, else: otherwise, at: t.at };
          }
          return { kind: 'if', cond, then, at: t.at };
        }
        case 'import':
          this.fail('import statements are not supported');
          break;
        case 'node':
          if (this.isOp('{', this.peek()) || this.isOp('(', this.peek())) {
            this.fail('scripted pipelines (node { }) are not supported: only declarative pipeline { } files');
          }
          break;
        default:
          if (KEYWORDS.has(t.value) && t.value !== 'true' && t.value !== 'false' && t.value !== 'null') {
            this.fail(`"${t.value}" is not supported in a Jenkinsfile here`);
          }
      }
    }
    const expr = this.commandOrExpr();
    if (this.isOp('=')) {
      if (expr.kind !== 'ident' && expr.kind !== 'prop') this.fail('the left side of "=" must be a name');
      this.next();
      return { kind: 'assign', target: expr, value: this.commandOrExpr(), at: expr.at };
    }
    if (this.tok.kind === 'op' && ['+=', '-=', '++', '--'].includes(this.tok.value)) this.fail(`the operator "${this.tok.value}" is not supported`);
    return { kind: 'expr', expr, at: expr.at };
  }

  private blockOrStatement(): Stmt[] {
    if (this.isOp('{')) {
      this.next();
      const body = this.statements();
      this.expectOp('}', 'to close the block');
      return body;
    }
    return [this.statement()];
  }

  /** Whether the token can start an argument of a call without parentheses (`sh 'x'`, `agent any`). */
  private startsCommandArg(t: Token, prev: Token): boolean {
    if (t.line !== prev.line) return false;
    if (t.kind === 'string' || t.kind === 'number') return true;
    if (t.kind === 'ident') return t.value !== 'else' && t.value !== 'in';
    return t.kind === 'op' && t.value === '[';
  }

  /** A Groovy command expression (`sh 'x'`, `docker.build "x"`, `timeout time: 5`) or an ordinary expression. */
  private commandOrExpr(): Node {
    const start = this.i;
    if (this.tok.kind === 'ident' && !KEYWORDS.has(this.tok.value)) {
      let callee: Node = { kind: 'ident', name: this.tok.value, at: this.tok.at };
      this.next();
      while (this.isOp('.') && this.peek().kind === 'ident') {
        this.next();
        const name = this.next() as Extract<Token, { kind: 'ident' }>;
        callee = { kind: 'prop', object: callee, name: name.value, at: callee.at };
      }
      if (this.startsCommandArg(this.tok, this.toks[this.i - 1]!)) {
        const args = this.args(null);
        return { kind: 'call', callee, args, at: callee.at };
      }
      this.i = start;
    }
    return this.expr();
  }

  /** Arguments up to `close` (consumed), or, when close is null, a comma-separated command argument list. */
  private args(close: string | null): Arg[] {
    const out: Arg[] = [];
    if (close && this.isOp(close)) {
      this.next();
      return out;
    }
    for (;;) {
      const t = this.tok;
      let name: string | undefined;
      if ((t.kind === 'ident' || (t.kind === 'string' && !t.parts.some((p) => p.kind === 'ref'))) && this.isOp(':', this.peek())) {
        name = t.kind === 'ident' ? t.value : t.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
        this.next();
        this.next();
      }
      const value = this.expr();
      out.push(name === undefined ? { value, at: t.at } : { name, value, at: t.at });
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      if (close) this.expectOp(close, 'to close the argument list');
      return out;
    }
  }

  expr(): Node {
    return this.binary(0);
  }

  private static readonly LEVELS = [['||'], ['&&'], ['==', '!=', '=~'], ['+']];

  private binary(level: number): Node {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.tok;
      if (t.kind === 'op' && Parser.LEVELS[level]!.includes(t.value)) {
        this.next();
        const right = this.binary(level + 1);
        left = { kind: 'binary', op: t.value, left, right, at: t.at };
        continue;
      }
      if (t.kind === 'op' && ['<', '>', '<=', '>=', '==~', '?:', '?', '-', '*', '%', '<=>', '<<'].includes(t.value) && level === 0) {
        this.fail(`the operator "${t.value}" is not supported`);
      }
      return left;
    }
  }

  private unary(): Node {
    const t = this.tok;
    if (this.isOp('!')) {
      this.next();
      return { kind: 'unary', op: '!', operand: this.unary(), at: t.at };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const name = this.tok;
        if (name.kind !== 'ident') this.fail(`expected a name after ".", found ${describeToken(name)}`);
        this.next();
        node = { kind: 'prop', object: node, name: (name as { value: string }).value, at: node.at };
        continue;
      }
      if (this.isOp('?.') || this.isOp('*.')) this.fail(`the operator "${(this.tok as { value: string }).value}" is not supported`);
      if (this.isOp('(') && (node.kind === 'ident' || node.kind === 'prop')) {
        this.next();
        const args = this.args(')');
        const call: Node = { kind: 'call', callee: node, args, at: node.at };
        if (this.isOp('{')) call.closure = this.closure();
        node = call;
        continue;
      }
      if (this.isOp('{') && (node.kind === 'ident' || node.kind === 'prop')) {
        node = { kind: 'call', callee: node, args: [], closure: this.closure(), at: node.at };
        continue;
      }
      if (this.isOp('[')) this.fail('indexing with [ ] is not supported');
      return node;
    }
  }

  private closure(): Closure {
    const open = this.expectOp('{', 'to open a block');
    // `{ x -> … }` closures with parameters are Groovy code, not declarative structure
    let j = this.i;
    while (this.toks[j]!.kind === 'ident' || this.isOp(',', this.toks[j]!)) j++;
    if (j > this.i && this.isOp('->', this.toks[j]!)) this.fail('closures with parameters (x -> …) are not supported');
    const body = this.statements();
    this.expectOp('}', `to close the block opened at line ${open.at.line}`);
    return { kind: 'closure', body, at: open.at };
  }

  private primary(): Node {
    const t = this.tok;
    switch (t.kind) {
      case 'string':
        this.next();
        return { kind: 'str', parts: t.parts, gstring: t.gstring, at: t.at };
      case 'number':
        this.next();
        return { kind: 'num', value: t.value, text: t.text, at: t.at };
      case 'ident':
        this.next();
        if (t.value === 'true' || t.value === 'false') return { kind: 'bool', value: t.value === 'true', at: t.at };
        if (t.value === 'null') return { kind: 'null', at: t.at };
        if (KEYWORDS.has(t.value)) this.fail(`"${t.value}" is not supported here`, t);
        return { kind: 'ident', name: t.value, at: t.at };
      case 'op':
        if (t.value === '(') {
          this.next();
          const inner = this.expr();
          this.expectOp(')', 'to close "("');
          return inner;
        }
        if (t.value === '[') {
          this.next();
          const items: Node[] = [];
          if (this.isOp(':') && this.isOp(']', this.peek())) this.fail('maps ([:]) are not supported');
          while (!this.isOp(']')) {
            if (this.peek().kind === 'op' && (this.peek() as { value: string }).value === ':') this.fail('maps ([key: value]) are not supported');
            items.push(this.expr());
            if (this.isOp(',')) this.next();
            else if (!this.isOp(']')) this.fail(`expected "," or "]" in a list, found ${describeToken(this.tok)}`);
          }
          this.next();
          return { kind: 'list', items, at: t.at };
        }
        if (t.value === '{') return this.closure();
        return this.fail(`unexpected ${describeToken(t)}`);
      case 'eof':
        return this.fail('unexpected end of the file (a "}" is missing?)');
    }
  }
}
