/**
 * Go's assignability rules for function parameters, over the value model: which values a
 * parameter of each declared type accepts, what nil becomes, and how the types are named in
 * messages (exec.go validateType, funcs.go prepareArg).
 */
import { GoStruct, GoTime, elemType, goTypeName, isGoMap, type ParamType } from '../values.js';

/** Go's name of a parameter type, as error messages print it. */
export function paramTypeName(t: ParamType): string {
  switch (t) {
    case 'any':
      return 'interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'stringSlice':
      return '[]string';
    case 'time':
      return 'time.Time';
    case 'value':
      return 'reflect.Value';
    default:
      return t;
  }
}

/** Whether an untyped nil can be passed as `t` (exec.go canBeNil). */
export function canBeNil(t: ParamType): boolean {
  return t === 'any' || t === 'value' || t === 'map' || t === 'slice' || t === 'stringSlice';
}

/** What nil becomes as a `t`: no value for a reflect.Value, else null. */
export function nilFor(t: ParamType): null | undefined {
  return t === 'value' ? undefined : null;
}

/** Whether a (non-missing) value is assignable to a parameter of type `t`. */
export function assignable(v: unknown, t: ParamType): boolean {
  switch (t) {
    case 'any':
    case 'value':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int':
      return typeof v === 'bigint';
    case 'float64':
      return typeof v === 'number';
    case 'map':
      return isGoMap(v) && elemType(v) === 'interface {}';
    case 'slice':
      return Array.isArray(v) && elemType(v) === 'interface {}';
    case 'stringSlice':
      return Array.isArray(v) && elemType(v) === 'string';
    case 'time':
      return v instanceof GoTime;
  }
}

/**
 * Go's type of a value in the executor's messages. A nil interface prints as
 * "interface {}". A bigint prints as "int": the integers a template meets most (literals,
 * len, index of a string) are Go ints, while goTypeName (and so %T) says int64.
 */
export function valueTypeName(v: unknown): string {
  if (v === null) return 'interface {}';
  if (typeof v === 'bigint') return 'int';
  return goTypeName(v);
}

/** The type name after following a pointer (exec.go indirect), e.g. "chart.Metadata" for a *chart.Metadata. */
export function derefTypeName(v: unknown): string {
  if (v instanceof GoStruct && v.isPointer) return v.typeName.slice(1);
  return valueTypeName(v);
}

/** The zero value of a map's element type (missingkey=zero, index of a missing key). */
export function zeroOfElem(elem: string): unknown {
  switch (elem) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'float64':
    case 'float32':
      return 0;
    case 'int':
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return 0n;
    default:
      return null;
  }
}
