/**
 * Groovy boolean expressions (`when { expression { … } }`, `if (…)` in `script`) translated
 * into the runner's expression language (src/pipeline/spec/expression.ts): `${params.X} == 'v'`,
 * `${X} != ''`, `=~`, `&&`, `||` and parentheses. Negation is pushed down to the comparisons
 * (De Morgan), so only a negated `=~` needs a `!`. Only the simple forms are accepted;
 * anything else names its line.
 */
import { InputError } from '../../core/index.js';
import type { ParamSpec } from '../model.js';
import type { Node, Stmt } from './parser.js';
import { describeNode, dotted, resolveRef, runnerRef, type VarRef } from './strings.js';

/** Condition tree before printing. */
type Cond =
  | { kind: 'cmp'; op: '==' | '!=' | '=~'; left: string; right: string }
  | { kind: 'not'; item: Cond }
  | { kind: 'and' | 'or'; items: Cond[] };

export interface ConditionContext {
  /** Declared parameters, to read `params.FLAG` by its type. */
  params: ParamSpec[];
}

/** Translates the body of `expression { … }`: one expression, optionally after `return`. */
export function translateExpressionBlock(body: Stmt[], at: Node['at'], ctx: ConditionContext): string {
  if (body.length !== 1) {
    throw new InputError(
      `expression { } must hold exactly one boolean expression (found ${body.length} statements); only simple comparisons of params.X / env.X are supported`,
      body[1]?.at ?? at,
    );
  }
  const stmt = body[0]!;
  let expr: Node | undefined;
  if (stmt.kind === 'return') expr = stmt.value;
  else if (stmt.kind === 'expr') expr = stmt.expr;
  if (!expr) throw new InputError('expression { } must hold a boolean expression such as params.DEPLOY == true', stmt.at);
  return translateCondition(expr, ctx);
}

export function translateCondition(node: Node, ctx: ConditionContext): string {
  return print(cond(node, false, ctx), 0);
}

function cond(node: Node, negate: boolean, ctx: ConditionContext): Cond {
  switch (node.kind) {
    case 'unary':
      return cond(node.operand, !negate, ctx);
    case 'binary':
      if (node.op === '&&' || node.op === '||') {
        // De Morgan: !(a && b) == !a || !b
        const and = (node.op === '&&') !== negate;
        return { kind: and ? 'and' : 'or', items: [cond(node.left, negate, ctx), cond(node.right, negate, ctx)] };
      }
      if (node.op === '==' || node.op === '!=') {
        const eq = (node.op === '==') !== negate;
        return { kind: 'cmp', op: eq ? '==' : '!=', left: operand(node.left, ctx), right: operand(node.right, ctx) };
      }
      if (node.op === '=~') {
        // a regular expression search, as Groovy's =~ in a condition; there is no "!~" to push a negation into
        const match: Cond = { kind: 'cmp', op: '=~', left: operand(node.left, ctx), right: operand(node.right, ctx) };
        return negate ? { kind: 'not', item: match } : match;
      }
      break;
    case 'bool':
      // `return true`: a comparison that always holds (or never)
      return { kind: 'cmp', op: node.value !== negate ? '==' : '!=', left: "'true'", right: "'true'" };
    case 'ident':
    case 'prop': {
      const ref = variable(node);
      if (ref) {
        // Groovy truth: a boolean parameter is true/false; other values are true when not empty
        const param = ref.kind === 'param' ? ctx.params.find((p) => p.name === ref.name) : undefined;
        if (param?.type === 'boolean') return { kind: 'cmp', op: negate ? '!=' : '==', left: runnerRef(ref), right: "'true'" };
        return { kind: 'cmp', op: negate ? '==' : '!=', left: runnerRef(ref), right: "''" };
      }
      break;
    }
    default:
      break;
  }
  throw unsupported(node);
}

function unsupported(node: Node): InputError {
  return new InputError(
    `unsupported condition ${describeNode(node)}: only params.X / env.X compared with ==, != or =~ to a string, number or boolean, combined with &&, || and !, can be translated`,
    node.at,
  );
}

function variable(node: Node): VarRef | undefined {
  const code = dotted(node);
  if (code === undefined) return undefined;
  if (!/^((env|params)\.)?[A-Za-z_][A-Za-z0-9_]*$/.test(code) && !/^currentBuild\.(number|id)$/.test(code)) return undefined;
  return resolveRef(code, node.at);
}

function operand(node: Node, ctx: ConditionContext): string {
  switch (node.kind) {
    case 'str': {
      if (node.parts.some((p) => p.kind === 'ref')) break;
      const text = node.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
      // the expression language's strings take a backslash before any character
      return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
    }
    case 'num':
      return `'${node.value}'`;
    case 'bool':
      return `'${node.value}'`;
    case 'ident':
    case 'prop': {
      const ref = variable(node);
      if (ref) return runnerRef(ref);
      break;
    }
    default:
      break;
  }
  void ctx;
  throw unsupported(node);
}

const PREC = { or: 1, and: 2, cmp: 3 } as const;

function print(c: Cond, outer: number): string {
  if (c.kind === 'cmp') return `${c.left} ${c.op} ${c.right}`;
  if (c.kind === 'not') return `!(${print(c.item, 0)})`;
  const prec = PREC[c.kind];
  const text = c.items.map((item) => print(item, prec)).join(c.kind === 'and' ? ' && ' : ' || ');
  return prec < outer ? `(${text})` : text;
}
