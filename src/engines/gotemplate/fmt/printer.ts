/**
 * Go's fmt printer over Slipway's Go value model: pp of go/src/fmt/print.go (doPrintf,
 * doPrint, doPrintln, printArg, printValue, handleMethods, badVerb), on top of the Formatter
 * (format.go), which does the flags, padding and basic conversions.
 *
 * Where the model holds less than Go's reflect does, the choices are:
 * - a bigint is a signed int64 (values.ts goTypeName), unless the slice or map holding it is
 *   typed with an unsigned element type ('uint8', 'uint', ...);
 * - null is a nil interface{}; inside a slice, map or struct it prints as Go prints a nil
 *   interface element ("<nil>", or "interface {}(nil)" for %#v);
 * - undefined (no value) is printed as nil;
 * - pointers (a GoStruct whose typeName starts with '*' below the top level, a GoFunc, and
 *   maps and slices for %p) print one stable fake address, {@link FAKE_ADDRESS}, where Go
 *   prints a real one.
 */
import { GoFunc, GoStruct, GoTime, elemType, goTypeName, isGoMap, sortedKeys } from '../values.js';
import { formatFloatG } from '../../goruntime/index.js';
import { Formatter } from './formatter.js';
import { timeFields, timeGoString, timeString } from './go-time.js';
import { utf8Bytes } from '../../goruntime/index.js';

/**
 * The address fmt prints for pointers, functions and (with %p) maps and slices. Go prints
 * the real address, which changes from run to run; we print this one, shaped like a Go heap
 * address, so output stays stable.
 */
export const FAKE_ADDRESS = 0xc000010000n;

// Verbs as code points.
const V_PERCENT = 0x25;
const V_b = 0x62;
const V_c = 0x63;
const V_d = 0x64;
const V_e = 0x65;
const V_E = 0x45;
const V_f = 0x66;
const V_F = 0x46;
const V_g = 0x67;
const V_G = 0x47;
const V_o = 0x6f;
const V_O = 0x4f;
const V_p = 0x70;
const V_q = 0x71;
const V_s = 0x73;
const V_t = 0x74;
const V_T = 0x54;
const V_U = 0x55;
const V_v = 0x76;
const V_w = 0x77;
const V_x = 0x78;
const V_X = 0x58;

const INTERFACE = 'interface {}';

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

// parsenum: the number at s[start:end] (0, false if none); an overflow consumes the rest.
function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && isDigit(s.charCodeAt(i)); i++) {
    if (tooLarge(num)) return [0, false, end]; // overflow; crazy long number most likely
    num = num * 10 + (s.charCodeAt(i) - 0x30);
    isnum = true;
  }
  return [num, isnum, i];
}

// parseArgNumber: the bracketed number at format[start] == '[', minus one; bytes to consume.
function parseArgNumber(format: string, start: number): [number, number, boolean] {
  if (format.length - start < 3) return [0, 1, false];
  for (let i = start + 1; i < format.length; i++) {
    if (format.charCodeAt(i) === 0x5d) {
      const [width, ok, newi] = parsenum(format, start + 1, i);
      if (!ok || newi !== i) return [0, i - start + 1, false];
      return [width - 1, i - start + 1, true];
    }
  }
  return [0, 1, false];
}

function isUnsignedType(t: string | undefined): boolean {
  return t !== undefined && (t.startsWith('uint') || t === 'byte');
}

/**
 * The Go type of a value in a slot of static type `slot` (a typed slice's or map's element
 * type): the slot's type when it is concrete and fits the value, else the value's own type.
 */
function typeIn(v: unknown, slot: string | undefined): string {
  if (slot === undefined || slot === INTERFACE) return goTypeName(v);
  if (v === null || v === undefined || typeof v === 'symbol') return slot; // a typed nil; a *time.Location
  switch (typeof v) {
    case 'string':
      return slot === 'string' ? slot : goTypeName(v);
    case 'bigint':
      // reflect names byte and rune by what they alias.
      if (slot === 'byte') return 'uint8';
      if (slot === 'rune') return 'int32';
      return /^u?int(8|16|32|64|ptr)?$/.test(slot) ? slot : goTypeName(v);
    case 'number':
      return slot === 'float64' || slot === 'float32' ? slot : goTypeName(v);
    case 'boolean':
      return slot === 'bool' ? slot : goTypeName(v);
  }
  return goTypeName(v);
}

const SURROGATE = /[\ud800-\udfff]/;

// values.ts sortedKeys, faster: without astral characters, UTF-16 order is UTF-8 byte order.
function sortKeys(m: object): string[] {
  const keys = Object.keys(m);
  if (keys.length < 2) return keys;
  for (const k of keys) if (SURROGATE.test(k)) return sortedKeys(m);
  return keys.sort();
}

function isByteSlot(t: string): boolean {
  return t === 'uint8' || t === 'byte';
}

function errorText(e: unknown): unknown {
  return e instanceof Error ? e.message : e;
}

/** A Go printer: one per Sprint/Sprintf call (Go's pp; the Formatter is its fmt). */
export class Printer extends Formatter {
  private reordered = false;
  private goodArgNum = true;
  private panicking = false;
  private erroring = false;

  // What badVerb reports, Go's p.arg / p.value: the value and the static type of its slot
  // (undefined: interface{}). A null value in an interface{} slot is a nil without a type.
  private curValue: unknown = null;
  private curSlot: string | undefined = undefined;

  // ---- kinds with verbs (print.go) ----

  private badVerb(verb: number): void {
    this.erroring = true;
    const value = this.curValue;
    const slot = this.curSlot;
    this.buf += '%!' + String.fromCodePoint(verb) + '(';
    if ((value === null || value === undefined) && (slot === undefined || slot === INTERFACE)) {
      this.buf += '<nil>'; // a nil interface has no type
    } else {
      const type = typeIn(value, slot);
      this.buf += type + '=';
      this.printValue(value, V_v, 0, type);
    }
    this.buf += ')';
    this.erroring = false;
  }

  private fmtBool(v: boolean, verb: number): void {
    if (verb === V_t || verb === V_v) this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  /** pp.fmtInteger. v is signed unless isSigned is false (then it is taken as uint64). */
  private fmtInt(v: bigint, isSigned: boolean, verb: number): void {
    if (!isSigned && v < 0n) v = BigInt.asUintN(64, v);
    switch (verb) {
      case V_v:
        if (this.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtInteger(v, 10, isSigned, verb, false);
        return;
      case V_d:
        this.fmtInteger(v, 10, isSigned, verb, false);
        return;
      case V_b:
        this.fmtInteger(v, 2, isSigned, verb, false);
        return;
      case V_o:
      case V_O:
        this.fmtInteger(v, 8, isSigned, verb, false);
        return;
      case V_x:
        this.fmtInteger(v, 16, isSigned, verb, false);
        return;
      case V_X:
        this.fmtInteger(v, 16, isSigned, verb, true);
        return;
      case V_c:
        this.fmtC(BigInt.asUintN(64, v));
        return;
      case V_q:
        this.fmtQc(BigInt.asUintN(64, v));
        return;
      case V_U:
        this.fmtUnicode(BigInt.asUintN(64, v));
        return;
      default:
        this.badVerb(verb);
    }
  }

  private fmtFloat(v: number, verb: number): void {
    switch (verb) {
      case V_v:
        // Fast path: %v without flags is strconv's shortest 'g' as is.
        if (!this.widPresent && !this.precPresent && !this.plus && !this.space && !this.sharp) {
          this.buf += formatFloatG(v);
          return;
        }
        this.fmtFloatText(v, 'g', -1);
        return;
      case V_b:
      case V_g:
      case V_G:
      case V_x:
      case V_X:
        this.fmtFloatText(v, String.fromCharCode(verb), -1);
        return;
      case V_f:
      case V_e:
      case V_E:
        this.fmtFloatText(v, String.fromCharCode(verb), 6);
        return;
      case V_F:
        this.fmtFloatText(v, 'f', 6);
        return;
      default:
        this.badVerb(verb);
    }
  }

  private fmtString(v: string, verb: number): void {
    switch (verb) {
      case V_v:
        if (this.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case V_s:
        this.fmtS(v);
        return;
      case V_x:
        this.fmtSbx(utf8Bytes(v), false);
        return;
      case V_X:
        this.fmtSbx(utf8Bytes(v), true);
        return;
      case V_q:
        this.fmtQ(v);
        return;
      default:
        this.badVerb(verb);
    }
  }

  /** pp.fmtBytes; typeString is "[]byte" at the top level, "[]uint8" inside composites. */
  private fmtBytes(v: Uint8Array, verb: number, typeString: string, depth: number): void {
    switch (verb) {
      case V_v:
      case V_d:
        if (this.sharpV) {
          this.buf += typeString + '{';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) this.buf += ', ';
            this.fmt0x64(BigInt(v[i]!), true);
          }
          this.buf += '}';
        } else {
          this.buf += '[';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) this.buf += ' ';
            this.fmtInteger(BigInt(v[i]!), 10, false, verb, false);
          }
          this.buf += ']';
        }
        return;
      case V_s:
        this.fmtBs(v);
        return;
      case V_x:
        this.fmtSbx(v, false);
        return;
      case V_X:
        this.fmtSbx(v, true);
        return;
      case V_q:
        this.fmtQ(v);
        return;
      default:
        this.printElements(Array.from(v, (b) => BigInt(b)), verb, depth, 'uint8', '[]uint8');
    }
  }

  /** pp.fmtPointer: a pointer, func, or (for %p) map or slice; nil when isNil. */
  private fmtPointer(verb: number, typeName: string, isNil: boolean): void {
    const u = isNil ? 0n : FAKE_ADDRESS;
    switch (verb) {
      case V_v:
        if (this.sharpV) {
          this.buf += '(' + typeName + ')(';
          if (u === 0n) this.buf += 'nil';
          else this.fmt0x64(u, true);
          this.buf += ')';
        } else if (u === 0n) {
          this.padString('<nil>');
        } else {
          this.fmt0x64(u, !this.sharp);
        }
        return;
      case V_p:
        this.fmt0x64(u, !this.sharp);
        return;
      case V_b:
      case V_o:
      case V_d:
      case V_x:
      case V_X:
        this.fmtInt(u, false, verb);
        return;
      default:
        this.badVerb(verb);
    }
  }

  private catchPanic(verb: number, method: string, err: unknown): void {
    if (this.panicking) throw err; // nested panics; the recursion in printArg cannot succeed
    const saved = this.saveFlags();
    // For this output we want default behavior.
    this.clearFlags();
    this.buf += '%!' + String.fromCodePoint(verb) + '(PANIC=' + method + ' method: ';
    this.panicking = true;
    this.printArg(errorText(err), V_v);
    this.panicking = false;
    this.buf += ')';
    this.restoreFlags(saved);
  }

  /** pp.handleMethods: Stringer (GoStruct.stringer, time.Time) and GoStringer (time.Time). */
  private handleMethods(v: GoStruct | GoTime, verb: number): boolean {
    if (this.erroring) return false;
    if (verb === V_w) {
      // %w is only for Errorf with an error operand; Sprintf reports it as a bad verb.
      this.curValue = v;
      this.curSlot = undefined;
      this.badVerb(verb);
      return true;
    }
    if (this.sharpV) {
      if (v instanceof GoTime) {
        // Print the result of GoString unadorned.
        this.fmtS(timeGoString(v));
        return true;
      }
      return false;
    }
    // A Stringer is used for the verbs that accept a string.
    if (verb !== V_v && verb !== V_s && verb !== V_x && verb !== V_X && verb !== V_q) return false;
    let s: string;
    if (v instanceof GoTime) {
      s = timeString(v);
    } else {
      if (v.stringer === undefined) return false;
      try {
        s = v.stringer();
      } catch (e) {
        this.catchPanic(verb, 'String', e);
        return true;
      }
    }
    this.fmtString(s, verb);
    return true;
  }

  /** pp.printArg: one operand of Sprint/Sprintf at the top level. */
  printArg(arg: unknown, verb: number): void {
    this.curValue = arg;
    this.curSlot = undefined;
    if (arg === null || arg === undefined) {
      if (verb === V_T || verb === V_v) this.padString('<nil>');
      else this.badVerb(verb);
      return;
    }
    // %T (the value's type) and %p (its address) are special; we always do them first.
    if (verb === V_T) {
      this.fmtS(goTypeName(arg));
      return;
    }
    switch (typeof arg) {
      case 'string':
        if (verb === V_p) this.badVerb(verb);
        else this.fmtString(arg, verb);
        return;
      case 'number':
        if (verb === V_p) this.badVerb(verb);
        else this.fmtFloat(arg, verb);
        return;
      case 'bigint':
        if (verb === V_p) this.badVerb(verb);
        else this.fmtInt(arg, true, verb);
        return;
      case 'boolean':
        if (verb === V_p) this.badVerb(verb);
        else this.fmtBool(arg, verb);
        return;
    }
    if (verb === V_p) {
      this.printPointer(arg, verb);
      return;
    }
    if (arg instanceof Uint8Array) {
      this.fmtBytes(arg, verb, '[]byte', 0);
      return;
    }
    if (arg instanceof GoStruct || arg instanceof GoTime) {
      if (this.handleMethods(arg, verb)) return;
    } else if (verb === V_w) {
      this.badVerb(verb); // handleMethods: %w outside Errorf
      return;
    }
    this.printValue(arg, verb, 0, undefined);
  }

  // %p: pointers, funcs, maps and slices have an address; other kinds are a bad verb.
  private printPointer(arg: unknown, verb: number): void {
    if (arg instanceof GoFunc || (arg instanceof GoStruct && arg.isPointer) || Array.isArray(arg) || arg instanceof Uint8Array || isGoMap(arg)) {
      this.fmtPointer(verb, goTypeName(arg), false);
    } else {
      this.badVerb(verb);
    }
  }

  /**
   * pp.printValue: a value at some depth inside the top-level operand; slot is the static
   * Go type of where it sits (a typed slice's element type), undefined for interface{}.
   */
  private printValue(v: unknown, verb: number, depth: number, slot: string | undefined): void {
    if (v === null || v === undefined) {
      this.printNil(verb, slot);
      return;
    }
    this.curValue = v;
    this.curSlot = slot;
    switch (typeof v) {
      case 'string':
        this.fmtString(v, verb);
        return;
      case 'number':
        this.fmtFloat(v, verb);
        return;
      case 'bigint':
        this.fmtInt(v, !isUnsignedType(slot), verb);
        return;
      case 'boolean':
        this.fmtBool(v, verb);
        return;
    }
    // Handle values with special methods if not already handled by printArg (depth == 0).
    if (depth > 0 && (v instanceof GoStruct || v instanceof GoTime) && this.handleMethods(v, verb)) return;
    if (Array.isArray(v)) {
      const et = elemType(v);
      if (isByteSlot(et) && (verb === V_s || verb === V_q || verb === V_x || verb === V_X)) {
        this.fmtBytes(Uint8Array.from(v, (b) => Number(b)), verb, '[]' + et, depth);
        return;
      }
      this.printElements(v, verb, depth, et, '[]' + et);
      return;
    }
    if (v instanceof Uint8Array) {
      if (verb === V_s || verb === V_q || verb === V_x || verb === V_X) this.fmtBytes(v, verb, '[]uint8', depth);
      else this.printElements(Array.from(v, (b) => BigInt(b)), verb, depth, 'uint8', '[]uint8');
      return;
    }
    if (v instanceof GoStruct) {
      if (!v.isPointer) {
        this.printStruct(v.typeName, Object.keys(v.fields), Object.values(v.fields), verb, depth);
      } else if (depth === 0) {
        // A pointer to a struct is followed at the top level only (avoids loops).
        this.buf += '&';
        this.printStruct(v.typeName.slice(1), Object.keys(v.fields), Object.values(v.fields), verb, depth + 1);
      } else {
        this.fmtPointer(verb, v.typeName, false);
      }
      return;
    }
    if (v instanceof GoTime) {
      // time.Time{wall uint64; ext int64; loc *Location} for verbs its methods don't take.
      const f = timeFields(v);
      this.printStruct('time.Time', ['wall', 'ext', 'loc'], [f.wall, f.ext, f.locIsNil ? null : TIME_LOC], verb, depth, TIME_SLOTS);
      return;
    }
    if (v instanceof GoFunc || typeof v === 'function') {
      this.fmtPointer(verb, goTypeName(v), false);
      return;
    }
    if (v === TIME_LOC) {
      this.curSlot = '*time.Location';
      this.fmtPointer(verb, this.curSlot, false);
      return;
    }
    if (isGoMap(v)) {
      this.printMap(v, verb, depth);
      return;
    }
    // Go's unknownType.
    this.buf += '?' + typeof v + '?';
  }

  /** A nil in a slot: a nil interface unless the slot's type says pointer, slice or map. */
  private printNil(verb: number, slot: string | undefined): void {
    const t = slot ?? INTERFACE;
    if (t.startsWith('*') || t.startsWith('func')) {
      this.curValue = null;
      this.curSlot = t;
      this.fmtPointer(verb, t, true);
    } else if (t.startsWith('[]') || t.startsWith('map[')) {
      this.buf += this.sharpV ? t + '(nil)' : t.startsWith('[]') ? '[]' : 'map[]';
    } else {
      this.buf += this.sharpV ? t + '(nil)' : '<nil>';
    }
  }

  private printElements(items: readonly unknown[], verb: number, depth: number, et: string, typeName: string): void {
    const slot = et === INTERFACE ? undefined : et;
    if (this.sharpV) {
      this.buf += typeName + '{';
      for (let i = 0; i < items.length; i++) {
        if (i > 0) this.buf += ', ';
        this.printValue(items[i], verb, depth + 1, slot);
      }
      this.buf += '}';
    } else {
      this.buf += '[';
      for (let i = 0; i < items.length; i++) {
        if (i > 0) this.buf += ' ';
        this.printValue(items[i], verb, depth + 1, slot);
      }
      this.buf += ']';
    }
  }

  private printMap(m: Record<string, unknown>, verb: number, depth: number): void {
    const et = elemType(m);
    const slot = et === INTERFACE ? undefined : et;
    if (this.sharpV) this.buf += 'map[string]' + et + '{';
    else this.buf += 'map[';
    // fmt prints map keys sorted (internal/fmtsort): strings by bytes.
    const keys = sortKeys(m);
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
      const k = keys[i]!;
      this.printValue(k, verb, depth + 1, 'string');
      this.buf += ':';
      this.printValue(m[k], verb, depth + 1, slot);
    }
    this.buf += this.sharpV ? '}' : ']';
  }

  private printStruct(
    typeName: string,
    names: readonly string[],
    values: readonly unknown[],
    verb: number,
    depth: number,
    slots?: readonly string[],
  ): void {
    if (this.sharpV) this.buf += typeName;
    this.buf += '{';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
      if (this.plusV || this.sharpV) this.buf += names[i]! + ':';
      this.printValue(values[i], verb, depth + 1, slots?.[i]);
    }
    this.buf += '}';
  }

  // ---- the entry points (print.go doPrintf, doPrint, doPrintln) ----

  private argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format.charCodeAt(i) !== 0x5b) return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format, i);
    if (ok && 0 <= index && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  // intFromArg: the argNum'th operand as a width or precision.
  private intFromArg(a: readonly unknown[], argNum: number): [number, boolean, number] {
    let num = 0;
    let isInt = false;
    let newArgNum = argNum;
    if (argNum < a.length) {
      const x = a[argNum];
      if (typeof x === 'bigint') {
        num = Number(x);
        isInt = true;
      }
      newArgNum = argNum + 1;
      if (tooLarge(num)) {
        num = 0;
        isInt = false;
      }
    }
    return [num, isInt, newArgNum];
  }

  /** fmt.Sprintf's work: format a with format into buf. */
  doPrintf(format: string, a: readonly unknown[]): void {
    const end = format.length;
    let argNum = 0; // we process one argument per non-trivial format
    this.reordered = false;
    let i = 0;
    formatLoop: while (i < end) {
      this.goodArgNum = true;
      const next = format.indexOf('%', i);
      if (next < 0) {
        this.buf += i === 0 ? format : format.slice(i);
        break;
      }
      if (next > i) this.buf += format.slice(i, next);
      i = next + 1;

      // Do we have flags?
      this.clearFlags();
      simpleFormat: for (; i < end; i++) {
        const c = format.charCodeAt(i);
        switch (c) {
          case 0x23: // '#'
            this.sharp = true;
            break;
          case 0x30: // '0'
            this.zero = true;
            break;
          case 0x2b: // '+'
            this.plus = true;
            break;
          case 0x2d: // '-'
            this.minus = true;
            break;
          case 0x20: // ' '
            this.space = true;
            break;
          default:
            // Fast path for common case of ascii lower case simple verbs without precision
            // or width or argument indices.
            if (c >= 0x61 && c <= 0x7a && argNum < a.length) {
              if (c === V_v || c === V_w) {
                this.sharpV = this.sharp; // Go syntax
                this.sharp = false;
                this.plusV = this.plus; // struct-field syntax
                this.plus = false;
              }
              this.printArg(a[argNum], c);
              argNum++;
              i++;
              continue formatLoop;
            }
            // Format is more complex than simple flags and a verb or is malformed.
            break simpleFormat;
        }
      }

      // Do we have an explicit argument index? afterIndex: the previous item was one, like [3].
      let afterIndex: boolean;
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);

      // Do we have width?
      if (i < end && format.charCodeAt(i) === 0x2a) {
        i++;
        [this.wid, this.widPresent, argNum] = this.intFromArg(a, argNum);
        if (!this.widPresent) this.buf += '%!(BADWIDTH)';
        // We have a negative width, so take its value and ensure that the minus flag is set.
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false; // do not pad with zeros to the right
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && this.widPresent) this.goodArgNum = false; // "%[3]2d"
      }

      // Do we have precision?
      if (i + 1 < end && format.charCodeAt(i) === 0x2e) {
        i++;
        if (afterIndex) this.goodArgNum = false; // "%[3].2d"
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format.charCodeAt(i) === 0x2a) {
          i++;
          [this.prec, this.precPresent, argNum] = this.intFromArg(a, argNum);
          // Negative precision arguments don't make sense.
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parsenum(format, i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }

      if (!afterIndex) [argNum, i] = this.argNumber(argNum, format, i, a.length);

      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }

      const verb = format.codePointAt(i)!;
      i += verb > 0xffff ? 2 : 1;

      if (verb === V_PERCENT) {
        // Percent does not absorb operands and ignores width and precision.
        this.buf += '%';
      } else if (!this.goodArgNum) {
        this.buf += '%!' + String.fromCodePoint(verb) + '(BADINDEX)';
      } else if (argNum >= a.length) {
        // No argument left over to print for the current verb.
        this.buf += '%!' + String.fromCodePoint(verb) + '(MISSING)';
      } else {
        if (verb === V_v || verb === V_w) {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        this.printArg(a[argNum], verb);
        argNum++;
      }
    }

    // Check for extra arguments unless the call accessed the arguments out of order, in
    // which case it's too expensive to detect if they've all been used and arguably OK if
    // they're not.
    if (!this.reordered && argNum < a.length) {
      this.clearFlags();
      this.buf += '%!(EXTRA ';
      for (let k = argNum; k < a.length; k++) {
        if (k > argNum) this.buf += ', ';
        const arg = a[k];
        if (arg === null || arg === undefined) {
          this.buf += '<nil>';
        } else {
          this.buf += goTypeName(arg) + '=';
          this.printArg(arg, V_v);
        }
      }
      this.buf += ')';
    }
  }

  /** fmt.Sprint's work: the operands with %v, a space between two non-strings. */
  doPrint(a: readonly unknown[]): void {
    let prevString = false;
    for (let k = 0; k < a.length; k++) {
      const arg = a[k];
      const isString = typeof arg === 'string';
      // Add a space between two non-string arguments.
      if (k > 0 && !isString && !prevString) this.buf += ' ';
      this.printArg(arg, V_v);
      prevString = isString;
    }
  }

  /** fmt.Sprintln's work: the operands with %v, spaces between, a newline after. */
  doPrintln(a: readonly unknown[]): void {
    for (let k = 0; k < a.length; k++) {
      if (k > 0) this.buf += ' ';
      this.printArg(a[k], V_v);
    }
    this.buf += '\n';
  }

  /** Prints a pointer-to-struct as the struct it points to (text/template's printableValue). */
  printPointee(v: GoStruct): void {
    this.curValue = v;
    this.curSlot = undefined;
    this.printStruct(v.typeName.slice(1), Object.keys(v.fields), Object.values(v.fields), V_v, 0);
  }
}

// The loc field of a non-UTC time.Time: a non-nil *time.Location.
const TIME_LOC = Symbol('time.Location');
const TIME_SLOTS = ['uint64', 'int64', '*time.Location'];
