import { BadPatternError, baseName, matchPath } from './internal/gopath.js';

/**
 * `.helmignore` rules exactly as helm v3 evaluates them (pkg/ignore/rules.go):
 *
 * - one pattern per line; blank lines and lines starting with `#` are skipped; lines are trimmed;
 * - patterns are filepath.Match globs (`*`, `?`, `[a-z]`, `\`); `**` is rejected with
 *   "double-star (**) syntax is not supported", a malformed glob with "syntax error in pattern";
 * - a pattern without `/` is matched against the base name only; one with `/` against the
 *   whole path relative to the chart root; a leading `/` anchors it (and is dropped);
 * - a trailing `/` makes the rule apply to directories only;
 * - rules are tried in order and the first match decides. A negated rule (`!pat`) is helm's
 *   own reading, not .gitignore's: a path that does NOT match it is ignored at once, a path that
 *   matches goes on to the next rule; a negated directory-only rule ignores every file.
 *
 * The loader always appends helm's default rule `templates/.?*` (dotfiles in templates/).
 */

/** One parsed rule. */
export interface HelmignoreRule {
  /** The rule as written (trimmed). */
  raw: string;
  /** The glob, without `!`, trailing `/` and leading `/`. */
  pattern: string;
  negate: boolean;
  /** Applies to directories only (the rule ended in `/`). */
  mustDir: boolean;
  /** How the pattern is compared: base name only, the whole relative path. */
  matchOn: 'base' | 'path';
}

/** A rule set; `ignores` answers for one path. */
export interface HelmignoreRules {
  readonly rules: readonly HelmignoreRule[];
  /** Whether `path` (relative, '/'-separated, no leading './') is ignored. */
  ignores(path: string, isDir: boolean): boolean;
}

/** helm's default rule, added after the user's rules: ignore dotfiles directly in templates/. */
export const DEFAULT_HELMIGNORE_RULE = 'templates/.?*';

/** Parses one rule; undefined for blank lines and comments. Throws Error with helm's message for a bad rule. */
export function parseHelmignoreRule(line: string): HelmignoreRule | undefined {
  const rule = line.trim();
  if (rule === '' || rule.startsWith('#')) return undefined;
  if (rule.includes('**')) throw new Error('double-star (**) syntax is not supported');
  // helm validates the raw rule (still with its '!' and '/') against a non-empty name.
  matchPath(rule, 'abc');
  let pattern = rule;
  let negate = false;
  let mustDir = false;
  if (pattern.startsWith('!')) {
    negate = true;
    pattern = pattern.slice(1);
  }
  if (pattern.endsWith('/')) {
    mustDir = true;
    pattern = pattern.slice(0, -1);
  }
  let matchOn: HelmignoreRule['matchOn'] = 'base';
  if (pattern.startsWith('/')) {
    pattern = pattern.slice(1);
    matchOn = 'path';
  } else if (pattern.includes('/')) {
    matchOn = 'path';
  }
  return { raw: rule, pattern, negate, mustDir, matchOn };
}

/**
 * Parses a .helmignore file (a UTF-8 BOM on the first line is dropped, as helm does).
 * Throws Error with helm's message for a rule it rejects.
 */
export function parseHelmignore(text: string, options: { addDefaults?: boolean } = {}): HelmignoreRules {
  const rules: HelmignoreRule[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // bufio.Scanner drops a final empty line; an empty rule is skipped anyway.
  for (const line of lines) {
    const rule = parseHelmignoreRule(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (rule) rules.push(rule);
  }
  if (options.addDefaults) rules.push(parseHelmignoreRule(DEFAULT_HELMIGNORE_RULE)!);
  return makeRules(rules);
}

/** The empty rule set plus, when asked, helm's default rule. */
export function emptyHelmignore(options: { addDefaults?: boolean } = {}): HelmignoreRules {
  return makeRules(options.addDefaults ? [parseHelmignoreRule(DEFAULT_HELMIGNORE_RULE)!] : []);
}

function matches(rule: HelmignoreRule, path: string): boolean {
  try {
    return matchPath(rule.pattern, rule.matchOn === 'base' ? baseName(path) : path);
  } catch (e) {
    // helm logs "Failed to compile" and treats the rule as not matching.
    if (e instanceof BadPatternError) return false;
    throw e;
  }
}

function makeRules(rules: HelmignoreRule[]): HelmignoreRules {
  return {
    rules,
    ignores(path: string, isDir: boolean): boolean {
      if (path === '' || path === '.' || path === './') return false;
      for (const rule of rules) {
        if (rule.negate) {
          if (rule.mustDir && !isDir) return true;
          if (!matches(rule, path)) return true;
          continue;
        }
        if (rule.mustDir && !isDir) continue;
        if (matches(rule, path)) return true;
      }
      return false;
    },
  };
}
