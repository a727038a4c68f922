/**
 * sprig's date functions (sprig v3.3.0 date.go) and the methods of time.Time that templates
 * call (`.Unix`, `.Format`, `.UTC`, `.Add` …), on GoTime values.
 *
 * Pure: the current time comes only from the injected clock. Time zones follow Go: "Local"
 * is the process's zone (TZ, else the system setting) unless a zone is injected; offsets come
 * from Intl (ICU's tz database), abbreviations ("CET", "PST") from Go's zoneinfo. Layout
 * formatting and parsing are internal/sdcn-time.ts, a step-by-step port of time/format.go.
 */
import { GoFuncError, GoStruct, GoTime, defineFunc, goTypeName } from '../values.js';
import type { GoFunc } from '../values.js';
import {
  DurationError,
  HOUR,
  MAX_DURATION,
  MINUTE,
  MIN_DURATION,
  SECOND,
  durationIn,
  durationString,
  parseDuration,
  roundDuration,
  truncateDuration,
} from '../../goruntime/index.js';
import { LONG_MONTH_NAMES, NANOS_PER_SECOND, ZERO_TO_UNIX_SECONDS } from '../fmt/go-time.js';
import { LONG_DAY_NAMES, TimeParseError, ZERO_TIME_NANOS, formatTime, goDate, parseTime, splitNanos, timeFields, timeIn, zeroTime } from './internal/sdcn-time.js';
import { UTC_LOCATION, loadLocation, localLocation, locationOf, processLocalZone } from './internal/sdcn-zones.js';
import type { GoLocation } from './internal/sdcn-zones.js';

export { TimeParseError } from './internal/sdcn-time.js';
export { DurationError, durationString, parseDuration } from '../../goruntime/index.js';

/** The layout of Time.String() and so of fmt's %v for a time.Time. */
export const TIME_STRING_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST';

/** Options of {@link dateFuncs}. */
export interface DateFuncsOptions {
  /**
   * IANA name of the zone Go calls Local (what `now`, `date`, `toDate` and int timestamps use).
   * @default the process's zone: TZ, else the system setting; UTC when TZ is empty or unknown, as in Go
   */
  localZone?: string;
}

/**
 * Time.Format with a Go layout. With the default layout this is Time.String() without the
 * monotonic clock reading, i.e. what fmt prints for %v of a time.Time.
 */
export function formatGoTime(t: GoTime, layout: string = TIME_STRING_LAYOUT): string {
  return formatTime(t, layout);
}

/**
 * time.ParseInLocation(layout, value, location); `location` is "UTC" (time.Parse's default),
 * "Local" or an IANA name. Throws TimeParseError with Go's message.
 */
export function parseGoTime(layout: string, value: string, location = 'UTC', localZone: string = processLocalZone()): GoTime {
  const loc = loadLocation(location, localZone) ?? UTC_LOCATION;
  // time.Parse matches zone names and offsets against Local; ParseInLocation against loc.
  return parseTime(layout, value, loc, location === 'UTC' ? localLocation(localZone) : loc);
}

/** time.Unix(sec, nsec) shown in the local zone. */
export function unixTime(sec: bigint, nsec = 0n, localZone: string = processLocalZone()): GoTime {
  return timeIn(sec * NANOS_PER_SECOND + nsec, localLocation(localZone));
}

// --- helper values: Duration, Month, Weekday, *Location ---------------------------------------

const durations = new WeakMap<GoStruct, bigint>();
const locations = new WeakMap<GoStruct, GoLocation>();

/** A time.Duration as a template value: prints as "1h2m3s", marshals as its nanoseconds. */
export function goDuration(ns: bigint): GoStruct {
  ns = BigInt.asIntN(64, ns);
  const str = () => durationString(ns);
  const s = new GoStruct(
    'time.Duration',
    {},
    {
      String: defineFunc('String', [], str),
      Nanoseconds: defineFunc('Nanoseconds', [], () => ns),
      Microseconds: defineFunc('Microseconds', [], () => ns / 1000n),
      Milliseconds: defineFunc('Milliseconds', [], () => ns / 1_000_000n),
      Seconds: defineFunc('Seconds', [], () => durationIn(ns, SECOND)),
      Minutes: defineFunc('Minutes', [], () => durationIn(ns, MINUTE)),
      Hours: defineFunc('Hours', [], () => durationIn(ns, HOUR)),
      Round: defineFunc('Round', ['any'], (m: unknown) => goDuration(roundDuration(ns, durationArg(m)))),
      Truncate: defineFunc('Truncate', ['any'], (m: unknown) => goDuration(truncateDuration(ns, durationArg(m)))),
      Abs: defineFunc('Abs', [], () => goDuration(ns >= 0n ? ns : ns === MIN_DURATION ? MAX_DURATION : -ns)),
    },
    { marshal: () => ns },
    str,
  );
  durations.set(s, ns);
  return s;
}

/**
 * A Duration argument: a time.Duration value, or an integer (Go converts an untyped constant;
 * our bigint cannot tell int64 from Duration, so any integer is taken).
 */
function durationArg(v: unknown): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v);
  if (v instanceof GoStruct && durations.has(v)) return durations.get(v)!;
  throw new GoFuncError(`wrong type for value; expected time.Duration; got ${goTypeName(v)}`);
}

function goMonth(m: number): GoStruct {
  const name = () => LONG_MONTH_NAMES[m - 1] ?? `%!Month(${m})`;
  return new GoStruct('time.Month', {}, { String: defineFunc('String', [], name) }, { marshal: () => BigInt(m) }, name);
}

function goWeekday(d: number): GoStruct {
  const name = () => LONG_DAY_NAMES[d] ?? `%!Weekday(${d})`;
  return new GoStruct('time.Weekday', {}, { String: defineFunc('String', [], name) }, { marshal: () => BigInt(d) }, name);
}

function goLocationValue(loc: GoLocation): GoStruct {
  const s = new GoStruct('*time.Location', {}, { String: defineFunc('String', [], () => loc.name) }, undefined, () => loc.name);
  locations.set(s, loc);
  return s;
}

// --- time.Time methods ------------------------------------------------------------------------

function sub(t: GoTime, u: GoTime): bigint {
  const d = t.unixNanos - u.unixNanos;
  return d > MAX_DURATION ? MAX_DURATION : d < MIN_DURATION ? MIN_DURATION : d;
}

function compareTimes(a: GoTime, b: GoTime): number {
  return a.unixNanos < b.unixNanos ? -1 : a.unixNanos > b.unixNanos ? 1 : 0;
}

/** Remainder of t since the zero time, divided by d (time.go div), always in [0, d). */
function sinceZeroRemainder(t: GoTime, d: bigint): bigint {
  const r = (t.unixNanos + ZERO_TO_UNIX_SECONDS * NANOS_PER_SECOND) % d;
  return r < 0n ? r + d : r;
}

function expectTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  throw new GoFuncError(`wrong type for value; expected time.Time; got ${goTypeName(v)}`);
}

/**
 * The methods of a time.Time, by name, for the executor to call on GoTime values
 * (`{{ now.Unix }}`, `{{ (toDate "2006-01-02" "2024-01-31").AddDate 0 1 0 }}`). Methods
 * returning several values (Date, Clock, Zone, ISOWeek) cannot be called from a template in Go
 * either and are left out.
 */
export function goTimeMethods(t: GoTime, localZone: string = processLocalZone()): Record<string, GoFunc> {
  const loc = () => locationOf(t, localZone);
  const move = (ns: bigint) => timeIn(ns, loc());
  const f = () => timeFields(t);
  const [sec, nsec] = splitNanos(t.unixNanos);
  const unixSec = (t.unixNanos - BigInt(nsec)) / NANOS_PER_SECOND;
  return {
    String: defineFunc('String', [], () => formatTime(t, TIME_STRING_LAYOUT)),
    Format: defineFunc('Format', ['string'], (layout: string) => formatTime(t, layout)),
    Unix: defineFunc('Unix', [], () => unixSec),
    UnixMilli: defineFunc('UnixMilli', [], () => floorDiv(t.unixNanos, 1_000_000n)),
    UnixMicro: defineFunc('UnixMicro', [], () => floorDiv(t.unixNanos, 1000n)),
    UnixNano: defineFunc('UnixNano', [], () => BigInt.asIntN(64, t.unixNanos)),
    UTC: defineFunc('UTC', [], () => timeIn(t.unixNanos, UTC_LOCATION)),
    Local: defineFunc('Local', [], () => timeIn(t.unixNanos, localLocation(localZone))),
    In: defineFunc('In', ['any'], (l: unknown) => {
      const target = l instanceof GoStruct ? locations.get(l) : undefined;
      if (l === null) throw new GoFuncError('time: missing Location in call to Time.In');
      if (!target) throw new GoFuncError(`wrong type for value; expected *time.Location; got ${goTypeName(l)}`);
      return timeIn(t.unixNanos, target);
    }),
    Location: defineFunc('Location', [], () => goLocationValue(loc())),
    Year: defineFunc('Year', [], () => BigInt(f().year)),
    Month: defineFunc('Month', [], () => goMonth(f().month)),
    Day: defineFunc('Day', [], () => BigInt(f().day)),
    Hour: defineFunc('Hour', [], () => BigInt(f().hour)),
    Minute: defineFunc('Minute', [], () => BigInt(f().minute)),
    Second: defineFunc('Second', [], () => BigInt(f().second)),
    Nanosecond: defineFunc('Nanosecond', [], () => BigInt(nsec)),
    Weekday: defineFunc('Weekday', [], () => goWeekday(f().weekday)),
    YearDay: defineFunc('YearDay', [], () => BigInt(f().yday)),
    IsZero: defineFunc('IsZero', [], () => t.unixNanos === ZERO_TIME_NANOS),
    IsDST: defineFunc('IsDST', [], () => loc().lookup(sec).isDST),
    Add: defineFunc('Add', ['any'], (d: unknown) => move(t.unixNanos + durationArg(d))),
    AddDate: defineFunc('AddDate', ['int', 'int', 'int'], (years: bigint, months: bigint, days: bigint) => {
      const c = f();
      return goDate(c.year + Number(years), c.month + Number(months), c.day + Number(days), c.hour, c.minute, c.second, c.nanosecond, loc());
    }),
    Sub: defineFunc('Sub', ['time'], (u: GoTime) => goDuration(sub(t, expectTime(u)))),
    Before: defineFunc('Before', ['time'], (u: GoTime) => compareTimes(t, expectTime(u)) < 0),
    After: defineFunc('After', ['time'], (u: GoTime) => compareTimes(t, expectTime(u)) > 0),
    Equal: defineFunc('Equal', ['time'], (u: GoTime) => compareTimes(t, expectTime(u)) === 0),
    Compare: defineFunc('Compare', ['time'], (u: GoTime) => BigInt(compareTimes(t, expectTime(u)))),
    Round: defineFunc('Round', ['any'], (d: unknown) => {
      const m = durationArg(d);
      if (m <= 0n) return t;
      const r = sinceZeroRemainder(t, m);
      return move(r + r < m ? t.unixNanos - r : t.unixNanos + (m - r));
    }),
    Truncate: defineFunc('Truncate', ['any'], (d: unknown) => {
      const m = durationArg(d);
      return m <= 0n ? t : move(t.unixNanos - sinceZeroRemainder(t, m));
    }),
  };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

// --- sprig functions --------------------------------------------------------------------------

/** strconv.ParseInt(s, 10, 64) as sprig's `duration` uses it: 0 on a syntax error, clamped on overflow. */
function parseInt64Lenient(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0n;
  const n = BigInt(s);
  return n > MAX_DURATION ? MAX_DURATION : n < MIN_DURATION ? MIN_DURATION : n;
}

/**
 * sprig's date functions: now, date, dateInZone/date_in_zone, dateModify/date_modify,
 * mustDateModify/must_date_modify, ago, duration, durationRound, htmlDate, htmlDateInZone,
 * toDate, mustToDate, unixEpoch.
 *
 * Integer timestamps: sprig accepts int, int32 and int64 seconds for `date` and int, int64 for
 * `ago`; every bigint is taken as one of them, since our values do not keep Go's integer types.
 * Anything else (a float64 from YAML, a string) means "now", as in sprig.
 */
export function dateFuncs(clock: () => Date, options: DateFuncsOptions = {}): GoFunc[] {
  // Looked up on first use: asking Intl for the process zone costs tens of milliseconds.
  let zone = options.localZone;
  const localZone = () => (zone ??= processLocalZone());
  const local = () => localLocation(localZone());
  const now = () => timeIn(BigInt(clock().getTime()) * 1_000_000n, local());
  const since = (t: GoTime) => sub(now(), t);

  const toTime = (date: unknown): GoTime => {
    if (date instanceof GoTime) return date;
    if (typeof date === 'bigint') return timeIn(BigInt.asIntN(64, date) * NANOS_PER_SECOND, local());
    return now();
  };
  const dateInZone = (layout: string, date: unknown, zone: string): string => {
    const loc = loadLocation(zone, localZone()) ?? UTC_LOCATION;
    return formatTime(timeIn(toTime(date).unixNanos, loc), layout);
  };
  const add = (t: GoTime, d: bigint) => timeIn(t.unixNanos + d, locationOf(t, localZone()));
  const dateModify = (layout: string, date: GoTime): GoTime => {
    try {
      return add(date, parseDuration(layout));
    } catch (e) {
      if (e instanceof DurationError) return date;
      throw e;
    }
  };
  const mustDateModify = (layout: string, date: GoTime): GoTime => {
    try {
      return add(date, parseDuration(layout));
    } catch (e) {
      if (e instanceof DurationError) throw new GoFuncError(e.message);
      throw e;
    }
  };
  const mustToDate = (layout: string, value: string): GoTime => {
    try {
      return parseTime(layout, value, local(), local());
    } catch (e) {
      if (e instanceof TimeParseError) throw new GoFuncError(e.message);
      throw e;
    }
  };

  return [
    defineFunc('now', [], now),
    defineFunc('date', ['string', 'any'], (layout: string, date: unknown) => dateInZone(layout, date, 'Local')),
    defineFunc('dateInZone', ['string', 'any', 'string'], dateInZone),
    defineFunc('date_in_zone', ['string', 'any', 'string'], dateInZone),
    defineFunc('dateModify', ['string', 'time'], dateModify),
    defineFunc('date_modify', ['string', 'time'], dateModify),
    defineFunc('mustDateModify', ['string', 'time'], mustDateModify),
    defineFunc('must_date_modify', ['string', 'time'], mustDateModify),
    // Drop resolution to seconds, as sprig does.
    defineFunc('ago', ['any'], (date: unknown) => durationString(roundDuration(since(toTime(date)), SECOND))),
    defineFunc('duration', ['any'], (sec: unknown) => {
      let n = 0n;
      if (typeof sec === 'string') n = parseInt64Lenient(sec);
      else if (typeof sec === 'bigint') n = BigInt.asIntN(64, sec);
      return durationString(BigInt.asIntN(64, n * SECOND));
    }),
    defineFunc('durationRound', ['any'], (duration: unknown) => {
      let d = 0n;
      if (typeof duration === 'string') {
        try {
          d = parseDuration(duration);
        } catch (e) {
          if (!(e instanceof DurationError)) throw e;
        }
      } else if (typeof duration === 'bigint') {
        d = BigInt.asIntN(64, duration);
      } else if (duration instanceof GoTime) {
        d = since(duration);
      }
      return roundDurationCoarse(d);
    }),
    defineFunc('htmlDate', ['any'], (date: unknown) => dateInZone('2006-01-02', date, 'Local')),
    defineFunc('htmlDateInZone', ['any', 'string'], (date: unknown, zone: string) => dateInZone('2006-01-02', date, zone)),
    defineFunc('toDate', ['string', 'string'], (layout: string, value: string) => {
      try {
        return mustToDate(layout, value);
      } catch (e) {
        if (e instanceof GoFuncError) return zeroTime();
        throw e;
      }
    }),
    defineFunc('mustToDate', ['string', 'string'], mustToDate),
    defineFunc('unixEpoch', ['time'], (date: GoTime) => String(floorDiv(date.unixNanos, NANOS_PER_SECOND))),
  ];
}

const DAY = 24n * HOUR;
const COARSE_UNITS: [bigint, string][] = [
  [365n * DAY, 'y'],
  [30n * DAY, 'mo'],
  [DAY, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'm'],
  [SECOND, 's'],
];

/** sprig's durationRound: the largest unit the duration strictly exceeds, truncated; the sign is dropped. */
function roundDurationCoarse(d: bigint): string {
  const u = d < 0n ? -d : d;
  for (const [unit, suffix] of COARSE_UNITS) if (u > unit) return `${u / unit}${suffix}`;
  return '0s';
}

/** The zero time.Time, as toDate returns on a parse error. */
export { zeroTime } from './internal/sdcn-time.js';
