import type { FileSystem } from '../../core/index.js';
import type { GoMap } from './types.js';
import { ValuesError } from './internal/errors.js';
import { GoYamlError, decodeYaml, setKey, toJsonValue } from './internal/goyaml.js';
import { StrvalsError, parseSetFileInto, parseSetInto, parseSetJsonInto, parseSetLiteralInto, parseSetStringInto } from './strvals.js';

/**
 * Values as helm reads them: values files through sigs.k8s.io/yaml (every number a float64,
 * i.e. a JS number; map keys that YAML types as booleans or numbers become strings), the
 * `-f/--set*` flags merged in helm's order (pkg/cli/values/options.go MergeValues), and the
 * chartutil.Values lookups (Table, PathValue) that dependency conditions use.
 */

/** chartutil.GlobalKey. */
export const GLOBAL_KEY = 'global';

/**
 * chartutil.ReadValues without the "empty is {}" leniency on errors: YAML text to a values
 * map. Throws GoYamlError whose message is sigs.k8s.io/yaml's full error, e.g.
 * "error converting YAML to JSON: yaml: line 2: ..." or
 * "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}".
 */
export function unmarshalValues(text: string): GoMap {
  let value: unknown;
  try {
    value = toJsonValue(decodeYaml(text));
  } catch (e) {
    if (e instanceof GoYamlError) throw new GoYamlError(`error converting YAML to JSON: ${e.message}`, e.line, e.column);
    throw e;
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : 'string';
    throw new GoYamlError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return value as GoMap;
}

/** The value flags of `helm template/install/upgrade`, as pkg/cli/values.Options. */
export interface ValueOptions {
  /** `-f/--values`: values files, merged in order (later files win). @default [] */
  valueFiles?: string[];
  /** `--set`: typed values (ints are int64, i.e. bigint). @default [] */
  values?: string[];
  /** `--set-string`: string values. @default [] */
  stringValues?: string[];
  /** `--set-json`: JSON values. @default [] */
  jsonValues?: string[];
  /** `--set-file`: values read from files. @default [] */
  fileValues?: string[];
  /** `--set-literal`: one literal string value each. @default [] */
  literalValues?: string[];
}

/** How helm's readFile fails on the local disk (os.ReadFile's messages), or refuses what needs a network. */
function readValuesFile(path: string, fs: FileSystem): Uint8Array {
  if (path.trim() === '-') throw new ValuesError('reading values from standard input is not supported', { file: path });
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(path)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https' || scheme === 'oci') {
    throw new ValuesError(`remote values file ${path} is not supported: engines do not use the network`, { file: path });
  }
  const st = fs.stat(path);
  if (!st) throw new ValuesError(`open ${path}: no such file or directory`, { file: path });
  if (st.isDirectory) throw new ValuesError(`read ${path}: is a directory`, { file: path });
  return fs.readBytes(path);
}

/** mergeMaps of options.go: `b` over `a`, maps merged recursively, everything else replaced. */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const bv = out[k];
    if (isTable(v) && Object.hasOwn(out, k) && isTable(bv)) {
      setKey(out, k, mergeMaps(bv, v));
      continue;
    }
    setKey(out, k, v);
  }
  return out;
}

/**
 * helm's values.Options.MergeValues: `-f` files merged with mergeMaps, then `--set-json`,
 * `--set`, `--set-string`, `--set-file` and `--set-literal`, each parsed into the result in
 * that order. Throws ValuesError with helm's messages.
 */
export function mergeValueOptions(opts: ValueOptions, fs: FileSystem): GoMap {
  let base: GoMap = {};
  const decoder = new TextDecoder();
  for (const file of opts.valueFiles ?? []) {
    const data = readValuesFile(file, fs);
    let current: GoMap;
    try {
      current = unmarshalValues(decoder.decode(data));
    } catch (e) {
      if (e instanceof GoYamlError) {
        throw new ValuesError(`failed to parse ${file}: ${e.message}`, { file, ...(e.line !== undefined ? { line: e.line } : {}) }, { cause: e });
      }
      throw e;
    }
    base = mergeMaps(base, current);
  }
  const run = (list: string[] | undefined, parse: (s: string) => void, message: (s: string, e: Error) => string) => {
    for (const value of list ?? []) {
      try {
        parse(value);
      } catch (e) {
        if (e instanceof StrvalsError || e instanceof ValuesError) throw new ValuesError(message(value, e), undefined, { cause: e });
        throw e;
      }
    }
  };
  run(opts.jsonValues, (s) => parseSetJsonInto(s, base), (s) => `failed parsing --set-json data ${s}`);
  run(opts.values, (s) => parseSetInto(s, base), (_s, e) => `failed parsing --set data: ${e.message}`);
  run(opts.stringValues, (s) => parseSetStringInto(s, base), (_s, e) => `failed parsing --set-string data: ${e.message}`);
  run(
    opts.fileValues,
    (s) => parseSetFileInto(s, base, (path) => decoder.decode(readValuesFile(path, fs))),
    (_s, e) => `failed parsing --set-file data: ${e.message}`,
  );
  run(opts.literalValues, (s) => parseSetLiteralInto(s, base), (_s, e) => `failed parsing --set-literal data: ${e.message}`);
  return base;
}

/** chartutil's istable: a map[string]interface{}. */
export function isTable(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Values.Table: the table at a dotted path, or undefined (helm's ErrNoTable). */
export function valuesTable(values: GoMap, path: string): GoMap | undefined {
  let table: GoMap = values;
  for (const name of path.split('.')) {
    if (!Object.hasOwn(table, name)) return undefined;
    const next = table[name];
    if (!isTable(next)) return undefined;
    table = next;
  }
  return table;
}

/**
 * Values.PathValue: the non-table value at a dotted path. `found` is false where helm returns
 * ErrNoValue (missing, or a table).
 */
export function valuesPathValue(values: GoMap, path: string): { found: boolean; value?: unknown } {
  if (path === '') return { found: false };
  const parts = path.split('.');
  const key = parts.pop()!;
  const table = parts.length === 0 ? values : valuesTable(values, parts.join('.'));
  if (!table || !Object.hasOwn(table, key) || isTable(table[key])) return { found: false };
  return { found: true, value: table[key] };
}
