/**
 * Go's time.Time as helm's records and printers use it: the JSON text (RFC 3339 with
 * nanoseconds, time.Time.MarshalJSON), parsing it back as time.Parse does (a "Z" time is
 * UTC; an offset that matches the local zone at that instant takes the local zone and its
 * name, any other offset a nameless fixed zone), and Time.Format with Go layouts (ANSIC for
 * history and status, Time.String() for list). Behaviour of go/src/time/format.go and
 * format_rfc3339.go; helm's zero time ("" in JSON) is pkg/time.
 */

/** A time.Time: an instant and the zone it is shown in. */
export interface GoTime {
  /** Nanoseconds since the Unix epoch. */
  unixNanos: bigint;
  /** Offset east of UTC, in seconds. */
  offsetSeconds: number;
  /** What Go prints for "MST": the zone's abbreviation, or "" for a nameless fixed zone. */
  zone: string;
}

const NS = 1_000_000_000n;
/** Seconds from 0001-01-01 (Go's zero time) to 1970-01-01. */
const ZERO_TO_UNIX = 62_135_596_800n;

/** Go's zero time.Time (January 1, year 1, 00:00:00 UTC). */
export const ZERO_TIME: GoTime = { unixNanos: -ZERO_TO_UNIX * NS, offsetSeconds: 0, zone: 'UTC' };

/** Time.IsZero. */
export function isZeroTime(t: GoTime): boolean {
  return t.unixNanos === ZERO_TIME.unixNanos;
}

/** The layouts helm prints with. */
export const ANSIC = 'Mon Jan _2 15:04:05 2006';
export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';
/** Time.String() without the monotonic clock reading. */
export const TIME_STRING = '2006-01-02 15:04:05.999999999 -0700 MST';

const DIGITS = /^\d+$/;

/**
 * time.Time.UnmarshalJSON's parse of RFC 3339 text (Go's strict parseRFC3339), or undefined
 * when Go would reject it. `localZone` is the process's zone (TZ) and decides which offsets
 * count as local.
 */
export function parseRfc3339(s: string, localZone?: string): GoTime | undefined {
  if (s.length < 20 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return undefined;
  const num = (a: number, b: number): number | undefined => (DIGITS.test(s.slice(a, b)) ? Number(s.slice(a, b)) : undefined);
  const year = num(0, 4);
  const month = num(5, 7);
  const day = num(8, 10);
  const hour = num(11, 13);
  const minute = num(14, 16);
  const second = num(17, 19);
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || second > 59) return undefined;
  let i = 19;
  let nanos = 0;
  if (s[i] === '.' || s[i] === ',') {
    let j = i + 1;
    while (j < s.length && s[j]! >= '0' && s[j]! <= '9') j++;
    if (j === i + 1) return undefined;
    // Digits past the ninth are dropped, as Go's parseNanoseconds does.
    nanos = Number(s.slice(i + 1, Math.min(j, i + 10)).padEnd(9, '0'));
    i = j;
  }
  const rest = s.slice(i);
  let offset = 0;
  let utc = false;
  if (rest === 'Z') {
    utc = true;
  } else {
    const m = /^([+-])(\d\d):(\d\d)$/.exec(rest);
    if (!m) return undefined;
    const hh = Number(m[2]);
    const mm = Number(m[3]);
    if (hh > 23 || mm > 59) return undefined;
    offset = (m[1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  }
  const days = daysFromCivil(year, month, day);
  const sec = BigInt(days) * 86400n + BigInt(hour * 3600 + minute * 60 + second) - BigInt(offset);
  const unixNanos = sec * NS + BigInt(nanos);
  if (utc) return { unixNanos, offsetSeconds: 0, zone: 'UTC' };
  const local = localZoneAt(unixNanos, localZone);
  if (local.offsetSeconds === offset) return { unixNanos, offsetSeconds: offset, zone: local.zone };
  return { unixNanos, offsetSeconds: offset, zone: '' };
}

/**
 * helm's pkg/time UnmarshalJSON: "" (and null) is the zero time. Undefined for text Go's
 * time.Time.UnmarshalJSON rejects.
 */
export function parseHelmTime(s: string | undefined | null, localZone?: string): GoTime | undefined {
  if (s === undefined || s === null || s === '') return ZERO_TIME;
  return parseRfc3339(s, localZone);
}

/** helm's pkg/time MarshalJSON text: "" for the zero time, else RFC 3339 with nanoseconds. */
export function helmTimeText(t: GoTime): string {
  return isZeroTime(t) ? '' : formatGoTime(t, RFC3339_NANO);
}

/**
 * The current time as helm's records hold it: time.Now() in the local zone, as
 * time.Time.MarshalJSON writes it (e.g. "2026-11-26T18:15:11.647541991Z").
 */
export function goTimeNow(localZone?: string): string {
  const ms = performance.timeOrigin + performance.now();
  const unixNanos = BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor((ms % 1) * 1_000_000));
  return formatGoTime(inLocalZone(unixNanos, localZone), RFC3339_NANO);
}

/** A JavaScript Date in the local zone, as helm's record text (RFC 3339, nanoseconds). */
export function goTimeText(date: Date, localZone?: string): string {
  return formatGoTime(inLocalZone(BigInt(date.getTime()) * 1_000_000n, localZone), RFC3339_NANO);
}

/** The instant shown in the local zone, as time.Unix(...).Local(). */
export function inLocalZone(unixNanos: bigint, localZone?: string): GoTime {
  const z = localZoneAt(unixNanos, localZone);
  return { unixNanos, offsetSeconds: z.offsetSeconds, zone: z.zone };
}

/** Milliseconds since the epoch (for comparisons and sorting). */
export function unixMillis(t: GoTime): number {
  return Number(t.unixNanos / 1_000_000n);
}

/** Time.Unix(): whole seconds since the epoch, rounded down. */
export function unixSeconds(t: GoTime): bigint {
  return floorDiv(t.unixNanos, NS);
}

// ---- the local zone ------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string | undefined): Intl.DateTimeFormat {
  const key = zone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'short',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * Offset and abbreviation of the local zone at an instant. Go takes the abbreviation from the
 * tz database; Intl gives the same letters for UTC and the US zones, and "GMT+3"-style names
 * elsewhere, which are written as the tz database writes unnamed zones ("+03", "+0530").
 */
function localZoneAt(unixNanos: bigint, localZone: string | undefined): { offsetSeconds: number; zone: string } {
  const zone = localZone ?? process.env.TZ ?? undefined;
  if (zone === '' || zone === 'UTC' || zone === 'Etc/UTC') return { offsetSeconds: 0, zone: 'UTC' };
  const ms = Number(floorDiv(unixNanos, 1_000_000n));
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterFor(zone).formatToParts(new Date(Math.max(-8.64e15, Math.min(8.64e15, ms))));
  } catch {
    return { offsetSeconds: 0, zone: 'UTC' };
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const era = get('era');
  let year = Number(get('year'));
  if (era === 'BC' || era === 'B') year = 1 - year;
  const wall = Date.UTC(2000, Number(get('month')) - 1, Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')));
  const wallDate = new Date(wall);
  wallDate.setUTCFullYear(year);
  const offsetSeconds = Math.round((wallDate.getTime() - Math.floor(ms / 1000) * 1000) / 1000);
  let name = get('timeZoneName');
  const m = /^(?:GMT|UTC)([+-])(\d{1,2})(?::(\d\d))?$/.exec(name);
  if (m) name = `${m[1]}${m[2]!.padStart(2, '0')}${m[3] && m[3] !== '00' ? m[3] : ''}`;
  else if (name === 'GMT' && offsetSeconds === 0 && (zone === 'Etc/GMT' || zone === 'GMT')) name = 'GMT';
  return { offsetSeconds, zone: name };
}

// ---- civil calendar --------------------------------------------------------------------------

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysIn(month: number, year: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Days from 1970-01-01 to the date (proleptic Gregorian; H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number;
  yday: number;
}

function civil(t: GoTime): Civil {
  const secs = floorDiv(t.unixNanos, NS);
  const nanos = Number(t.unixNanos - secs * NS);
  const local = secs + BigInt(t.offsetSeconds);
  const days = Number(floorDiv(local, 86400n));
  const sod = Number(local - BigInt(days) * 86400n);
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(sod / 3600),
    minute: Math.floor((sod % 3600) / 60),
    second: sod % 60,
    nanos,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
  };
}

// ---- Time.Format -------------------------------------------------------------------------------

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Chunk =
  | 'LongMonth'
  | 'Month'
  | 'NumMonth'
  | 'ZeroMonth'
  | 'LongWeekDay'
  | 'WeekDay'
  | 'Day'
  | 'UnderDay'
  | 'ZeroDay'
  | 'UnderYearDay'
  | 'ZeroYearDay'
  | 'Hour'
  | 'Hour12'
  | 'ZeroHour12'
  | 'Minute'
  | 'ZeroMinute'
  | 'Second'
  | 'ZeroSecond'
  | 'LongYear'
  | 'Year'
  | 'PM'
  | 'pm'
  | 'TZ'
  | 'ISO8601TZ'
  | 'ISO8601SecondsTZ'
  | 'ISO8601ShortTZ'
  | 'ISO8601ColonTZ'
  | 'ISO8601ColonSecondsTZ'
  | 'NumTZ'
  | 'NumSecondsTz'
  | 'NumShortTZ'
  | 'NumColonTZ'
  | 'NumColonSecondsTZ'
  | { frac: '0' | '9'; digits: number; sep: string };

const STD0X: Chunk[] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'];

const startsWithLower = (s: string) => s.length > 0 && s[0]! >= 'a' && s[0]! <= 'z';

/** time.nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextStdChunk(layout: string): [string, Chunk | undefined, string] {
  const at = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const pre = layout.slice(0, i);
    switch (c) {
      case 'J':
        if (at(i, 'Jan')) {
          if (at(i, 'January')) return [pre, 'LongMonth', layout.slice(i + 7)];
          if (!startsWithLower(layout.slice(i + 3))) return [pre, 'Month', layout.slice(i + 3)];
        }
        break;
      case 'M':
        if (at(i, 'Mon')) {
          if (at(i, 'Monday')) return [pre, 'LongWeekDay', layout.slice(i + 6)];
          if (!startsWithLower(layout.slice(i + 3))) return [pre, 'WeekDay', layout.slice(i + 3)];
        }
        if (at(i, 'MST')) return [pre, 'TZ', layout.slice(i + 3)];
        break;
      case '0': {
        const n = layout[i + 1];
        if (n !== undefined && n >= '1' && n <= '6') return [pre, STD0X[n.charCodeAt(0) - 49]!, layout.slice(i + 2)];
        if (at(i, '002')) return [pre, 'ZeroYearDay', layout.slice(i + 3)];
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return [pre, 'Hour', layout.slice(i + 2)];
        return [pre, 'NumMonth', layout.slice(i + 1)];
      case '2':
        if (at(i, '2006')) return [pre, 'LongYear', layout.slice(i + 4)];
        return [pre, 'Day', layout.slice(i + 1)];
      case '_':
        if (layout[i + 1] === '2') {
          if (at(i + 1, '2006')) return [layout.slice(0, i + 1), 'LongYear', layout.slice(i + 5)];
          return [pre, 'UnderDay', layout.slice(i + 2)];
        }
        if (at(i, '__2')) return [pre, 'UnderYearDay', layout.slice(i + 3)];
        break;
      case '3':
        return [pre, 'Hour12', layout.slice(i + 1)];
      case '4':
        return [pre, 'Minute', layout.slice(i + 1)];
      case '5':
        return [pre, 'Second', layout.slice(i + 1)];
      case 'P':
        if (layout[i + 1] === 'M') return [pre, 'PM', layout.slice(i + 2)];
        break;
      case 'p':
        if (layout[i + 1] === 'm') return [pre, 'pm', layout.slice(i + 2)];
        break;
      case '-':
        if (at(i, '-070000')) return [pre, 'NumSecondsTz', layout.slice(i + 7)];
        if (at(i, '-07:00:00')) return [pre, 'NumColonSecondsTZ', layout.slice(i + 9)];
        if (at(i, '-0700')) return [pre, 'NumTZ', layout.slice(i + 5)];
        if (at(i, '-07:00')) return [pre, 'NumColonTZ', layout.slice(i + 6)];
        if (at(i, '-07')) return [pre, 'NumShortTZ', layout.slice(i + 3)];
        break;
      case 'Z':
        if (at(i, 'Z070000')) return [pre, 'ISO8601SecondsTZ', layout.slice(i + 7)];
        if (at(i, 'Z07:00:00')) return [pre, 'ISO8601ColonSecondsTZ', layout.slice(i + 9)];
        if (at(i, 'Z0700')) return [pre, 'ISO8601TZ', layout.slice(i + 5)];
        if (at(i, 'Z07:00')) return [pre, 'ISO8601ColonTZ', layout.slice(i + 6)];
        if (at(i, 'Z07')) return [pre, 'ISO8601ShortTZ', layout.slice(i + 3)];
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          const next = layout[j];
          if (!(next !== undefined && next >= '0' && next <= '9')) return [pre, { frac: ch, digits: j - (i + 1), sep: c }, layout.slice(j)];
        }
        break;
      }
    }
  }
  return [layout, undefined, ''];
}

function pad(x: number, width: number): string {
  const s = String(Math.abs(x)).padStart(width, '0');
  return x < 0 ? `-${s}` : s;
}

/** Time.Format(layout). */
export function formatGoTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const [prefix, std, suffix] = nextStdChunk(rest);
    out += prefix;
    if (std === undefined) break;
    rest = suffix;
    out += formatChunk(std, c, t);
  }
  return out;
}

function formatChunk(std: Chunk, c: Civil, t: GoTime): string {
  if (typeof std === 'object') {
    if (std.frac === '0') return std.sep + String(c.nanos).padStart(9, '0').slice(0, std.digits);
    const digits = String(c.nanos).padStart(9, '0').slice(0, std.digits).replace(/0+$/, '');
    return digits === '' ? '' : std.sep + digits;
  }
  switch (std) {
    case 'Year':
      return pad(c.year % 100, 2);
    case 'LongYear':
      return pad(c.year, 4);
    case 'Month':
      return LONG_MONTHS[c.month - 1]!.slice(0, 3);
    case 'LongMonth':
      return LONG_MONTHS[c.month - 1]!;
    case 'NumMonth':
      return String(c.month);
    case 'ZeroMonth':
      return pad(c.month, 2);
    case 'WeekDay':
      return LONG_DAYS[c.weekday]!.slice(0, 3);
    case 'LongWeekDay':
      return LONG_DAYS[c.weekday]!;
    case 'Day':
      return String(c.day);
    case 'UnderDay':
      return (c.day < 10 ? ' ' : '') + String(c.day);
    case 'ZeroDay':
      return pad(c.day, 2);
    case 'UnderYearDay':
      return String(c.yday).padStart(3, ' ');
    case 'ZeroYearDay':
      return pad(c.yday, 3);
    case 'Hour':
      return pad(c.hour, 2);
    case 'Hour12':
      return String(c.hour % 12 === 0 ? 12 : c.hour % 12);
    case 'ZeroHour12':
      return pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
    case 'Minute':
      return String(c.minute);
    case 'ZeroMinute':
      return pad(c.minute, 2);
    case 'Second':
      return String(c.second);
    case 'ZeroSecond':
      return pad(c.second, 2);
    case 'PM':
      return c.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return c.hour >= 12 ? 'pm' : 'am';
    case 'TZ': {
      if (t.zone !== '') return t.zone;
      const zone = Math.trunc(t.offsetSeconds / 60);
      const a = Math.abs(zone);
      return (zone < 0 ? '-' : '+') + pad(Math.floor(a / 60), 2) + pad(a % 60, 2);
    }
    default:
      return formatOffset(std, t.offsetSeconds);
  }
}

function formatOffset(std: Chunk, offset: number): string {
  const iso = typeof std === 'string' && std.startsWith('ISO8601');
  if (offset === 0 && iso) return 'Z';
  let zone = Math.trunc(offset / 60);
  let abs = offset;
  let out = '+';
  if (zone < 0) {
    out = '-';
    zone = -zone;
    abs = -abs;
  }
  out += pad(Math.floor(zone / 60), 2);
  const colon = std === 'ISO8601ColonTZ' || std === 'NumColonTZ' || std === 'ISO8601ColonSecondsTZ' || std === 'NumColonSecondsTZ';
  if (colon) out += ':';
  if (std !== 'NumShortTZ' && std !== 'ISO8601ShortTZ') out += pad(zone % 60, 2);
  if (std === 'ISO8601SecondsTZ' || std === 'NumSecondsTz' || std === 'NumColonSecondsTZ' || std === 'ISO8601ColonSecondsTZ') {
    if (std === 'NumColonSecondsTZ' || std === 'ISO8601ColonSecondsTZ') out += ':';
    out += pad(abs % 60, 2);
  }
  return out;
}
