/**
 * Go's *time.Location for the template engine: UTC, fixed zones, and IANA locations whose
 * offsets come from Intl (ICU's tz database) and whose abbreviations come from Go's own
 * zoneinfo (sdcn-tzdata.ts), since ICU only knows localized names ("GMT+1"), not "CET".
 *
 * Mirrors time/zoneinfo.go: lookup (zone in effect at an instant) and lookupName (the offset
 * a zone abbreviation stands for near an instant, which time.Parse uses for "MST").
 */
import { TZ_ROWS } from './sdcn-tzdata.js';

/** A zone in effect: its abbreviation (as "MST" prints it) and offset in seconds east of UTC. */
export interface ZoneInfo {
  readonly name: string;
  readonly offset: number;
  readonly isDST: boolean;
}

/** A time.Location. */
export interface GoLocation {
  /** Location.String(): "UTC", "Local", "Europe/Berlin", or a fixed zone's name. */
  readonly name: string;
  /** The GoTime.location value that stands for this location ('' for a fixed zone). */
  readonly id: string;
  lookup(unixSec: number): ZoneInfo;
  /** Location.lookupName: the offset `abbr` has in this location around `unixSec`, if it is one of its zones. */
  lookupName(abbr: string, unixSec: number): number | undefined;
}

/** The numeric form tzdata uses for zones without a name: +04, +0530, -003408. */
export function numericAbbr(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = Math.floor(a / 3600);
  const m = Math.floor(a / 60) % 60;
  const s = a % 60;
  let out = sign + String(h).padStart(2, '0');
  if (m !== 0 || s !== 0) out += String(m).padStart(2, '0');
  if (s !== 0) out += String(s).padStart(2, '0');
  return out;
}

/** Go's fallback for "MST" when a zone has no name: -0700 style, hours and minutes. */
export function fallbackAbbr(offset: number): string {
  let zone = Math.trunc(offset / 60);
  let sign = '+';
  if (zone < 0) {
    sign = '-';
    zone = -zone;
  }
  return sign + String(Math.floor(zone / 60)).padStart(2, '0') + String(zone % 60).padStart(2, '0');
}

export const UTC_LOCATION: GoLocation = {
  name: 'UTC',
  id: 'UTC',
  lookup: () => ({ name: 'UTC', offset: 0, isDST: false }),
  lookupName: (abbr) => (abbr === 'UTC' ? 0 : undefined),
};

/** time.FixedZone(name, offset). A nameless zone prints its offset for "MST". */
export function fixedZone(name: string, offset: number): GoLocation {
  const zone: ZoneInfo = { name: name === '' ? fallbackAbbr(offset) : name, offset, isDST: false };
  return {
    name,
    id: '',
    lookup: () => zone,
    lookupName: (abbr) => (abbr === name ? offset : undefined),
  };
}

// --- zone tables ------------------------------------------------------------------------------

interface TzZone {
  abbr: string;
  offset: number;
  isDST: boolean;
  used: boolean;
  /** Only in the footer rule: not one of Location.zone, so lookupName does not see it. */
  footerOnly: boolean;
}

interface TzTable {
  zones: TzZone[];
  /** For offsets several zones share: runs of [start (unix seconds), zone index], in time order. */
  runs: Map<number, [number, number][]>;
}

let tableIndex: Map<string, string> | undefined;
const tableCache = new Map<string, TzTable>();

function rowFor(name: string): string | undefined {
  if (!tableIndex) {
    tableIndex = new Map();
    for (const [names, table] of TZ_ROWS) for (const n of names.split(' ')) tableIndex.set(n, table);
  }
  return tableIndex.get(name);
}

function parseTable(row: string): TzTable {
  const [zonePart = '', ...ambiguities] = row.split('|');
  const zones = zonePart.split(';').map((z): TzZone => {
    const [abbr = '', off = '0', flags = ''] = z.split(',');
    const offset = parseInt(off, 36);
    return { abbr: abbr === '~' ? numericAbbr(offset) : abbr, offset, isDST: flags.includes('d'), used: !flags.includes('x'), footerOnly: flags.includes('f') };
  });
  const runs = new Map<number, [number, number][]>();
  for (const a of ambiguities) {
    const [off = '0', list = ''] = a.split('=');
    runs.set(
      parseInt(off, 36),
      list.split(' ').map((r): [number, number] => {
        const [start = '', zone = '0'] = r.split('/');
        return [start === '' ? -Infinity : parseInt(start, 36), Number(zone)];
      }),
    );
  }
  return { zones, runs };
}

function tableFor(name: string): TzTable | undefined {
  let t = tableCache.get(name);
  if (!t) {
    const row = rowFor(name.startsWith('posix/') ? name.slice(6) : name);
    if (row === undefined) return undefined;
    t = parseTable(row);
    tableCache.set(name, t);
  }
  return t;
}

/** Is `name` a location time.LoadLocation finds (case-sensitive, as on a Unix file system)? */
export function isKnownZone(name: string): boolean {
  return tableFor(name) !== undefined;
}

// --- offsets from Intl ------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_MS = 8.64e15;

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset', year: 'numeric' });
    } catch {
      f = null; // a zone Go knows but ICU does not (e.g. "Factory")
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The offset of an IANA zone at an instant, from Intl; undefined when Intl does not know the zone. */
function intlOffset(zone: string, unixSec: number): number | undefined {
  const f = formatterFor(zone);
  if (!f) return undefined;
  const ms = Math.max(-MAX_MS, Math.min(MAX_MS, unixSec * 1000));
  const part = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(part);
  if (!m || !m[1]) return 0;
  const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -secs : secs;
}

function zoneAt(table: TzTable | undefined, offset: number, unixSec: number): ZoneInfo {
  if (!table) return { name: numericAbbr(offset), offset, isDST: false };
  const candidates = table.zones.filter((z) => z.used && z.offset === offset);
  if (candidates.length === 0) return { name: numericAbbr(offset), offset, isDST: false };
  let zone = candidates[0]!;
  const runs = table.runs.get(offset);
  if (candidates.length > 1 && runs && runs.length > 0) {
    let pick = runs[0]![1];
    for (const [start, z] of runs) {
      if (start <= unixSec) pick = z;
      else break;
    }
    zone = table.zones[pick] ?? zone;
  }
  return { name: zone.abbr, offset, isDST: zone.isDST };
}

/**
 * An IANA location, e.g. "Europe/Berlin". `name` is what Location.String() says ("Local" for
 * the local zone); `zone` is the IANA name whose rules apply.
 */
export function ianaLocation(zone: string, name = zone): GoLocation {
  const table = tableFor(zone);
  const lookup = (unixSec: number): ZoneInfo => {
    const offset = intlOffset(zone, unixSec);
    if (offset === undefined) {
      const first = table?.zones.find((z) => z.used);
      return first ? { name: first.abbr, offset: first.offset, isDST: first.isDST } : { name: 'UTC', offset: 0, isDST: false };
    }
    return zoneAt(table, offset, unixSec);
  };
  return {
    name,
    id: name,
    lookup,
    lookupName(abbr, unixSec) {
      if (!table) return lookup(unixSec).name === abbr ? lookup(unixSec).offset : undefined;
      // First a zone with that name that was in effect at the time (Sydney's "EST" was both
      // standard and summer time once), then any zone with that name.
      const zones = table.zones.filter((z) => !z.footerOnly && z.abbr === abbr);
      for (const z of zones) {
        const inEffect = lookup(unixSec - z.offset);
        if (inEffect.name === abbr) return inEffect.offset;
      }
      return zones[0]?.offset;
    },
  };
}

/**
 * The process's local zone as an IANA name, what Go calls Local: from TZ, else the system
 * setting. Go falls back to UTC when TZ is empty or names an unknown zone, and so do we.
 */
/** The process's IANA zone (what Go calls Local); follows changes of process.env.TZ. */
export function processLocalZone(): string {
  const tz = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return !tz || tz === 'Etc/Unknown' ? 'UTC' : tz;
}

/** Go's Local location, with the rules of the given IANA zone. */
export function localLocation(localZone: string): GoLocation {
  if (localZone === 'UTC' || localZone === '') return { ...UTC_LOCATION, name: 'Local', id: 'Local' };
  return ianaLocation(localZone, 'Local');
}

/**
 * time.LoadLocation: "" and "UTC" are UTC, "Local" is Local, else a tz database name.
 * Undefined where Go returns an error (unknown name, "..", absolute paths).
 */
export function loadLocation(name: string, localZone: string): GoLocation | undefined {
  if (name === '' || name === 'UTC') return UTC_LOCATION;
  if (name === 'Local') return localLocation(localZone);
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) return undefined;
  if (!isKnownZone(name)) return undefined;
  return ianaLocation(name);
}

/**
 * The location a GoTime's `location` field stands for. A fixed zone (location '') keeps the
 * zone and offset stored in the time itself.
 */
export function locationOf(t: { location: string; zone: string; offsetSeconds: number }, localZone: string): GoLocation {
  switch (t.location) {
    case 'UTC':
      return UTC_LOCATION;
    case 'Local':
      return localLocation(localZone);
    case '':
      return fixedZone(t.zone === fallbackAbbr(t.offsetSeconds) ? '' : t.zone, t.offsetSeconds);
    default:
      return isKnownZone(t.location) || formatterFor(t.location) ? ianaLocation(t.location) : fixedZone(t.zone, t.offsetSeconds);
  }
}
