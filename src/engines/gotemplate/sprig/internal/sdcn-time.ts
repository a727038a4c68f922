/**
 * Go's time.Time arithmetic and layouts on GoTime: time.Date (with Go's normalization of
 * out-of-range fields and its zone-offset search), the calendar fields, Format and Parse.
 * Format and Parse follow time/format.go and format_rfc3339.go step by step, so layouts
 * ("Mon Jan _2 15:04:05 MST 2006", ".000", "Z07:00", "__2" …) and parse errors come out as Go's.
 */
import { GoTime } from '../../values.js';
import { LONG_MONTH_NAMES, NANOS_PER_SECOND, ZERO_TO_UNIX_SECONDS, appendInt, civil, numericZone, splitUnixNanos, timeQuote } from '../../fmt/go-time.js';
import { UTC_LOCATION, fixedZone } from './sdcn-zones.js';
import type { GoLocation } from './sdcn-zones.js';

/** UnixNano of time.Time{} (the zero time). */
export const ZERO_TIME_NANOS = -ZERO_TO_UNIX_SECONDS * NANOS_PER_SECOND;

export const LONG_DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_DAY_NAMES = LONG_DAY_NAMES.map((d) => d.slice(0, 3));
const SHORT_MONTH_NAMES = LONG_MONTH_NAMES.map((m) => m.slice(0, 3));

/** The time.Time{} value: January 1, year 1, 00:00:00 UTC. */
export function zeroTime(): GoTime {
  return new GoTime(ZERO_TIME_NANOS, 0, 'UTC', 'UTC');
}

// --- calendar ---------------------------------------------------------------------------------

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12; day may overflow). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (month > 2 ? month - 3 : month + 9) + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function daysBefore(month: number): number {
  return DAYS_BEFORE[month - 1] ?? 0;
}

function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return daysBefore(month + 1) - daysBefore(month);
}

/** Whole seconds (floor) and the nanoseconds within that second. */
export function splitNanos(unixNanos: bigint): [number, number] {
  const { sec, nanos } = splitUnixNanos(unixNanos);
  return [Number(sec), nanos];
}

/** The calendar fields of a time, in its own zone. */
export interface TimeFields {
  year: number;
  month: number;
  day: number;
  /** Day of the year, 1–366. */
  yday: number;
  /** 0 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
}

export function timeFields(t: GoTime): TimeFields {
  const { year, month, day, days, hour, minute, second, nanos } = civil(t);
  return {
    year,
    month,
    day,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    weekday: (((days + 4) % 7) + 7) % 7,
    hour,
    minute,
    second,
    nanosecond: nanos,
  };
}

/** A time at an instant, shown in a location. */
export function timeIn(unixNanos: bigint, loc: GoLocation): GoTime {
  const zone = loc.lookup(splitNanos(unixNanos)[0]);
  return new GoTime(unixNanos, zone.offset, zone.name, loc.id);
}

function norm(hi: number, lo: number, base: number): [number, number] {
  if (lo < 0) {
    const n = Math.floor((-lo - 1) / base) + 1;
    hi -= n;
    lo += n * base;
  }
  if (lo >= base) {
    const n = Math.floor(lo / base);
    hi += n;
    lo -= n * base;
  }
  return [hi, lo];
}

/**
 * time.Date: out-of-range fields carry over (October 32 is November 1), and a wall time that a
 * zone transition skips or repeats resolves the way Go's does.
 */
export function goDate(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: GoLocation): GoTime {
  let m = month - 1;
  [year, m] = norm(year, m, 12);
  [sec, nsec] = norm(sec, nsec, 1e9);
  [min, sec] = norm(min, sec, 60);
  [hour, min] = norm(hour, min, 60);
  [day, hour] = norm(day, hour, 24);
  let unix = (daysFromCivil(year, m + 1, 1) + day - 1) * 86400 + hour * 3600 + min * 60 + sec;
  // Look up the offset at the wall time read as UTC, then again at the corrected instant if
  // that falls in another zone period (zoneinfo.go Date).
  let offset = loc.lookup(unix).offset;
  if (offset !== 0) {
    const again = loc.lookup(unix - offset).offset;
    if (again !== offset) offset = again;
    unix -= offset;
  }
  return timeIn(BigInt(unix) * NANOS_PER_SECOND + BigInt(nsec), loc);
}

// --- layout elements (format.go) --------------------------------------------------------------

const NEED_DATE = 1 << 8;
const NEED_YDAY = 1 << 9;
const NEED_CLOCK = 1 << 10;
const ARG_SHIFT = 16;
const SEPARATOR_SHIFT = 28;
const STD_MASK = (1 << ARG_SHIFT) - 1;

const stdLongMonth = 1 + NEED_DATE;
const stdMonth = 2 + NEED_DATE;
const stdNumMonth = 3 + NEED_DATE;
const stdZeroMonth = 4 + NEED_DATE;
const stdLongWeekDay = 5 + NEED_DATE;
const stdWeekDay = 6 + NEED_DATE;
const stdDay = 7 + NEED_DATE;
const stdUnderDay = 8 + NEED_DATE;
const stdZeroDay = 9 + NEED_DATE;
const stdUnderYearDay = 10 + NEED_YDAY;
const stdZeroYearDay = 11 + NEED_YDAY;
const stdHour = 12 + NEED_CLOCK;
const stdHour12 = 13 + NEED_CLOCK;
const stdZeroHour12 = 14 + NEED_CLOCK;
const stdMinute = 15 + NEED_CLOCK;
const stdZeroMinute = 16 + NEED_CLOCK;
const stdSecond = 17 + NEED_CLOCK;
const stdZeroSecond = 18 + NEED_CLOCK;
const stdLongYear = 19 + NEED_DATE;
const stdYear = 20 + NEED_DATE;
const stdPM = 21 + NEED_CLOCK;
const stdpm = 22 + NEED_CLOCK;
const stdTZ = 23;
const stdISO8601TZ = 24;
const stdISO8601SecondsTZ = 25;
const stdISO8601ShortTZ = 26;
const stdISO8601ColonTZ = 27;
const stdISO8601ColonSecondsTZ = 28;
const stdNumTZ = 29;
const stdNumSecondsTz = 30;
const stdNumShortTZ = 31;
const stdNumColonTZ = 32;
const stdNumColonSecondsTZ = 33;
const stdFracSecond0 = 34;
const stdFracSecond9 = 35;

const STD0X = [stdZeroMonth, stdZeroDay, stdZeroHour12, stdZeroMinute, stdZeroSecond, stdYear];

const ISO_ZONES = new Set([stdISO8601TZ, stdISO8601ColonTZ, stdISO8601SecondsTZ, stdISO8601ShortTZ, stdISO8601ColonSecondsTZ]);
const NUM_ZONES = new Set([stdNumTZ, stdNumColonTZ, stdNumSecondsTz, stdNumShortTZ, stdNumColonSecondsTZ]);

function startsWithLowerCase(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 0x61 && c <= 0x7a;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}

function stdFracSecond(code: number, n: number, c: string): number {
  const std = code | ((n & 0xfff) << ARG_SHIFT);
  return c === '.' ? std : std | (1 << SEPARATOR_SHIFT);
}

function digitsLen(std: number): number {
  return (std >> ARG_SHIFT) & 0xfff;
}

function separator(std: number): string {
  return std >> SEPARATOR_SHIFT === 0 ? '.' : ',';
}

/** nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextStdChunk(layout: string): [string, number, string] {
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    const at = (s: string) => layout.startsWith(s, i);
    switch (c) {
      case 'J':
        if (at('Jan')) {
          if (at('January')) return [layout.slice(0, i), stdLongMonth, layout.slice(i + 7)];
          if (!startsWithLowerCase(layout.slice(i + 3))) return [layout.slice(0, i), stdMonth, layout.slice(i + 3)];
        }
        break;
      case 'M':
        if (at('Mon')) {
          if (at('Monday')) return [layout.slice(0, i), stdLongWeekDay, layout.slice(i + 6)];
          if (!startsWithLowerCase(layout.slice(i + 3))) return [layout.slice(0, i), stdWeekDay, layout.slice(i + 3)];
        }
        if (at('MST')) return [layout.slice(0, i), stdTZ, layout.slice(i + 3)];
        break;
      case '0': {
        const n = layout[i + 1];
        if (n !== undefined && n >= '1' && n <= '6') return [layout.slice(0, i), STD0X[n.charCodeAt(0) - 0x31]!, layout.slice(i + 2)];
        if (at('002')) return [layout.slice(0, i), stdZeroYearDay, layout.slice(i + 3)];
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return [layout.slice(0, i), stdHour, layout.slice(i + 2)];
        return [layout.slice(0, i), stdNumMonth, layout.slice(i + 1)];
      case '2':
        if (at('2006')) return [layout.slice(0, i), stdLongYear, layout.slice(i + 4)];
        return [layout.slice(0, i), stdDay, layout.slice(i + 1)];
      case '_':
        if (layout[i + 1] === '2') {
          // _2006 is really a literal _, followed by stdLongYear
          if (layout.startsWith('2006', i + 1)) return [layout.slice(0, i + 1), stdLongYear, layout.slice(i + 5)];
          return [layout.slice(0, i), stdUnderDay, layout.slice(i + 2)];
        }
        if (at('__2')) return [layout.slice(0, i), stdUnderYearDay, layout.slice(i + 3)];
        break;
      case '3':
        return [layout.slice(0, i), stdHour12, layout.slice(i + 1)];
      case '4':
        return [layout.slice(0, i), stdMinute, layout.slice(i + 1)];
      case '5':
        return [layout.slice(0, i), stdSecond, layout.slice(i + 1)];
      case 'P':
        if (layout[i + 1] === 'M') return [layout.slice(0, i), stdPM, layout.slice(i + 2)];
        break;
      case 'p':
        if (layout[i + 1] === 'm') return [layout.slice(0, i), stdpm, layout.slice(i + 2)];
        break;
      case '-':
        if (at('-070000')) return [layout.slice(0, i), stdNumSecondsTz, layout.slice(i + 7)];
        if (at('-07:00:00')) return [layout.slice(0, i), stdNumColonSecondsTZ, layout.slice(i + 9)];
        if (at('-0700')) return [layout.slice(0, i), stdNumTZ, layout.slice(i + 5)];
        if (at('-07:00')) return [layout.slice(0, i), stdNumColonTZ, layout.slice(i + 6)];
        if (at('-07')) return [layout.slice(0, i), stdNumShortTZ, layout.slice(i + 3)];
        break;
      case 'Z':
        if (at('Z070000')) return [layout.slice(0, i), stdISO8601SecondsTZ, layout.slice(i + 7)];
        if (at('Z07:00:00')) return [layout.slice(0, i), stdISO8601ColonSecondsTZ, layout.slice(i + 9)];
        if (at('Z0700')) return [layout.slice(0, i), stdISO8601TZ, layout.slice(i + 5)];
        if (at('Z07:00')) return [layout.slice(0, i), stdISO8601ColonTZ, layout.slice(i + 6)];
        if (at('Z07')) return [layout.slice(0, i), stdISO8601ShortTZ, layout.slice(i + 3)];
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          // The digits must end here: only a fractional second is all digits.
          if (!isDigitAt(layout, j)) {
            const code = ch === '9' ? stdFracSecond9 : stdFracSecond0;
            return [layout.slice(0, i), stdFracSecond(code, j - (i + 1), c), layout.slice(j)];
          }
        }
        break;
      }
    }
  }
  return [layout, 0, ''];
}

function appendNano(nanosec: number, std: number): string {
  const trim = (std & STD_MASK) === stdFracSecond9;
  const n = digitsLen(std);
  if (trim && (n === 0 || nanosec === 0)) return '';
  const dot = separator(std);
  let b = dot + appendInt(nanosec, 9);
  if (n < 9) b = b.slice(0, b.length - 9 + n);
  if (trim) {
    b = b.replace(/0+$/, '');
    if (b === dot) b = '';
  }
  return b;
}

/** Time.Format. */
export function formatTime(t: GoTime, layout: string): string {
  const offset = t.offsetSeconds;
  let f: TimeFields | undefined;
  const fields = () => (f ??= timeFields(t));
  let b = '';
  while (layout !== '') {
    const [prefix, std, suffix] = nextStdChunk(layout);
    b += prefix;
    if (std === 0) break;
    layout = suffix;
    const code = std & STD_MASK;
    switch (code) {
      case stdYear:
        b += appendInt(Math.abs(fields().year) % 100, 2);
        break;
      case stdLongYear:
        b += appendInt(fields().year, 4);
        break;
      case stdMonth:
        b += SHORT_MONTH_NAMES[fields().month - 1];
        break;
      case stdLongMonth:
        b += LONG_MONTH_NAMES[fields().month - 1];
        break;
      case stdNumMonth:
        b += appendInt(fields().month, 0);
        break;
      case stdZeroMonth:
        b += appendInt(fields().month, 2);
        break;
      case stdWeekDay:
        b += SHORT_DAY_NAMES[fields().weekday];
        break;
      case stdLongWeekDay:
        b += LONG_DAY_NAMES[fields().weekday];
        break;
      case stdDay:
        b += appendInt(fields().day, 0);
        break;
      case stdUnderDay:
        if (fields().day < 10) b += ' ';
        b += appendInt(fields().day, 0);
        break;
      case stdZeroDay:
        b += appendInt(fields().day, 2);
        break;
      case stdUnderYearDay: {
        const yday = fields().yday;
        if (yday < 100) b += yday < 10 ? '  ' : ' ';
        b += appendInt(yday, 0);
        break;
      }
      case stdZeroYearDay:
        b += appendInt(fields().yday, 3);
        break;
      case stdHour:
        b += appendInt(fields().hour, 2);
        break;
      case stdHour12:
      case stdZeroHour12: {
        // Noon is 12PM, midnight is 12AM.
        const hr = fields().hour % 12 || 12;
        b += appendInt(hr, code === stdZeroHour12 ? 2 : 0);
        break;
      }
      case stdMinute:
        b += appendInt(fields().minute, 0);
        break;
      case stdZeroMinute:
        b += appendInt(fields().minute, 2);
        break;
      case stdSecond:
        b += appendInt(fields().second, 0);
        break;
      case stdZeroSecond:
        b += appendInt(fields().second, 2);
        break;
      case stdPM:
        b += fields().hour >= 12 ? 'PM' : 'AM';
        break;
      case stdpm:
        b += fields().hour >= 12 ? 'pm' : 'am';
        break;
      case stdTZ:
        if (t.zone !== '') {
          b += t.zone;
          break;
        }
        b += numericZone(offset, false, false);
        break;
      case stdFracSecond0:
      case stdFracSecond9:
        b += appendNano(fields().nanosecond, std);
        break;
      default:
        if (ISO_ZONES.has(code) || NUM_ZONES.has(code)) {
          // The "Z" forms print Z for UTC, as ISO 8601 does.
          if (offset === 0 && ISO_ZONES.has(code)) {
            b += 'Z';
            break;
          }
          const colon = code === stdISO8601ColonTZ || code === stdNumColonTZ || code === stdISO8601ColonSecondsTZ || code === stdNumColonSecondsTZ;
          const short = code === stdNumShortTZ || code === stdISO8601ShortTZ;
          let zone = Math.trunc(offset / 60);
          let absoffset = offset;
          if (zone < 0) {
            b += '-';
            zone = -zone;
            absoffset = -absoffset;
          } else {
            b += '+';
          }
          b += appendInt(Math.floor(zone / 60), 2);
          if (colon) b += ':';
          if (!short) b += appendInt(zone % 60, 2);
          if (code === stdISO8601SecondsTZ || code === stdNumSecondsTz || code === stdNumColonSecondsTZ || code === stdISO8601ColonSecondsTZ) {
            if (code === stdNumColonSecondsTZ || code === stdISO8601ColonSecondsTZ) b += ':';
            b += appendInt(absoffset % 60, 2);
          }
        }
    }
  }
  return b;
}


// --- Parse ------------------------------------------------------------------------------------

/** A time.ParseError, with Go's message. */
export class TimeParseError extends Error {
  constructor(
    readonly layout: string,
    readonly value: string,
    readonly layoutElem: string,
    readonly valueElem: string,
    readonly detail: string,
  ) {
    super(
      detail === ''
        ? `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`
        : `parsing time ${timeQuote(value)}${detail}`,
    );
  }
}

class Bad extends Error {}
const errBad = new Bad('bad value for field');

function matchFold(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    let c1 = a.charCodeAt(i);
    let c2 = b.charCodeAt(i);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 0x61 || c1 > 0x7a) return false;
    }
  }
  return true;
}

function lookupName(tab: string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && matchFold(val.slice(0, v.length), v)) return [i, val.slice(v.length)];
  }
  throw errBad;
}

/** leadingInt: the leading [0-9]* of s; undefined on overflow past 1<<63. */
function leadingInt(s: string): [bigint, string] | undefined {
  let i = 0;
  let x = 0n;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    if (x > (1n << 63n) / 10n) return undefined;
    x = x * 10n + BigInt(c - 0x30);
    if (x > 1n << 63n) return undefined;
  }
  return [x, s.slice(i)];
}

/** atoi: an optionally signed decimal integer, the whole string. */
function atoi(s: string): number {
  let neg = false;
  if (s.length > 0 && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const r = leadingInt(s);
  if (!r || r[1].length > 0) throw errBad;
  const x = Number(BigInt.asIntN(64, r[0]));
  return neg ? -x : x;
}

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw errBad;
  if (!isDigitAt(s, 1)) {
    if (fixed) throw errBad;
    return [s.charCodeAt(0) - 0x30, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 0x30) * 10 + (s.charCodeAt(1) - 0x30), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 0x30);
  if (i === 0 || (fixed && i !== 3)) throw errBad;
  return [n, s.slice(i)];
}

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  return s.slice(i);
}

/** skip: remove `prefix` from `value`, any run of spaces matching any other. */
function skip(value: string, prefix: string): [string, boolean] {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return [value, false];
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return [value, false];
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return [value, true];
}

function commaOrPeriod(c: string | undefined): boolean {
  return c === '.' || c === ',';
}

/** parseNanoseconds: [nanoseconds, range error]. */
function parseNanoseconds(value: string, nbytes: number): [number, string] {
  if (!commaOrPeriod(value[0])) throw errBad;
  if (nbytes > 10) {
    value = value.slice(0, 10);
    nbytes = 10;
  }
  let ns = atoi(value.slice(1, nbytes));
  if (ns < 0) return [0, 'fractional second'];
  for (let i = 0; i < 10 - nbytes; i++) ns *= 10;
  return [ns, ''];
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  const r = leadingInt(value.slice(1));
  if (!r || r[1] === value.slice(1)) return 0;
  if (r[0] > 23n) return 0;
  return value.length - r[1].length;
}

function parseGMT(value: string): number {
  value = value.slice(3);
  if (value.length === 0) return 3;
  return 3 + parseSignedOffset(value);
}

/** parseTimeZone: the length of a zone abbreviation at the start of value, or 0 if none. */
export function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  // ChST and MeST are the only zones with a lower-case letter.
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return parseGMT(value);
  // Some zones have no name but a +/-00 form.
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value);
  let nUpper = 0;
  for (; nUpper < 6; nUpper++) {
    if (nUpper >= value.length) break;
    const c = value.charCodeAt(nUpper);
    if (c < 0x41 || c > 0x5a) break;
  }
  switch (nUpper) {
    case 5:
      return value[4] === 'T' ? 5 : 0;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 3:
      return 3;
    default:
      return 0;
  }
}

/** parseRFC3339, the fast path Parse takes for RFC3339 and RFC3339Nano layouts. */
function parseRFC3339(s: string, local: GoLocation): GoTime | undefined {
  let ok = true;
  const parseUint = (part: string, min: number, max: number): number => {
    let x = 0;
    for (const c of part) {
      if (c < '0' || c > '9') {
        ok = false;
        return min;
      }
      x = x * 10 + (c.charCodeAt(0) - 0x30);
    }
    if (x < min || max < x) {
      ok = false;
      return min;
    }
    return x;
  };
  if (s.length < 19) return undefined;
  const year = parseUint(s.slice(0, 4), 0, 9999);
  const month = parseUint(s.slice(5, 7), 1, 12);
  const day = parseUint(s.slice(8, 10), 1, daysIn(month, year));
  const hour = parseUint(s.slice(11, 13), 0, 23);
  const min = parseUint(s.slice(14, 16), 0, 59);
  const sec = parseUint(s.slice(17, 19), 0, 59);
  if (!ok || !(s[4] === '-' && s[7] === '-' && s[10] === 'T' && s[13] === ':' && s[16] === ':')) return undefined;
  s = s.slice(19);
  let nsec = 0;
  if (s.length >= 2 && s[0] === '.' && isDigitAt(s, 1)) {
    let n = 2;
    while (n < s.length && isDigitAt(s, n)) n++;
    nsec = parseNanoseconds(s, n)[0];
    s = s.slice(n);
  }
  const t = goDate(year, month, day, hour, min, sec, nsec, UTC_LOCATION);
  if (s.length === 1 && s[0] === 'Z') return t;
  if (s.length !== 6) return undefined;
  const hr = parseUint(s.slice(1, 3), 0, 23);
  const mm = parseUint(s.slice(4, 6), 0, 59);
  if (!ok || !((s[0] === '-' || s[0] === '+') && s[3] === ':')) return undefined;
  let zoneOffset = (hr * 60 + mm) * 60;
  if (s[0] === '-') zoneOffset = -zoneOffset;
  const unixNanos = t.unixNanos - BigInt(zoneOffset) * NANOS_PER_SECOND;
  const zone = local.lookup(splitNanos(unixNanos)[0]);
  return zone.offset === zoneOffset ? timeIn(unixNanos, local) : timeIn(unixNanos, fixedZone('', zoneOffset));
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339Nano = '2006-01-02T15:04:05.999999999Z07:00';

/**
 * time.Parse (defaultLocation UTC, local Local) and time.ParseInLocation (both the given
 * location). Throws TimeParseError.
 */
export function parseTime(layout: string, value: string, defaultLocation: GoLocation, local: GoLocation): GoTime {
  if (layout === RFC3339 || layout === RFC3339Nano) {
    try {
      const t = parseRFC3339(value, local);
      if (t) return t;
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
    }
  }
  const alayout = layout;
  const avalue = value;
  let rangeErrString = '';
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: GoLocation | undefined;
  let zoneOffset = -1;
  let zoneName = '';

  for (;;) {
    const [prefix, std0, suffix] = nextStdChunk(layout);
    let std = std0;
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    const [rest, skipped] = skip(value, prefix);
    value = rest;
    if (!skipped) throw new TimeParseError(alayout, avalue, prefix, value, '');
    if (std === 0) {
      if (value.length !== 0) throw new TimeParseError(alayout, avalue, '', value, `: extra text: ${timeQuote(value)}`);
      break;
    }
    layout = suffix;
    const hold = value;
    try {
      switch (std & STD_MASK) {
        case stdYear: {
          if (value.length < 2) throw errBad;
          const p = value.slice(0, 2);
          value = value.slice(2);
          year = atoi(p);
          year += year >= 69 ? 1900 : 2000; // Unix time starts Dec 31 1969 in some time zones
          break;
        }
        case stdLongYear: {
          if (value.length < 4 || !isDigitAt(value, 0)) throw errBad;
          const p = value.slice(0, 4);
          value = value.slice(4);
          year = atoi(p);
          break;
        }
        case stdMonth:
          [month, value] = lookupName(SHORT_MONTH_NAMES, value);
          month++;
          break;
        case stdLongMonth:
          [month, value] = lookupName(LONG_MONTH_NAMES, value);
          month++;
          break;
        case stdNumMonth:
        case stdZeroMonth:
          [month, value] = getnum(value, std === stdZeroMonth);
          if (month <= 0 || 12 < month) rangeErrString = 'month';
          break;
        case stdWeekDay:
          // Ignore weekday except for error checking.
          value = lookupName(SHORT_DAY_NAMES, value)[1];
          break;
        case stdLongWeekDay:
          value = lookupName(LONG_DAY_NAMES, value)[1];
          break;
        case stdDay:
        case stdUnderDay:
        case stdZeroDay:
          if (std === stdUnderDay && value.length > 0 && value[0] === ' ') value = value.slice(1);
          [day, value] = getnum(value, std === stdZeroDay);
          // Any one- or two-digit day; the month/day/year combination is checked at the end.
          break;
        case stdUnderYearDay:
        case stdZeroYearDay:
          for (let i = 0; i < 2; i++) {
            if (std === stdUnderYearDay && value.length > 0 && value[0] === ' ') value = value.slice(1);
          }
          [yday, value] = getnum3(value, std === stdZeroYearDay);
          break;
        case stdHour:
          [hour, value] = getnum(value, false);
          if (hour < 0 || 24 <= hour) rangeErrString = 'hour';
          break;
        case stdHour12:
        case stdZeroHour12:
          [hour, value] = getnum(value, std === stdZeroHour12);
          if (hour < 0 || 12 < hour) rangeErrString = 'hour';
          break;
        case stdMinute:
        case stdZeroMinute:
          [min, value] = getnum(value, std === stdZeroMinute);
          if (min < 0 || 60 <= min) rangeErrString = 'minute';
          break;
        case stdSecond:
        case stdZeroSecond: {
          [sec, value] = getnum(value, std === stdZeroSecond);
          if (sec < 0 || 60 <= sec) {
            rangeErrString = 'second';
            break;
          }
          // A fractional second in the value but not in the layout?
          if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
            std = nextStdChunk(layout)[1] & STD_MASK;
            if (std === stdFracSecond0 || std === stdFracSecond9) break; // the layout has one: proceed normally
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            [nsec, rangeErrString] = parseNanoseconds(value, n);
            value = value.slice(n);
          }
          break;
        }
        case stdPM:
        case stdpm: {
          if (value.length < 2) throw errBad;
          const p = value.slice(0, 2);
          value = value.slice(2);
          const [pm, am] = std === stdPM ? ['PM', 'AM'] : ['pm', 'am'];
          if (p === pm) pmSet = true;
          else if (p === am) amSet = true;
          else throw errBad;
          break;
        }
        case stdTZ: {
          // Does it look like a time zone?
          if (value.startsWith('UTC')) {
            z = UTC_LOCATION;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw errBad;
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case stdFracSecond0: {
          // stdFracSecond0 requires the exact number of digits the layout gives.
          const ndigit = 1 + digitsLen(std);
          if (value.length < ndigit) throw errBad;
          [nsec, rangeErrString] = parseNanoseconds(value, ndigit);
          value = value.slice(ndigit);
          break;
        }
        case stdFracSecond9: {
          if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitAt(value, 1)) break; // fractional second omitted
          // Take any number of digits, even more than asked for, as stdSecond would.
          let i = 0;
          while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          [nsec, rangeErrString] = parseNanoseconds(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
        default: {
          const code = std & STD_MASK;
          if (ISO_ZONES.has(code) && value.length >= 1 && value[0] === 'Z') {
            value = value.slice(1);
            z = UTC_LOCATION;
            break;
          }
          let sign: string, hh: string, mm: string, ss: string;
          if (code === stdISO8601ColonTZ || code === stdNumColonTZ) {
            if (value.length < 6 || value[3] !== ':') throw errBad;
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), '00', value.slice(6)];
          } else if (code === stdNumShortTZ || code === stdISO8601ShortTZ) {
            if (value.length < 3) throw errBad;
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), '00', '00', value.slice(3)];
          } else if (code === stdISO8601ColonSecondsTZ || code === stdNumColonSecondsTZ) {
            if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw errBad;
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
          } else if (code === stdISO8601SecondsTZ || code === stdNumSecondsTz) {
            if (value.length < 7) throw errBad;
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
          } else {
            if (value.length < 5) throw errBad;
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), '00', value.slice(5)];
          }
          // Go reads the parts until one fails (a failed part is 0), checks the ranges anyway,
          // and reports a range error before a syntax error.
          let bad = false;
          const part = (s: string) => {
            if (bad) return 0;
            try {
              return getnum(s, true)[0];
            } catch {
              bad = true;
              return 0;
            }
          };
          const hr = part(hh);
          const mi = part(mm);
          const se = part(ss);
          // ">" rather than ">=": people do write offsets of 24 hours or 60 minutes.
          if (hr > 24) rangeErrString = 'time zone offset hour';
          if (mi > 60) rangeErrString = 'time zone offset minute';
          if (se > 60) rangeErrString = 'time zone offset second';
          zoneOffset = (hr * 60 + mi) * 60 + se;
          if (sign === '-') zoneOffset = -zoneOffset;
          else if (sign !== '+') bad = true;
          if (bad) throw errBad;
        }
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      if (rangeErrString !== '') throw new TimeParseError(alayout, avalue, stdstr, value, `: ${rangeErrString} out of range`);
      throw new TimeParseError(alayout, avalue, stdstr, hold, '');
    }
    if (rangeErrString !== '') throw new TimeParseError(alayout, avalue, stdstr, value, `: ${rangeErrString} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  // Convert yday to day, month.
  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        yday--;
      }
    }
    if (yday < 1 || yday > 365) throw new TimeParseError(alayout, avalue, '', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (daysBefore(m + 1) < yday) m++;
      d = yday - daysBefore(m);
    }
    // If month, day were given too, yday's must match them.
    if (month >= 0 && month !== m) throw new TimeParseError(alayout, avalue, '', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) throw new TimeParseError(alayout, avalue, '', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }

  if (day < 1 || day > daysIn(month, year)) throw new TimeParseError(alayout, avalue, '', value, ': day out of range');

  if (z) return goDate(year, month, day, hour, min, sec, nsec, z);

  if (zoneOffset !== -1) {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC_LOCATION);
    const unixNanos = t.unixNanos - BigInt(zoneOffset) * NANOS_PER_SECOND;
    // The local zone, if it had this offset (and name) at that time; else a fabricated zone.
    const zone = local.lookup(splitNanos(unixNanos)[0]);
    if (zone.offset === zoneOffset && (zoneName === '' || zone.name === zoneName)) return timeIn(unixNanos, local);
    return timeIn(unixNanos, fixedZone(zoneName, zoneOffset));
  }

  if (zoneName !== '') {
    const t = goDate(year, month, day, hour, min, sec, nsec, UTC_LOCATION);
    const [unixSec] = splitNanos(t.unixNanos);
    const offset = local.lookupName(zoneName, unixSec);
    if (offset !== undefined) return timeIn(t.unixNanos - BigInt(offset) * NANOS_PER_SECOND, local);
    // An unknown abbreviation: a fabricated zone with that name and, except for GMT+n, offset 0.
    let guess = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) guess = atoi(zoneName.slice(3)) * 3600;
    return timeIn(t.unixNanos, fixedZone(zoneName, guess));
  }

  return goDate(year, month, day, hour, min, sec, nsec, defaultLocation);
}
