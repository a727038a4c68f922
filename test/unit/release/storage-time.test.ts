import { describe, expect, test } from 'vitest';
import { ANSIC, RFC3339, RFC3339_NANO, TIME_STRING, formatGoTime, goTimeText, helmTimeText, parseHelmTime, parseRfc3339 } from '../../../src/release/storage/go-time.js';

const LAYOUTS = [
  ANSIC,
  RFC3339,
  RFC3339_NANO,
  TIME_STRING,
  '2006-01-02 15:04:05Z0700',
  'Monday, January 2 2006 3:04:05.000 PM -07 Z07:00:00 __2 002 _2 .999,000',
  "Jan 2 '06 15h04 pm -070000 -07:00:00",
];

// Printed by Go 1.26 (time.Time.UnmarshalJSON, then Format with each layout above, then
// MarshalJSON), with the local zone UTC.
const GO: [string, ...string[]][] = [
  ['2026-11-26T18:15:11.647541991Z', 'Thu Nov 26 18:15:11 2026', '2026-11-26T18:15:11Z', '2026-11-26T18:15:11.647541991Z', '2026-11-26 18:15:11.647541991 +0000 UTC', '2026-11-26 18:15:11Z', 'Thursday, November 26 2026 6:15:11.647 PM +00 Z 330 330 26 .647,647', "Nov 26 '26 18h15 pm +000000 +00:00:00", '"2026-11-26T18:15:11.647541991Z"'],
  ['2026-01-02T03:04:05Z', 'Fri Jan  2 03:04:05 2026', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z', '2026-01-02 03:04:05 +0000 UTC', '2026-01-02 03:04:05Z', 'Friday, January 2 2026 3:04:05.000 AM +00 Z   2 002  2 ,000', "Jan 2 '26 03h04 am +000000 +00:00:00", '"2026-01-02T03:04:05Z"'],
  ['2026-01-02T03:04:05.1+05:30', 'Fri Jan  2 03:04:05 2026', '2026-01-02T03:04:05+05:30', '2026-01-02T03:04:05.1+05:30', '2026-01-02 03:04:05.1 +0530 +0530', '2026-01-02 03:04:05+0530', 'Friday, January 2 2026 3:04:05.100 AM +05 +05:30:00   2 002  2 .1,100', "Jan 2 '26 03h04 am +053000 +05:30:00", '"2026-01-02T03:04:05.1+05:30"'],
  ['1999-12-31T23:59:59.000000001-08:00', 'Fri Dec 31 23:59:59 1999', '1999-12-31T23:59:59-08:00', '1999-12-31T23:59:59.000000001-08:00', '1999-12-31 23:59:59.000000001 -0800 -0800', '1999-12-31 23:59:59-0800', 'Friday, December 31 1999 11:59:59.000 PM -08 -08:00:00 365 365 31 ,000', "Dec 31 '99 23h59 pm -080000 -08:00:00", '"1999-12-31T23:59:59.000000001-08:00"'],
  ['2024-02-29T00:00:00.120Z', 'Thu Feb 29 00:00:00 2024', '2024-02-29T00:00:00Z', '2024-02-29T00:00:00.12Z', '2024-02-29 00:00:00.12 +0000 UTC', '2024-02-29 00:00:00Z', 'Thursday, February 29 2024 12:00:00.120 AM +00 Z  60 060 29 .12,120', "Feb 29 '24 00h00 am +000000 +00:00:00", '"2024-02-29T00:00:00.12Z"'],
  ['0001-01-01T00:00:00Z', 'Mon Jan  1 00:00:00 0001', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0001-01-01 00:00:00 +0000 UTC', '0001-01-01 00:00:00Z', 'Monday, January 1 0001 12:00:00.000 AM +00 Z   1 001  1 ,000', "Jan 1 '01 00h00 am +000000 +00:00:00", '"0001-01-01T00:00:00Z"'],
];

describe('Go time.Time as helm reads and prints it', () => {
  test.each(GO)('%s formats as Go formats it', (input, ...want) => {
    const t = parseRfc3339(input, 'UTC')!;
    expect(LAYOUTS.map((l) => formatGoTime(t, l))).toEqual(want.slice(0, LAYOUTS.length));
    expect(JSON.stringify(formatGoTime(t, RFC3339_NANO))).toBe(want.at(-1));
  });

  test.each(['2026-1-02T03:04:05Z', '2026-01-02 03:04:05Z', '2026-01-02T03:04:05', '2026-02-30T03:04:05Z', '2026-01-02T24:04:05Z', '2026-01-02T03:04:05+0530', '2026-01-02T03:04:60Z', '2026-01-02T03:04:05.Z'])(
    '%s is refused, as Go refuses it',
    (input) => {
      expect(parseRfc3339(input, 'UTC')).toBeUndefined();
    },
  );

  test('an offset that is the local zone’s takes the zone’s name; another one stays nameless', () => {
    const summer = parseRfc3339('2026-07-01T12:00:00-04:00', 'America/New_York')!;
    expect(formatGoTime(summer, TIME_STRING)).toBe('2026-07-01 12:00:00 -0400 EDT');
    const other = parseRfc3339('2026-07-01T12:00:00-05:00', 'America/New_York')!;
    expect(formatGoTime(other, TIME_STRING)).toBe('2026-07-01 12:00:00 -0500 -0500');
  });

  test('helm’s zero time is "" in JSON and January 1, year 1 when printed', () => {
    const zero = parseHelmTime('')!;
    expect(helmTimeText(zero)).toBe('');
    expect(formatGoTime(zero, ANSIC)).toBe('Mon Jan  1 00:00:00 0001');
  });

  test('a JavaScript date becomes record text in the local zone', () => {
    expect(goTimeText(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 60)), 'UTC')).toBe('2026-01-02T03:04:05.06Z');
    expect(goTimeText(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 'Asia/Kolkata')).toBe('2026-01-02T08:34:05+05:30');
  });
});
