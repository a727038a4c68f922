/**
 * A set of named templates that can call each other, with its functions and options: Go's
 * *template.Template namespace (text/template template.go, option.go).
 */
import { BUILTINS } from './builtins.js';
import { TemplateExecError } from './errors.js';
import { MAX_EXEC_DEPTH, executeTree, type ExecEnv, type MissingKeyMode } from './exec.js';
import { isStackOverflow } from './internal/text.js';
import { goQuote } from '../goruntime/index.js';
import { isEmptyTree, parseTemplates } from './parse.js';
import type { Tree } from './nodes.js';
import type { FuncMap, GoFunc } from './values.js';

export type { MissingKeyMode } from './exec.js';

/** Options of {@link TemplateSet}. */
export interface TemplateSetOptions {
  /** Functions templates may call, besides text/template's builtins (which they may replace). @default none */
  funcs?: FuncMap;
  /**
   * A field naming a key its map lacks gives no value (`default`, printed "<no value>"), the
   * zero value of the map's element type (`zero`), or an error (`error`). @default 'default'
   */
  missingKey?: MissingKeyMode;
  /**
   * Name of the set itself (Go's root template), which Go's "no template associated" error
   * names. @default 'gotpl' (the root template of helm's engine)
   */
  name?: string;
  /** Action delimiters. @default ['{{', '}}'] */
  delims?: readonly [string, string];
}

// A valid function name (funcs.go goodName).
const FUNC_NAME = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

// Templates executing right now, across sets: only the outermost reports a stack overflow.
let activeExecutions = 0;

/**
 * Named templates and the functions they call. `parse` adds templates, `execute` runs one.
 * Like Go's template namespace, a later definition of a name replaces an earlier one, except
 * that a definition with an empty body (only spaces and comments) never replaces one.
 */
export class TemplateSet implements ExecEnv {
  /** Name of the set (see {@link TemplateSetOptions.name}). */
  readonly name: string;
  private readonly templates: Map<string, Tree>;
  private readonly funcs: Map<string, GoFunc>;
  private missingKeyMode: MissingKeyMode;
  private readonly delims: readonly [string, string] | undefined;

  constructor(options: TemplateSetOptions = {}) {
    this.name = options.name ?? 'gotpl';
    this.templates = new Map();
    this.funcs = new Map();
    this.missingKeyMode = options.missingKey ?? 'default';
    this.delims = options.delims;
    if (options.funcs) this.addFuncs(options.funcs);
  }

  /** The missingkey option in force. */
  get missingKey(): MissingKeyMode {
    return this.missingKeyMode;
  }

  /** Changes the missingkey option (Go's `t.Option("missingkey=...")`). */
  setMissingKey(mode: MissingKeyMode): void {
    this.missingKeyMode = mode;
  }

  /**
   * Adds or replaces functions (Go's `t.Funcs`). Templates parsed afterwards may call them;
   * already parsed templates call the new definitions of the names they were parsed with,
   * which is how helm's `include` and `tpl` close over a cloned set. Throws on a name that
   * is not an identifier, as Go panics.
   */
  addFuncs(funcs: FuncMap): void {
    for (const [name, fn] of funcs) {
      if (!FUNC_NAME.test(name)) throw new Error(`function name ${goQuote(name)} is not a valid identifier`);
      this.funcs.set(name, fn);
    }
  }

  /**
   * Parses `text` as template `name`, adding it and every {{define}}/{{block}} in it (Go's
   * `t.New(name).Parse(text)`). Throws {@link TemplateParseError}; nothing is added then.
   */
  parse(name: string, text: string): void {
    this.associate(this.parseTrees(name, text));
  }

  /** Whether a template of this name is defined. */
  has(name: string): boolean {
    return this.templates.has(name);
  }

  /** Names of the defined templates, sorted. */
  names(): string[] {
    return [...this.templates.keys()].sort();
  }

  /**
   * Executes template `name` with `data` as dot (Go's `ExecuteTemplate`) and returns the
   * output. Throws {@link TemplateExecError}.
   */
  execute(name: string, data: unknown): string {
    const tree = this.templates.get(name);
    if (tree === undefined) {
      throw new TemplateExecError(`template: no template ${goQuote(name)} associated with template ${goQuote(this.name)}`, { file: name });
    }
    return this.run(tree, data);
  }

  /**
   * Parses `text` as template `name` and executes exactly that text, even when it is empty
   * and so did not replace an existing `name` (Go's `t.New(name).Parse(text)` then
   * `Execute` on the new template, as helm's `tpl` does). Throws {@link TemplateParseError}
   * or {@link TemplateExecError}.
   */
  parseAndExecute(name: string, text: string, data: unknown): string {
    const trees = this.parseTrees(name, text);
    this.associate(trees);
    return this.run(trees.get(name)!, data);
  }

  /**
   * A copy sharing the parsed templates but with its own namespace, functions and options:
   * templates and functions added to either afterwards do not show in the other (Go's
   * `Clone`).
   */
  clone(): TemplateSet {
    const c = new TemplateSet({ name: this.name, missingKey: this.missingKeyMode, delims: this.delims });
    for (const [k, v] of this.templates) c.templates.set(k, v);
    for (const [k, v] of this.funcs) c.funcs.set(k, v);
    return c;
  }

  /** @internal {@link ExecEnv}. */
  lookupTemplate(name: string): Tree | undefined {
    return this.templates.get(name);
  }

  /** @internal {@link ExecEnv}. */
  lookupFunction(name: string): { fn: GoFunc; builtin: boolean } | undefined {
    const fn = this.funcs.get(name);
    if (fn !== undefined) return { fn, builtin: false };
    const b = BUILTINS.get(name);
    return b === undefined ? undefined : { fn: b, builtin: true };
  }

  private parseTrees(name: string, text: string): Map<string, Tree> {
    return parseTemplates(name, text, {
      hasFunction: (n) => this.funcs.has(n) || BUILTINS.has(n),
      delims: this.delims,
    });
  }

  // template.go associate: an empty definition never replaces an existing one.
  private associate(trees: Map<string, Tree>): void {
    for (const [name, tree] of trees) {
      if (this.templates.has(name) && isEmptyTree(tree.root)) continue;
      this.templates.set(name, tree);
    }
  }

  private run(tree: Tree, data: unknown): string {
    activeExecutions++;
    try {
      return executeTree(this, tree, data);
    } catch (e) {
      // A recursion through functions (include) that outgrew the JavaScript stack.
      if (activeExecutions === 1 && isStackOverflow(e)) {
        throw new TemplateExecError(`template: ${tree.name}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`, { file: tree.src.name }, [], {
          cause: e,
        });
      }
      throw e;
    } finally {
      activeExecutions--;
    }
  }
}
