/**
 * Go runtime primitives the Go-compatible engines share: UTF-8/rune helpers, strconv
 * quoting/parsing/float formatting, Go RE2 regexps translated to JS; pure, imports only core.
 *
 * - utf8.ts: Go's view of strings as UTF-8 bytes (unicode/utf8, string(b), len(s));
 * - unicode.ts, unicode-print.ts, case-fold.ts: package unicode's predicates and case mappings,
 *   and strconv.IsPrint over Unicode 15.0 tables as Go has them (not the running Node's);
 * - quote.ts: strconv.Quote, QuoteToASCII, QuoteRune, CanBackquote;
 * - strconv.ts: Unquote/UnquoteChar, ParseInt/ParseUint/ParseFloat with Go's error results;
 * - ftoa.ts: FormatFloat (shortest digits, exact rounding, 32-bit shortest) and encoding/json's
 *   float text;
 * - regexp.ts, regexp-syntax.ts: Go's regexp (RE2 syntax and errors) run on JS RegExps;
 * - strings.ts: sort.Strings order and white-space trimming by unicode.IsSpace;
 * - duration.ts: time.Duration as bigint nanoseconds (ParseDuration, String, Round, Truncate).
 */
export {
  MAX_RUNE,
  RUNE_ERROR,
  bytesToString,
  decodeRune,
  decodeUtf8,
  decodeValidUtf8,
  isAscii,
  isValidRune,
  runeCount,
  truncateBytes,
  truncateRunes,
  utf8Bytes,
  utf8Length,
} from './utf8.js';
export { isPrint } from './unicode-print.js';
export {
  fromRunes,
  isDigit,
  isLetter,
  isLower,
  isNumber,
  isPunct,
  isSpace,
  isTitle,
  isUpper,
  mapRunes,
  runes,
  toLower,
  toTitle,
  toUpper,
} from './unicode.js';
export { foldOrbit } from './case-fold.js';
export { canBackquote, canBackquoteBytes, goQuote, quoteBytes, quoteRune, quoteString } from './quote.js';
export {
  ERR_SYNTAX,
  StrconvError,
  parseFloat64,
  parseInt64,
  parseUint,
  unquote,
  unquoteChar,
  type ParseResult,
  type UnquotedChar,
} from './strconv.js';
export { formatFloat, formatFloatG, formatJsonFloat } from './ftoa.js';
export { GoRegexp, RegexpSyntaxError, compileRegexp, mustCompileRegexp, quoteMeta } from './regexp.js';
export { compareGoStrings, isAllGoSpace, sortGoStrings, trimLeftGoSpace } from './strings.js';
export {
  DurationError,
  HOUR,
  MAX_DURATION,
  MINUTE,
  MIN_DURATION,
  SECOND,
  durationIn,
  durationString,
  parseDuration,
  parseDurationOrUndefined,
  roundDuration,
  timeQuote,
  truncateDuration,
} from './duration.js';
