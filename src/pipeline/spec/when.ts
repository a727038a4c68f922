// `when` conditions of stages and steps: every given condition must hold.
import type { SourceLocation } from '../../core/index.js';
import type { WhenSpec } from '../model.js';
import { evaluateExpression, parseExpression, truthy } from './expression.js';
import { matchGlob } from './glob.js';

/** What a `when` is evaluated against. */
export interface WhenContext {
  vars: Record<string, string>;
  params: Record<string, string>;
  /** The branch being built; a `branch` condition fails when it is unknown. */
  branch?: string;
  /** Files changed since the previous commit; undefined = unknown, and a `changes` condition then holds. */
  changedFiles?: string[];
}

/** Whether to run, and a one-line reason a log can show ("branch feature/x does not match main"). */
export interface WhenResult {
  run: boolean;
  reason: string;
}

/**
 * Evaluates a `when`. All given conditions must hold; the first that does not gives the
 * reason. A bad expression throws InputError naming `field` (and `at` when given).
 */
export function evaluateWhen(when: WhenSpec, ctx: WhenContext, field = 'when', at?: SourceLocation): WhenResult {
  const reasons: string[] = [];
  const fail = (reason: string): WhenResult => ({ run: false, reason });

  if (when.branch !== undefined) {
    if (ctx.branch === undefined) return fail(`branch is unknown, so it does not match ${when.branch}`);
    if (!matchGlob(when.branch, ctx.branch)) return fail(`branch ${ctx.branch} does not match ${when.branch}`);
    reasons.push(`branch ${ctx.branch} matches ${when.branch}`);
  }
  if (when.changes !== undefined) {
    const globs = when.changes.join(', ');
    if (ctx.changedFiles === undefined) {
      reasons.push(`changed files are unknown, so changes (${globs}) are taken to match`);
    } else {
      const hit = ctx.changedFiles.find((f) => when.changes!.some((g) => matchGlob(g, f)));
      if (hit === undefined) return fail(`no changed file matches ${globs}`);
      reasons.push(`changed file ${hit} matches ${globs}`);
    }
  }
  if (when.expression !== undefined) {
    const src = { field: `${field}.expression`, at };
    const value = evaluateExpression(parseExpression(when.expression, src), { vars: ctx.vars, params: ctx.params }, src);
    if (!truthy(value)) return fail(`expression ${when.expression} is false`);
    reasons.push(`expression ${when.expression} is true`);
  }
  if (when.environment !== undefined) {
    const { name, value } = when.environment;
    const actual = ctx.vars[name];
    if (actual !== value) return fail(`${name} is ${actual === undefined ? 'not set' : `"${actual}"`}, not "${value}"`);
    reasons.push(`${name} is "${value}"`);
  }
  if (when.not !== undefined) {
    const inner = evaluateWhen(when.not, ctx, `${field}.not`, at);
    if (inner.run) return fail(`not (${inner.reason})`);
    reasons.push(`not (${inner.reason})`);
  }
  if (when.allOf !== undefined) {
    for (const [i, w] of when.allOf.entries()) {
      const r = evaluateWhen(w, ctx, `${field}.allOf[${i}]`, at);
      if (!r.run) return fail(r.reason);
      reasons.push(r.reason);
    }
  }
  if (when.anyOf !== undefined) {
    const misses: string[] = [];
    let hit: WhenResult | undefined;
    for (const [i, w] of when.anyOf.entries()) {
      const r = evaluateWhen(w, ctx, `${field}.anyOf[${i}]`, at);
      if (r.run) {
        hit = r;
        break;
      }
      misses.push(r.reason);
    }
    if (!hit) return fail(`none of anyOf holds: ${misses.join('; ')}`);
    reasons.push(hit.reason);
  }
  return { run: true, reason: reasons.length ? reasons.join('; ') : 'no conditions' };
}
