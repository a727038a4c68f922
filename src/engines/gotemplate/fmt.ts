/**
 * Go's fmt for template values: Sprint, Sprintf, Sprintln, and the printing of one value
 * into template output (text/template's printValue). Behaviour of go/src/fmt/print.go and
 * format.go, go/src/internal/strconv/ftoa.go and go/src/strconv/quote.go (Go 1.26), over the
 * value model of values.ts; the code is split under fmt/:
 *
 * - fmt/printer.ts: format parsing, verbs, composites, error strings (%!d(string=x));
 * - fmt/formatter.ts: flags, width, precision, padding, integer/string/float conversions;
 * - fmt/go-time.ts: time.Time's String and GoString;
 * - strconv.FormatFloat, strconv.Quote/IsPrint (Unicode 15.0, as Go) and Go's view of strings
 *   as UTF-8 bytes are goruntime's (ftoa.ts, quote.ts, unicode-print.ts, utf8.ts).
 *
 * Must not import anything but values.ts, its own fmt/ files and goruntime.
 *
 * Known differences from Go, all where the model carries less than Go's reflect:
 * pointers and functions print a fixed fake address (FAKE_ADDRESS) and %#v of a func prints
 * its type as "func"; a bigint prints as int64 in %T and error strings (Go's int says "int");
 * null in a struct field is a nil interface{}; time.Time's monotonic clock suffix
 * (" m=+0.5") is never printed, and verbs other than v s q x X T on a time outside UTC print
 * its *time.Location as an address.
 */
import { GoStruct } from './values.js';
import { formatFloatG as formatG } from '../goruntime/index.js';
import { Printer } from './fmt/printer.js';

/** The address printed for pointers and funcs, where Go prints a real (varying) one. */
export { FAKE_ADDRESS } from './fmt/printer.js';
export { goQuote } from '../goruntime/index.js';

// The value as Sprint prints it, for the kinds that need no printer; undefined otherwise.
function printSimple(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatG(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
  }
  return v === null || v === undefined ? '<nil>' : undefined;
}

/** fmt.Sprint: operands in their default format, with a space between two operands when neither is a string. */
export function sprint(...args: unknown[]): string {
  if (args.length === 1) {
    const s = printSimple(args[0]);
    if (s !== undefined) return s;
  }
  const p = new Printer();
  p.doPrint(args);
  return p.buf;
}

/** fmt.Sprintln: operands in their default format, always separated by spaces, and a newline. */
export function sprintln(...args: unknown[]): string {
  const p = new Printer();
  p.doPrintln(args);
  return p.buf;
}

/**
 * fmt.Sprintf: every verb, flag, width, precision and argument index Go accepts, with Go's
 * error strings (%!d(string=hi), %!s(MISSING), %!(EXTRA int64=1), %!(NOVERB), %!(BADWIDTH),
 * %!(BADPREC), %!d(BADINDEX), %!v(PANIC=String method: ...)).
 */
export function sprintf(format: string, ...args: unknown[]): string {
  if (args.length === 0 && format.indexOf('%') < 0) return format;
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/**
 * What {{ value }} writes (text/template printValue): "<no value>" for no value, else
 * fmt.Sprint of it. As text/template's printableValue does, a pointer to a struct is
 * followed first, so a *chart.Metadata without a String method prints as {...}, not &{...}.
 * (text/template refuses to print a func; here a GoFunc prints as fmt prints it.)
 */
export function printValue(v: unknown): string {
  if (v === undefined) return '<no value>';
  const s = printSimple(v);
  if (s !== undefined) return s;
  const p = new Printer();
  if (v instanceof GoStruct && v.isPointer && v.stringer === undefined) p.printPointee(v);
  else p.doPrint([v]);
  return p.buf;
}

/**
 * strconv.FormatFloat(f, 'g', -1, 64), what %v prints for a float64: the shortest digits
 * that round-trip, with an exponent when it is below -4 or at least 6 (1e+06, 1.5e-05,
 * 123456, 0.0001), "+Inf", "-Inf", "NaN", "-0".
 */
export function formatFloatG(f: number): string {
  return formatG(f);
}
