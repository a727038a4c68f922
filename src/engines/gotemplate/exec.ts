/**
 * The template executor (text/template exec.go) over the value model of values.ts: walks a
 * tree, evaluates pipelines, fields, variables and calls, and writes the output to a string.
 * Error messages and the node they name follow Go's state.at() bookkeeping exactly.
 *
 * Go's reflect distinguishes a value held in an interface{} (a map[string]interface{}
 * element, a []interface{} element) from the value itself; two things show it here: a nil
 * interface is `null` (a missing value is `undefined`), and a field of a value that came out
 * of an interface{} reports its type as "interface {}". The executor tracks the second for
 * dot and for variables.
 *
 * How a GoFunc is called: arguments are converted to its declared parameter types as Go's
 * evalArg/validateType do (an untyped constant becomes a bigint for 'int', a number for
 * 'float64'); variadic arguments are passed spread, not as an array; nil (the `nil` literal,
 * or no value for an 'any', 'map', 'slice' or 'stringSlice' parameter) arrives as null, and a
 * 'value' parameter receives no value as undefined. Whatever the function throws becomes
 * "error calling NAME: MESSAGE", as Go turns returned errors and panics into it.
 */
import { printValue as fmtPrintValue, sprint } from './fmt.js';
import { TemplateExecError } from './errors.js';
import { callFunction } from './builtins.js';
import { goQuote } from '../goruntime/index.js';
import { isStackOverflow } from './internal/text.js';
import { canBeNil, nilFor, paramTypeName, assignable, valueTypeName, zeroOfElem } from './internal/types.js';
import {
  NodeType,
  type ArgNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type IfNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type RangeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
  type WithNode,
} from './nodes.js';
import { goTimeMethods } from './sprig/dates.js';
import { GoFunc, GoStruct, GoTime, elemType, isGoMap, isTrue, methodsOf, sortedKeys, type ParamType } from './values.js';
import type { SourceLocation } from '../../core/index.js';

/** What to do when a field names a key a map does not have (Go's missingkey option). */
export type MissingKeyMode = 'default' | 'zero' | 'error';

/** The template set an execution runs in. */
export interface ExecEnv {
  /** A template by name, for {{template}}. */
  lookupTemplate(name: string): Tree | undefined;
  /** A function by name; `builtin` when it is text/template's own (not overridden). */
  lookupFunction(name: string): { fn: GoFunc; builtin: boolean } | undefined;
  readonly missingKey: MissingKeyMode;
}

/** Go's maxExecDepth: nesting of {{template}} calls. */
export const MAX_EXEC_DEPTH = 100000;

// The absent final argument of a command (Go's missingVal).
const MISSING: unique symbol = Symbol('missing');
type Final = unknown;

// Results of walking a node: carry on, or unwind to the enclosing range.
const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;

interface Variable {
  name: string;
  value: unknown;
  /** The value came out of an interface{} (a range element). */
  iface: boolean;
}

/** Runs `tree` with `data` as dot and returns the output. Throws {@link TemplateExecError}. */
export function executeTree(env: ExecEnv, tree: Tree, data: unknown): string {
  const s = new State(env, tree, data === null ? undefined : data);
  s.walkList(s.vars[0]!.value, tree.root);
  return s.out;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Locations of the template errors an error carries (include/tpl pass them up as causes).
function nestedLocations(e: unknown): SourceLocation[] {
  for (let c: unknown = e, n = 0; c instanceof Error && n < 8; c = c.cause, n++) {
    if (c instanceof TemplateExecError) return c.at ? [c.at, ...c.via] : [...c.via];
  }
  return [];
}

class State {
  out = '';
  node: Node | undefined;
  vars: Variable[];
  depth = 0;
  /** Dot came out of an interface{}. */
  private dotIface = false;
  /** Set by evalField: its result came out of an interface{}. */
  private lastIface = false;

  constructor(
    private readonly env: ExecEnv,
    private tree: Tree,
    data: unknown,
  ) {
    this.vars = [{ name: '$', value: data, iface: false }];
  }

  // --- errors ---------------------------------------------------------------------------

  /** Throws Go's "template: FILE:LINE:COL: executing "NAME" at <NODE>: message" for the current node. */
  errorf(message: string, via: SourceLocation[] = [], cause?: unknown): never {
    const name = this.tree.name;
    const node = this.node;
    const options = cause === undefined ? undefined : { cause };
    if (node === undefined) {
      throw new TemplateExecError(`template: ${name}: ${message}`, { file: name }, via, options);
    }
    const at: SourceLocation = { file: node.src.name, line: node.line, column: node.column };
    throw new TemplateExecError(
      `template: ${at.file}:${at.line}:${at.column}: executing ${goQuote(name)} at <${node.toString()}>: ${message}`,
      at,
      via,
      options,
    );
  }

  // --- variables ------------------------------------------------------------------------

  private push(name: string, value: unknown, iface: boolean): void {
    this.vars.push({ name, value, iface });
  }

  private lookupVar(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]!;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown, iface: boolean): void {
    const v = this.lookupVar(name);
    v.value = value;
    v.iface = iface;
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n]!;
    v.value = value;
    v.iface = iface;
  }

  // --- walking --------------------------------------------------------------------------

  walk(dot: unknown, node: Node): number {
    this.node = node;
    switch (node.type) {
      case NodeType.Action: {
        // Variables an action declares persist until the enclosing {{end}}; a declaring action prints nothing.
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return NORMAL;
      }
      case NodeType.Text:
        this.out += node.text;
        return NORMAL;
      case NodeType.List:
        return this.walkList(dot, node);
      case NodeType.If:
      case NodeType.With:
        return this.walkIfOrWith(dot, node);
      case NodeType.Range:
        this.walkRange(dot, node);
        return NORMAL;
      case NodeType.Template:
        this.walkTemplate(dot, node);
        return NORMAL;
      case NodeType.Break:
        return BREAK;
      case NodeType.Continue:
        return CONTINUE;
      case NodeType.Comment:
        return NORMAL;
    }
    this.errorf(`unknown node: ${node.toString()}`);
  }

  // Lists are walked directly (not through walk) to keep the stack shallow in deep recursion.
  walkList(dot: unknown, list: ListNode): number {
    this.node = list;
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const sig = this.walk(dot, nodes[i]!);
      if (sig !== NORMAL) return sig;
    }
    return NORMAL;
  }

  private walkIfOrWith(dot: unknown, node: IfNode | WithNode): number {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    let sig = NORMAL;
    if (isTrue(val)) {
      if (node.type === NodeType.With) {
        const saved = this.dotIface;
        this.dotIface = false;
        sig = this.walkList(val, node.list);
        this.dotIface = saved;
      } else {
        sig = this.walkList(dot, node.list);
      }
    } else if (node.elseList) {
      sig = this.walkList(dot, node.elseList);
    }
    this.vars.length = mark;
    return sig;
  }

  private walkRange(dot: unknown, r: RangeNode): void {
    this.node = r;
    const outer = this.vars.length;
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.vars.length;
    const decl = r.pipe.decl;
    const savedIface = this.dotIface;
    // One pass of the body; false after a {{break}}.
    const iteration = (index: unknown, elem: unknown, iface: boolean): boolean => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) {
          // With two variables the index comes first; with one, the element.
          if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index, false);
          else this.setVar(decl[0]!.ident[0]!, elem, iface);
        } else {
          this.setTopVar(1, elem, iface);
        }
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem, iface);
        else this.setTopVar(2, index, false);
      }
      this.dotIface = iface;
      const sig = this.walkList(elem, r.list);
      this.dotIface = savedIface;
      this.vars.length = mark;
      return sig !== BREAK;
    };
    let ran = false;
    if (typeof val === 'bigint') {
      if (decl.length > 1) this.errorf(`can't use ${sprint(val)} to iterate over more than one variable`);
      for (let i = 0n; i < val; i++) {
        ran = true;
        if (!iteration(undefined, i, false)) break;
      }
    } else if (Array.isArray(val)) {
      const iface = elemType(val) === 'interface {}';
      for (let i = 0; i < val.length; i++) {
        ran = true;
        if (!iteration(BigInt(i), val[i], iface)) break;
      }
    } else if (val instanceof Uint8Array) {
      for (let i = 0; i < val.length; i++) {
        ran = true;
        if (!iteration(BigInt(i), BigInt(val[i]!), false)) break;
      }
    } else if (isGoMap(val)) {
      const iface = elemType(val) === 'interface {}';
      for (const k of sortedKeys(val)) {
        ran = true;
        if (!iteration(k, val[k], iface)) break;
      }
    } else if (val !== undefined) {
      // Go follows a pointer before ranging, so a *T prints as T.
      this.errorf(`range can't iterate over ${fmtPrintValue(val)}`);
    }
    if (!ran && r.elseList) this.walkList(dot, r.elseList);
    this.vars.length = outer;
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.node = t;
    const tmpl = this.env.lookupTemplate(t.name);
    if (tmpl === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    // Variables the pipeline declares persist in the caller.
    const newDot = this.evalPipeline(dot, t.pipe);
    const { tree, vars, dotIface } = this;
    this.tree = tmpl;
    // No dynamic scoping: the callee sees only $.
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.dotIface = false;
    this.depth++;
    try {
      this.walkList(newDot, tmpl.root);
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      // The JavaScript stack ran out before Go's depth limit would: report it as Go does.
      this.tree = tree;
      this.node = t;
      this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    }
    this.depth--;
    this.tree = tree;
    this.vars = vars;
    this.dotIface = dotIface;
    this.node = t;
  }

  private printValue(n: Node, v: unknown): void {
    this.node = n;
    if (v instanceof GoFunc) this.errorf(`can't print ${n.toString()} of type ${valueTypeName(v)}`);
    this.out += fmtPrintValue(v);
  }

  // --- pipelines and commands -----------------------------------------------------------

  private evalPipeline(dot: unknown, pipe: PipeNode | undefined): unknown {
    if (pipe === undefined) return undefined;
    this.node = pipe;
    let value: unknown = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      // A nil interface{} result is no value ("the lovely unwrapping" of exec.go).
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value, false);
      else this.push(v.ident[0]!, value, false);
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${args?.[0]?.toString() ?? ''}`);
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case NodeType.Field:
        return this.evalFieldNode(dot, first, cmd.args, final);
      case NodeType.Chain:
        return this.evalChainNode(dot, first, cmd.args, final);
      case NodeType.Identifier:
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case NodeType.Pipe:
        // A parenthesized pipeline takes no arguments.
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case NodeType.Variable:
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case NodeType.Bool:
        return first.value;
      case NodeType.Dot:
        return dot;
      case NodeType.Nil:
        return this.errorf('nil is not a command');
      case NodeType.Number:
        return this.idealConstant(first);
      case NodeType.String:
        return first.text;
    }
    this.errorf(`can't evaluate command ${goQuote((first as Node).toString())}`);
  }

  /** A number in a context that asks for no type: its syntax decides (int unless it looks like a float). */
  private idealConstant(n: NumberNode): unknown {
    this.node = n;
    if (n.isComplex) this.errorf(`complex constant ${n.text} is not supported`);
    if (n.isFloat && !isHexInt(n.text) && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float64;
    if (n.isInt) return n.int64;
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return undefined;
  }

  // --- fields ---------------------------------------------------------------------------

  private evalFieldNode(dot: unknown, field: FieldNode, args: readonly ArgNode[] | null, final: Final): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, 0, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: readonly ArgNode[] | null, final: Final): unknown {
    this.node = chain;
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === NodeType.Nil) this.errorf(`indirection through explicit nil in ${chain.toString()}`);
    // (pipe).Field1.Field2: evaluate the pipeline, then the fields.
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, false, chain, chain.field, 0, args, final);
  }

  private evalVariableNode(dot: unknown, node: VariableNode, args: readonly ArgNode[] | null, final: Final): unknown {
    this.node = node;
    const v = this.lookupVar(node.ident[0]!);
    if (node.ident.length === 1) {
      this.notAFunction(args, final);
      return v.value;
    }
    return this.evalFieldChain(dot, v.value, v.iface, node, node.ident, 1, args, final);
  }

  /** .X.Y.Z, the last possibly a method with arguments; `receiver` walks the chain, dot stays. */
  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    iface: boolean,
    node: Node,
    ident: readonly string[],
    from: number,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    const n = ident.length;
    for (let i = from; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver, iface);
      iface = this.lastIface;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver, iface);
  }

  private evalField(
    dot: unknown,
    fieldName: string,
    node: Node,
    args: readonly ArgNode[] | null,
    final: Final,
    receiver: unknown,
    iface: boolean,
  ): unknown {
    this.lastIface = false;
    if (receiver === undefined) {
      if (this.env.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = iface ? 'interface {}' : valueTypeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    // Methods first, as Go looks them up before fields and map keys.
    const methods =
      receiver instanceof GoStruct ? receiver.methods : receiver instanceof GoTime ? goTimeMethods(receiver) : methodsOf(receiver);
    if (methods !== undefined && Object.hasOwn(methods, fieldName)) {
      return this.evalCall(dot, methods[fieldName]!, false, node, fieldName, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      if (Object.hasOwn(receiver.fields, fieldName)) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return receiver.fields[fieldName];
      }
    } else if (isGoMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const elem = elemType(receiver);
      this.lastIface = elem === 'interface {}';
      if (Object.hasOwn(receiver, fieldName)) return receiver[fieldName];
      switch (this.env.missingKey) {
        case 'zero':
          return zeroOfElem(elem);
        case 'error':
          this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      }
      return undefined;
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  // --- calls ----------------------------------------------------------------------------

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: readonly ArgNode[] | null, final: Final): unknown {
    this.node = node;
    const name = node.ident;
    const f = this.env.lookupFunction(name);
    if (f === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, f.fn, f.builtin, cmd, name, args, final);
  }

  /**
   * Calls a function or method. `args`, when given, holds the function's own node first
   * (as a shell's argv does); `final` is the value piped in, passed last.
   */
  private evalCall(
    dot: unknown,
    fn: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    const nArgs = args === null ? 0 : args.length - 1;
    const numIn = final !== MISSING ? nArgs + 1 : nArgs;
    const params = fn.params;
    const variadic = fn.variadic;
    let numFixed = nArgs;
    if (variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${nArgs}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    // The builtin and/or short-circuit and return the operand that decided.
    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: unknown = undefined;
      for (let i = 1; i <= nArgs; i++) {
        v = this.evalArg(dot, 'value', args![i]!);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: unknown[] = new Array<unknown>(numIn);
    let i = 0;
    for (; i < numFixed && i < nArgs; i++) argv[i] = this.evalArg(dot, params[i]!, args![i + 1]!);
    if (variadic !== undefined) for (; i < nArgs; i++) argv[i] = this.evalArg(dot, variadic, args![i + 1]!);
    if (final !== MISSING) {
      let t: ParamType;
      if (variadic === undefined) t = params[params.length - 1]!;
      else t = numIn - 1 < numFixed ? params[numIn - 1]! : variadic;
      argv[i] = this.validateType(final, t);
    }

    try {
      if (isBuiltin && name === 'call') {
        const callee = nArgs === 0 ? reflectValueString(final) : args![1]!.toString();
        return callFunction(callee, argv[0], argv.slice(1));
      }
      return (fn.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (e) {
      if (isStackOverflow(e)) throw e;
      this.node = node;
      this.errorf(`error calling ${name}: ${errorMessage(e)}`, nestedLocations(e), e);
    }
  }

  /** The value converted to a parameter of type `typ` (null: no type), or Go's error. */
  private validateType(value: unknown, typ: ParamType | null): unknown {
    if (value === undefined) {
      if (typ === null) return undefined;
      if (canBeNil(typ)) return nilFor(typ);
      this.errorf(`invalid value; expected ${paramTypeName(typ)}`);
    }
    if (typ === null || assignable(value, typ)) return value;
    this.errorf(`wrong type for value; expected ${paramTypeName(typ)}; got ${valueTypeName(value)}`);
  }

  private evalArg(dot: unknown, typ: ParamType | null, n: ArgNode): unknown {
    this.node = n;
    switch (n.type) {
      case NodeType.Dot:
        return this.validateType(dot, typ);
      case NodeType.Nil:
        if (typ !== null && canBeNil(typ)) return nilFor(typ);
        return this.errorf(`cannot assign nil to ${typ === null ? '<nil>' : paramTypeName(typ)}`);
      case NodeType.Field:
        return this.validateType(this.evalFieldNode(dot, n, null, MISSING), typ);
      case NodeType.Variable:
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case NodeType.Pipe:
        return this.validateType(this.evalPipeline(dot, n), typ);
      case NodeType.Identifier:
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case NodeType.Chain:
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === NodeType.Bool) return n.value;
        return this.errorf(`expected bool; found ${n.toString()}`);
      case 'float64':
        if (n.type === NodeType.Number && n.isFloat) return n.float64;
        return this.errorf(`expected float; found ${n.toString()}`);
      case 'int':
        if (n.type === NodeType.Number && n.isInt) return n.int64;
        return this.errorf(`expected integer; found ${n.toString()}`);
      case 'string':
        if (n.type === NodeType.String) return n.text;
        return this.errorf(`expected string; found ${n.toString()}`);
      case 'any':
      case 'value':
      case null:
        return this.evalEmptyInterface(n);
    }
    this.errorf(`can't handle ${n.toString()} for arg of type ${paramTypeName(typ)}`);
  }

  private evalEmptyInterface(n: ArgNode): unknown {
    this.node = n;
    switch (n.type) {
      case NodeType.Bool:
        return n.value;
      case NodeType.Number:
        return this.idealConstant(n);
      case NodeType.String:
        return n.text;
    }
    this.errorf(`can't handle assignment of ${n.toString()} to empty interface argument`);
  }
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

// reflect.Value.String(): the string itself, else "<T Value>".
function reflectValueString(v: unknown): string {
  return typeof v === 'string' ? v : `<${valueTypeName(v)} Value>`;
}
