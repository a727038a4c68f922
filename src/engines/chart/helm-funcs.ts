import {
  GoFuncError,
  defineFunc,
  isGoMap,
  marshalGoJson,
  sprigFunctions,
  type FuncMap,
  type GoFunc,
  type GoMap,
} from '../gotemplate/index.js';
import { jsonToYaml, marshalToml, yamlToJson } from '../yaml/index.js';

/** Answers Helm's `lookup apiVersion kind namespace name`; an empty name lists (returns a List map). */
export type LookupFunction = (apiVersion: string, kind: string, namespace: string, name: string) => GoMap;

/** Options of {@link helmFunctions}. */
export interface HelmFunctionOptions {
  random?: () => number;
  clock?: () => Date;
  lookup?: LookupFunction;
}

/**
 * Helm's template functions (pkg/engine/funcs.go): sprig without env/expandenv, plus
 * toYaml/fromYaml/toJson/fromJson/toToml…, `required`, `fail`, `lookup` and a
 * `getHostByName` that does no DNS. `include` and `tpl` are added by the renderer, which
 * owns the template set they close over.
 */
export function helmFunctions(options: HelmFunctionOptions = {}): FuncMap {
  const funcs = sprigFunctions({ random: options.random, clock: options.clock });
  funcs.delete('env');
  funcs.delete('expandenv');
  const add = (f: GoFunc) => funcs.set(f.name, f);

  add(defineFunc('toYaml', ['any'], (v: unknown) => toYamlText(v)));
  add(defineFunc('toYamlPretty', ['any'], (v: unknown) => toYamlText(v)));
  add(defineFunc('fromYaml', ['string'], (s: string) => decodeInto(() => JSON.parse(yamlToJson(s)) as unknown, 'map', YAML_PREFIX)));
  add(defineFunc('fromYamlArray', ['string'], (s: string) => decodeInto(() => JSON.parse(yamlToJson(s)) as unknown, 'array', YAML_PREFIX)));
  add(defineFunc('toJson', ['any'], (v: unknown) => {
    try {
      return marshalGoJson(v);
    } catch {
      return '';
    }
  }));
  add(defineFunc('fromJson', ['string'], (s: string) => decodeInto(() => parseGoJson(s), 'map')));
  add(defineFunc('fromJsonArray', ['string'], (s: string) => decodeInto(() => parseGoJson(s), 'array')));
  add(defineFunc('toToml', ['any'], (v: unknown) => {
    try {
      return marshalToml(v);
    } catch (e) {
      return (e as Error).message;
    }
  }));
  add(defineFunc('required', ['string', 'any'], (warn: string, val: unknown) => {
    if (val === null || val === undefined || val === '') throw new GoFuncError(`HELM_ERR_START${warn}HELM_ERR_END`);
    return val;
  }));
  add(defineFunc('fail', ['string'], (msg: string) => {
    throw new GoFuncError(`HELM_ERR_START${msg}HELM_ERR_END`);
  }));
  const lookup = options.lookup;
  add(defineFunc('lookup', ['string', 'string', 'string', 'string'], (apiVersion: string, kind: string, ns: string, name: string) =>
    lookup ? lookup(apiVersion, kind, ns, name) : {},
  ));
  add(defineFunc('getHostByName', ['string'], () => ''));
  return funcs;
}

/** Helm's toYAML: Go's json.Marshal, then sigs.k8s.io/yaml's JSONToYAML, last newline trimmed; "" on error. */
export function toYamlText(v: unknown): string {
  try {
    return jsonToYaml(marshalGoJson(v)).replace(/\n$/, '');
  } catch {
    return '';
  }
}

/** sigs.k8s.io/yaml's wording when the JSON it made does not fit the Go value. */
const YAML_PREFIX = 'error unmarshaling JSON: while decoding JSON: ';

/** json.Unmarshal into interface{}: objects, arrays, float64 numbers. */
function parseGoJson(s: string): unknown {
  return JSON.parse(s) as unknown;
}

/**
 * Helm's fromYaml/fromJson never fail: a decode error is returned as the map
 * `{Error: message}` (or the one-element list `[message]` for the *Array variants).
 */
function decodeInto(decode: () => unknown, want: 'map' | 'array', prefix = ''): unknown {
  try {
    const v = decode();
    if (want === 'map') {
      if (v === null) return {};
      if (isGoMap(v)) return v;
      throw new Error(`${prefix}json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`);
    }
    if (v === null) return [];
    if (Array.isArray(v)) return v;
    throw new Error(`${prefix}json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`);
  } catch (e) {
    const message = (e as Error).message;
    return want === 'map' ? { Error: message } : [message];
  }
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}
