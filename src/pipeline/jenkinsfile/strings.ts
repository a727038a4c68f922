/**
 * Groovy string values turned into the two forms the pipeline model uses:
 *
 * - runner form, for every field the runner interpolates (echo messages, env values, image
 *   tags): `${NAME}`, `${params.NAME}`, and a literal `${` written `$${`;
 * - shell form, for `sh` scripts, which the runner leaves alone and the shell expands: a
 *   GString reference becomes `${NAME}` (every param is an env var at run time), text is kept.
 *
 * A reference may be `${env.NAME}`, `${params.NAME}`, `${NAME}`, `$NAME`, `$env.NAME` or
 * `${currentBuild.number}` (→ BUILD_NUMBER); anything else is Groovy code we do not run.
 */
import { InputError, type SourceLocation } from '../../core/index.js';
import type { StrPart } from './lexer.js';
import type { Node } from './parser.js';

/** A resolved GString reference. */
export type VarRef = { kind: 'env'; name: string } | { kind: 'param'; name: string };

/** Jenkins variables whose Slipway name differs. */
const RENAMED: Record<string, string> = {
  // multibranch pipelines call the branch BRANCH_NAME; Slipway's built-in is GIT_BRANCH
  BRANCH_NAME: 'GIT_BRANCH',
};

const CURRENT_BUILD: Record<string, string> = {
  number: 'BUILD_NUMBER',
  id: 'BUILD_ID',
};

export const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

let knownParams: string[] | undefined;

/** Runs `fn` with `${params.X}` checked against the declared parameters (an unknown one is an error). */
export function withKnownParams<T>(names: string[], fn: () => T): T {
  const saved = knownParams;
  knownParams = names;
  try {
    return fn();
  } finally {
    knownParams = saved;
  }
}

/** Resolves `env.X`, `params.X`, `X`, `currentBuild.number` as written inside `${…}`. */
export function resolveRef(code: string, at: SourceLocation): VarRef {
  const m = /^(?:(env|params|currentBuild)\s*\.\s*)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(code.trim());
  if (m) {
    const [, scope, name] = m as unknown as [string, string | undefined, string];
    if (scope === 'params') {
      if (knownParams && !knownParams.includes(name)) {
        const declared = knownParams.length ? `declared: ${knownParams.join(', ')}` : 'the pipeline declares no parameters';
        throw new InputError(`unknown parameter "${name}" in params.${name} (${declared})`, at);
      }
      return { kind: 'param', name };
    }
    if (scope === 'currentBuild') {
      const mapped = CURRENT_BUILD[name];
      if (mapped) return { kind: 'env', name: mapped };
    } else {
      return { kind: 'env', name: RENAMED[name] ?? name };
    }
  }
  throw new InputError(
    `unsupported interpolation \${${code}}: only \${env.NAME}, \${params.NAME}, \${NAME} and \${currentBuild.number} can be used`,
    at,
  );
}

/** Runner form of a variable reference. */
export function runnerRef(ref: VarRef): string {
  return ref.kind === 'param' ? `\${params.${ref.name}}` : `\${${ref.name}}`;
}

/** Runner form of literal text: `${` would start an interpolation, so it is escaped. */
export function runnerText(text: string): string {
  return text.replaceAll('${', () => '$${');
}

export function partsToRunner(parts: StrPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? runnerText(p.text) : runnerRef(resolveRef(p.code, p.at)))).join('');
}

export function partsToShell(parts: StrPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : `\${${resolveRef(p.code, p.at).name}}`)).join('');
}

/** String parts of a string literal, a number, a boolean or a `+` concatenation of those. */
export function stringParts(node: Node, what: string): StrPart[] {
  switch (node.kind) {
    case 'str':
      return node.parts;
    case 'num':
      return [{ kind: 'text', text: String(node.value) }];
    case 'bool':
      return [{ kind: 'text', text: String(node.value) }];
    case 'binary':
      if (node.op === '+') return [...stringParts(node.left, what), ...stringParts(node.right, what)];
      break;
    case 'ident':
    case 'prop': {
      // a bare `env.X` / `params.X` used as a value ("${env.X}" written without quotes)
      const code = dotted(node);
      if (code) return [{ kind: 'ref', code, at: node.at }];
      break;
    }
    case 'call': {
      // 'text'.stripIndent() and .trim(): common on ''' … ''' scripts
      if (node.callee.kind === 'prop' && node.args.length === 0 && !node.closure) {
        const method = node.callee.name;
        if (method === 'stripIndent' || method === 'trim') {
          return transformText(stringParts(node.callee.object, what), method === 'trim' ? (s) => s.trim() : stripIndent);
        }
      }
      break;
    }
    default:
      break;
  }
  throw new InputError(`${what} must be a string, found ${describeNode(node)}`, node.at);
}

/** Applies a whole-string text transform to parts that may hold references. */
function transformText(parts: StrPart[], fn: (s: string) => string): StrPart[] {
  // references become private-use placeholders for the length of the transform
  const refs = parts.filter((p): p is Extract<StrPart, { kind: 'ref' }> => p.kind === 'ref');
  let i = 0;
  const joined = parts.map((p) => (p.kind === 'text' ? p.text : String.fromCharCode(0xe000 + i++))).join('');
  const out: StrPart[] = [];
  for (const piece of fn(joined).split(/([\ue000-\uefff])/)) {
    if (!piece) continue;
    const code = piece.charCodeAt(0);
    if (piece.length === 1 && code >= 0xe000 && code <= 0xefff) out.push(refs[code - 0xe000]!);
    else out.push({ kind: 'text', text: piece });
  }
  return out;
}

/** Groovy's String.stripIndent(): removes the smallest indentation of the non-blank lines. */
function stripIndent(s: string): string {
  const lines = s.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const n = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() === '' ? l.replace(/^[ \t]*/, '') : l.slice(n))).join('\n');
}

/** `a.b.c` of an ident/prop chain, or undefined. */
export function dotted(node: Node): string | undefined {
  if (node.kind === 'ident') return node.name;
  if (node.kind === 'prop') {
    const left = dotted(node.object);
    return left === undefined ? undefined : `${left}.${node.name}`;
  }
  return undefined;
}

/** The runner form of a string-valued argument. */
export function runnerString(node: Node, what: string): string {
  return partsToRunner(stringParts(node, what));
}

/** The shell form of a string-valued argument (`sh` scripts). */
export function shellString(node: Node, what: string): string {
  return partsToShell(stringParts(node, what));
}

/** A string with no interpolation (stage names, credential ids, parameter names). */
export function literalString(node: Node, what: string): string {
  const parts = stringParts(node, what);
  const ref = parts.find((p) => p.kind === 'ref');
  if (ref) throw new InputError(`${what} cannot use interpolation ("\${${ref.code}}"); write the value itself`, ref.at);
  return parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

export function describeNode(node: Node): string {
  switch (node.kind) {
    case 'str':
      return 'a string';
    case 'num':
      return `the number ${node.text}`;
    case 'bool':
      return String(node.value);
    case 'null':
      return 'null';
    case 'ident':
      return `"${node.name}"`;
    case 'prop':
      return `"${dotted(node) ?? node.name}"`;
    case 'call':
      return `a call of ${dotted(node.callee) ?? 'an expression'}(…)`;
    case 'list':
      return 'a list';
    case 'binary':
      return `an expression with "${node.op}"`;
    case 'unary':
      return 'an expression with "!"';
    case 'closure':
      return 'a { } block';
  }
}
