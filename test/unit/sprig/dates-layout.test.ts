import { describe, expect, test } from 'vitest';
import type { GoTime } from '../../../src/engines/gotemplate/values.js';
import { durationString, formatGoTime, goTimeMethods, parseDuration } from '../../../src/engines/gotemplate/sprig/dates.js';
import { roundDuration, truncateDuration } from '../../../src/engines/goruntime/index.js';
import { timeQuote } from '../../../src/engines/gotemplate/fmt/go-time.js';
import { TimeParseError, formatTime, goDate, parseTime, parseTimeZone, timeFields, timeIn } from '../../../src/engines/gotemplate/sprig/internal/sdcn-time.js';
import { UTC_LOCATION, fixedZone, ianaLocation, localLocation } from '../../../src/engines/gotemplate/sprig/internal/sdcn-zones.js';

// Go's own tests of time layouts and durations: the tables below are format_test.go and
// time_test.go of Go 1.26 (the Go helm v3.22.0 is built with), evaluated by Go and written out.
// Go's time tests run with Local = America/Los_Angeles; so do these.

const LA = localLocation('America/Los_Angeles');
/** time.Parse: UTC by default, zone names and offsets matched against Local. */
const parse = (layout: string, value: string) => parseTime(layout, value, UTC_LOCATION, LA);
const ANSIC = 'Mon Jan _2 15:04:05 2006';
const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339Nano = '2006-01-02T15:04:05.999999999Z07:00';
const RubyDate = 'Mon Jan 02 15:04:05 -0700 2006';
const UnixDate = 'Mon Jan _2 15:04:05 MST 2006';
const NS = 1_000_000_000n;

/** format_test.go formatTests: Unix(0, 1233810057012345600) in America/Los_Angeles. */
const formatTests: [name: string, layout: string, want: string][] = [
  ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'Wed Feb  4 21:00:57 2009'],
  ['UnixDate', 'Mon Jan _2 15:04:05 MST 2006', 'Wed Feb  4 21:00:57 PST 2009'],
  ['RubyDate', 'Mon Jan 02 15:04:05 -0700 2006', 'Wed Feb 04 21:00:57 -0800 2009'],
  ['RFC822', '02 Jan 06 15:04 MST', '04 Feb 09 21:00 PST'],
  ['RFC850', 'Monday, 02-Jan-06 15:04:05 MST', 'Wednesday, 04-Feb-09 21:00:57 PST'],
  ['RFC1123', 'Mon, 02 Jan 2006 15:04:05 MST', 'Wed, 04 Feb 2009 21:00:57 PST'],
  ['RFC1123Z', 'Mon, 02 Jan 2006 15:04:05 -0700', 'Wed, 04 Feb 2009 21:00:57 -0800'],
  ['RFC3339', '2006-01-02T15:04:05Z07:00', '2009-02-04T21:00:57-08:00'],
  ['RFC3339Nano', '2006-01-02T15:04:05.999999999Z07:00', '2009-02-04T21:00:57.0123456-08:00'],
  ['Kitchen', '3:04PM', '9:00PM'],
  ['am/pm', '3pm', '9pm'],
  ['AM/PM', '3PM', '9PM'],
  ['two-digit year', '06 01 02', '09 02 04'],
  ['Janet', 'Hi Janet, the Month is January', 'Hi Janet, the Month is February'],
  ['Stamp', 'Jan _2 15:04:05', 'Feb  4 21:00:57'],
  ['StampMilli', 'Jan _2 15:04:05.000', 'Feb  4 21:00:57.012'],
  ['StampMicro', 'Jan _2 15:04:05.000000', 'Feb  4 21:00:57.012345'],
  ['StampNano', 'Jan _2 15:04:05.000000000', 'Feb  4 21:00:57.012345600'],
  ['DateTime', '2006-01-02 15:04:05', '2009-02-04 21:00:57'],
  ['DateOnly', '2006-01-02', '2009-02-04'],
  ['TimeOnly', '15:04:05', '21:00:57'],
  ['YearDay', 'Jan  2 002 __2 2', 'Feb  4 035  35 4'],
  ['Year', '2006 6 06 _6 __6 ___6', '2009 6 09 _6 __6 ___6'],
  ['Month', 'Jan January 1 01 _1', 'Feb February 2 02 _2'],
  ['DayOfMonth', '2 02 _2 __2', '4 04  4  35'],
  ['DayOfWeek', 'Mon Monday', 'Wed Wednesday'],
  ['Hour', '15 3 03 _3', '21 9 09 _9'],
  ['Minute', '4 04 _4', '0 00 _0'],
  ['Second', '5 05 _5', '57 57 _57'],
];

/** format_test.go parseTests (Local is America/Los_Angeles), then rubyTests. */
const parseTests: [name: string, layout: string, value: string, hasTZ: boolean, hasWD: boolean, yearSign: number, fracDigits: number][] = [
  ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'Thu Feb  4 21:00:57 2010', false, true, 1, 0],
  ['UnixDate', 'Mon Jan _2 15:04:05 MST 2006', 'Thu Feb  4 21:00:57 PST 2010', true, true, 1, 0],
  ['RubyDate', 'Mon Jan 02 15:04:05 -0700 2006', 'Thu Feb 04 21:00:57 -0800 2010', true, true, 1, 0],
  ['RFC850', 'Monday, 02-Jan-06 15:04:05 MST', 'Thursday, 04-Feb-10 21:00:57 PST', true, true, 1, 0],
  ['RFC1123', 'Mon, 02 Jan 2006 15:04:05 MST', 'Thu, 04 Feb 2010 21:00:57 PST', true, true, 1, 0],
  ['RFC1123', 'Mon, 02 Jan 2006 15:04:05 MST', 'Thu, 04 Feb 2010 22:00:57 PDT', true, true, 1, 0],
  ['RFC1123Z', 'Mon, 02 Jan 2006 15:04:05 -0700', 'Thu, 04 Feb 2010 21:00:57 -0800', true, true, 1, 0],
  ['RFC3339', '2006-01-02T15:04:05Z07:00', '2010-02-04T21:00:57-08:00', true, false, 1, 0],
  ['custom: "2006-01-02 15:04:05-07"', '2006-01-02 15:04:05-07', '2010-02-04 21:00:57-08', true, false, 1, 0],
  ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'Thu Feb  4 21:00:57.0 2010', false, true, 1, 1],
  ['UnixDate', 'Mon Jan _2 15:04:05 MST 2006', 'Thu Feb  4 21:00:57.01 PST 2010', true, true, 1, 2],
  ['RubyDate', 'Mon Jan 02 15:04:05 -0700 2006', 'Thu Feb 04 21:00:57.012 -0800 2010', true, true, 1, 3],
  ['RFC850', 'Monday, 02-Jan-06 15:04:05 MST', 'Thursday, 04-Feb-10 21:00:57.0123 PST', true, true, 1, 4],
  ['RFC1123', 'Mon, 02 Jan 2006 15:04:05 MST', 'Thu, 04 Feb 2010 21:00:57.01234 PST', true, true, 1, 5],
  ['RFC1123Z', 'Mon, 02 Jan 2006 15:04:05 -0700', 'Thu, 04 Feb 2010 21:00:57.01234 -0800', true, true, 1, 5],
  ['RFC3339', '2006-01-02T15:04:05Z07:00', '2010-02-04T21:00:57.012345678-08:00', true, false, 1, 9],
  ['custom: "2006-01-02 15:04:05"', '2006-01-02 15:04:05', '2010-02-04 21:00:57.0', false, false, 1, 0],
  ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'Thu Feb 4 21:00:57 2010', false, true, 1, 0],
  ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'Thu      Feb     4     21:00:57     2010', false, true, 1, 0],
  ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'THU FEB 4 21:00:57 2010', false, true, 1, 0],
  ['ANSIC', 'Mon Jan _2 15:04:05 2006', 'thu feb 4 21:00:57 2010', false, true, 1, 0],
  ['millisecond:: dot separator', 'Mon Jan _2 15:04:05.000 2006', 'Thu Feb  4 21:00:57.012 2010', false, true, 1, 3],
  ['microsecond:: dot separator', 'Mon Jan _2 15:04:05.000000 2006', 'Thu Feb  4 21:00:57.012345 2010', false, true, 1, 6],
  ['nanosecond:: dot separator', 'Mon Jan _2 15:04:05.000000000 2006', 'Thu Feb  4 21:00:57.012345678 2010', false, true, 1, 9],
  ['millisecond:: comma separator', 'Mon Jan _2 15:04:05,000 2006', 'Thu Feb  4 21:00:57.012 2010', false, true, 1, 3],
  ['microsecond:: comma separator', 'Mon Jan _2 15:04:05,000000 2006', 'Thu Feb  4 21:00:57.012345 2010', false, true, 1, 6],
  ['nanosecond:: comma separator', 'Mon Jan _2 15:04:05,000000000 2006', 'Thu Feb  4 21:00:57.012345678 2010', false, true, 1, 9],
  ['zero1', '2006.01.02.15.04.05.0', '2010.02.04.21.00.57.0', false, false, 1, 1],
  ['zero2', '2006.01.02.15.04.05.00', '2010.02.04.21.00.57.01', false, false, 1, 2],
  ['Janet', 'Hi Janet, the Month is January: Jan _2 15:04:05 2006', 'Hi Janet, the Month is February: Feb  4 21:00:57 2010', false, true, 1, 0],
  ['GMT-8', 'Mon Jan _2 15:04:05 MST 2006', 'Fri Feb  5 05:00:57 GMT-8 2010', true, true, 1, 0],
  ['', '2006-01-02 15:04:05.9999 -0700 MST', '2010-02-04 21:00:57 -0800 PST', true, false, 1, 0],
  ['', '2006-01-02 15:04:05.999999999 -0700 MST', '2010-02-04 21:00:57 -0800 PST', true, false, 1, 0],
  ['', '2006-01-02 15:04:05.9999 -0700 MST', '2010-02-04 21:00:57.0123 -0800 PST', true, false, 1, 4],
  ['', '2006-01-02 15:04:05.999999999 -0700 MST', '2010-02-04 21:00:57.0123 -0800 PST', true, false, 1, 4],
  ['', '2006-01-02 15:04:05.9999 -0700 MST', '2010-02-04 21:00:57.012345678 -0800 PST', true, false, 1, 9],
  ['', '2006-01-02 15:04:05.999999999 -0700 MST', '2010-02-04 21:00:57.012345678 -0800 PST', true, false, 1, 9],
  ['', '2006-01-02 15:04:05,9999 -0700 MST', '2010-02-04 21:00:57 -0800 PST', true, false, 1, 0],
  ['', '2006-01-02 15:04:05,999999999 -0700 MST', '2010-02-04 21:00:57 -0800 PST', true, false, 1, 0],
  ['', '2006-01-02 15:04:05,9999 -0700 MST', '2010-02-04 21:00:57.0123 -0800 PST', true, false, 1, 4],
  ['', '2006-01-02 15:04:05,999999999 -0700 MST', '2010-02-04 21:00:57.0123 -0800 PST', true, false, 1, 4],
  ['', '2006-01-02 15:04:05,9999 -0700 MST', '2010-02-04 21:00:57.012345678 -0800 PST', true, false, 1, 9],
  ['', '2006-01-02 15:04:05,999999999 -0700 MST', '2010-02-04 21:00:57.012345678 -0800 PST', true, false, 1, 9],
  ['', 'Jan _2 15:04:05.000000000', 'Feb  4 21:00:57.012345678', false, false, -1, 9],
  ['', 'Jan _2 15:04:05.999', 'Feb  4 21:00:57.012300000', false, false, -1, 4],
  ['', 'Jan _2 15:04:05.999', 'Feb  4 21:00:57.012345678', false, false, -1, 9],
  ['', 'Jan _2 15:04:05.999999999', 'Feb  4 21:00:57.0123', false, false, -1, 4],
  ['', 'Jan _2 15:04:05.999999999', 'Feb  4 21:00:57.012345678', false, false, -1, 9],
  ['', '2006-01-02 002 15:04:05', '2010-02-04 035 21:00:57', false, false, 1, 0],
  ['', '2006-01 002 15:04:05', '2010-02 035 21:00:57', false, false, 1, 0],
  ['', '2006-002 15:04:05', '2010-035 21:00:57', false, false, 1, 0],
  ['', '200600201 15:04:05', '201003502 21:00:57', false, false, 1, 0],
  ['', '200600204 15:04:05', '201003504 21:00:57', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07', '2010-02-04T21:00:57Z', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07', '2010-02-04T21:00:57+08', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07', '2010-02-04T21:00:57-08', true, false, 1, 0],
  ['', '2006-01-02T15:04:05Z0700', '2010-02-04T21:00:57Z', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z0700', '2010-02-04T21:00:57+0800', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z0700', '2010-02-04T21:00:57-0800', true, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07:00', '2010-02-04T21:00:57Z', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07:00', '2010-02-04T21:00:57+08:00', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07:00', '2010-02-04T21:00:57-08:00', true, false, 1, 0],
  ['', '2006-01-02T15:04:05Z070000', '2010-02-04T21:00:57Z', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z070000', '2010-02-04T21:00:57+080000', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z070000', '2010-02-04T21:00:57-080000', true, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07:00:00', '2010-02-04T21:00:57Z', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07:00:00', '2010-02-04T21:00:57+08:00:00', false, false, 1, 0],
  ['', '2006-01-02T15:04:05Z07:00:00', '2010-02-04T21:00:57-08:00:00', true, false, 1, 0],
];

/** format_test.go rubyTests. */
const rubyTests: [name: string, layout: string, value: string, hasTZ: boolean, hasWD: boolean, yearSign: number, fracDigits: number][] = [
  ['RubyDate', 'Mon Jan 02 15:04:05 -0700 2006', 'Thu Feb 04 21:00:57 -0800 2010', true, true, 1, 0],
  ['RubyDate', 'Mon Jan 02 15:04:05 -0700 2006', 'Thu Feb 04 21:00:57 -0000 2010', false, true, 1, 0],
  ['RubyDate', 'Mon Jan 02 15:04:05 -0700 2006', 'Thu Feb 04 21:00:57 +0000 2010', false, true, 1, 0],
  ['RubyDate', 'Mon Jan 02 15:04:05 -0700 2006', 'Thu Feb 04 21:00:57 +1130 2010', false, true, 1, 0],
];

/** format_test.go dayOutOfRangeTests, all parsed with ANSIC. */
const dayOutOfRangeTests: [value: string, ok: boolean][] = [
  ['Thu Jan 99 21:00:57 2010', false],
  ['Thu Jan 31 21:00:57 2010', true],
  ['Thu Jan 32 21:00:57 2010', false],
  ['Thu Feb 28 21:00:57 2012', true],
  ['Thu Feb 29 21:00:57 2012', true],
  ['Thu Feb 29 21:00:57 2010', false],
  ['Thu Mar 31 21:00:57 2010', true],
  ['Thu Mar 32 21:00:57 2010', false],
  ['Thu Apr 30 21:00:57 2010', true],
  ['Thu Apr 31 21:00:57 2010', false],
  ['Thu May 31 21:00:57 2010', true],
  ['Thu May 32 21:00:57 2010', false],
  ['Thu Jun 30 21:00:57 2010', true],
  ['Thu Jun 31 21:00:57 2010', false],
  ['Thu Jul 31 21:00:57 2010', true],
  ['Thu Jul 32 21:00:57 2010', false],
  ['Thu Aug 31 21:00:57 2010', true],
  ['Thu Aug 32 21:00:57 2010', false],
  ['Thu Sep 30 21:00:57 2010', true],
  ['Thu Sep 31 21:00:57 2010', false],
  ['Thu Oct 31 21:00:57 2010', true],
  ['Thu Oct 32 21:00:57 2010', false],
  ['Thu Nov 30 21:00:57 2010', true],
  ['Thu Nov 31 21:00:57 2010', false],
  ['Thu Dec 31 21:00:57 2010', true],
  ['Thu Dec 32 21:00:57 2010', false],
  ['Thu Dec 00 21:00:57 2010', false],
];

/** format_test.go parseTimeZoneTests. */
const parseTimeZoneTests: [value: string, length: number, ok: boolean][] = [
  ['gmt hi there', 0, false],
  ['GMT hi there', 3, true],
  ['GMT+12 hi there', 6, true],
  ['GMT+00 hi there', 6, true],
  ['GMT+', 3, true],
  ['GMT+3', 5, true],
  ['GMT+a', 3, true],
  ['GMT+3a', 5, true],
  ['GMT-5 hi there', 5, true],
  ['GMT-51 hi there', 3, true],
  ['ChST hi there', 4, true],
  ['MeST hi there', 4, true],
  ['MSDx', 3, true],
  ['MSDY', 0, false],
  ['ESAST hi', 5, true],
  ['ESASTT hi', 0, false],
  ['ESATY hi', 0, false],
  ['WITA hi', 4, true],
  ['+03 hi', 3, true],
  ['-04 hi', 3, true],
  ['+00', 3, true],
  ['-11', 3, true],
  ['-12', 3, true],
  ['-23', 3, true],
  ['-24', 0, false],
  ['+13', 3, true],
  ['+14', 3, true],
  ['+23', 3, true],
  ['+24', 0, false],
];

/** format_test.go parseErrorTests: the error must contain `expect`. */
const parseErrorTests: [layout: string, value: string, expect: string][] = [
  ['Mon Jan _2 15:04:05 2006', 'Feb  4 21:00:60 2010', 'cannot parse "Feb  4 21:00:60 2010" as "Mon"'],
  ['Mon Jan _2 15:04:05 2006', 'Thu Feb  4 21:00:57 @2010', 'cannot parse "@2010" as "2006"'],
  ['Mon Jan _2 15:04:05 2006', 'Thu Feb  4 21:00:60 2010', 'second out of range'],
  ['Mon Jan _2 15:04:05 2006', 'Thu Feb  4 21:61:57 2010', 'minute out of range'],
  ['Mon Jan _2 15:04:05 2006', 'Thu Feb  4 24:00:60 2010', 'hour out of range'],
  ['Mon Jan _2 15:04:05.000 2006', 'Thu Feb  4 23:00:59x01 2010', 'cannot parse "x01 2010" as ".000"'],
  ['Mon Jan _2 15:04:05.000 2006', 'Thu Feb  4 23:00:59.xxx 2010', 'cannot parse ".xxx 2010" as ".000"'],
  ['Mon Jan _2 15:04:05.000 2006', 'Thu Feb  4 23:00:59.-123 2010', 'fractional second out of range'],
  ['Jan _2 15:04:05.000000000', 'Dec  7 11:22:01.000000', 'cannot parse ".000000" as ".000000000"'],
  ['Jan _2 15:04:05.000000000', 'Dec  7 11:22:01.0000000000', 'extra text: "0"'],
  ['2006-01-02T15:04:05Z07:00', '2006-01-02T15:04:05Z07:00', 'parsing time "2006-01-02T15:04:05Z07:00": extra text: "07:00"'],
  ['2006-01-02T15:04:05Z07:00', '2006-01-02T15:04_abc', 'parsing time "2006-01-02T15:04_abc" as "2006-01-02T15:04:05Z07:00": cannot parse "_abc" as ":"'],
  ['2006-01-02T15:04:05Z07:00', '2006-01-02T15:04:05_abc', 'parsing time "2006-01-02T15:04:05_abc" as "2006-01-02T15:04:05Z07:00": cannot parse "_abc" as "Z07:00"'],
  ['2006-01-02T15:04:05Z07:00', '2006-01-02T15:04:05Z_abc', 'parsing time "2006-01-02T15:04:05Z_abc": extra text: "_abc"'],
  ['2006-01-02T15:04:05Z07:00', '2010-02-04T21:00:67.012345678-08:00', 'second out of range'],
  ['2006-01-02T15:04:05Z07:00', '0000-01-01T00:00:.0+00:00', 'parsing time "0000-01-01T00:00:.0+00:00" as "2006-01-02T15:04:05Z07:00": cannot parse ".0+00:00" as "05"'],
  ['_2 Jan 06 15:04 MST', '4 --- 00 00:00 GMT', 'cannot parse "--- 00 00:00 GMT" as "Jan"'],
  ['_2 January 06 15:04 MST', '4 --- 00 00:00 GMT', 'cannot parse "--- 00 00:00 GMT" as "January"'],
  ['Jan _2 002 2006', 'Feb  4 034 2006', 'day-of-year does not match day'],
  ['Jan _2 002 2006', 'Feb  4 004 2006', 'day-of-year does not match month'],
  ['"2006-01-02T15:04:05Z07:00"', '0', 'parsing time "0" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse "0" as "\\""'],
  ['2006-01-02T15:04:05Z07:00', '"', 'parsing time "\\"" as "2006-01-02T15:04:05Z07:00": cannot parse "\\"" as "2006"'],
  ['2006-01-02T15:04:05Z07:00', '0000-01-01T00:00:00+00:+0', 'parsing time "0000-01-01T00:00:00+00:+0" as "2006-01-02T15:04:05Z07:00": cannot parse "+00:+0" as "Z07:00"'],
  ['2006-01-02T15:04:05Z07:00', '0000-01-01T00:00:00+-0:00', 'parsing time "0000-01-01T00:00:00+-0:00" as "2006-01-02T15:04:05Z07:00": cannot parse "+-0:00" as "Z07:00"'],
  ['2006-01-02', '22-10-25', 'parsing time "22-10-25" as "2006-01-02": cannot parse "22-10-25" as "2006"'],
  ['06-01-02', 'a2-10-25', 'parsing time "a2-10-25" as "06-01-02": cannot parse "a2-10-25" as "06"'],
  ['03:04PM', '12:03pM', 'parsing time "12:03pM" as "03:04PM": cannot parse "pM" as "PM"'],
  ['03:04pm', '12:03pM', 'parsing time "12:03pM" as "03:04pm": cannot parse "pM" as "pm"'],
  ['-07', '-25', 'time zone offset hour out of range'],
  ['-07:00', '+25:00', 'time zone offset hour out of range'],
  ['-07:00', '-23:61', 'time zone offset minute out of range'],
  ['-07:00:00', '+23:59:61', 'time zone offset second out of range'],
  ['Z07', '-25', 'time zone offset hour out of range'],
  ['Z07:00', '+25:00', 'time zone offset hour out of range'],
  ['Z07:00', '-23:61', 'time zone offset minute out of range'],
  ['Z07:00:00', '+23:59:61', 'time zone offset second out of range'],
];

/** format_test.go secondsTimeZoneOffsetTests. */
const secondsTimeZoneOffsetTests: [layout: string, value: string, offset: number][] = [
  ['2006-01-02T15:04:05-070000', '1871-01-01T05:33:02-003408', -2048],
  ['2006-01-02T15:04:05-07:00:00', '1871-01-01T05:33:02-00:34:08', -2048],
  ['2006-01-02T15:04:05-070000', '1871-01-01T05:33:02+003408', 2048],
  ['2006-01-02T15:04:05-07:00:00', '1871-01-01T05:33:02+00:34:08', 2048],
  ['2006-01-02T15:04:05Z070000', '1871-01-01T05:33:02-003408', -2048],
  ['2006-01-02T15:04:05Z07:00:00', '1871-01-01T05:33:02+00:34:08', 2048],
  ['2006-01-02T15:04:05-07', '1871-01-01T05:33:02+01', 3600],
  ['2006-01-02T15:04:05-07', '1871-01-01T05:33:02-02', -7200],
  ['2006-01-02T15:04:05Z07', '1871-01-01T05:33:02-02', -7200],
];

/** format_test.go monthOutOfRangeTests, parsed with "01-02". */
const monthOutOfRangeTests: [value: string, ok: boolean][] = [
  ['00-01', false],
  ['13-01', false],
  ['01-01', true],
];

/** format_test.go longFractionalDigitsTests, parsed with RFC3339 and RFC3339Nano. */
const longFractionalDigitsTests: [value: string, nanos: number][] = [
  ['2021-09-29T16:04:33.000000000Z', 0],
  ['2021-09-29T16:04:33.000000001Z', 1],
  ['2021-09-29T16:04:33.100000000Z', 100000000],
  ['2021-09-29T16:04:33.100000001Z', 100000001],
  ['2021-09-29T16:04:33.999999999Z', 999999999],
  ['2021-09-29T16:04:33.012345678Z', 12345678],
  ['2021-09-29T16:04:33.0000000000Z', 0],
  ['2021-09-29T16:04:33.0000000001Z', 0],
  ['2021-09-29T16:04:33.1000000000Z', 100000000],
  ['2021-09-29T16:04:33.1000000009Z', 100000000],
  ['2021-09-29T16:04:33.9999999999Z', 999999999],
  ['2021-09-29T16:04:33.0123456789Z', 12345678],
  ['2021-09-29T16:04:33.10000000000Z', 100000000],
  ['2021-09-29T16:04:33.00123456789Z', 1234567],
  ['2021-09-29T16:04:33.000123456789Z', 123456],
  ['2021-09-29T16:04:33.9999999999999999Z', 999999999],
];

/** format_test.go rfc3339Formats (zones are FixedZone("EST", -18000), FixedZone("OTO", 15600)). */
const rfc3339Formats: [unix: number, nsec: number, zone: string, want: string][] = [
  [1221681866, 0, 'UTC', '2008-09-17T20:04:26Z'],
  [779850266, 0, 'EST', '1994-09-17T20:04:26-05:00'],
  [977777706, 0, 'OTO', '2000-12-26T01:15:06+04:20'],
];

/** time_test.go utctests. */
const utctests: [seconds: bigint, year: number, month: number, day: number, hour: number, minute: number, second: number, nanosecond: number, weekday: number, offset: number, zone: string][] = [
  [0n, 1970, 1, 1, 0, 0, 0, 0, 4, 0, 'UTC'],
  [1221681866n, 2008, 9, 17, 20, 4, 26, 0, 3, 0, 'UTC'],
  [-1221681866n, 1931, 4, 16, 3, 55, 34, 0, 4, 0, 'UTC'],
  [-11644473600n, 1601, 1, 1, 0, 0, 0, 0, 1, 0, 'UTC'],
  [599529660n, 1988, 12, 31, 0, 1, 0, 0, 6, 0, 'UTC'],
  [978220860n, 2000, 12, 31, 0, 1, 0, 0, 0, 0, 'UTC'],
];

/** time_test.go localtests (Local is America/Los_Angeles). */
const localtests: [seconds: bigint, year: number, month: number, day: number, hour: number, minute: number, second: number, nanosecond: number, weekday: number, offset: number, zone: string][] = [
  [0n, 1969, 12, 31, 16, 0, 0, 0, 3, -28800, 'PST'],
  [1221681866n, 2008, 9, 17, 13, 4, 26, 0, 3, -25200, 'PDT'],
  [2159200800n, 2038, 6, 3, 11, 0, 0, 0, 4, -25200, 'PDT'],
  [2152173599n, 2038, 3, 14, 1, 59, 59, 0, 0, -28800, 'PST'],
  [2152173600n, 2038, 3, 14, 3, 0, 0, 0, 0, -25200, 'PDT'],
  [2152173601n, 2038, 3, 14, 3, 0, 1, 0, 0, -25200, 'PDT'],
  [2172733199n, 2038, 11, 7, 1, 59, 59, 0, 0, -25200, 'PDT'],
  [2172733200n, 2038, 11, 7, 1, 0, 0, 0, 0, -28800, 'PST'],
  [2172733201n, 2038, 11, 7, 1, 0, 1, 0, 0, -28800, 'PST'],
];

/** time_test.go durationTests: Duration.String. */
const durationTests: [text: string, nanos: bigint][] = [
  ['0s', 0n],
  ['1ns', 1n],
  ['1.1µs', 1100n],
  ['2.2ms', 2200000n],
  ['3.3s', 3300000000n],
  ['4m5s', 245000000000n],
  ['4m5.001s', 245001000000n],
  ['5h6m7.001s', 18367001000000n],
  ['8m0.000000001s', 480000000001n],
  ['2562047h47m16.854775807s', 9223372036854775807n],
  ['-2562047h47m16.854775808s', -9223372036854775808n],
];

/** time_test.go dateTests: time.Date normalization (Local is America/Los_Angeles). */
const dateTests: [year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, zone: string, unix: bigint][] = [
  [2011, 11, 6, 1, 0, 0, 0, 'Local', 1320566400n],
  [2011, 11, 6, 1, 59, 59, 0, 'Local', 1320569999n],
  [2011, 11, 6, 2, 0, 0, 0, 'Local', 1320573600n],
  [2011, 3, 13, 1, 0, 0, 0, 'Local', 1300006800n],
  [2011, 3, 13, 1, 59, 59, 0, 'Local', 1300010399n],
  [2011, 3, 13, 3, 0, 0, 0, 'Local', 1300010400n],
  [2011, 3, 13, 2, 30, 0, 0, 'Local', 1300008600n],
  [2012, 12, 24, 0, 0, 0, 0, 'Local', 1356336000n],
  [2011, 11, 18, 7, 56, 35, 0, 'Local', 1321631795n],
  [2011, 11, 19, -17, 56, 35, 0, 'Local', 1321631795n],
  [2011, 11, 17, 31, 56, 35, 0, 'Local', 1321631795n],
  [2011, 11, 18, 6, 116, 35, 0, 'Local', 1321631795n],
  [2011, 10, 49, 7, 56, 35, 0, 'Local', 1321631795n],
  [2011, 11, 18, 7, 55, 95, 0, 'Local', 1321631795n],
  [2011, 11, 18, 7, 56, 34, 1000000000, 'Local', 1321631795n],
  [2011, 12, -12, 7, 56, 35, 0, 'Local', 1321631795n],
  [2012, 1, -43, 7, 56, 35, 0, 'Local', 1321631795n],
  [2012, -1, 18, 7, 56, 35, 0, 'Local', 1321631795n],
  [2010, 23, 18, 7, 56, 35, 0, 'Local', 1321631795n],
  [1970, 1, 15297, 7, 56, 35, 0, 'Local', 1321631795n],
  [1970, 1, -25508, 0, 0, 0, 0, 'Local', -2203948800n],
];

/** time_test.go addDateTests: from Nov 18 2011 to Mar 19 2016. */
const addDateTests: [years: number, months: number, days: number][] = [
  [4, 4, 1],
  [3, 16, 1],
  [3, 15, 30],
  [5, -6, -60],
];

/** time_test.go parseDurationTests. */
const parseDurationTests: [text: string, nanos: bigint][] = [
  ['0', 0n],
  ['5s', 5000000000n],
  ['30s', 30000000000n],
  ['1478s', 1478000000000n],
  ['-5s', -5000000000n],
  ['+5s', 5000000000n],
  ['-0', 0n],
  ['+0', 0n],
  ['5.0s', 5000000000n],
  ['5.6s', 5600000000n],
  ['5.s', 5000000000n],
  ['.5s', 500000000n],
  ['1.0s', 1000000000n],
  ['1.00s', 1000000000n],
  ['1.004s', 1004000000n],
  ['1.0040s', 1004000000n],
  ['100.00100s', 100001000000n],
  ['10ns', 10n],
  ['11us', 11000n],
  ['12µs', 12000n],
  ['12μs', 12000n],
  ['13ms', 13000000n],
  ['14s', 14000000000n],
  ['15m', 900000000000n],
  ['16h', 57600000000000n],
  ['3h30m', 12600000000000n],
  ['10.5s4m', 250500000000n],
  ['-2m3.4s', -123400000000n],
  ['1h2m3s4ms5us6ns', 3723004005006n],
  ['39h9m14.425s', 140954425000000n],
  ['52763797000ns', 52763797000n],
  ['0.3333333333333333333h', 1200000000000n],
  ['9007199254740993ns', 9007199254740993n],
  ['9223372036854775807ns', 9223372036854775807n],
  ['9223372036854775.807us', 9223372036854775807n],
  ['9223372036s854ms775us807ns', 9223372036854775807n],
  ['-9223372036854775808ns', -9223372036854775808n],
  ['-9223372036854775.808us', -9223372036854775808n],
  ['-9223372036s854ms775us808ns', -9223372036854775808n],
  ['-9223372036854775808ns', -9223372036854775808n],
  ['-2562047h47m16.854775808s', -9223372036854775808n],
  ['0.100000000000000000000h', 360000000000n],
  ['0.830103483285477580700h', 2988372539827n],
];

/** time_test.go parseDurationErrorTests (less the rows of invalid UTF-8, which a JavaScript string cannot hold). */
const parseDurationErrorTests: [text: string, expect: string][] = [
  ['', '""'],
  ['3', '"3"'],
  ['-', '"-"'],
  ['s', '"s"'],
  ['.', '"."'],
  ['-.', '"-."'],
  ['.s', '".s"'],
  ['+.s', '"+.s"'],
  ['1d', '"1d"'],
  ['�', '"\\xef\\xbf\\xbd"'],
  ['� hello � world', '"\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'],
  ['9223372036854775810ns', '"9223372036854775810ns"'],
  ['9223372036854775808ns', '"9223372036854775808ns"'],
  ['-9223372036854775809ns', '"-9223372036854775809ns"'],
  ['9223372036854776us', '"9223372036854776us"'],
  ['3000000h', '"3000000h"'],
  ['9223372036854775.808us', '"9223372036854775.808us"'],
  ['9223372036854ms775us808ns', '"9223372036854ms775us808ns"'],
];

/** time_test.go durationTruncateTests. */
const durationTruncateTests: [d: bigint, m: bigint, want: bigint][] = [
  [0n, 1000000000n, 0n],
  [60000000000n, -7000000000n, 60000000000n],
  [60000000000n, 0n, 60000000000n],
  [60000000000n, 1n, 60000000000n],
  [70000000000n, 10000000000n, 70000000000n],
  [130000000000n, 60000000000n, 120000000000n],
  [610000000000n, 180000000000n, 540000000000n],
  [70000000000n, 70000000001n, 0n],
  [70000000000n, 3600000000000n, 0n],
  [-60000000000n, 1000000000n, -60000000000n],
  [-600000000000n, 180000000000n, -540000000000n],
  [-600000000000n, 3600000000000n, 0n],
];

/** time_test.go durationRoundTests. */
const durationRoundTests: [d: bigint, m: bigint, want: bigint][] = [
  [0n, 1000000000n, 0n],
  [60000000000n, -11000000000n, 60000000000n],
  [60000000000n, 0n, 60000000000n],
  [60000000000n, 1n, 60000000000n],
  [120000000000n, 60000000000n, 120000000000n],
  [130000000000n, 60000000000n, 120000000000n],
  [150000000000n, 60000000000n, 180000000000n],
  [170000000000n, 60000000000n, 180000000000n],
  [-60000000000n, 1n, -60000000000n],
  [-120000000000n, 60000000000n, -120000000000n],
  [-130000000000n, 60000000000n, -120000000000n],
  [-150000000000n, 60000000000n, -180000000000n],
  [-170000000000n, 60000000000n, -180000000000n],
  [8000000000000000000n, 3000000000000000000n, 9000000000000000000n],
  [9000000000000000000n, 5000000000000000000n, 9223372036854775807n],
  [-8000000000000000000n, 3000000000000000000n, -9000000000000000000n],
  [-9000000000000000000n, 5000000000000000000n, -9223372036854775808n],
  [6917529027641081855n, 6917529027641081856n, 6917529027641081856n],
];

/** time_test.go yearDayTests. */
const yearDayTests: [year: number, month: number, day: number, yday: number][] = [
  [2007, 1, 1, 1],
  [2007, 1, 15, 15],
  [2007, 2, 1, 32],
  [2007, 2, 15, 46],
  [2007, 3, 1, 60],
  [2007, 3, 15, 74],
  [2007, 4, 1, 91],
  [2007, 12, 31, 365],
  [2008, 1, 1, 1],
  [2008, 1, 15, 15],
  [2008, 2, 1, 32],
  [2008, 2, 15, 46],
  [2008, 3, 1, 61],
  [2008, 3, 15, 75],
  [2008, 4, 1, 92],
  [2008, 12, 31, 366],
  [1900, 1, 1, 1],
  [1900, 1, 15, 15],
  [1900, 2, 1, 32],
  [1900, 2, 15, 46],
  [1900, 3, 1, 60],
  [1900, 3, 15, 74],
  [1900, 4, 1, 91],
  [1900, 12, 31, 365],
  [1, 1, 1, 1],
  [1, 1, 15, 15],
  [1, 2, 1, 32],
  [1, 2, 15, 46],
  [1, 3, 1, 60],
  [1, 3, 15, 74],
  [1, 4, 1, 91],
  [1, 12, 31, 365],
  [-1, 1, 1, 1],
  [-1, 1, 15, 15],
  [-1, 2, 1, 32],
  [-1, 2, 15, 46],
  [-1, 3, 1, 60],
  [-1, 3, 15, 74],
  [-1, 4, 1, 91],
  [-1, 12, 31, 365],
  [-400, 1, 1, 1],
  [-400, 1, 15, 15],
  [-400, 2, 1, 32],
  [-400, 2, 15, 46],
  [-400, 3, 1, 61],
  [-400, 3, 15, 75],
  [-400, 4, 1, 92],
  [-400, 12, 31, 366],
  [1582, 10, 4, 277],
  [1582, 10, 15, 288],
];

/** Go-checked: the abbreviation Go prints for "MST" in a zone at a time (tzdata 2025c). */
const zoneNames: [zone: string, unix: number, want: string][] = [
  ['Europe/Berlin', 1560458379, '2019-06-13 22:39:39 +02:00:00 CEST'],
  ['Europe/Berlin', 1577836800, '2020-01-01 01:00:00 +01:00:00 CET'],
  ['Europe/Berlin', -5000000000, '1811-07-23 16:00:08 +00:53:28 LMT'],
  ['Europe/London', 1560458379, '2019-06-13 21:39:39 +01:00:00 BST'],
  ['Europe/London', 1577836800, '2020-01-01 00:00:00 +00:00:00 GMT'],
  ['Europe/Dublin', 1560458379, '2019-06-13 21:39:39 +01:00:00 IST'],
  ['Europe/Dublin', 1577836800, '2020-01-01 00:00:00 +00:00:00 GMT'],
  ['America/New_York', 1560458379, '2019-06-13 16:39:39 -04:00:00 EDT'],
  ['America/New_York', 1577836800, '2019-12-31 19:00:00 -05:00:00 EST'],
  ['Asia/Kolkata', 1560458379, '2019-06-14 02:09:39 +05:30:00 IST'],
  ['Australia/Lord_Howe', 1560458379, '2019-06-14 07:09:39 +10:30:00 +1030'],
  ['Australia/Lord_Howe', 1577836800, '2020-01-01 11:00:00 +11:00:00 +11'],
  ['Pacific/Chatham', 1560458379, '2019-06-14 09:24:39 +12:45:00 +1245'],
  ['Pacific/Chatham', 1577836800, '2020-01-01 13:45:00 +13:45:00 +1345'],
  ['America/St_Johns', 1560458379, '2019-06-13 18:09:39 -02:30:00 NDT'],
  ['America/St_Johns', 1577836800, '2019-12-31 20:30:00 -03:30:00 NST'],
  ['America/Sao_Paulo', 1560458379, '2019-06-13 17:39:39 -03:00:00 -03'],
  ['Europe/Lisbon', 725846400, '1993-01-01 01:00:00 +01:00:00 CET'],
  ['Europe/Lisbon', 331257600, '1980-07-01 01:00:00 +01:00:00 WEST'],
  ['Europe/Moscow', 489024000, '1985-07-01 04:00:00 +04:00:00 MSD'],
  ['Europe/Moscow', 1325376000, '2012-01-01 04:00:00 +04:00:00 MSK'],
  ['Europe/Moscow', 1560458379, '2019-06-13 23:39:39 +03:00:00 MSK'],
  ['Africa/Casablanca', 1560458379, '2019-06-13 21:39:39 +01:00:00 +01'],
  ['Antarctica/Troll', 1560458379, '2019-06-13 22:39:39 +02:00:00 +02'],
  ['Antarctica/Troll', 1577836800, '2020-01-01 00:00:00 +00:00:00 +00'],
  ['Pacific/Kiritimati', 1560458379, '2019-06-14 10:39:39 +14:00:00 +14'],
  ['Etc/GMT+5', 1560458379, '2019-06-13 15:39:39 -05:00:00 -05'],
  ['America/Indiana/Winamac', 1325376000, '2011-12-31 19:00:00 -05:00:00 EST'],
  ['America/North_Dakota/Beulah', 2000000000, '2033-05-17 22:33:20 -05:00:00 CDT'],
  ['Asia/Tokyo', 1560458379, '2019-06-14 05:39:39 +09:00:00 JST'],
  ['Australia/Sydney', 1560458379, '2019-06-14 06:39:39 +10:00:00 AEST'],
  ['Australia/Sydney', 1577836800, '2020-01-01 11:00:00 +11:00:00 AEDT'],
  ['America/Anchorage', 1560458379, '2019-06-13 12:39:39 -08:00:00 AKDT'],
  ['US/Pacific', 1560458379, '2019-06-13 13:39:39 -07:00:00 PDT'],
  ['Asia/Calcutta', 1560458379, '2019-06-14 02:09:39 +05:30:00 IST'],
  ['Etc/UTC', 1560458379, '2019-06-13 20:39:39 +00:00:00 UTC'],
  ['GMT', 1560458379, '2019-06-13 20:39:39 +00:00:00 GMT'],
  ['Asia/Dubai', 1560458379, '2019-06-14 00:39:39 +04:00:00 +04'],
  ['America/Metlakatla', 1560458379, '2019-06-13 12:39:39 -08:00:00 AKDT'],
  ['Europe/Kyiv', 1560458379, '2019-06-13 23:39:39 +03:00:00 EEST'],
  ['Asia/Kathmandu', 1560458379, '2019-06-14 02:24:39 +05:45:00 +0545'],
  ['Pacific/Apia', 1560458379, '2019-06-14 09:39:39 +13:00:00 +13'],
  ['America/Caracas', 1560458379, '2019-06-13 16:39:39 -04:00:00 -04'],
  ['Asia/Jerusalem', 1560458379, '2019-06-13 23:39:39 +03:00:00 IDT'],
  ['Asia/Manila', 1560458379, '2019-06-14 04:39:39 +08:00:00 PST'],
];

/** checkTime of format_test.go: the time should be Thu Feb  4 21:00:57 PST 2010. */
function checkTime(t: GoTime, hasTZ: boolean, hasWD: boolean, yearSign: number, fracDigits: number): void {
  const f = timeFields(t);
  if (yearSign >= 0) expect(yearSign * f.year).toBe(2010);
  expect([f.month, f.day, f.hour, f.minute, f.second]).toEqual([2, 4, 21, 0, 57]);
  expect(f.nanosecond).toBe(Number('012345678'.slice(0, fracDigits) + '000000000'.slice(0, 9 - fracDigits)));
  if (hasTZ) expect(t.offsetSeconds).toBe(-28800);
  if (hasWD) expect(f.weekday).toBe(4);
}

describe('Format (format_test.go)', () => {
  const t = timeIn(1233810057012345600n, LA);

  test.each(formatTests)('%s: %j formats as %j', (_name, layout, want) => {
    expect(formatGoTime(t, layout)).toBe(want);
  });

  test.each(rfc3339Formats)('RFC3339 of %i in %3$s is %4$j', (unix, nsec, zone, want) => {
    const loc = zone === 'UTC' ? UTC_LOCATION : fixedZone(zone, zone === 'EST' ? -18000 : 15600);
    expect(formatTime(timeIn(BigInt(unix) * NS + BigInt(nsec), loc), RFC3339)).toBe(want);
  });

  test.each([-100001, -100000, -99999, -10001, -10000, -9999, -1001, -1000, -999, -101, -100, -99, -11, -10, -9, -1, 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 9999, 10000, 10001, 99999, 100000, 100001])(
    'Jan 1 of year %i formats as Go prints it (TestFormatShortYear)',
    (y) => {
      const want = y < 0 ? `-${String(-y).padStart(4, '0')}.01.01` : `${String(y).padStart(4, '0')}.01.01`;
      expect(formatTime(goDate(y, 1, 1, 0, 0, 0, 0, UTC_LOCATION), '2006.01.02')).toBe(want);
    },
  );

  test.each([
    ['15:04:05.000', '21:00:57.012'],
    ['15:04:05.999', '21:00:57.012'],
    ['15:04:05,000', '21:00:57,012'],
    ['15:04:05,999', '21:00:57,012'],
  ])('fractional second separator: %j is %j (TestFormatFractionalSecondSeparators)', (layout, want) => {
    expect(formatTime(t, layout)).toBe(want);
  });

  test('single digits (TestFormatSingleDigits), noon is 12PM and midnight 12AM', () => {
    expect(formatTime(goDate(2001, 2, 3, 4, 5, 6, 700000000, UTC_LOCATION), '3:4:5')).toBe('4:5:6');
    for (const layout of ['3:04PM', '03:04PM']) {
      expect(formatTime(goDate(0, 1, 1, 12, 0, 0, 0, UTC_LOCATION), layout)).toBe('12:00PM');
      expect(formatTime(goDate(0, 1, 1, 0, 0, 0, 0, UTC_LOCATION), layout)).toBe('12:00AM');
    }
  });

  test.each(secondsTimeZoneOffsetTests)('%j formats a zone offset of %3$i seconds as %2$j (TestFormatSecondsInTimeZone)', (layout, value, offset) => {
    expect(formatTime(goDate(1871, 1, 1, 5, 33, 2, 0, fixedZone('LMT', offset)), layout)).toBe(value);
  });

  test.each(zoneNames)('%s at %i is %j (Go-checked zone names)', (zone, unix, want) => {
    expect(formatTime(timeIn(BigInt(unix) * NS, ianaLocation(zone)), '2006-01-02 15:04:05 -07:00:00 MST')).toBe(want);
  });
});

describe('Parse (format_test.go)', () => {
  test.each([...parseTests, ...rubyTests])('%s: %j parses %j', (_name, layout, value, hasTZ, hasWD, yearSign, fracDigits) => {
    checkTime(parse(layout, value), hasTZ, hasWD, yearSign, fracDigits);
  });

  test.each(dayOutOfRangeTests)('%j parses with ANSIC: %s, else "day out of range"', (value, ok) => {
    if (ok) expect(() => parse(ANSIC, value)).not.toThrow();
    else expect(() => parse(ANSIC, value)).toThrow('day out of range');
  });

  test.each(parseErrorTests)('%j does not parse %j: %s', (layout, value, expectText) => {
    expect(() => parse(layout, value)).toThrow(TimeParseError);
    expect(() => parse(layout, value)).toThrow(expectText);
  });

  test.each(parseTimeZoneTests)('parseTimeZone(%j) is %i (ok: %s)', (value, length, ok) => {
    expect(parseTimeZone(value)).toBe(ok ? length : 0);
  });

  test.each(secondsTimeZoneOffsetTests)('%j parses %j with an offset of %i seconds (TestParseSecondsInTimeZone)', (layout, value, offset) => {
    expect(parse(layout, value).offsetSeconds).toBe(offset);
  });

  test.each(monthOutOfRangeTests)('"01-02" parses %j: %s, else "month out of range"', (value, ok) => {
    if (ok) expect(() => parse('01-02', value)).not.toThrow();
    else expect(() => parse('01-02', value)).toThrow('month out of range');
  });

  test.each(longFractionalDigitsTests)('%j has %i nanoseconds, with RFC3339 and RFC3339Nano', (value, nanos) => {
    expect(timeFields(parse(RFC3339, value)).nanosecond).toBe(nanos);
    expect(timeFields(parse(RFC3339Nano, value)).nanosecond).toBe(nanos);
  });

  test.each([
    ['01 MST', '0 MST', '0'],
    ['01 MST', '1 MST', '1'],
    ['Monday, 02-Jan-06 15:04:05 MST', 'Thursday, 04-Feb-1 21:00:57 PST', '1'],
  ])('%j on %j is a "cannot parse" error at %j (TestStd0xParseError)', (layout, value, elem) => {
    try {
      parse(layout, value);
      expect.fail('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(TimeParseError);
      expect((e as TimeParseError).message).toContain('cannot parse');
      expect((e as TimeParseError).valueElem.startsWith(elem)).toBe(true);
    }
  });

  test('AST is +03 in Baghdad (with older tzdata) and -04 in Blanc-Sablon (TestParseInLocation)', () => {
    const baghdad = ianaLocation('Asia/Baghdad');
    const t1 = parseTime('Jan 02 2006 MST', 'Feb 01 2013 AST', baghdad, baghdad);
    if (t1.offsetSeconds !== 0) expect(t1.offsetSeconds).toBe(3 * 3600);
    const blanc = ianaLocation('America/Blanc-Sablon');
    const t2 = parseTime('Jan 02 2006 MST', 'Feb 01 2013 AST', blanc, blanc);
    expect(t2.unixNanos).toBe(goDate(2013, 2, 1, 0, 0, 0, 0, blanc).unixNanos);
    expect(t2.offsetSeconds).toBe(-4 * 3600);
  });

  test('a time without a zone name still prints a numeric one for MST (TestMissingZone)', () => {
    expect(formatTime(parse(RubyDate, 'Thu Feb 02 16:10:03 -0500 2006'), UnixDate)).toBe('Thu Feb  2 16:10:03 -0500 2006');
    expect(parse(RubyDate, 'Mon Jan 02 15:04:05 +0123 2006').offsetSeconds).toBe((1 * 60 + 23) * 60); // TestMinutesInTimeZone
  });

  test('12PM is noon and 12AM is midnight; _2006 is a literal _ before the year', () => {
    for (const layout of ['3:04PM', '03:04PM']) {
      expect(timeFields(parse(layout, '12:00PM')).hour).toBe(12);
      expect(timeFields(parse(layout, '12:00AM')).hour).toBe(0);
    }
    const t = timeFields(parse('15:04_20060102', '14:38_20150618'));
    expect([t.year, t.month, t.day, t.hour, t.minute]).toEqual([2015, 6, 18, 14, 38]);
  });

  test('every day of 2020 parses with "2006-002" (TestParseYday)', () => {
    for (let i = 1; i <= 365; i++) {
      const t = timeFields(parse('2006-002', `2020-${String(i).padStart(3, '0')}`));
      expect([t.year, t.yday]).toEqual([2020, i]);
    }
  });

  test('format then parse gives the same instant for "Mon MST " + RFC3339 (TestFormatAndParse)', () => {
    const layout = `Mon MST ${RFC3339}`;
    let x = 0x2545f491;
    for (let i = 0; i < 500; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const t1 = timeIn(BigInt(x) * NS, LA);
      const t2 = parse(layout, formatTime(t1, layout));
      expect(t2.unixNanos).toBe(t1.unixNanos);
    }
  });

  test.each([
    ['"', '"\\""'],
    ['abc"xyz"', '"abc\\"xyz\\""'],
    ['', '""'],
    ['abc', '"abc"'],
    ['☺', '"\\xe2\\x98\\xba"'],
    ['☺ hello ☺ hello', '"\\xe2\\x98\\xba hello \\xe2\\x98\\xba hello"'],
    ['\x04', '"\\x04"'],
  ])('the time package quotes %j as %s (TestQuote)', (s, want) => {
    expect(timeQuote(s)).toBe(want);
  });
});

describe('Time fields and arithmetic (time_test.go)', () => {
  test.each(utctests)('Unix(%s) in UTC', (sec, year, month, day, hour, minute, second, nanosecond, weekday, offset, zone) => {
    const t = timeIn(sec * NS, UTC_LOCATION);
    expect({ ...timeFields(t), yday: 0 }).toEqual({ year, month, day, hour, minute, second, nanosecond, weekday, yday: 0 });
    expect([t.offsetSeconds, t.zone]).toEqual([offset, zone]);
  });

  test.each(localtests)('Unix(%s) in America/Los_Angeles', (sec, year, month, day, hour, minute, second, nanosecond, weekday, offset, zone) => {
    const t = timeIn(sec * NS, LA);
    expect({ ...timeFields(t), yday: 0 }).toEqual({ year, month, day, hour, minute, second, nanosecond, weekday, yday: 0 });
    expect([t.offsetSeconds, t.zone]).toEqual([offset, zone]);
  });

  test.each(dateTests)('Date(%i, %i, %i, %i, %i, %i, %i, %s) is Unix %s', (year, month, day, hour, min, sec, nsec, _zone, unix) => {
    expect(goDate(year, month, day, hour, min, sec, nsec, LA).unixNanos).toBe(unix * NS);
  });

  test.each(addDateTests)('AddDate(%i, %i, %i) takes Nov 18 2011 to Mar 19 2016', (years, months, days) => {
    const t0 = goDate(2011, 11, 18, 7, 56, 35, 0, UTC_LOCATION);
    const t1 = (goTimeMethods(t0, 'UTC').AddDate!.fn as (...a: bigint[]) => GoTime)(BigInt(years), BigInt(months), BigInt(days));
    expect(t1.unixNanos).toBe(goDate(2016, 3, 19, 7, 56, 35, 0, UTC_LOCATION).unixNanos);
  });

  test.each(yearDayTests)('%i-%i-%i is day %i of its year', (year, month, day, yday) => {
    expect(timeFields(goDate(year, month, day, 0, 0, 0, 0, UTC_LOCATION)).yday).toBe(yday);
  });
});

describe('Durations (time_test.go)', () => {
  test.each(durationTests)('%j is Duration(%s).String()', (text, nanos) => {
    expect(durationString(nanos)).toBe(text);
    if (nanos > 0n) expect(durationString(-nanos)).toBe(`-${text}`);
  });

  test.each(parseDurationTests)('ParseDuration(%j) is %s', (text, nanos) => {
    expect(parseDuration(text)).toBe(nanos);
  });

  test.each(parseDurationErrorTests)('ParseDuration(%j) fails, naming %s', (text, expectText) => {
    expect(() => parseDuration(text)).toThrow(expectText);
  });

  test.each(durationTruncateTests)('Duration(%s).Truncate(%s) is %s', (d, m, want) => {
    expect(truncateDuration(d, m)).toBe(want);
  });

  test.each(durationRoundTests)('Duration(%s).Round(%s) is %s', (d, m, want) => {
    expect(roundDuration(d, m)).toBe(want);
  });

  test('the largest duration round-trips (TestParseDurationRoundTrip)', () => {
    const max = (1n << 63n) - 1n;
    expect(parseDuration(durationString(max))).toBe(max);
  });
});
