import { isSpace } from '../goruntime/index.js';
import { sortByInstallOrder } from '../../core/index.js';
import { yamlToJsonValue, type JsonableValue } from '../yaml/index.js';
import { ChartRenderError } from './errors.js';

/** One rendered document that is not a hook, with the template file it came from. */
export interface RenderedManifest {
  /** Template path, e.g. "mychart/templates/deployment.yaml" (helm's `# Source:`). */
  name: string;
  /** The document text, trimmed. */
  content: string;
  head: ManifestHead;
}

/** A rendered hook (a document annotated `helm.sh/hook`), as helm's release.Hook. */
export interface RenderedHook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  weight: number;
  deletePolicies: string[];
  outputLogPolicies: string[];
}

/** The fields helm reads from every document before sorting (releaseutil.SimpleHead). */
export interface ManifestHead {
  apiVersion: string;
  kind: string;
  name: string;
  annotations: Record<string, string>;
}

/** Hook events helm knows (release/hook.go); any other value makes helm skip the document. */
export const HOOK_EVENTS = new Set([
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
  'test-success',
]);

/** RE2's \s: ASCII whitespace without \v. */
const isRe2Space = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/**
 * releaseutil.SplitManifests: the text (trimmed) split at matches of `(?:^|\s*\n)---\s*`,
 * empty pieces dropped, each piece trimmed. Matched by hand in one linear pass: the same
 * leftmost-first matches as Go's regexp, without a backtracking engine's quadratic time on
 * long runs of indentation.
 */
export function splitManifests(text: string): string[] {
  const s = goTrimSpace(text);
  const pieces: string[] = [];
  let last = 0;
  let from = 0;
  const skipSpace = (i: number) => {
    while (i < s.length && isRe2Space(s.charCodeAt(i))) i++;
    return i;
  };
  if (s.startsWith('---')) {
    pieces.push('');
    last = from = skipSpace(3);
  }
  for (;;) {
    const k = s.indexOf('\n---', from);
    if (k < 0) break;
    let start = k;
    while (start > from && isRe2Space(s.charCodeAt(start - 1))) start--;
    pieces.push(s.slice(last, start));
    last = from = skipSpace(k + 4);
  }
  pieces.push(s.slice(last));
  return pieces.filter((d) => d !== '').map(goTrimSpace);
}

/** strings.TrimSpace: Unicode White_Space, which (unlike String.prototype.trim) leaves U+FEFF alone. */
export function goTrimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * releaseutil.SortManifests: every rendered file (partials and blank files skipped), split
 * into documents, each parsed for its head; hooks separated from plain manifests; both
 * sorted by kind in install order, stably (files in path order, documents in file order).
 */
export function sortManifests(files: Map<string, string>): { manifests: RenderedManifest[]; hooks: RenderedHook[] } {
  const manifests: RenderedManifest[] = [];
  const hooks: RenderedHook[] = [];
  for (const path of [...files.keys()].sort(compareBytes)) {
    const content = files.get(path)!;
    if (basename(path).startsWith('_') || goTrimSpace(content) === '') continue;
    for (const doc of splitManifests(content)) {
      const head = readHead(doc, path);
      const hookTypes = head.annotations['helm.sh/hook'];
      if (hookTypes === undefined) {
        manifests.push({ name: path, content: doc, head });
        continue;
      }
      const events = hookTypes.split(',').map((h) => h.trim().toLowerCase());
      if (events.some((e) => !HOOK_EVENTS.has(e))) continue; // helm: "info: skipping unknown hook"
      const weight = Number.parseInt(head.annotations['helm.sh/hook-weight'] ?? '', 10);
      hooks.push({
        name: head.name,
        kind: head.kind,
        path,
        manifest: doc,
        events,
        // strconv.Atoi: an optional sign and digits, nothing else; anything else is weight 0
        weight: /^[+-]?\d+$/.test(head.annotations['helm.sh/hook-weight'] ?? '') ? weight : 0,
        deletePolicies: listAnnotation(head.annotations['helm.sh/hook-delete-policy']),
        outputLogPolicies: listAnnotation(head.annotations['helm.sh/hook-output-log-policy']),
      });
    }
  }
  return {
    manifests: sortByInstallOrder(manifests, (m) => m.head.kind),
    hooks: sortByInstallOrder(hooks, (h) => h.kind),
  };
}

function listAnnotation(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((v) => v.trim().toLowerCase());
}

/**
 * The head as helm reads it: sigs.k8s.io/yaml turns the document into JSON (go-yaml's
 * messages), then encoding/json decodes it into typed fields, so a document that is not a
 * map, or a number where a string belongs, fails the whole render as it does in helm.
 */
function readHead(doc: string, path: string): ManifestHead {
  const fail = (message: string, cause?: unknown) =>
    new ChartRenderError(`YAML parse error on ${path}: ${message}`, { file: path }, { cause });
  let value: JsonableValue;
  try {
    value = yamlToJsonValue(doc);
  } catch (e) {
    throw fail((e as Error).message, e);
  }
  if (value === null) return { apiVersion: '', kind: '', name: '', annotations: {} };
  const decodeError = (kind: string, into: string) =>
    fail(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into ${into}`);
  if (!(value instanceof Map)) throw decodeError(jsonKind(value), 'Go value of type releaseutil.SimpleHead');
  const str = (v: JsonableValue | undefined, field: string): string => {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw decodeError(jsonKind(v), `Go struct field ${field} of type string`);
    return v;
  };
  let meta = new Map<string, JsonableValue>();
  const m = value.get('metadata');
  if (m !== undefined && m !== null) {
    if (!(m instanceof Map)) {
      throw decodeError(jsonKind(m), 'Go struct field SimpleHead.metadata of type struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }');
    }
    meta = m;
  }
  const annotations: Record<string, string> = {};
  const a = meta.get('annotations');
  if (a !== undefined && a !== null) {
    if (!(a instanceof Map)) throw decodeError(jsonKind(a), 'Go struct field .metadata.annotations of type map[string]string');
    for (const [k, v] of a) annotations[k] = str(v, '.metadata.annotations');
  }
  return {
    apiVersion: str(value.get('apiVersion'), 'SimpleHead.apiVersion'),
    kind: str(value.get('kind'), 'SimpleHead.kind'),
    name: str(meta.get('name'), 'SimpleHead.metadata.name'),
    annotations,
  };
}

/** encoding/json's name for a JSON value's kind, as in "cannot unmarshal number into …". */
function jsonKind(v: JsonableValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'object';
  return 'number';
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Go's string order (bytes); for the ASCII paths of charts the same as UTF-16 order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
