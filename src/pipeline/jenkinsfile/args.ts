/**
 * Small readers over the parsed Groovy tree shared by the section and step mappers: a
 * statement as a call (`timestamps` is `timestamps()`, as declarative reads it), named and
 * positional arguments checked against what a step accepts, and typed argument values.
 */
import { InputError } from '../../core/index.js';
import type { Node, Stmt } from './parser.js';
import { describeNode, dotted } from './strings.js';

export type CallNode = Extract<Node, { kind: 'call' }>;

export interface NamedCall {
  /** `sh`, `docker.build`, `img.push`. */
  name: string;
  call: CallNode;
}

/** A statement read as a call; `what` names the block for the error ("in steps"). */
export function asCall(stmt: Stmt, what: string): NamedCall {
  if (stmt.kind === 'expr') {
    const e = stmt.expr;
    if (e.kind === 'call') {
      const name = dotted(e.callee) ?? (e.callee.kind === 'prop' ? `${callText(e.callee.object)}.${e.callee.name}` : undefined);
      if (name !== undefined) return { name, call: e };
    }
    if (e.kind === 'ident' || e.kind === 'prop') {
      // declarative reads a bare name as a call without arguments (`timestamps`, `checkout scm`'s scm aside)
      return { name: dotted(e)!, call: { kind: 'call', callee: e, args: [], at: e.at } };
    }
    throw new InputError(`unexpected ${describeNode(e)} ${what}`, stmt.at);
  }
  const found = stmt.kind === 'def' ? `def ${stmt.name}` : stmt.kind === 'assign' ? 'an assignment' : `"${stmt.kind}"`;
  throw new InputError(`unexpected ${found} ${what}`, stmt.at);
}

/** How a receiver reads in a step name: `docker.image(…)`, `(…)`. */
function callText(node: Node): string {
  if (node.kind === 'call') return `${dotted(node.callee) ?? '(…)'}(…)`;
  return dotted(node) ?? '(…)';
}

/**
 * The arguments of a call by name. Positional arguments take the names in `positional`
 * (Groovy's `sh 'x'` is `sh(script: 'x')`); an unknown name is an error naming the step.
 */
export function argsOf(nc: NamedCall, allowed: readonly string[], positional: readonly string[] = []): Map<string, Node> {
  const out = new Map<string, Node>();
  let p = 0;
  for (const arg of nc.call.args) {
    let name = arg.name;
    if (name === undefined) {
      name = positional[p++];
      if (name === undefined) {
        throw new InputError(`too many arguments to ${nc.name}: expected ${positional.length ? positional.length : 'only named arguments'}`, arg.at);
      }
    } else if (!allowed.includes(name)) {
      throw new InputError(`unknown parameter "${name}" of ${nc.name} (known: ${allowed.join(', ')})`, arg.at);
    }
    if (out.has(name)) throw new InputError(`parameter "${name}" of ${nc.name} is given twice`, arg.at);
    out.set(name, arg.value);
  }
  return out;
}

export function requireArg(args: Map<string, Node>, name: string, nc: NamedCall): Node {
  const v = args.get(name);
  if (!v) throw new InputError(`${nc.name} needs "${name}"`, nc.call.at);
  return v;
}

/** The body of `name { … }`; arguments are an error unless allowed by the caller. */
export function closureOf(nc: NamedCall, allowArgs = false): Stmt[] {
  if (!nc.call.closure) throw new InputError(`${nc.name} needs a { } block`, nc.call.at);
  if (!allowArgs && nc.call.args.length) throw new InputError(`${nc.name} takes no arguments, only a { } block`, nc.call.args[0]!.at);
  return nc.call.closure.body;
}

export function noClosure(nc: NamedCall): void {
  if (nc.call.closure) throw new InputError(`${nc.name} takes no { } block`, nc.call.closure.at);
}

export function numberArg(node: Node, what: string): number {
  if (node.kind === 'num') return node.value;
  if (node.kind === 'str' && node.parts.every((p) => p.kind === 'text')) {
    const text = node.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    if (/^\d+$/.test(text.trim())) return Number(text);
  }
  throw new InputError(`${what} must be a number, found ${describeNode(node)}`, node.at);
}

export function boolArg(node: Node, what: string): boolean {
  if (node.kind === 'bool') return node.value;
  throw new InputError(`${what} must be true or false, found ${describeNode(node)}`, node.at);
}

const UNITS: Record<string, number> = {
  NANOSECONDS: 1e-6,
  MICROSECONDS: 1e-3,
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

/** `timeout(time: 5, unit: 'MINUTES')`, `timeout(5)`, `sleep(time: 3, unit: 'SECONDS')` in milliseconds. */
export function durationOf(nc: NamedCall, defaultUnit: string, extra: readonly string[] = []): number {
  const args = argsOf(nc, ['time', 'unit', ...extra], ['time']);
  const time = numberArg(requireArg(args, 'time', nc), `${nc.name} time`);
  const unitNode = args.get('unit');
  let unit = defaultUnit;
  if (unitNode) {
    // unit: 'MINUTES' or unit: MINUTES (an enum constant in Groovy)
    unit = unitNode.kind === 'ident' ? unitNode.name : unitNode.kind === 'str' ? unitNode.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') : '';
    if (!(unit in UNITS)) throw new InputError(`unknown time unit "${unit}" of ${nc.name} (one of ${Object.keys(UNITS).join(', ')})`, unitNode.at);
  }
  return Math.round(time * UNITS[unit]!);
}
