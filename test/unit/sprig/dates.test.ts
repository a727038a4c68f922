import { afterEach, describe, expect, test } from 'vitest';
import { GoFuncError, GoStruct, GoTime } from '../../../src/engines/gotemplate/values.js';
import { TIME_STRING_LAYOUT, dateFuncs, formatGoTime, goDuration, goTimeMethods, parseGoTime, unixTime } from '../../../src/engines/gotemplate/sprig/dates.js';
import { processLocalZone } from '../../../src/engines/gotemplate/sprig/internal/sdcn-zones.js';

// sprig v3.3.0 date_test.go, with a fixed clock and an injected local zone, then cases
// checked against sprig and Go themselves (the same template run by Go's text/template).

const NOW = new Date('2023-11-14T22:13:20Z'); // Unix 1700000000
type Fn = (...args: unknown[]) => unknown;

function funcs(localZone = 'UTC', now: Date = NOW): Record<string, Fn> {
  return Object.fromEntries(dateFuncs(() => now, { localZone }).map((f) => [f.name, f.fn as Fn]));
}

function methods(t: unknown, localZone = 'UTC'): Record<string, Fn> {
  return Object.fromEntries(Object.entries(goTimeMethods(t as GoTime, localZone)).map(([k, f]) => [k, f.fn as Fn]));
}

/** What Go's template prints for a value. */
function show(v: unknown): string {
  if (v instanceof GoTime) return formatGoTime(v);
  if (v instanceof GoStruct) return v.stringer ? v.stringer() : JSON.stringify(v.fields);
  return String(v);
}

const secondsAgo = (s: number) => new GoTime(BigInt(NOW.getTime() - s * 1000) * 1_000_000n, 0, 'UTC', 'UTC');
/** time.Parse("02 Jan 06 15:04:05 MST", "13 Jun 19 20:39:39 GMT"), as the sprig tests make it. */
const tm = parseGoTime('02 Jan 06 15:04:05 MST', '13 Jun 19 20:39:39 GMT', 'UTC', 'UTC');

describe('sprig date_test.go', () => {
  test('htmlDate 0 is 1970-01-01 in UTC (TestHtmlDate)', () => {
    expect(funcs().htmlDate!(0n)).toBe('1970-01-01');
  });

  test.each([
    [125, '2m5s'],
    [2 * 3600 + 34 * 60 + 17, '2h34m17s'],
    [-5, '-5s'],
  ])('ago of %i seconds before now is %j (TestAgo)', (s, want) => {
    expect(funcs().ago!(secondsAgo(s))).toBe(want);
  });

  test('toDate "2006-01-02" "2017-12-31" | date "02/01/2006" is 31/12/2017 (TestToDate)', () => {
    const f = funcs('Europe/Berlin');
    expect(f.date!('02/01/2006', f.toDate!('2006-01-02', '2017-12-31'))).toBe('31/12/2017');
  });

  test('unixEpoch of 13 Jun 19 20:39:39 GMT is 1560458379 (TestUnixEpoch)', () => {
    expect(funcs().unixEpoch!(tm)).toBe('1560458379');
  });

  test.each([
    ['a time.Time', tm, 'UTC', '13 Jun 19 20:39 +0000'],
    ['a unix timestamp (int, int32 and int64 all arrive as integers)', 1560458379n, 'UTC', '13 Jun 19 20:39 +0000'],
    ['an invalid zone, which falls back to UTC', tm, 'foobar', '13 Jun 19 20:39 +0000'],
    ['no time (a string), which means now', '', 'UTC', '14 Nov 23 22:13 +0000'],
    ['a float64 from YAML, which also means now', 1560458379, 'UTC', '14 Nov 23 22:13 +0000'],
  ])('date_in_zone with %s (TestDateInZone)', (_what, date, zone, want) => {
    expect(funcs('Asia/Tokyo').date_in_zone!('02 Jan 06 15:04 -0700', date, zone)).toBe(want);
  });

  test.each([
    ['61', '1m1s'],
    ['3600', '1h0m0s'],
    ['93784', '26h3m4s'], // 1d2h3m4s but go is opinionated
  ])('duration %j is %j (TestDuration)', (secs, want) => {
    expect(funcs().duration!(secs)).toBe(want);
  });

  test.each([
    ['2h5s', '2h'],
    ['24h5s', '1d'],
    ['2400h5s', '3mo'],
  ])('durationRound %j is %j (TestDurationRound)', (d, want) => {
    expect(funcs().durationRound!(d)).toBe(want);
  });
});

/** Go-checked: [local zone, function, arguments, what the template prints or its error]. */
const goChecked: [local: string, fn: string, args: unknown[], want: string][] = [
  ['UTC', 'date', ['2006-01-02 15:04:05 MST', 0n], "1970-01-01 00:00:00 UTC"],
  ['UTC', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 0n, 'Asia/Kolkata'], "Thu Jan  1 05:30:00.000 +0530 1970"],
  ['UTC', 'date_in_zone', ['3:04PM Z07:00', 0n, 'foobar'], "12:00AM Z"],
  ['UTC', 'htmlDateInZone', [0n, 'Pacific/Chatham'], "1970-01-01"],
  ['UTC', 'htmlDate', [0n], "1970-01-01"],
  ['UTC', 'date', ['2006-01-02 15:04:05 MST', 1560458379n], "2019-06-13 20:39:39 UTC"],
  ['UTC', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 1560458379n, 'Asia/Kolkata'], "Fri Jun 14 02:09:39.000 +0530 2019"],
  ['UTC', 'date_in_zone', ['3:04PM Z07:00', 1560458379n, 'foobar'], "8:39PM Z"],
  ['UTC', 'htmlDateInZone', [1560458379n, 'Pacific/Chatham'], "2019-06-14"],
  ['UTC', 'htmlDate', [1560458379n], "2019-06-13"],
  ['UTC', 'date', ['2006-01-02 15:04:05 MST', -86399n], "1969-12-31 00:00:01 UTC"],
  ['UTC', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', -86399n, 'Asia/Kolkata'], "Wed Dec 31 05:30:01.000 +0530 1969"],
  ['UTC', 'date_in_zone', ['3:04PM Z07:00', -86399n, 'foobar'], "12:00AM Z"],
  ['UTC', 'htmlDateInZone', [-86399n, 'Pacific/Chatham'], "1969-12-31"],
  ['UTC', 'htmlDate', [-86399n], "1969-12-31"],
  ['UTC', 'date', ['2006-01-02 15:04:05 MST', 1616893200n], "2021-03-28 01:00:00 UTC"],
  ['UTC', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 1616893200n, 'Asia/Kolkata'], "Sun Mar 28 06:30:00.000 +0530 2021"],
  ['UTC', 'date_in_zone', ['3:04PM Z07:00', 1616893200n, 'foobar'], "1:00AM Z"],
  ['UTC', 'htmlDateInZone', [1616893200n, 'Pacific/Chatham'], "2021-03-28"],
  ['UTC', 'htmlDate', [1616893200n], "2021-03-28"],
  ['UTC', 'date', ['2006-01-02 15:04:05 MST', 253402300799n], "9999-12-31 23:59:59 UTC"],
  ['UTC', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 253402300799n, 'Asia/Kolkata'], "Sat Jan  1 05:29:59.000 +0530 10000"],
  ['UTC', 'date_in_zone', ['3:04PM Z07:00', 253402300799n, 'foobar'], "11:59PM Z"],
  ['UTC', 'htmlDateInZone', [253402300799n, 'Pacific/Chatham'], "10000-01-01"],
  ['UTC', 'htmlDate', [253402300799n], "9999-12-31"],
  ['UTC', 'toDate', ['2006-01-02', '2017-12-31'], "2017-12-31 00:00:00 +0000 UTC"],
  ['UTC', 'mustToDate', ['2006-01-02', '2017-12-31'], "2017-12-31 00:00:00 +0000 UTC"],
  ['UTC', 'unixEpoch', [{ toDate: ["2006-01-02", "2017-12-31"] }], "1514678400"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["2006-01-02", "2017-12-31"] }], "2017-12-30 22:30:00 +0000 UTC"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02", "2017-12-31"] }], "2018-01-01 00:30:00 +0000 UTC"],
  ['UTC', 'toDate', ['2006-01-02 15:04 MST', '2019-06-13 20:39 CEST'], "2019-06-13 20:39:00 +0000 CEST"],
  ['UTC', 'mustToDate', ['2006-01-02 15:04 MST', '2019-06-13 20:39 CEST'], "2019-06-13 20:39:00 +0000 CEST"],
  ['UTC', 'unixEpoch', [{ toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "1560458340"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "2019-06-13 19:09:00 +0000 CEST"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "2019-06-14 21:09:00 +0000 CEST"],
  ['UTC', 'toDate', ['2006-01-02 15:04 -0700', '2019-06-13 20:39 +0530'], "2019-06-13 20:39:00 +0530 +0530"],
  ['UTC', 'mustToDate', ['2006-01-02 15:04 -0700', '2019-06-13 20:39 +0530'], "2019-06-13 20:39:00 +0530 +0530"],
  ['UTC', 'unixEpoch', [{ toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "1560438540"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "2019-06-13 19:09:00 +0530 +0530"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "2019-06-14 21:09:00 +0530 +0530"],
  ['UTC', 'toDate', ['2006-01-02T15:04:05Z07:00', '2021-03-28T02:30:00+01:00'], "2021-03-28 02:30:00 +0100 +0100"],
  ['UTC', 'mustToDate', ['2006-01-02T15:04:05Z07:00', '2021-03-28T02:30:00+01:00'], "2021-03-28 02:30:00 +0100 +0100"],
  ['UTC', 'unixEpoch', [{ toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "1616895000"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "2021-03-28 01:00:00 +0100 +0100"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "2021-03-29 03:00:00 +0100 +0100"],
  ['UTC', 'toDate', ['2006-01-02 15:04', '2021-03-28 02:30'], "2021-03-28 02:30:00 +0000 UTC"],
  ['UTC', 'mustToDate', ['2006-01-02 15:04', '2021-03-28 02:30'], "2021-03-28 02:30:00 +0000 UTC"],
  ['UTC', 'unixEpoch', [{ toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "1616898600"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "2021-03-28 01:00:00 +0000 UTC"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "2021-03-29 03:00:00 +0000 UTC"],
  ['UTC', 'toDate', ['2006-01-02 15:04', '2021-11-07 01:30'], "2021-11-07 01:30:00 +0000 UTC"],
  ['UTC', 'mustToDate', ['2006-01-02 15:04', '2021-11-07 01:30'], "2021-11-07 01:30:00 +0000 UTC"],
  ['UTC', 'unixEpoch', [{ toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "1636248600"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "2021-11-07 00:00:00 +0000 UTC"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "2021-11-08 02:00:00 +0000 UTC"],
  ['UTC', 'toDate', ['2006-01-02', 'garbage'], "0001-01-01 00:00:00 +0000 UTC"],
  ['UTC', 'mustToDate', ['2006-01-02', 'garbage'], "ERR parsing time \"garbage\" as \"2006-01-02\": cannot parse \"garbage\" as \"2006\""],
  ['UTC', 'unixEpoch', [{ toDate: ["2006-01-02", "garbage"] }], "-62135596800"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["2006-01-02", "garbage"] }], "0000-12-31 22:30:00 +0000 UTC"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02", "garbage"] }], "0001-01-02 00:30:00 +0000 UTC"],
  ['UTC', 'toDate', ['02 Jan 06 15:04 MST', '13 Jun 19 20:39 GMT'], "2019-06-13 20:39:00 +0000 GMT"],
  ['UTC', 'mustToDate', ['02 Jan 06 15:04 MST', '13 Jun 19 20:39 GMT'], "2019-06-13 20:39:00 +0000 GMT"],
  ['UTC', 'unixEpoch', [{ toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "1560458340"],
  ['UTC', 'dateModify', ['-1.5h', { toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "2019-06-13 19:09:00 +0000 GMT"],
  ['UTC', 'mustDateModify', ['24h30m', { toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "2019-06-14 21:09:00 +0000 GMT"],
  ['UTC', 'date_modify', ['bogus', { toDate: ["2006-01-02", "2020-02-29"] }], "2020-02-29 00:00:00 +0000 UTC"],
  ['UTC', 'mustDateModify', ['1d', { toDate: ["2006-01-02", "2020-02-29"] }], "ERR time: unknown unit \"d\" in duration \"1d\""],
  ['UTC', 'must_date_modify', ['', { toDate: ["2006-01-02", "2020-02-29"] }], "ERR time: invalid duration \"\""],
  ['Europe/Berlin', 'date', ['2006-01-02 15:04:05 MST', 0n], "1970-01-01 01:00:00 CET"],
  ['Europe/Berlin', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 0n, 'Asia/Kolkata'], "Thu Jan  1 05:30:00.000 +0530 1970"],
  ['Europe/Berlin', 'date_in_zone', ['3:04PM Z07:00', 0n, 'foobar'], "12:00AM Z"],
  ['Europe/Berlin', 'htmlDateInZone', [0n, 'Pacific/Chatham'], "1970-01-01"],
  ['Europe/Berlin', 'htmlDate', [0n], "1970-01-01"],
  ['Europe/Berlin', 'date', ['2006-01-02 15:04:05 MST', 1560458379n], "2019-06-13 22:39:39 CEST"],
  ['Europe/Berlin', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 1560458379n, 'Asia/Kolkata'], "Fri Jun 14 02:09:39.000 +0530 2019"],
  ['Europe/Berlin', 'date_in_zone', ['3:04PM Z07:00', 1560458379n, 'foobar'], "8:39PM Z"],
  ['Europe/Berlin', 'htmlDateInZone', [1560458379n, 'Pacific/Chatham'], "2019-06-14"],
  ['Europe/Berlin', 'htmlDate', [1560458379n], "2019-06-13"],
  ['Europe/Berlin', 'date', ['2006-01-02 15:04:05 MST', -86399n], "1969-12-31 01:00:01 CET"],
  ['Europe/Berlin', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', -86399n, 'Asia/Kolkata'], "Wed Dec 31 05:30:01.000 +0530 1969"],
  ['Europe/Berlin', 'date_in_zone', ['3:04PM Z07:00', -86399n, 'foobar'], "12:00AM Z"],
  ['Europe/Berlin', 'htmlDateInZone', [-86399n, 'Pacific/Chatham'], "1969-12-31"],
  ['Europe/Berlin', 'htmlDate', [-86399n], "1969-12-31"],
  ['Europe/Berlin', 'date', ['2006-01-02 15:04:05 MST', 1616893200n], "2021-03-28 03:00:00 CEST"],
  ['Europe/Berlin', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 1616893200n, 'Asia/Kolkata'], "Sun Mar 28 06:30:00.000 +0530 2021"],
  ['Europe/Berlin', 'date_in_zone', ['3:04PM Z07:00', 1616893200n, 'foobar'], "1:00AM Z"],
  ['Europe/Berlin', 'htmlDateInZone', [1616893200n, 'Pacific/Chatham'], "2021-03-28"],
  ['Europe/Berlin', 'htmlDate', [1616893200n], "2021-03-28"],
  ['Europe/Berlin', 'date', ['2006-01-02 15:04:05 MST', 253402300799n], "10000-01-01 00:59:59 CET"],
  ['Europe/Berlin', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 253402300799n, 'Asia/Kolkata'], "Sat Jan  1 05:29:59.000 +0530 10000"],
  ['Europe/Berlin', 'date_in_zone', ['3:04PM Z07:00', 253402300799n, 'foobar'], "11:59PM Z"],
  ['Europe/Berlin', 'htmlDateInZone', [253402300799n, 'Pacific/Chatham'], "10000-01-01"],
  ['Europe/Berlin', 'htmlDate', [253402300799n], "10000-01-01"],
  ['Europe/Berlin', 'toDate', ['2006-01-02', '2017-12-31'], "2017-12-31 00:00:00 +0100 CET"],
  ['Europe/Berlin', 'mustToDate', ['2006-01-02', '2017-12-31'], "2017-12-31 00:00:00 +0100 CET"],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["2006-01-02", "2017-12-31"] }], "1514674800"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["2006-01-02", "2017-12-31"] }], "2017-12-30 22:30:00 +0100 CET"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02", "2017-12-31"] }], "2018-01-01 00:30:00 +0100 CET"],
  ['Europe/Berlin', 'toDate', ['2006-01-02 15:04 MST', '2019-06-13 20:39 CEST'], "2019-06-13 20:39:00 +0200 CEST"],
  ['Europe/Berlin', 'mustToDate', ['2006-01-02 15:04 MST', '2019-06-13 20:39 CEST'], "2019-06-13 20:39:00 +0200 CEST"],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "1560451140"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "2019-06-13 19:09:00 +0200 CEST"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "2019-06-14 21:09:00 +0200 CEST"],
  ['Europe/Berlin', 'toDate', ['2006-01-02 15:04 -0700', '2019-06-13 20:39 +0530'], "2019-06-13 20:39:00 +0530 +0530"],
  ['Europe/Berlin', 'mustToDate', ['2006-01-02 15:04 -0700', '2019-06-13 20:39 +0530'], "2019-06-13 20:39:00 +0530 +0530"],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "1560438540"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "2019-06-13 19:09:00 +0530 +0530"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "2019-06-14 21:09:00 +0530 +0530"],
  ['Europe/Berlin', 'toDate', ['2006-01-02T15:04:05Z07:00', '2021-03-28T02:30:00+01:00'], "2021-03-28 02:30:00 +0100 +0100"],
  ['Europe/Berlin', 'mustToDate', ['2006-01-02T15:04:05Z07:00', '2021-03-28T02:30:00+01:00'], "2021-03-28 02:30:00 +0100 +0100"],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "1616895000"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "2021-03-28 01:00:00 +0100 +0100"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "2021-03-29 03:00:00 +0100 +0100"],
  ['Europe/Berlin', 'toDate', ['2006-01-02 15:04', '2021-03-28 02:30'], "2021-03-28 03:30:00 +0200 CEST"],
  ['Europe/Berlin', 'mustToDate', ['2006-01-02 15:04', '2021-03-28 02:30'], "2021-03-28 03:30:00 +0200 CEST"],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "1616895000"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "2021-03-28 01:00:00 +0100 CET"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "2021-03-29 04:00:00 +0200 CEST"],
  ['Europe/Berlin', 'toDate', ['2006-01-02 15:04', '2021-11-07 01:30'], "2021-11-07 01:30:00 +0100 CET"],
  ['Europe/Berlin', 'mustToDate', ['2006-01-02 15:04', '2021-11-07 01:30'], "2021-11-07 01:30:00 +0100 CET"],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "1636245000"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "2021-11-07 00:00:00 +0100 CET"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "2021-11-08 02:00:00 +0100 CET"],
  ['Europe/Berlin', 'toDate', ['2006-01-02', 'garbage'], "0001-01-01 00:00:00 +0000 UTC"],
  ['Europe/Berlin', 'mustToDate', ['2006-01-02', 'garbage'], "ERR parsing time \"garbage\" as \"2006-01-02\": cannot parse \"garbage\" as \"2006\""],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["2006-01-02", "garbage"] }], "-62135596800"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["2006-01-02", "garbage"] }], "0000-12-31 22:30:00 +0000 UTC"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02", "garbage"] }], "0001-01-02 00:30:00 +0000 UTC"],
  ['Europe/Berlin', 'toDate', ['02 Jan 06 15:04 MST', '13 Jun 19 20:39 GMT'], "2019-06-13 20:39:00 +0000 GMT"],
  ['Europe/Berlin', 'mustToDate', ['02 Jan 06 15:04 MST', '13 Jun 19 20:39 GMT'], "2019-06-13 20:39:00 +0000 GMT"],
  ['Europe/Berlin', 'unixEpoch', [{ toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "1560458340"],
  ['Europe/Berlin', 'dateModify', ['-1.5h', { toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "2019-06-13 19:09:00 +0000 GMT"],
  ['Europe/Berlin', 'mustDateModify', ['24h30m', { toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "2019-06-14 21:09:00 +0000 GMT"],
  ['Europe/Berlin', 'date_modify', ['bogus', { toDate: ["2006-01-02", "2020-02-29"] }], "2020-02-29 00:00:00 +0100 CET"],
  ['Europe/Berlin', 'mustDateModify', ['1d', { toDate: ["2006-01-02", "2020-02-29"] }], "ERR time: unknown unit \"d\" in duration \"1d\""],
  ['Europe/Berlin', 'must_date_modify', ['', { toDate: ["2006-01-02", "2020-02-29"] }], "ERR time: invalid duration \"\""],
  ['America/New_York', 'date', ['2006-01-02 15:04:05 MST', 0n], "1969-12-31 19:00:00 EST"],
  ['America/New_York', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 0n, 'Asia/Kolkata'], "Thu Jan  1 05:30:00.000 +0530 1970"],
  ['America/New_York', 'date_in_zone', ['3:04PM Z07:00', 0n, 'foobar'], "12:00AM Z"],
  ['America/New_York', 'htmlDateInZone', [0n, 'Pacific/Chatham'], "1970-01-01"],
  ['America/New_York', 'htmlDate', [0n], "1969-12-31"],
  ['America/New_York', 'date', ['2006-01-02 15:04:05 MST', 1560458379n], "2019-06-13 16:39:39 EDT"],
  ['America/New_York', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 1560458379n, 'Asia/Kolkata'], "Fri Jun 14 02:09:39.000 +0530 2019"],
  ['America/New_York', 'date_in_zone', ['3:04PM Z07:00', 1560458379n, 'foobar'], "8:39PM Z"],
  ['America/New_York', 'htmlDateInZone', [1560458379n, 'Pacific/Chatham'], "2019-06-14"],
  ['America/New_York', 'htmlDate', [1560458379n], "2019-06-13"],
  ['America/New_York', 'date', ['2006-01-02 15:04:05 MST', -86399n], "1969-12-30 19:00:01 EST"],
  ['America/New_York', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', -86399n, 'Asia/Kolkata'], "Wed Dec 31 05:30:01.000 +0530 1969"],
  ['America/New_York', 'date_in_zone', ['3:04PM Z07:00', -86399n, 'foobar'], "12:00AM Z"],
  ['America/New_York', 'htmlDateInZone', [-86399n, 'Pacific/Chatham'], "1969-12-31"],
  ['America/New_York', 'htmlDate', [-86399n], "1969-12-30"],
  ['America/New_York', 'date', ['2006-01-02 15:04:05 MST', 1616893200n], "2021-03-27 21:00:00 EDT"],
  ['America/New_York', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 1616893200n, 'Asia/Kolkata'], "Sun Mar 28 06:30:00.000 +0530 2021"],
  ['America/New_York', 'date_in_zone', ['3:04PM Z07:00', 1616893200n, 'foobar'], "1:00AM Z"],
  ['America/New_York', 'htmlDateInZone', [1616893200n, 'Pacific/Chatham'], "2021-03-28"],
  ['America/New_York', 'htmlDate', [1616893200n], "2021-03-27"],
  ['America/New_York', 'date', ['2006-01-02 15:04:05 MST', 253402300799n], "9999-12-31 18:59:59 EST"],
  ['America/New_York', 'dateInZone', ['Mon Jan _2 15:04:05.000 -0700 2006', 253402300799n, 'Asia/Kolkata'], "Sat Jan  1 05:29:59.000 +0530 10000"],
  ['America/New_York', 'date_in_zone', ['3:04PM Z07:00', 253402300799n, 'foobar'], "11:59PM Z"],
  ['America/New_York', 'htmlDateInZone', [253402300799n, 'Pacific/Chatham'], "10000-01-01"],
  ['America/New_York', 'htmlDate', [253402300799n], "9999-12-31"],
  ['America/New_York', 'toDate', ['2006-01-02', '2017-12-31'], "2017-12-31 00:00:00 -0500 EST"],
  ['America/New_York', 'mustToDate', ['2006-01-02', '2017-12-31'], "2017-12-31 00:00:00 -0500 EST"],
  ['America/New_York', 'unixEpoch', [{ toDate: ["2006-01-02", "2017-12-31"] }], "1514696400"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["2006-01-02", "2017-12-31"] }], "2017-12-30 22:30:00 -0500 EST"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02", "2017-12-31"] }], "2018-01-01 00:30:00 -0500 EST"],
  ['America/New_York', 'toDate', ['2006-01-02 15:04 MST', '2019-06-13 20:39 CEST'], "2019-06-13 20:39:00 +0000 CEST"],
  ['America/New_York', 'mustToDate', ['2006-01-02 15:04 MST', '2019-06-13 20:39 CEST'], "2019-06-13 20:39:00 +0000 CEST"],
  ['America/New_York', 'unixEpoch', [{ toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "1560458340"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "2019-06-13 19:09:00 +0000 CEST"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04 MST", "2019-06-13 20:39 CEST"] }], "2019-06-14 21:09:00 +0000 CEST"],
  ['America/New_York', 'toDate', ['2006-01-02 15:04 -0700', '2019-06-13 20:39 +0530'], "2019-06-13 20:39:00 +0530 +0530"],
  ['America/New_York', 'mustToDate', ['2006-01-02 15:04 -0700', '2019-06-13 20:39 +0530'], "2019-06-13 20:39:00 +0530 +0530"],
  ['America/New_York', 'unixEpoch', [{ toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "1560438540"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "2019-06-13 19:09:00 +0530 +0530"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04 -0700", "2019-06-13 20:39 +0530"] }], "2019-06-14 21:09:00 +0530 +0530"],
  ['America/New_York', 'toDate', ['2006-01-02T15:04:05Z07:00', '2021-03-28T02:30:00+01:00'], "2021-03-28 02:30:00 +0100 +0100"],
  ['America/New_York', 'mustToDate', ['2006-01-02T15:04:05Z07:00', '2021-03-28T02:30:00+01:00'], "2021-03-28 02:30:00 +0100 +0100"],
  ['America/New_York', 'unixEpoch', [{ toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "1616895000"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "2021-03-28 01:00:00 +0100 +0100"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02T15:04:05Z07:00", "2021-03-28T02:30:00+01:00"] }], "2021-03-29 03:00:00 +0100 +0100"],
  ['America/New_York', 'toDate', ['2006-01-02 15:04', '2021-03-28 02:30'], "2021-03-28 02:30:00 -0400 EDT"],
  ['America/New_York', 'mustToDate', ['2006-01-02 15:04', '2021-03-28 02:30'], "2021-03-28 02:30:00 -0400 EDT"],
  ['America/New_York', 'unixEpoch', [{ toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "1616913000"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "2021-03-28 01:00:00 -0400 EDT"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04", "2021-03-28 02:30"] }], "2021-03-29 03:00:00 -0400 EDT"],
  ['America/New_York', 'toDate', ['2006-01-02 15:04', '2021-11-07 01:30'], "2021-11-07 01:30:00 -0400 EDT"],
  ['America/New_York', 'mustToDate', ['2006-01-02 15:04', '2021-11-07 01:30'], "2021-11-07 01:30:00 -0400 EDT"],
  ['America/New_York', 'unixEpoch', [{ toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "1636263000"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "2021-11-07 00:00:00 -0400 EDT"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02 15:04", "2021-11-07 01:30"] }], "2021-11-08 01:00:00 -0500 EST"],
  ['America/New_York', 'toDate', ['2006-01-02', 'garbage'], "0001-01-01 00:00:00 +0000 UTC"],
  ['America/New_York', 'mustToDate', ['2006-01-02', 'garbage'], "ERR parsing time \"garbage\" as \"2006-01-02\": cannot parse \"garbage\" as \"2006\""],
  ['America/New_York', 'unixEpoch', [{ toDate: ["2006-01-02", "garbage"] }], "-62135596800"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["2006-01-02", "garbage"] }], "0000-12-31 22:30:00 +0000 UTC"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["2006-01-02", "garbage"] }], "0001-01-02 00:30:00 +0000 UTC"],
  ['America/New_York', 'toDate', ['02 Jan 06 15:04 MST', '13 Jun 19 20:39 GMT'], "2019-06-13 20:39:00 +0000 GMT"],
  ['America/New_York', 'mustToDate', ['02 Jan 06 15:04 MST', '13 Jun 19 20:39 GMT'], "2019-06-13 20:39:00 +0000 GMT"],
  ['America/New_York', 'unixEpoch', [{ toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "1560458340"],
  ['America/New_York', 'dateModify', ['-1.5h', { toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "2019-06-13 19:09:00 +0000 GMT"],
  ['America/New_York', 'mustDateModify', ['24h30m', { toDate: ["02 Jan 06 15:04 MST", "13 Jun 19 20:39 GMT"] }], "2019-06-14 21:09:00 +0000 GMT"],
  ['America/New_York', 'date_modify', ['bogus', { toDate: ["2006-01-02", "2020-02-29"] }], "2020-02-29 00:00:00 -0500 EST"],
  ['America/New_York', 'mustDateModify', ['1d', { toDate: ["2006-01-02", "2020-02-29"] }], "ERR time: unknown unit \"d\" in duration \"1d\""],
  ['America/New_York', 'must_date_modify', ['', { toDate: ["2006-01-02", "2020-02-29"] }], "ERR time: invalid duration \"\""],
  ['UTC', 'duration', ['61'], "1m1s"],
  ['UTC', 'duration', ['3600'], "1h0m0s"],
  ['UTC', 'duration', ['93784'], "26h3m4s"],
  ['UTC', 'duration', ['-5'], "-5s"],
  ['UTC', 'duration', ['x'], "0s"],
  ['UTC', 'duration', [''], "0s"],
  ['UTC', 'duration', ['9223372036854775807'], "-1s"],
  ['UTC', 'duration', ['99999999999999999999'], "-1s"],
  ['UTC', 'duration', ['+7'], "7s"],
  ['UTC', 'duration', ['1_000'], "0s"],
  ['UTC', 'duration', [61n], "1m1s"],
  ['UTC', 'duration', [0n], "0s"],
  ['UTC', 'duration', [-3600n], "-1h0m0s"],
  ['UTC', 'duration', [9223372036n], "2562047h47m16s"],
  ['UTC', 'durationRound', ['2h5s'], "2h"],
  ['UTC', 'durationRound', ['24h5s'], "1d"],
  ['UTC', 'durationRound', ['2400h5s'], "3mo"],
  ['UTC', 'durationRound', ['-2h5s'], "2h"],
  ['UTC', 'durationRound', ['1s'], "0s"],
  ['UTC', 'durationRound', ['1.5s'], "1s"],
  ['UTC', 'durationRound', ['9000h'], "1y"],
  ['UTC', 'durationRound', ['8761h'], "1y"],
  ['UTC', 'durationRound', ['0'], "0s"],
  ['UTC', 'durationRound', ['x'], "0s"],
  ['UTC', 'durationRound', ['59m59s'], "59m"],
  ['UTC', 'durationRound', ['720h1s'], "1mo"],
  ['UTC', 'durationRound', [3600000000001n], "1h"],
  ['UTC', 'durationRound', [-86400000000001n], "1d"],
];

describe('sprig date functions, checked against Go', () => {
  test.each(goChecked)('in %s, %s %s gives %j', (local, fn, args, want) => {
    const f = funcs(local);
    const resolved = args.map((a) => (a !== null && typeof a === 'object' && 'toDate' in a ? f.toDate!(...(a as { toDate: string[] }).toDate) : a));
    let got: string;
    try {
      got = show(f[fn]!(...resolved));
    } catch (e) {
      expect(e).toBeInstanceOf(GoFuncError);
      got = `ERR ${(e as Error).message}`;
    }
    expect(got).toBe(want);
  });

  test('now is the injected clock in the local zone', () => {
    const now = funcs('Europe/Berlin').now!() as GoTime;
    expect(now.unixNanos).toBe(1_700_000_000_000_000_000n);
    expect(now.location).toBe('Local');
    expect(formatGoTime(now)).toBe('2023-11-14 23:13:20 +0100 CET');
  });

  test('ago and durationRound of a time count from the injected clock', () => {
    const f = funcs();
    expect(f.ago!(1700000000n - 3661n)).toBe('1h1m1s');
    expect(f.ago!('not a time')).toBe('0s');
    expect(f.durationRound!(secondsAgo(40 * 86400))).toBe('1mo');
    expect(f.durationRound!(3.5)).toBe('0s');
  });

  test('toDate gives the zero time on a bad value; mustToDate fails', () => {
    const zero = funcs().toDate!('2006-01-02', 'nope') as GoTime;
    expect(formatGoTime(zero)).toBe('0001-01-01 00:00:00 +0000 UTC');
    expect(methods(zero).IsZero!()).toBe(true);
    expect(() => funcs().mustToDate!('2006-01-02', 'nope')).toThrow(GoFuncError);
  });
});

describe('time.Time methods', () => {
  // 2021-03-28 01:30:00 CET, half an hour before Berlin's clocks went forward.
  const berlin = () => funcs('Europe/Berlin').toDate!('2006-01-02 15:04', '2021-03-28 01:30') as GoTime;

  test.each([
    ['Unix', [], '1616891400'],
    ['UnixMilli', [], '1616891400000'],
    ['UnixMicro', [], '1616891400000000'],
    ['UnixNano', [], '1616891400000000000'],
    ['Year', [], '2021'],
    ['Month', [], 'March'],
    ['Day', [], '28'],
    ['Hour', [], '1'],
    ['Minute', [], '30'],
    ['Second', [], '0'],
    ['Nanosecond', [], '0'],
    ['Weekday', [], 'Sunday'],
    ['YearDay', [], '87'],
    ['IsZero', [], 'false'],
    ['IsDST', [], 'false'],
    ['String', [], '2021-03-28 01:30:00 +0100 CET'],
    ['Format', ['Mon, 02 Jan 2006 15:04:05 MST'], 'Sun, 28 Mar 2021 01:30:00 CET'],
    ['UTC', [], '2021-03-28 00:30:00 +0000 UTC'],
    ['Local', [], '2021-03-28 01:30:00 +0100 CET'],
    ['Location', [], 'Local'],
    ['Add', [3600_000_000_000n], '2021-03-28 03:30:00 +0200 CEST'],
    ['Add', [goDuration(-90n * 60_000_000_000n)], '2021-03-28 00:00:00 +0100 CET'],
    ['AddDate', [0n, 1n, -28n], '2021-03-31 01:30:00 +0200 CEST'],
    ['AddDate', [-1n, 0n, 0n], '2020-03-28 01:30:00 +0100 CET'],
    ['Round', [3600_000_000_000n], '2021-03-28 03:00:00 +0200 CEST'], // halfway rounds up, to 01:00 UTC
    ['Truncate', [86_400_000_000_000n], '2021-03-28 01:00:00 +0100 CET'],
    ['Truncate', [7n * 86_400_000_000_000n], '2021-03-22 01:00:00 +0100 CET'], // weeks count from year 1
  ])('.%s %s is %j', (name, args, want) => {
    expect(show(methods(berlin(), 'Europe/Berlin')[name]!(...args))).toBe(want);
  });

  test('Sub, Before, After, Equal and Compare compare instants, not zones', () => {
    const a = berlin();
    const b = methods(a, 'Europe/Berlin').UTC!() as GoTime;
    const c = methods(a, 'Europe/Berlin').Add!(90_000_000_000n) as GoTime;
    const m = methods(a, 'Europe/Berlin');
    expect([m.Equal!(b), m.Before!(c), m.After!(c), m.Compare!(c)]).toEqual([true, true, false, -1n]);
    const d = methods(c).Sub!(a) as GoStruct;
    expect(d.typeName).toBe('time.Duration');
    expect(show(d)).toBe('1m30s');
    expect(d.methods.Seconds!.fn()).toBe(90);
    expect(d.json!.marshal!()).toBe(90_000_000_000n);
  });

  test('In moves a time to the location of another', () => {
    const tokyo = parseGoTime('2006-01-02', '2024-01-01', 'Asia/Tokyo', 'UTC');
    const loc = methods(tokyo).Location!();
    expect(show(loc)).toBe('Asia/Tokyo');
    expect(show(methods(berlin(), 'Europe/Berlin').In!(loc))).toBe('2021-03-28 09:30:00 +0900 JST');
    expect(() => methods(tokyo).In!('Asia/Tokyo')).toThrow('wrong type for value; expected *time.Location; got string');
  });

  test('a parsed zone that Local does not have stays a fixed zone through Add', () => {
    const t = funcs('Europe/Berlin').toDate!('2006-01-02 15:04 -0700', '2021-06-01 12:00 +0530') as GoTime;
    expect(t.location).toBe('');
    expect(show(methods(t, 'Europe/Berlin').Add!(180n * 86_400_000_000_000n))).toBe('2021-11-28 12:00:00 +0530 +0530');
  });

  test('formatGoTime defaults to Time.String\'s layout', () => {
    expect(TIME_STRING_LAYOUT).toBe('2006-01-02 15:04:05.999999999 -0700 MST');
    expect(formatGoTime(unixTime(1n, 500n, 'America/New_York'))).toBe('1969-12-31 19:00:01.0000005 -0500 EST');
  });
});

describe('the local zone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  test('defaults to the process zone, as Go reads TZ', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(processLocalZone()).toBe('Asia/Tokyo');
    const now = Object.fromEntries(dateFuncs(() => NOW).map((f) => [f.name, f.fn as Fn])).now!() as GoTime;
    expect(formatGoTime(now)).toBe('2023-11-15 07:13:20 +0900 JST');
  });

  test('an empty TZ is UTC, as in Go', () => {
    process.env.TZ = '';
    expect(processLocalZone()).toBe('UTC');
  });
});
