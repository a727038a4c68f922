/**
 * sprig's defaults.go: default, empty, coalesce, all, any, ternary, and the JSON functions
 * (encoding/json, see internal/json.ts), plus `fail` (functions.go "Flow Control"). Helm
 * replaces toJson and fromJson with its own; the sprig versions are here for completeness.
 */
import { GoFuncError, defineFunc, type GoFunc } from '../values.js';
import { JsonError, marshal, unmarshal } from './internal/json.js';
import { isEmptyValue } from './internal/reflect.js';

/** json.Marshal(v) as text; throws JsonError with Go's message. */
export function marshalGoJson(v: unknown): string {
  return marshal(v, { escapeHTML: true });
}

/** json.MarshalIndent(v, "", "  "). */
export function marshalGoJsonIndent(v: unknown): string {
  return marshal(v, { escapeHTML: true, indent: '  ' });
}

/** json.Unmarshal into interface{}: the value and the error Go would return. */
export function unmarshalGoJson(text: string): { value: unknown; error?: Error } {
  return unmarshal(text);
}

function mustJson(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof JsonError) throw new GoFuncError(e.message);
    throw e;
  }
}

function swallowJson(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof JsonError) return '';
    throw e;
  }
}

/** The defaults, flow and JSON functions. */
export function defaultFuncs(): GoFunc[] {
  const rawJson = (v: unknown) => marshal(v, { escapeHTML: false });
  return [
    defineFunc('default', ['any'], (d: unknown, ...given: unknown[]) => (given.length === 0 || isEmptyValue(given[0]) ? d : given[0]), 'any'),
    defineFunc('empty', ['any'], isEmptyValue),
    defineFunc('coalesce', [], (...v: unknown[]) => v.find((x) => !isEmptyValue(x)) ?? null, 'any'),
    defineFunc('all', [], (...v: unknown[]) => v.every((x) => !isEmptyValue(x)), 'any'),
    defineFunc('any', [], (...v: unknown[]) => v.some((x) => !isEmptyValue(x)), 'any'),
    defineFunc('ternary', ['any', 'any', 'bool'], (vt: unknown, vf: unknown, v: boolean) => (v ? vt : vf)),
    defineFunc('fromJson', ['string'], (s: string) => unmarshal(s).value),
    defineFunc('mustFromJson', ['string'], (s: string) => {
      const r = unmarshal(s);
      if (r.error) throw new GoFuncError(r.error.message);
      return r.value;
    }),
    defineFunc('toJson', ['any'], (v: unknown) => swallowJson(() => marshalGoJson(v))),
    defineFunc('mustToJson', ['any'], (v: unknown) => mustJson(() => marshalGoJson(v))),
    defineFunc('toPrettyJson', ['any'], (v: unknown) => swallowJson(() => marshalGoJsonIndent(v))),
    defineFunc('mustToPrettyJson', ['any'], (v: unknown) => mustJson(() => marshalGoJsonIndent(v))),
    defineFunc('toRawJson', ['any'], (v: unknown) => {
      try {
        return rawJson(v);
      } catch (e) {
        // sprig panics with the encoder's error
        throw new Error((e as Error).message, { cause: e });
      }
    }),
    defineFunc('mustToRawJson', ['any'], (v: unknown) => mustJson(() => rawJson(v))),
    defineFunc('fail', ['string'], (msg: string) => {
      throw new GoFuncError(msg);
    }),
  ];
}
