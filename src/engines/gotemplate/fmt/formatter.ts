/**
 * The formatting half of Go's fmt (go/src/fmt/format.go, type fmt): flags, width and
 * precision, padding, and the basic conversions of integers, strings, bytes, runes and
 * floats into the output. The printer (printer.ts) decides which of these a value gets.
 */
import { formatFloat } from '../../goruntime/index.js';
import { canBackquote, canBackquoteBytes, quoteBytes, quoteRune, quoteString } from '../../goruntime/index.js';
import { isPrint } from '../../goruntime/index.js';
import { MAX_RUNE, RUNE_ERROR, bytesToString, isValidRune, runeCount, truncateBytes, truncateRunes } from '../../goruntime/index.js';

const V_O = 0x4f; // %O: base 8 with a 0o prefix
const V_v = 0x76;

/** The flags of one verb (Go's fmtFlags plus wid and prec). */
export interface FormatFlags {
  widPresent: boolean;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

/** Go's fmt: the output buffer and the flags of the verb being formatted. */
export class Formatter {
  /** The output. */
  buf = '';

  // fmt flags (format.go fmtFlags)
  protected widPresent = false;
  protected precPresent = false;
  protected minus = false;
  protected plus = false;
  protected sharp = false;
  protected space = false;
  protected zero = false;
  // For %+v and %#v: set instead of plus/sharp, which are then cleared.
  protected plusV = false;
  protected sharpV = false;
  protected wid = 0;
  protected prec = 0;

  protected clearFlags(): void {
    this.widPresent = false;
    this.precPresent = false;
    this.minus = false;
    this.plus = false;
    this.sharp = false;
    this.space = false;
    this.zero = false;
    this.plusV = false;
    this.sharpV = false;
    this.wid = 0;
    this.prec = 0;
  }

  protected saveFlags(): FormatFlags {
    const { widPresent, precPresent, minus, plus, sharp, space, zero, plusV, sharpV, wid, prec } = this;
    return { widPresent, precPresent, minus, plus, sharp, space, zero, plusV, sharpV, wid, prec };
  }

  protected restoreFlags(f: FormatFlags): void {
    Object.assign(this, f);
  }

  // ---- padding (format.go) ----

  protected writePadding(n: number): void {
    if (n <= 0) return;
    // Zero padding is allowed only to the left.
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  /** Appends s padded to the width, on the left or (with '-') on the right. */
  protected padString(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  protected padStringNoZero(s: string): void {
    const oldZero = this.zero;
    this.zero = false;
    this.padString(s);
    this.zero = oldZero;
  }

  // ---- basic kinds (format.go) ----

  protected fmtBoolean(v: boolean): void {
    this.padString(v ? 'true' : 'false');
  }

  /** fmt.fmtUnicode: U+0078, or with '#' U+0078 'x'. u is a uint64. */
  protected fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let hex = u.toString(16).toUpperCase();
    if (hex.length < prec) hex = '0'.repeat(prec - hex.length) + hex;
    let s = 'U+' + hex;
    if (this.sharp && u <= BigInt(MAX_RUNE) && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'";
    this.padStringNoZero(s);
  }

  /**
   * fmt.fmtInteger. v is the value (negative only when signed); digits in base, upper for
   * %X.
   */
  protected fmtInteger(v: bigint, base: number, isSigned: boolean, verb: number, upper: boolean): void {
    const negative = isSigned && v < 0n;
    const u = negative ? -v : v;
    // Two ways to ask for extra leading zero digits: %.3d or %03d. If both are specified
    // the zero flag is ignored and padding with spaces is used instead.
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      // Precision of 0 and value of 0 means "print nothing" but padding.
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--; // leave room for sign
    }
    let s = u < 10n && base === 10 ? String(u) : u.toString(base);
    if (upper) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) {
        if (s.charCodeAt(0) !== 0x30) s = '0' + s;
      } else if (base === 16) s = (upper ? '0X' : '0x') + s;
    }
    if (verb === V_O) s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    // Left padding with zeros has already been handled like precision.
    this.padStringNoZero(s);
  }

  /** fmt0x64: hexadecimal with or without 0x, by temporarily setting the sharp flag. */
  protected fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, V_v, false);
    this.sharp = sharp;
  }

  protected fmtS(s: string): void {
    if (this.precPresent) s = truncateRunes(s, this.prec);
    this.padString(s);
  }

  protected fmtBs(b: Uint8Array): void {
    if (this.precPresent) b = truncateBytes(b, this.prec);
    this.padString(bytesToString(b));
  }

  /** fmt.fmtSbx: the bytes in hexadecimal, with ' ' and '#' flags. */
  protected fmtSbx(b: Uint8Array, upper: boolean): void {
    let length = b.length;
    // Set length to not process more bytes than the precision demands.
    if (this.precPresent && this.prec < length) length = this.prec;
    // Compute width of the encoding taking into account the sharp and space flags.
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        // Each element encoded by two hexadecimals will get a leading 0x or 0X.
        if (this.sharp) width *= 2;
        // Elements will be separated by a space.
        width += length - 1;
      } else if (this.sharp) {
        width += 2; // only a leading 0x or 0X for the whole string
      }
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    const prefix = upper ? '0X' : '0x';
    let s = this.sharp ? prefix : '';
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        s += ' ';
        if (this.sharp) s += prefix;
      }
      const c = b[i]!;
      s += (c < 16 ? '0' : '') + c.toString(16);
    }
    this.buf += upper ? s.toUpperCase() : s;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  /** fmt.fmtQ: a double-quoted Go string, or with '#' a backquoted one when possible. */
  protected fmtQ(s: string | Uint8Array): void {
    if (typeof s === 'string') {
      if (this.precPresent) s = truncateRunes(s, this.prec);
      if (this.sharp && canBackquote(s)) {
        this.padString('`' + s + '`');
        return;
      }
      this.padString(quoteString(s, this.plus));
      return;
    }
    if (this.precPresent) s = truncateBytes(s, this.prec);
    if (this.sharp && canBackquoteBytes(s)) {
      this.padString('`' + bytesToString(s) + '`');
      return;
    }
    this.padString(quoteBytes(s, this.plus));
  }

  /** fmt.fmtC: the integer as a character; not valid Unicode prints U+FFFD. u is a uint64. */
  protected fmtC(u: bigint): void {
    const r = u > BigInt(MAX_RUNE) || !isValidRune(Number(u)) ? RUNE_ERROR : Number(u);
    this.padString(String.fromCodePoint(r));
  }

  /** fmt.fmtQc: a single-quoted Go character constant. u is a uint64. */
  protected fmtQc(u: bigint): void {
    const r = u > BigInt(MAX_RUNE) ? RUNE_ERROR : Number(u);
    this.padString(quoteRune(r, this.plus));
  }

  /** fmt.fmtFloat: strconv's text, then sign, space, '#', and zero padding as fmt does. */
  protected fmtFloatText(v: number, verb: string, prec: number): void {
    // Explicit precision in format specifier overrules default precision.
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec);
    const c0 = num.charCodeAt(0);
    if (c0 !== 0x2d && c0 !== 0x2b) num = '+' + num;
    // The space flag means a leading space instead of a "+" unless plus is asked for too.
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    // Infinities and NaN don't look like numbers, so are not padded with zeros.
    if (num[1] === 'I' || num[1] === 'N') {
      // Remove sign before NaN if not asked for.
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.padStringNoZero(num);
      return;
    }
    // The sharp flag forces printing a decimal point for non-binary formats and retains
    // trailing zeros, which we may need to restore.
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        // If no precision is set explicitly use a precision of 6.
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const ch = num[i]!;
        if (ch === '.') {
          hasDecimalPoint = true;
          continue;
        }
        if (ch === 'p' || ch === 'P' || ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        }
        if (ch !== '0') sawNonzeroDigit = true;
        // Count significant digits after the first non-zero digit.
        if (sawNonzeroDigit) digits--;
      }
      if (!hasDecimalPoint) {
        // Leading digit 0 should contribute once to digits.
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      if (digits > 0) num += '0'.repeat(digits);
      num += tail;
    }
    // We want a sign if asked for and if the sign is not positive.
    if (this.plus || num[0] !== '+') {
      // Zero padding to the left goes after the sign.
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0]!;
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.padString(num);
      return;
    }
    // No sign to show and the number is positive; just print the unsigned number.
    this.padString(num.slice(1));
  }
}
