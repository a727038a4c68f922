/**
 * Go values as templates see them, in JavaScript. Every part of the template engine (the
 * executor, fmt, sprig, Helm's functions) speaks this one model:
 *
 * | Go                                   | here                                        |
 * | ------------------------------------ | ------------------------------------------- |
 * | string                               | string                                      |
 * | bool                                 | boolean                                     |
 * | float64 (every number YAML/JSON gives)| number                                     |
 * | int, int64, uint… (from functions, --set, literals) | bigint                       |
 * | nil (interface, pointer, map, slice) | null                                        |
 * | no value (an invalid reflect.Value, e.g. a missing map key) | undefined            |
 * | map[string]interface{}               | plain object (own enumerable keys)          |
 * | map[string]string and other typed maps | plain object tagged with {@link elemType} |
 * | []interface{}                        | array                                       |
 * | []string and other typed slices      | array tagged with {@link elemType}          |
 * | []byte                               | Uint8Array                                  |
 * | struct / pointer to struct           | {@link GoStruct}                            |
 * | time.Time                            | {@link GoTime}                              |
 * | func value (a method value)          | {@link GoFunc}                              |
 *
 * Maps iterate in sorted key order wherever Go sorts them (range, fmt, json, yaml), so the
 * insertion order of a plain object never shows.
 */
import { compareGoStrings } from '../goruntime/index.js';

/** Go's type name of a typed slice's or map's elements, e.g. 'string' for []string. */
const ELEM = Symbol('go.elemType');

/** A Go map: string keys (Helm's values are always map[string]interface{}). */
export type GoMap = Record<string, unknown>;

export function isGoMap(v: unknown): v is GoMap {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Uint8Array) &&
    !(v instanceof GoStruct) &&
    !(v instanceof GoTime) &&
    !(v instanceof GoFunc)
  );
}

/** Tags an array or map with the Go type of its elements ('string' makes []string / map[string]string). */
export function withElemType<T extends object>(value: T, elem: string): T {
  Object.defineProperty(value, ELEM, { value: elem, enumerable: false, configurable: true });
  return value;
}

/** The Go element type of an array or map: 'interface {}' unless tagged. */
export function elemType(value: object): string {
  return (value as { [ELEM]?: string })[ELEM] ?? 'interface {}';
}

const METHODS = Symbol('go.methods');

/**
 * Attaches methods to a map or slice value, for Go named map/slice types that have methods:
 * Helm's `.Files` (map[string][]byte with Get, Glob, AsConfig…) and
 * `.Capabilities.APIVersions` (a []string with Has). The executor looks methods up here
 * before map keys, as Go looks up methods before fields and keys.
 */
export function withMethods<T extends object>(value: T, methods: Record<string, GoFunc>, typeName?: string): T {
  Object.defineProperty(value, METHODS, { value: { methods, typeName }, enumerable: false, configurable: true });
  return value;
}

/** The methods attached with {@link withMethods}, if any. */
export function methodsOf(value: unknown): Record<string, GoFunc> | undefined {
  return typeof value === 'object' && value !== null ? (value as { [METHODS]?: { methods: Record<string, GoFunc> } })[METHODS]?.methods : undefined;
}

/** The Go type name given with {@link withMethods} (e.g. "engine.files"), if any. */
export function namedTypeOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? (value as { [METHODS]?: { typeName?: string } })[METHODS]?.typeName : undefined;
}

/** A []string. */
export function stringSlice(items: string[]): string[] {
  return withElemType(items, 'string');
}

/** A map[string]string. */
export function stringMap(entries: Record<string, string>): Record<string, string> {
  return withElemType(entries, 'string');
}

/**
 * A Go struct (or pointer to one): named fields, methods, and the names encoding/json uses
 * for it. `.Chart.Name`, `.Capabilities.KubeVersion.Version` and `(semver "1.2.3").Major` go
 * through this.
 */
export class GoStruct {
  constructor(
    /** Go's type name as %T prints it, e.g. "*chart.Metadata". */
    readonly typeName: string,
    /** Field values by Go field name, in declaration order (fmt prints them in this order). */
    readonly fields: Record<string, unknown>,
    /** Methods by name; a method is called with the struct's arguments as a function would be. */
    readonly methods: Record<string, GoFunc> = {},
    /**
     * How encoding/json (and so toJson/toYaml) writes it: Go field name -> json name, with
     * omitempty; fields missing here are written under their Go name. A struct with a
     * custom MarshalJSON gives `marshal` instead.
     */
    readonly json?: { names?: Record<string, { name: string; omitEmpty?: boolean; omit?: boolean }>; marshal?: () => unknown },
    /** A Stringer: what fmt prints for %v/%s (e.g. semver's Version.String). */
    readonly stringer?: () => string,
  ) {}

  /** True for a pointer-to-struct type (fmt prints &{...}). */
  get isPointer(): boolean {
    return this.typeName.startsWith('*');
  }
}

/** A time.Time: an instant plus the zone it is shown in. */
export class GoTime {
  constructor(
    /** Nanoseconds since the Unix epoch. */
    readonly unixNanos: bigint,
    /** Offset east of UTC in seconds, in the zone the time is shown in. */
    readonly offsetSeconds: number,
    /** Zone abbreviation as Go prints it with "MST", e.g. "UTC", "CET", "+0530". */
    readonly zone: string,
    /** IANA name of the location, e.g. "UTC", "Local", "Europe/Berlin". */
    readonly location: string,
  ) {}
}

/** Go types a function parameter can ask for; the executor converts or rejects arguments accordingly. */
export type ParamType =
  | 'any' // interface{}: anything, no value becomes nil
  | 'string'
  | 'bool'
  | 'int' // int, int64 and friends: a bigint; an untyped integer constant converts
  | 'float64' // a number; an untyped constant converts
  | 'map' // map[string]interface{}
  | 'slice' // []interface{}
  | 'stringSlice' // []string
  | 'time' // time.Time
  | 'value'; // reflect.Value: anything, including no value (undefined), passed as is

/**
 * A function callable from a template: the funcs of text/template, sprig and Helm, and
 * methods of structs. `fn` returns the result or throws (a Go error return, or a panic).
 */
export class GoFunc {
  constructor(
    readonly name: string,
    /** Types of the fixed parameters. */
    readonly params: readonly ParamType[],
    readonly fn: (...args: never[]) => unknown,
    /** Type of the `...` parameter, when variadic. */
    readonly variadic?: ParamType,
  ) {}
}

/** An error a function returned (Go's `error` result); the executor reports it as `error calling NAME: MESSAGE`. */
export class GoFuncError extends Error {}

/** The functions a template can call, by name. */
export type FuncMap = Map<string, GoFunc>;

/** Shorthand to declare a function: `defineFunc('upper', ['string'], (s: string) => s.toUpperCase())`. */
export function defineFunc<A extends unknown[]>(
  name: string,
  params: readonly ParamType[],
  fn: (...args: A) => unknown,
  variadic?: ParamType,
): GoFunc {
  return new GoFunc(name, params, fn as (...args: never[]) => unknown, variadic);
}

/**
 * Go's type name of a value, as %T and error messages print it ("string", "float64",
 * "map[string]interface {}", "[]string", "<nil>").
 */
export function goTypeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int64';
    case 'function':
      return 'func';
  }
  const named = namedTypeOf(v);
  if (named) return named;
  if (Array.isArray(v)) return `[]${elemType(v)}`;
  if (v instanceof Uint8Array) return '[]uint8';
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof GoTime) return 'time.Time';
  if (v instanceof GoFunc) return 'func';
  return `map[string]${elemType(v as object)}`;
}

/**
 * text/template's truth (exec.go isTrue): false, 0, nil, empty string/slice/map and no
 * value are false; structs and everything else are true.
 */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Uint8Array) return v.length > 0;
  if (v instanceof GoStruct || v instanceof GoTime || v instanceof GoFunc) return true;
  return Object.keys(v as object).length > 0;
}

/** Map keys in Go's order (sorted by byte value, as Go sorts strings). */
export function sortedKeys(m: object): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

