import { ChartRenderError } from './errors.js';
import { goTrimSpace, splitManifests, type RenderedHook } from './manifests.js';
import type { RenderResult } from './render.js';

/** Options of {@link formatTemplateOutput}, as `helm template`'s flags. */
export interface TemplateOutputOptions {
  includeCrds?: boolean;
  /** --no-hooks */
  noHooks?: boolean;
  /** --skip-tests */
  skipTests?: boolean;
  /** --show-only patterns (filepath.Match against the path below the chart name). */
  showOnly?: string[];
}

const isTestHook = (h: RenderedHook) => h.events.includes('test') || h.events.includes('test-success');

/** The `---\n# Source: …` stream helm template prints (cmd/helm/template.go). */
export function formatTemplateOutput(result: RenderResult, options: TemplateOutputOptions = {}): string {
  let doc = '';
  if (options.includeCrds) for (const c of result.crds) doc += `---\n# Source: ${c.name}\n${c.content}\n`;
  for (const m of result.manifests) doc += `---\n# Source: ${m.name}\n${m.content}\n`;
  let out = `${goTrimSpace(doc)}\n`;
  if (!options.noHooks) {
    for (const h of result.hooks) {
      if (options.skipTests && isTestHook(h)) continue;
      out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    }
  }
  if (!options.showOnly?.length) return out;
  const docs = splitManifests(out);
  const picked: string[] = [];
  for (const pattern of options.showOnly) {
    let found = false;
    for (const d of docs) {
      const name = /# Source: [^/]+\/(.+)/.exec(d)?.[1];
      if (name === undefined || !matchFilepath(pattern, name)) continue;
      picked.push(d);
      found = true;
    }
    if (!found) throw new ChartRenderError(`could not find template ${pattern} in chart`);
  }
  return picked.map((d) => `---\n${d}\n`).join('');
}

/** The files `--output-dir` writes: each manifest appended to DIR/<its source path>. */
export function templateOutputFiles(result: RenderResult, options: TemplateOutputOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  const add = (name: string, content: string) => files.set(name, `${files.get(name) ?? ''}---\n# Source: ${name}\n${content}\n`);
  if (options.includeCrds) for (const c of result.crds) add(c.name, c.content);
  for (const m of result.manifests) add(m.name, m.content);
  if (!options.noHooks) {
    for (const h of result.hooks) if (!(options.skipTests && isTestHook(h))) add(h.path, h.manifest);
  }
  return files;
}

/** Go's path/filepath.Match with '/' separators: `*`, `?`, `[...]` classes, `\` escapes; a bad pattern matches nothing. */
export function matchFilepath(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') re += escape(pattern[++i] ?? '');
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else re += escape(c);
  }
  try {
    return new RegExp(`^${re}$`, 's').test(name);
  } catch {
    return false;
  }
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
