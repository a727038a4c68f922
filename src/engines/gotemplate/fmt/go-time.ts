/**
 * What fmt prints for a time.Time: its String method (%v %s %q %x), its GoString method
 * (%#v), and the struct fields (wall, ext, loc) for every other verb.
 * Behaviour of go/src/time/format.go (Time.String, Time.GoString, appendInt, appendNano).
 *
 * Not reproduced: the " m=+0.001234567" suffix String adds for a monotonic clock reading
 * (time.Now()); GoTime carries no monotonic reading.
 *
 * The calendar (civil, civilFromDays), appendInt, numericZone and time's quote are also what
 * sprig's Time.Format and time.Parse (sprig/internal/sdcn-time.ts) build on.
 */
import { timeQuote } from '../../goruntime/index.js';
import type { GoTime } from '../values.js';

export { timeQuote };

/** Nanoseconds in a second. */
export const NANOS_PER_SECOND = 1_000_000_000n;
/** Seconds from Go's zero time (January 1 of year 1, UTC) to the Unix epoch (time's unixToInternal). */
export const ZERO_TO_UNIX_SECONDS = 62_135_596_800n;

/** time.Month's names, January first. */
export const LONG_MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Whole seconds since the Unix epoch (rounded down) and the nanoseconds within that second. */
export function splitUnixNanos(unixNanos: bigint): { sec: bigint; nanos: number } {
  const sec = floorDiv(unixNanos, NANOS_PER_SECOND);
  return { sec, nanos: Number(unixNanos - sec * NANOS_PER_SECOND) };
}

/** The date of a day count since 1970-01-01 (proleptic Gregorian, as Go's absDate): [year, month 1–12, day 1–31]. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400;
  return [m <= 2 ? y + 1 : y, m, d];
}

/** A time's date and clock in its own zone. */
export interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  /** Days since 1970-01-01 in the time's zone. */
  days: number;
}

/** The date and clock of a time in its zone; seconds are counted in bigint, so every time Go can hold comes out exact. */
export function civil(t: GoTime): Civil {
  const { sec, nanos } = splitUnixNanos(t.unixNanos);
  const local = sec + BigInt(t.offsetSeconds);
  const days = floorDiv(local, 86400n);
  const secOfDay = Number(local - days * 86400n);
  const [year, month, day] = civilFromDays(Number(days));
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor(secOfDay / 60) % 60,
    second: secOfDay % 60,
    nanos,
    days: Number(days),
  };
}

/** time's appendInt: a sign, then at least `width` digits. */
export function appendInt(x: number, width: number): string {
  const digits = String(Math.abs(x));
  return (x < 0 ? '-' : '') + (digits.length < width ? '0'.repeat(width - digits.length) + digits : digits);
}

/** A zone offset as the layouts -0700 (default), -07:00 (colon) and -07 (short) print it; seconds dropped. */
export function numericZone(offsetSeconds: number, colon = false, short = false): string {
  let zone = Math.trunc(offsetSeconds / 60);
  let sign = '+';
  if (zone < 0) {
    sign = '-';
    zone = -zone;
  }
  return sign + appendInt(Math.trunc(zone / 60), 2) + (colon ? ':' : '') + (short ? '' : appendInt(zone % 60, 2));
}

/** Time.String: "2006-01-02 15:04:05.999999999 -0700 MST". */
export function timeString(t: GoTime): string {
  const c = civil(t);
  let s =
    appendInt(c.year, 4) +
    '-' +
    appendInt(c.month, 2) +
    '-' +
    appendInt(c.day, 2) +
    ' ' +
    appendInt(c.hour, 2) +
    ':' +
    appendInt(c.minute, 2) +
    ':' +
    appendInt(c.second, 2);
  if (c.nanos !== 0) s += '.' + String(c.nanos).padStart(9, '0').replace(/0+$/, '');
  const numeric = numericZone(t.offsetSeconds);
  return s + ' ' + numeric + ' ' + (t.zone !== '' ? t.zone : numeric);
}

// time.UTC is stored as a nil *Location; an unnamed location at offset 0 is taken for it.
function isUTC(t: GoTime): boolean {
  return t.location === 'UTC' || (t.location === '' && t.offsetSeconds === 0);
}


/** Time.GoString: "time.Date(2024, time.January, 2, 3, 4, 5, 0, time.UTC)". */
export function timeGoString(t: GoTime): string {
  const c = civil(t);
  let loc: string;
  if (isUTC(t)) loc = 'time.UTC';
  else if (t.location === 'Local') loc = 'time.Local';
  else loc = 'time.Location(' + timeQuote(t.location) + ')';
  return (
    `time.Date(${c.year}, time.${LONG_MONTH_NAMES[c.month - 1]!}, ${c.day}, ` +
    `${c.hour}, ${c.minute}, ${c.second}, ${c.nanos}, ${loc})`
  );
}

/**
 * The unexported fields of a time.Time without a monotonic reading: wall holds the
 * nanoseconds, ext the seconds since January 1 of year 1, loc is nil for UTC.
 */
export function timeFields(t: GoTime): { wall: bigint; ext: bigint; locIsNil: boolean } {
  const { sec, nanos } = splitUnixNanos(t.unixNanos);
  return { wall: BigInt(nanos), ext: sec + ZERO_TO_UNIX_SECONDS, locIsNil: isUTC(t) };
}
