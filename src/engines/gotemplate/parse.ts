/**
 * The template parser (text/template/parse parse.go): a recursive-descent parser over the
 * lexer's items with Go's three-item lookahead, so that every error names the same line Go
 * names. One parse call yields the named template plus one tree per {{define}}/{{block}}.
 */
import { TemplateParseError } from './errors.js';
import { ItemType, Lexer, itemString, type Item, type ItemKind } from './lex.js';
import { goQuote } from '../goruntime/index.js';
import { StrconvError, parseFloat64, parseInt64, parseUint, unquote, unquoteChar } from '../goruntime/index.js';
import { isAllGoSpace } from '../goruntime/index.js';
import { isStackOverflow } from './internal/text.js';
import {
  ActionNode,
  BoolNode,
  BreakNode,
  ChainNode,
  CommandNode,
  CommentNode,
  ContinueNode,
  DotNode,
  ElseNode,
  EndNode,
  FieldNode,
  IdentifierNode,
  IfNode,
  ListNode,
  NilNode,
  NodeType,
  NumberNode,
  PipeNode,
  RangeNode,
  Source,
  StringNode,
  TemplateNode,
  TextNode,
  VariableNode,
  WithNode,
  type ArgNode,
  type ListItem,
  type Node,
  type Tree,
} from './nodes.js';

/** Options of {@link parseTemplates}. */
export interface ParseOptions {
  /** Whether a function of this name exists (the FuncMap plus the builtins). */
  hasFunction: (name: string) => boolean;
  /** Action delimiters. @default ['{{', '}}'] */
  delims?: readonly [string, string];
  /** Keep comments as nodes (Go's ParseComments mode). @default false */
  parseComments?: boolean;
  /** Do not check that functions exist (Go's SkipFuncCheck mode). @default false */
  skipFuncCheck?: boolean;
  /** Deepest nesting of parenthesized pipelines. @default 10000 (Go's maxStackDepth) */
  maxParenDepth?: number;
}

/**
 * Parses `text` as template `name`. Returns the named template's tree and one per
 * {{define}} and {{block}}, by name; a definition with an empty body does not replace a
 * non-empty one of the same name, and two non-empty ones are an error. Throws
 * {@link TemplateParseError} with Go's message.
 */
export function parseTemplates(name: string, text: string, options: ParseOptions): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const lexer = new Lexer(text, options.delims?.[0] || '{{', options.delims?.[1] || '}}');
  const src = new Source(name, text);
  const p = new TreeParser(name, src, options, lexer, treeSet);
  try {
    p.parseTop();
  } catch (e) {
    // A recursion the JavaScript stack cannot hold is reported as Go reports nesting it
    // refuses; Go's own limit (10000 parentheses) is usually higher than ours.
    if (isStackOverflow(e)) p.errorf('max expression depth exceeded');
    throw e;
  }
  return treeSet;
}

/** Whether a tree holds nothing but white space and comments (parse.IsEmptyTree). */
export function isEmptyTree(n: Node | undefined): boolean {
  if (n === undefined) return true;
  switch (n.type) {
    case NodeType.Comment:
      return true;
    case NodeType.List:
      return n.nodes.every((c) => isEmptyTree(c));
    case NodeType.Text:
      return isAllGoSpace(n.text);
    default:
      return false;
  }
}

// One template being parsed (Go's parse.Tree during parsing); {{define}} and {{block}}
// bodies get their own parser that shares the lexer.
class TreeParser {
  root: ListNode | undefined;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  private readonly maxParenDepth: number;

  constructor(
    private name: string,
    private readonly src: Source,
    private readonly options: ParseOptions,
    private readonly lex: Lexer,
    private readonly treeSet: Map<string, Tree>,
  ) {
    this.maxParenDepth = options.maxParenDepth ?? 10000;
    lex.options = {
      emitComment: !!options.parseComments,
      breakOK: !options.hasFunction('break'),
      continueOK: !options.hasFunction('continue'),
    };
  }

  // --- token stream -------------------------------------------------------------------

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.typ === ItemType.Space);
    return token;
  }

  private peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors ---------------------------------------------------------------------------

  /** Throws Go's "template: NAME:LINE: message", LINE being that of the last item read. */
  errorf(message: string): never {
    this.root = undefined;
    const line = this.token[0]?.line ?? 1;
    throw new TemplateParseError(`template: ${this.src.name}:${line}: ${message}`, { file: this.src.name, line });
  }

  private expect(expected: ItemKind, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.src.name}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length); // not "action in action"
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  // --- templates and definitions -----------------------------------------------------

  /** Parses to EOF, collecting {{define}}s, then adds this tree to the set. */
  parseTop(): void {
    this.root = new ListNode(this.peek().pos, this.src);
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === ItemType.Define) {
          new TreeParser('definition', this.src, this.options, this.lex, this.treeSet).parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) this.errorf(`unexpected ${n.toString()}`);
      this.root.nodes.push(n);
    }
    this.add();
  }

  /** Adds the tree; an empty body never replaces a non-empty one (Tree.add). */
  private add(): void {
    const root = this.root!;
    const existing = this.treeSet.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, { name: this.name, root, src: this.src });
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.String && token.typ !== ItemType.RawString) this.unexpected(token, context);
    this.name = this.unquote(token.val);
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== NodeType.End) this.errorf(`unexpected ${end.toString()} in ${context}`);
    this.add();
  }

  /** textOrAction* up to {{end}} or {{else}}, which is returned separately. */
  private itemList(): [ListNode, EndNode | ElseNode] {
    const list = new ListNode(this.peekNonSpace().pos, this.src);
    while (this.peekNonSpace().typ !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): ListItem | EndNode | ElseNode {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Text:
        return new TextNode(token.pos, this.src, token.val);
      case ItemType.LeftDelim:
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case ItemType.Comment:
        return new CommentNode(token.pos, this.src, token.val);
    }
    this.unexpected(token, 'input');
  }

  // --- actions --------------------------------------------------------------------------

  private action(): ListItem | EndNode | ElseNode {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Block:
        return this.blockControl();
      case ItemType.Break:
        return this.breakControl(token.pos, 'break');
      case ItemType.Continue:
        return this.breakControl(token.pos, 'continue');
      case ItemType.Else:
        return this.elseControl();
      case ItemType.End:
        return new EndNode(this.expect(ItemType.RightDelim, 'end').pos, this.src);
      case ItemType.If:
        return this.ifControl();
      case ItemType.Range:
        return this.rangeControl();
      case ItemType.Template:
        return this.templateControl();
      case ItemType.With:
        return this.withControl();
    }
    this.backup();
    const first = this.peek();
    // Variables an action declares persist until the enclosing {{end}}.
    return new ActionNode(first.pos, this.src, this.pipeline('command', ItemType.RightDelim));
  }

  private breakControl(pos: number, keyword: 'break' | 'continue'): BreakNode | ContinueNode {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, `{{${keyword}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${keyword}}} outside {{range}}`);
    return keyword === 'break' ? new BreakNode(pos, this.src) : new ContinueNode(pos, this.src);
  }

  /** declarations? command ('|' command)* */
  private pipeline(context: string, end: ItemKind): PipeNode {
    const pipe = new PipeNode(this.peekNonSpace().pos, this.src);
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== ItemType.Variable) break;
      this.next();
      // "$x foo" needs the item after "foo" to tell an argument from a declaration, so
      // remember the item next to the variable in case it has to go back.
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === ItemType.Assign || next.typ === ItemType.Declare) {
        pipe.isAssign = next.typ === ItemType.Assign;
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(v.pos, this.src, [v.val]));
        this.vars.push(v.val);
      } else if (next.typ === ItemType.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(v.pos, this.src, [v.val]));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().typ;
          if (t === ItemType.Variable || t === ItemType.RightDelim || t === ItemType.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === ItemType.Space) {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool:
        case ItemType.CharConstant:
        case ItemType.Complex:
        case ItemType.Dot:
        case ItemType.Field:
        case ItemType.Identifier:
        case ItemType.Number:
        case ItemType.Nil:
        case ItemType.RawString:
        case ItemType.String:
        case ItemType.Variable:
        case ItemType.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    // Only the first command of a pipeline can start with a non-executable operand.
    for (let i = 1; i < pipe.cmds.length; i++) {
      switch (pipe.cmds[i]!.args[0]!.type) {
        case NodeType.Bool:
        case NodeType.Dot:
        case NodeType.Nil:
        case NodeType.Number:
        case NodeType.String:
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private parseControl(context: 'if' | 'range' | 'with'): [PipeNode, ListNode, ListNode | undefined] {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, ItemType.RightDelim);
    if (context === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (next.type === NodeType.Else) {
      // {{else if b}} and {{else with b}} are {{else}}{{if b}}...{{end}}{{end}} with the
      // inner {{end}} shared: the else left the if/with item pending.
      if (context === 'if' && this.peek().typ === ItemType.If) {
        this.next();
        elseList = new ListNode(next.pos, this.src);
        elseList.nodes.push(this.ifControl());
      } else if (context === 'with' && this.peek().typ === ItemType.With) {
        this.next();
        elseList = new ListNode(next.pos, this.src);
        elseList.nodes.push(this.withControl());
      } else {
        const [l, n] = this.itemList();
        elseList = l;
        if (n.type !== NodeType.End) this.errorf(`expected end; found ${n.toString()}`);
      }
    }
    this.vars.length = mark;
    return [pipe, list, elseList];
  }

  private ifControl(): IfNode {
    const [pipe, list, elseList] = this.parseControl('if');
    return new IfNode(pipe.pos, this.src, pipe, list, elseList);
  }

  private rangeControl(): RangeNode {
    const [pipe, list, elseList] = this.parseControl('range');
    return new RangeNode(pipe.pos, this.src, pipe, list, elseList);
  }

  private withControl(): WithNode {
    const [pipe, list, elseList] = this.parseControl('with');
    return new WithNode(pipe.pos, this.src, pipe, list, elseList);
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If || peek.typ === ItemType.With) return new ElseNode(peek.pos, this.src);
    return new ElseNode(this.expect(ItemType.RightDelim, 'else').pos, this.src);
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = new TreeParser(name, this.src, this.options, this.lex, this.treeSet);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== NodeType.End) this.errorf(`unexpected ${end.toString()} in ${context}`);
    block.add();
    return new TemplateNode(token.pos, this.src, name, pipe);
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return new TemplateNode(token.pos, this.src, name, pipe);
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString) return this.unquote(token.val);
    this.unexpected(token, context);
  }

  // --- commands and operands ---------------------------------------------------------

  /** operand (space operand)*, up to a pipe (consumed) or a right delimiter/paren (not). */
  private command(): CommandNode {
    const cmd = new CommandNode(this.peekNonSpace().pos, this.src);
    for (;;) {
      this.peekNonSpace(); // skip leading spaces
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  /** term .Field* */
  private operand(): ArgNode | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().typ !== ItemType.Field) return node;
    const pos = this.peek().pos;
    // Fields after a field or variable extend it; literal values cannot have fields.
    switch (node.type) {
      case NodeType.Field:
      case NodeType.Variable: {
        const ident = node.ident;
        while (this.peek().typ === ItemType.Field) ident.push(this.next().val.slice(1));
        return node.type === NodeType.Field ? new FieldNode(pos, this.src, ident) : new VariableNode(pos, this.src, ident);
      }
      case NodeType.Bool:
      case NodeType.String:
      case NodeType.Number:
      case NodeType.Nil:
      case NodeType.Dot:
        while (this.peek().typ === ItemType.Field) this.next();
        this.errorf(`unexpected . after term ${goQuote(node.toString())}`);
    }
    const chain = new ChainNode(pos, this.src, node);
    while (this.peek().typ === ItemType.Field) chain.add(this.next().val);
    return chain;
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Identifier:
        if (!this.options.skipFuncCheck && !this.options.hasFunction(token.val)) {
          this.errorf(`function ${goQuote(token.val)} not defined`);
        }
        return new IdentifierNode(token.pos, this.src, token.val);
      case ItemType.Dot:
        return new DotNode(token.pos, this.src);
      case ItemType.Nil:
        return new NilNode(token.pos, this.src);
      case ItemType.Variable:
        return this.useVar(token.pos, token.val);
      case ItemType.Field:
        return new FieldNode(token.pos, this.src, [token.val.slice(1)]);
      case ItemType.Bool:
        return new BoolNode(token.pos, this.src, token.val === 'true');
      case ItemType.CharConstant:
      case ItemType.Complex:
      case ItemType.Number:
        try {
          return newNumber(token.pos, this.src, token.val, token.typ);
        } catch (e) {
          if (e instanceof StrconvError) this.errorf(e.message);
          throw e;
        }
      case ItemType.LeftParen: {
        if (this.stackDepth >= this.maxParenDepth) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', ItemType.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case ItemType.String:
      case ItemType.RawString:
        return new StringNode(token.pos, this.src, token.val, this.unquote(token.val));
    }
    this.backup();
    return undefined;
  }

  private useVar(pos: number, name: string): VariableNode {
    if (!this.vars.includes(name)) this.errorf(`undefined variable ${goQuote(name)}`);
    return new VariableNode(pos, this.src, [name]);
  }

  private unquote(s: string): string {
    try {
      return unquote(s);
    } catch (e) {
      if (e instanceof StrconvError) this.errorf(e.message);
      throw e;
    }
  }
}

const INT64_MIN = -(1n << 63n);
const INT64_LIMIT = 1n << 63n;
const UINT64_LIMIT = 1n << 64n;

/**
 * A NumberNode for a number, character or complex literal, with every representation Go
 * derives (parse.Tree.newNumber). Throws StrconvError with Go's message when malformed.
 */
export function newNumber(pos: number, src: Source, text: string, typ: ItemKind): NumberNode {
  const n = new NumberNode(pos, src, text);
  if (typ === ItemType.CharConstant) {
    const q = text.charCodeAt(0);
    const ch = unquoteChar(text, 1, q);
    if (text.slice(ch.next) !== "'") throw new StrconvError(`malformed character constant: ${text}`);
    n.int64 = BigInt(ch.value);
    n.uint64 = n.int64;
    n.float64 = ch.value;
    n.isInt = n.isUint = n.isFloat = true;
    return n;
  }
  if (typ === ItemType.Complex) {
    const c = parseComplex(text);
    n.isComplex = true;
    n.complex = c;
    simplifyComplex(n);
    return n;
  }
  // Imaginary constants can only be complex unless they are zero.
  if (text.endsWith('i')) {
    const f = parseFloat64(text.slice(0, -1));
    if (f.err === undefined) {
      n.isComplex = true;
      n.complex = [0, f.value];
      simplifyComplex(n);
      return n;
    }
  }
  const u = parseUint(text, 0);
  if (u.err === undefined) {
    n.isUint = true;
    n.uint64 = u.value;
  }
  const i = parseInt64(text, 0);
  if (i.err === undefined) {
    n.isInt = true;
    n.int64 = i.value;
    if (i.value === 0n) {
      n.isUint = true; // -0
      n.uint64 = u.err === undefined ? u.value : 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseFloat64(text);
    if (f.err === undefined) {
      // A float that looks like an integer is an integer too large for int64.
      if (!/[.eEpP]/.test(text)) throw new StrconvError(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float64 = f.value;
      setIntegerForms(n, f.value);
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new StrconvError(`illegal number syntax: ${goQuote(text)}`);
  return n;
}

// The int64 and uint64 readings of an integral float, when it fits.
function setIntegerForms(n: NumberNode, f: number): void {
  if (!Number.isInteger(f)) return;
  const b = BigInt(f);
  if (!n.isInt && b >= INT64_MIN && b < INT64_LIMIT) {
    n.isInt = true;
    n.int64 = b;
  }
  if (!n.isUint && b >= 0n && b < UINT64_LIMIT) {
    n.isUint = true;
    n.uint64 = b;
  }
}

function simplifyComplex(n: NumberNode): void {
  const [re, im] = n.complex;
  n.isFloat = im === 0;
  if (n.isFloat) {
    n.float64 = re;
    setIntegerForms(n, re);
  }
}

// fmt.Sscan of a complex128 such as "1+2i" or "-1.2+4.2i".
function parseComplex(text: string): [number, number] {
  const bad = () => new StrconvError(`strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`);
  if (!text.endsWith('i')) throw bad();
  let k = text.length - 2;
  for (; k > 0; k--) {
    const c = text[k];
    if ((c === '+' || c === '-') && !/[eEpP]/.test(text[k - 1]!)) break;
  }
  if (k <= 0) throw bad();
  const re = parseFloat64(text.slice(0, k));
  const im = parseFloat64(text.slice(k, -1));
  if (re.err !== undefined || im.err !== undefined) throw bad();
  return [re.value, im.value];
}
