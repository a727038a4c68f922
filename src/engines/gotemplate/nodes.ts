/**
 * Parse-tree nodes of a template (text/template/parse node.go). Each node keeps its start as
 * an index into the template text and prints itself as Go's node String() does; the executor
 * quotes that text in `at <...>` error messages.
 */
import { goQuote } from '../goruntime/index.js';
import { utf8Length as importedUtf8Length } from '../goruntime/index.js';

// Bound once: columnAt runs on the error path of a stack overflow (exec.ts walkTemplate), with
// the stack nearly exhausted, and a test runner's export getter that overflows there swallows
// the RangeError and yields undefined instead of letting an outer frame retry.
const utf8Length = importedUtf8Length;

/** Node kinds, numbered as Go's parse.NodeType. */
export const NodeType = {
  Text: 0,
  Action: 1,
  Bool: 2,
  Chain: 3,
  Command: 4,
  Dot: 5,
  Else: 6,
  End: 7,
  Field: 8,
  Identifier: 9,
  If: 10,
  List: 11,
  Nil: 12,
  Number: 13,
  Pipe: 14,
  Range: 15,
  String: 16,
  Template: 17,
  Variable: 18,
  With: 19,
  Comment: 20,
  Break: 21,
  Continue: 22,
} as const;

/**
 * The text one parse call read, shared by every node parsed from it. `name` is the name the
 * text was parsed under (Go's Tree.ParseName), which error locations print even for
 * templates that a `define` in the text created.
 */
export class Source {
  private lineStarts: number[] | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** 1-based line of the character at `pos`. */
  lineAt(pos: number): number {
    return this.lineIndex(pos) + 1;
  }

  /**
   * Column of `pos` as Go's Tree.ErrorContext prints it: the number of UTF-8 bytes between
   * the start of the line and `pos`.
   */
  columnAt(pos: number): number {
    const start = this.starts()[this.lineIndex(pos)]!;
    return utf8Length(this.text, start, pos);
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  private lineIndex(pos: number): number {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * What every node has: where it starts and how it prints. Subclasses set `pos` and `src`
 * in their own constructors: one shared initializer for ~20 node shapes would be megamorphic
 * and dominated parsing time.
 */
abstract class NodeBase {
  /** Index of the node's first character in `src.text`. */
  declare readonly pos: number;
  /** The parsed text. */
  declare readonly src: Source;

  /** 1-based line, as Go's ErrorContext computes it. */
  get line(): number {
    return this.src.lineAt(this.pos);
  }

  /** Column as Go's ErrorContext prints it (bytes from the start of the line). */
  get column(): number {
    return this.src.columnAt(this.pos);
  }

  /** Appends the node's text; `quoteText` prints text nodes as %q (Go's tests do). */
  abstract writeTo(out: string[], quoteText: boolean): void;

  /** Go's node String(). */
  toString(): string {
    const out: string[] = [];
    this.writeTo(out, false);
    return out.join('');
  }
}

/** Plain text between actions. */
export class TextNode extends NodeBase {
  declare readonly type: typeof NodeType.Text;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly text: string;
  constructor(pos: number, src: Source, text: string) {
    super();
    this.type = NodeType.Text;
    this.pos = pos;
    this.src = src;
    this.text = text;
  }
  writeTo(out: string[], quoteText: boolean): void {
    out.push(quoteText ? goQuote(this.text) : this.text);
  }
}

/** A comment, kept only when parsing with comments. */
export class CommentNode extends NodeBase {
  declare readonly type: typeof NodeType.Comment;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly text: string;
  constructor(pos: number, src: Source, text: string) {
    super();
    this.type = NodeType.Comment;
    this.pos = pos;
    this.src = src;
    this.text = text;
  }
  writeTo(out: string[]): void {
    out.push('{{', this.text, '}}');
  }
}

/** A sequence of nodes. */
export class ListNode extends NodeBase {
  declare readonly type: typeof NodeType.List;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly nodes: ListItem[];
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.List;
    this.pos = pos;
    this.src = src;
    this.nodes = [];
  }
  writeTo(out: string[], quoteText: boolean): void {
    for (const n of this.nodes) n.writeTo(out, quoteText);
  }
}

/** `$x := cmd | cmd`: optional declarations and the commands. */
export class PipeNode extends NodeBase {
  declare readonly type: typeof NodeType.Pipe;
  declare readonly pos: number;
  declare readonly src: Source;
  /** The variables are assigned (`=`), not declared (`:=`). */
  declare isAssign: boolean;
  declare readonly decl: VariableNode[];
  declare readonly cmds: CommandNode[];
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.Pipe;
    this.pos = pos;
    this.src = src;
    this.isAssign = false;
    this.decl = [];
    this.cmds = [];
  }
  writeTo(out: string[], quoteText: boolean): void {
    if (this.decl.length > 0) {
      this.decl.forEach((v, i) => {
        if (i > 0) out.push(', ');
        v.writeTo(out);
      });
      out.push(this.isAssign ? ' = ' : ' := ');
    }
    this.cmds.forEach((c, i) => {
      if (i > 0) out.push(' | ');
      c.writeTo(out, quoteText);
    });
  }
}

/** `{{pipeline}}`: a non-control action. */
export class ActionNode extends NodeBase {
  declare readonly type: typeof NodeType.Action;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly pipe: PipeNode;
  constructor(pos: number, src: Source, pipe: PipeNode) {
    super();
    this.type = NodeType.Action;
    this.pos = pos;
    this.src = src;
    this.pipe = pipe;
  }
  writeTo(out: string[], quoteText: boolean): void {
    out.push('{{');
    this.pipe.writeTo(out, quoteText);
    out.push('}}');
  }
}

/** An argument of a command. */
export type ArgNode =
  | BoolNode
  | ChainNode
  | DotNode
  | FieldNode
  | IdentifierNode
  | NilNode
  | NumberNode
  | PipeNode
  | StringNode
  | VariableNode;

/** One command of a pipeline: a function, field or value and its arguments. */
export class CommandNode extends NodeBase {
  declare readonly type: typeof NodeType.Command;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly args: ArgNode[];
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.Command;
    this.pos = pos;
    this.src = src;
    this.args = [];
  }
  writeTo(out: string[], quoteText: boolean): void {
    this.args.forEach((arg, i) => {
      if (i > 0) out.push(' ');
      if (arg.type === NodeType.Pipe) {
        out.push('(');
        arg.writeTo(out, quoteText);
        out.push(')');
      } else arg.writeTo(out, quoteText);
    });
  }
}

/** A function name. */
export class IdentifierNode extends NodeBase {
  declare readonly type: typeof NodeType.Identifier;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly ident: string;
  constructor(pos: number, src: Source, ident: string) {
    super();
    this.type = NodeType.Identifier;
    this.pos = pos;
    this.src = src;
    this.ident = ident;
  }
  writeTo(out: string[]): void {
    out.push(this.ident);
  }
}

/** `$x.Field1.Field2`: a variable and the fields that follow it. */
export class VariableNode extends NodeBase {
  declare readonly type: typeof NodeType.Variable;
  declare readonly pos: number;
  declare readonly src: Source;
  /** The variable's name (with its $), then the field names. */
  declare readonly ident: string[];
  constructor(pos: number, src: Source, ident: string[]) {
    super();
    this.type = NodeType.Variable;
    this.pos = pos;
    this.src = src;
    this.ident = ident;
  }
  writeTo(out: string[]): void {
    out.push(this.ident.join('.'));
  }
}

/** `.` */
export class DotNode extends NodeBase {
  declare readonly type: typeof NodeType.Dot;
  declare readonly pos: number;
  declare readonly src: Source;
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.Dot;
    this.pos = pos;
    this.src = src;
  }
  writeTo(out: string[]): void {
    out.push('.');
  }
}

/** The untyped `nil`. */
export class NilNode extends NodeBase {
  declare readonly type: typeof NodeType.Nil;
  declare readonly pos: number;
  declare readonly src: Source;
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.Nil;
    this.pos = pos;
    this.src = src;
  }
  writeTo(out: string[]): void {
    out.push('nil');
  }
}

/** `.Field1.Field2` (the names without their dots). */
export class FieldNode extends NodeBase {
  declare readonly type: typeof NodeType.Field;
  declare readonly pos: number;
  declare readonly src: Source;
  /** The field names, e.g. ["Values", "image"] for .Values.image. */
  declare readonly ident: string[];
  constructor(pos: number, src: Source, ident: string[]) {
    super();
    this.type = NodeType.Field;
    this.pos = pos;
    this.src = src;
    this.ident = ident;
  }
  writeTo(out: string[]): void {
    for (const id of this.ident) out.push('.', id);
  }
}

/** A term followed by fields: `(pipeline).Field`, `fn.Field`. */
export class ChainNode extends NodeBase {
  declare readonly type: typeof NodeType.Chain;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly node: ArgNode;
  declare readonly field: string[];
  constructor(pos: number, src: Source, node: ArgNode) {
    super();
    this.type = NodeType.Chain;
    this.pos = pos;
    this.src = src;
    this.node = node;
    this.field = [];
  }
  /** Adds ".Name". */
  add(field: string): void {
    this.field.push(field.slice(1));
  }
  writeTo(out: string[], quoteText: boolean): void {
    if (this.node.type === NodeType.Pipe) {
      out.push('(');
      this.node.writeTo(out, quoteText);
      out.push(')');
    } else this.node.writeTo(out, quoteText);
    for (const f of this.field) out.push('.', f);
  }
}

/** `true` or `false`. */
export class BoolNode extends NodeBase {
  declare readonly type: typeof NodeType.Bool;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly value: boolean;
  constructor(pos: number, src: Source, value: boolean) {
    super();
    this.type = NodeType.Bool;
    this.pos = pos;
    this.src = src;
    this.value = value;
  }
  writeTo(out: string[]): void {
    out.push(this.value ? 'true' : 'false');
  }
}

/**
 * A number literal, stored under every type that can hold it, as Go simulates ideal
 * constants (parse.NumberNode).
 */
export class NumberNode extends NodeBase {
  declare readonly type: typeof NodeType.Number;
  declare readonly pos: number;
  declare readonly src: Source;
  /** The text as written. */
  declare readonly text: string;
  declare isInt: boolean;
  declare isUint: boolean;
  declare isFloat: boolean;
  declare isComplex: boolean;
  declare int64: bigint;
  declare uint64: bigint;
  declare float64: number;
  /** Real and imaginary parts when isComplex. */
  declare complex: readonly [number, number];
  constructor(pos: number, src: Source, text: string) {
    super();
    this.type = NodeType.Number;
    this.pos = pos;
    this.src = src;
    this.text = text;
    this.isInt = false;
    this.isUint = false;
    this.isFloat = false;
    this.isComplex = false;
    this.int64 = 0n;
    this.uint64 = 0n;
    this.float64 = 0;
    this.complex = [0, 0];
  }
  writeTo(out: string[]): void {
    out.push(this.text);
  }
}

/** A string literal: `quoted` as written, `text` after unquoting. */
export class StringNode extends NodeBase {
  declare readonly type: typeof NodeType.String;
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly quoted: string;
  declare readonly text: string;
  constructor(pos: number, src: Source, quoted: string, text: string) {
    super();
    this.type = NodeType.String;
    this.pos = pos;
    this.src = src;
    this.quoted = quoted;
    this.text = text;
  }
  writeTo(out: string[]): void {
    out.push(this.quoted);
  }
}

/** `{{end}}`; never part of a finished tree. */
export class EndNode extends NodeBase {
  declare readonly type: typeof NodeType.End;
  declare readonly pos: number;
  declare readonly src: Source;
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.End;
    this.pos = pos;
    this.src = src;
  }
  writeTo(out: string[]): void {
    out.push('{{end}}');
  }
}

/** `{{else}}`; never part of a finished tree. */
export class ElseNode extends NodeBase {
  declare readonly type: typeof NodeType.Else;
  declare readonly pos: number;
  declare readonly src: Source;
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.Else;
    this.pos = pos;
    this.src = src;
  }
  writeTo(out: string[]): void {
    out.push('{{else}}');
  }
}

/** Go's BranchNode: what `if`, `range` and `with` share — a pipeline, a list and an optional else list. */
abstract class BranchNode extends NodeBase {
  declare readonly pos: number;
  declare readonly src: Source;
  declare readonly pipe: PipeNode;
  declare readonly list: ListNode;
  declare readonly elseList: ListNode | undefined;
  /** The action's keyword, as the node prints. */
  protected abstract readonly keyword: string;
  constructor(pos: number, src: Source, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
    super();
    this.pos = pos;
    this.src = src;
    this.pipe = pipe;
    this.list = list;
    this.elseList = elseList;
  }
  writeTo(out: string[], quoteText: boolean): void {
    out.push('{{', this.keyword, ' ');
    this.pipe.writeTo(out, quoteText);
    out.push('}}');
    this.list.writeTo(out, quoteText);
    if (this.elseList) {
      out.push('{{else}}');
      this.elseList.writeTo(out, quoteText);
    }
    out.push('{{end}}');
  }
}

/** `{{if pipeline}} list {{else}} elseList {{end}}`. */
export class IfNode extends BranchNode {
  declare readonly type: typeof NodeType.If;
  protected get keyword(): string {
    return 'if';
  }
  constructor(pos: number, src: Source, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
    super(pos, src, pipe, list, elseList);
    this.type = NodeType.If;
  }
}

/** `{{range pipeline}} list {{else}} elseList {{end}}`. */
export class RangeNode extends BranchNode {
  declare readonly type: typeof NodeType.Range;
  protected get keyword(): string {
    return 'range';
  }
  constructor(pos: number, src: Source, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
    super(pos, src, pipe, list, elseList);
    this.type = NodeType.Range;
  }
}

/** `{{with pipeline}} list {{else}} elseList {{end}}`. */
export class WithNode extends BranchNode {
  declare readonly type: typeof NodeType.With;
  protected get keyword(): string {
    return 'with';
  }
  constructor(pos: number, src: Source, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined) {
    super(pos, src, pipe, list, elseList);
    this.type = NodeType.With;
  }
}

/** `{{break}}`. */
export class BreakNode extends NodeBase {
  declare readonly type: typeof NodeType.Break;
  declare readonly pos: number;
  declare readonly src: Source;
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.Break;
    this.pos = pos;
    this.src = src;
  }
  writeTo(out: string[]): void {
    out.push('{{break}}');
  }
}

/** `{{continue}}`. */
export class ContinueNode extends NodeBase {
  declare readonly type: typeof NodeType.Continue;
  declare readonly pos: number;
  declare readonly src: Source;
  constructor(pos: number, src: Source) {
    super();
    this.type = NodeType.Continue;
    this.pos = pos;
    this.src = src;
  }
  writeTo(out: string[]): void {
    out.push('{{continue}}');
  }
}

/** `{{template "name" pipeline}}` (and what a `{{block}}` leaves in place). */
export class TemplateNode extends NodeBase {
  declare readonly type: typeof NodeType.Template;
  declare readonly pos: number;
  declare readonly src: Source;
  /** Name of the template called. */
  declare readonly name: string;
  /** Its dot; absent for `{{template "name"}}`. */
  declare readonly pipe: PipeNode | undefined;
  constructor(pos: number, src: Source, name: string, pipe: PipeNode | undefined) {
    super();
    this.type = NodeType.Template;
    this.pos = pos;
    this.src = src;
    this.name = name;
    this.pipe = pipe;
  }
  writeTo(out: string[], quoteText: boolean): void {
    out.push('{{template ', goQuote(this.name));
    if (this.pipe) {
      out.push(' ');
      this.pipe.writeTo(out, quoteText);
    }
    out.push('}}');
  }
}

/** Any parse-tree node. */
export type Node =
  | ActionNode
  | BoolNode
  | BreakNode
  | ChainNode
  | CommandNode
  | CommentNode
  | ContinueNode
  | DotNode
  | ElseNode
  | EndNode
  | FieldNode
  | IdentifierNode
  | IfNode
  | ListNode
  | NilNode
  | NumberNode
  | PipeNode
  | RangeNode
  | StringNode
  | TemplateNode
  | TextNode
  | VariableNode
  | WithNode;

/** A node that can stand in a template's top-level list. */
export type ListItem = ActionNode | BreakNode | CommentNode | ContinueNode | IfNode | RangeNode | TemplateNode | TextNode | WithNode;

/** A parsed template: its name and body. */
export interface Tree {
  /** Template name, e.g. the define'd name. */
  readonly name: string;
  /** Body. */
  readonly root: ListNode;
  /** The parsed text and the name it was parsed under. */
  readonly src: Source;
}

/** Prints a node as Go's tests do, with text nodes quoted (parse_test.go's textFormat "%q"). */
export function formatNode(node: Node, quoteText: boolean): string {
  const out: string[] = [];
  node.writeTo(out, quoteText);
  return out.join('');
}
