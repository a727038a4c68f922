/**
 * A port of Go's regexp/syntax parser (parse.go, Perl flags as regexp.Compile uses them): it
 * accepts exactly the patterns Go accepts and fails on the others with Go's error text, e.g.
 * "error parsing regexp: missing closing ): `(a`". The result is a small tree that
 * ./regexp.ts turns into a JavaScript RegExp.
 */

/** regexp/syntax ErrorCode values. */
export const ErrorCode = {
  InvalidCharClass: 'invalid character class',
  InvalidCharRange: 'invalid character class range',
  InvalidEscape: 'invalid escape sequence',
  InvalidNamedCapture: 'invalid named capture',
  InvalidPerlOp: 'invalid or unsupported Perl syntax',
  InvalidRepeatOp: 'invalid nested repetition operator',
  InvalidRepeatSize: 'invalid repeat count',
  MissingBracket: 'missing closing ]',
  MissingParen: 'missing closing )',
  MissingRepeatArgument: 'missing argument to repetition operator',
  TrailingBackslash: 'trailing backslash at end of expression',
  UnexpectedParen: 'unexpected )',
  NestingDepth: 'expression nests too deeply',
  Large: 'expression too large',
} as const;

/** *syntax.Error: its message is Error()'s. */
export class RegexpSyntaxError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

/** One member of a character class before case folding and negation. */
export type ClassItem =
  | { kind: 'range'; lo: number; hi: number }
  /** An ASCII table (\d, [:alpha:], ASCII), possibly negated. */
  | { kind: 'table'; ranges: readonly (readonly [number, number])[]; negate: boolean }
  /** A Unicode property as JavaScript writes it inside \p{…}, possibly negated. */
  | { kind: 'prop'; name: string; negate: boolean };

/** A node of the parse tree (regexp/syntax Op, with literals and classes kept unfolded). */
export type Node =
  | { op: 'literal'; rune: number; fold: boolean }
  | { op: 'class'; items: ClassItem[]; negate: boolean; fold: boolean }
  | { op: 'anyChar' }
  | { op: 'anyCharNotNL' }
  | { op: 'beginLine' }
  | { op: 'endLine' }
  | { op: 'beginText' }
  | { op: 'endText' }
  | { op: 'wordBoundary' }
  | { op: 'noWordBoundary' }
  | { op: 'capture'; index: number; name: string; sub: Node }
  | { op: 'concat'; subs: Node[] }
  | { op: 'alternate'; subs: Node[] }
  | { op: 'repeat'; kind: '*' | '+' | '?' | '{}'; min: number; max: number; greedy: boolean; sub: Node }
  | { op: 'empty' };

/** A parsed regexp: the tree plus the capture names (index 0 is the whole match, named ""). */
export interface ParsedRegexp {
  root: Node;
  names: string[];
}

interface Flags {
  fold: boolean;
  dotNL: boolean;
  oneLine: boolean;
  nonGreedy: boolean;
}

interface Frame {
  alts: Node[];
  concat: Node[];
  cap: number;
  name: string;
  saved: Flags;
}

const PERL_GROUPS: Record<string, { ranges: [number, number][]; negate: boolean }> = {};
const POSIX_GROUPS: Record<string, { ranges: [number, number][]; negate: boolean }> = {};
{
  const d: [number, number][] = [[0x30, 0x39]];
  const s: [number, number][] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
  const w: [number, number][] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
  for (const [k, r] of [['d', d], ['s', s], ['w', w]] as const) {
    PERL_GROUPS['\\' + k] = { ranges: r, negate: false };
    PERL_GROUPS['\\' + k.toUpperCase()] = { ranges: r, negate: true };
  }
  const posix: Record<string, [number, number][]> = {
    alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
    alpha: [[0x41, 0x5a], [0x61, 0x7a]],
    ascii: [[0x00, 0x7f]],
    blank: [[0x09, 0x09], [0x20, 0x20]],
    cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
    digit: [[0x30, 0x39]],
    graph: [[0x21, 0x7e]],
    lower: [[0x61, 0x7a]],
    print: [[0x20, 0x7e]],
    punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
    space: [[0x09, 0x0d], [0x20, 0x20]],
    upper: [[0x41, 0x5a]],
    word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
    xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
  };
  for (const [k, r] of Object.entries(posix)) {
    POSIX_GROUPS[`[:${k}:]`] = { ranges: r, negate: false };
    POSIX_GROUPS[`[:^${k}:]`] = { ranges: r, negate: true };
  }
}

/** unicode.Categories keys reachable through canonicalName (all but "LC"). */
const CATEGORIES = new Set(
  'C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

/** unicode.Scripts keys (Unicode 15.0, Go 1.26); only those already in canonical form can be found. */
const SCRIPTS = new Set(
  (
    'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki Bopomofo ' +
    'Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common ' +
    'Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs ' +
    'Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul ' +
    'Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi ' +
    'Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki ' +
    'Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean ' +
    'Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi ' +
    'Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong ' +
    'Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian ' +
    'Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi ' +
    'Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese ' +
    'Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan ' +
    'Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square'
  ).split(' '),
);

/** unicode.CategoryAliases, keyed by canonical name. */
const CATEGORY_ALIASES: Record<string, string> = {};
for (const [alias, cat] of Object.entries({
  Cased_Letter: 'LC', Close_Punctuation: 'Pe', Combining_Mark: 'M', Connector_Punctuation: 'Pc', Control: 'Cc',
  Currency_Symbol: 'Sc', Dash_Punctuation: 'Pd', Decimal_Number: 'Nd', Enclosing_Mark: 'Me', Final_Punctuation: 'Pf',
  Format: 'Cf', Initial_Punctuation: 'Pi', Letter: 'L', Letter_Number: 'Nl', Line_Separator: 'Zl',
  Lowercase_Letter: 'Ll', Mark: 'M', Math_Symbol: 'Sm', Modifier_Letter: 'Lm', Modifier_Symbol: 'Sk',
  Nonspacing_Mark: 'Mn', Number: 'N', Open_Punctuation: 'Ps', Other: 'C', Other_Letter: 'Lo', Other_Number: 'No',
  Other_Punctuation: 'Po', Other_Symbol: 'So', Paragraph_Separator: 'Zp', Private_Use: 'Co', Punctuation: 'P',
  Separator: 'Z', Space_Separator: 'Zs', Spacing_Mark: 'Mc', Surrogate: 'Cs', Symbol: 'S', Titlecase_Letter: 'Lt',
  Unassigned: 'Cn', Uppercase_Letter: 'Lu', cntrl: 'Cc', digit: 'Nd', punct: 'P',
})) {
  CATEGORY_ALIASES[canonicalName(alias)] = cat;
}

/** regexp/syntax canonicalName: separators dropped, first letter upper, the rest lower. */
function canonicalName(name: string): string {
  let out = '';
  let first = true;
  for (const c of name) {
    if (c === '_' || c === '-' || c === ' ') continue;
    if (first) {
      out += c >= 'a' && c <= 'z' ? c.toUpperCase() : c;
      first = false;
    } else {
      out += c >= 'A' && c <= 'Z' ? c.toLowerCase() : c;
    }
  }
  return out;
}

/** regexp/syntax unicodeTable: the class for a \p name, and whether it is inverted. */
function unicodeTable(name: string): { item: ClassItem; sign: number } | undefined {
  const n = canonicalName(name);
  switch (n) {
    case 'Any':
      return { item: { kind: 'range', lo: 0, hi: 0x10ffff }, sign: 1 };
    case 'Assigned':
      return { item: { kind: 'prop', name: 'Cn', negate: false }, sign: -1 };
    case 'Ascii':
      return { item: { kind: 'range', lo: 0, hi: 0x7f }, sign: 1 };
    case 'Lc':
      return { item: { kind: 'prop', name: 'LC', negate: false }, sign: 1 };
  }
  if (CATEGORIES.has(n)) return { item: { kind: 'prop', name: n, negate: false }, sign: 1 };
  if (SCRIPTS.has(n)) return { item: { kind: 'prop', name: 'Script=' + n, negate: false }, sign: 1 };
  const alias = CATEGORY_ALIASES[n];
  if (alias !== undefined) return { item: { kind: 'prop', name: alias, negate: false }, sign: 1 };
  return undefined;
}

function isalnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const MAX_SIZE = Math.floor((128 << 20) / 40);
const MAX_HEIGHT = 1000;

class Parser {
  private flags: Flags = { fold: false, dotNL: false, oneLine: true, nonGreedy: false };
  private readonly frames: Frame[] = [];
  private numCap = 0;
  private readonly names: string[] = [''];
  private nodes = 0;

  constructor(private readonly s: string) {
    this.frames.push({ alts: [], concat: [], cap: 0, name: '', saved: this.flags });
  }

  private error(code: string, expr: string): RegexpSyntaxError {
    return new RegexpSyntaxError(code, expr);
  }

  /** The rune at i and the index after it; at the end, U+FFFD and i (Go's nextRune on ""). */
  private next(i: number): [number, number] {
    if (i >= this.s.length) return [0xfffd, i];
    const c = this.s.codePointAt(i)!;
    return [c, i + (c > 0xffff ? 2 : 1)];
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private push(n: Node): void {
    this.nodes++;
    this.frame.concat.push(n);
  }

  private literal(r: number): void {
    this.push({ op: 'literal', rune: r, fold: this.flags.fold });
  }

  parse(): ParsedRegexp {
    const s = this.s;
    let i = 0;
    let lastRepeat = -1;
    while (i < s.length) {
      let repeat = -1;
      const c = s[i]!;
      switch (c) {
        case '(':
          if (s[i + 1] === '?') {
            i = this.parsePerlFlags(i);
            break;
          }
          this.numCap++;
          this.names.push('');
          this.openGroup(this.numCap, '');
          i++;
          break;
        case '|':
          this.frame.alts.push(concatOf(this.frame.concat));
          this.frame.concat = [];
          i++;
          break;
        case ')':
          this.closeGroup();
          i++;
          break;
        case '^':
          this.push(this.flags.oneLine ? { op: 'beginText' } : { op: 'beginLine' });
          i++;
          break;
        case '$':
          this.push(this.flags.oneLine ? { op: 'endText' } : { op: 'endLine' });
          i++;
          break;
        case '.':
          this.push(this.flags.dotNL ? { op: 'anyChar' } : { op: 'anyCharNotNL' });
          i++;
          break;
        case '[':
          i = this.parseClass(i);
          break;
        case '*':
        case '+':
        case '?': {
          const start = i;
          i = this.repeat(c, 0, 0, i, i + 1, lastRepeat);
          repeat = start;
          break;
        }
        case '{': {
          const r = this.parseRepeat(i);
          if (r === undefined) {
            this.literal(0x7b);
            i++;
            break;
          }
          if (r.min < 0 || r.min > 1000 || r.max > 1000 || (r.max >= 0 && r.min > r.max)) {
            throw this.error(ErrorCode.InvalidRepeatSize, s.slice(i, r.after));
          }
          const start = i;
          i = this.repeat('{}', r.min, r.max, i, r.after, lastRepeat);
          repeat = start;
          break;
        }
        case '\\':
          i = this.parseBackslash(i);
          break;
        default: {
          const [r, next] = this.next(i);
          this.literal(r);
          i = next;
        }
      }
      lastRepeat = repeat;
    }
    if (this.frames.length !== 1) throw this.error(ErrorCode.MissingParen, s);
    const root = alternateOf([...this.frame.alts, concatOf(this.frame.concat)]);
    if (this.nodes >= MAX_HEIGHT && height(root) > MAX_HEIGHT) throw this.error(ErrorCode.NestingDepth, s);
    if (size(root) > MAX_SIZE) throw this.error(ErrorCode.Large, s);
    return { root, names: this.names };
  }

  private openGroup(cap: number, name: string): void {
    this.frames.push({ alts: [], concat: [], cap, name, saved: this.flags });
  }

  private closeGroup(): void {
    if (this.frames.length === 1) throw this.error(ErrorCode.UnexpectedParen, this.s);
    const f = this.frames.pop()!;
    let n = alternateOf([...f.alts, concatOf(f.concat)]);
    this.flags = f.saved;
    if (f.cap > 0) n = { op: 'capture', index: f.cap, name: f.name, sub: n };
    this.push(n);
  }

  /** parser.repeat: replaces the last node with its repetition; returns the index after the operator. */
  private repeat(kind: '*' | '+' | '?' | '{}', min: number, max: number, before: number, after: number, lastRepeat: number): number {
    let nonGreedy = this.flags.nonGreedy;
    if (this.s[after] === '?') {
      after++;
      nonGreedy = !nonGreedy;
    }
    if (lastRepeat >= 0) throw this.error(ErrorCode.InvalidRepeatOp, this.s.slice(lastRepeat, after));
    const concat = this.frame.concat;
    const sub = concat.pop();
    if (sub === undefined) throw this.error(ErrorCode.MissingRepeatArgument, this.s.slice(before, after));
    const node: Node = { op: 'repeat', kind, min, max, greedy: !nonGreedy, sub };
    this.push(node);
    if (kind === '{}' && (min >= 2 || max >= 2) && !repeatIsValid(node, 1000)) {
      throw this.error(ErrorCode.InvalidRepeatSize, this.s.slice(before, after));
    }
    return after;
  }

  /** parser.parseRepeat: {n}, {n,} or {n,m}; max is -1 for {n,}. */
  private parseRepeat(i: number): { min: number; max: number; after: number } | undefined {
    const s = this.s;
    let j = i + 1;
    const first = this.parseInt(j);
    if (first === undefined) return undefined;
    const min = first.n;
    let max: number;
    j = first.end;
    if (j >= s.length) return undefined;
    if (s[j] !== ',') {
      max = min;
    } else {
      j++;
      if (j >= s.length) return undefined;
      if (s[j] === '}') {
        max = -1;
      } else {
        const second = this.parseInt(j);
        if (second === undefined) return undefined;
        max = second.n;
        j = second.end;
        if (max < 0) return j < s.length && s[j] === '}' ? { min: -1, max, after: j + 1 } : undefined;
      }
    }
    if (j >= s.length || s[j] !== '}') return undefined;
    return { min, max, after: j + 1 };
  }

  /** parser.parseInt: decimal digits without leading zeros; -1 when too big. */
  private parseInt(i: number): { n: number; end: number } | undefined {
    const s = this.s;
    if (i >= s.length || s[i]! < '0' || s[i]! > '9') return undefined;
    if (i + 1 < s.length && s[i] === '0' && s[i + 1]! >= '0' && s[i + 1]! <= '9') return undefined;
    let j = i;
    while (j < s.length && s[j]! >= '0' && s[j]! <= '9') j++;
    let n = 0;
    for (let k = i; k < j; k++) {
      if (n >= 1e8) {
        n = -1;
        break;
      }
      n = n * 10 + (s.charCodeAt(k) - 0x30);
    }
    return { n, end: j };
  }

  /** parser.parsePerlFlags: (?P<name>, (?<name>, (?flags), (?flags:. */
  private parsePerlFlags(i: number): number {
    const s = this.s;
    const t = s.slice(i);
    const startsWithP = t.length > 4 && t[2] === 'P' && t[3] === '<';
    const startsWithName = t.length > 3 && t[2] === '<';
    if (startsWithP || startsWithName) {
      const exprStart = startsWithP ? 4 : 3;
      const end = t.indexOf('>');
      if (end < 0) throw this.error(ErrorCode.InvalidNamedCapture, t);
      const capture = t.slice(0, end + 1);
      const name = t.slice(exprStart, end);
      if (name === '' || ![...name].every((ch) => ch === '_' || isalnum(ch.codePointAt(0)!))) {
        throw this.error(ErrorCode.InvalidNamedCapture, capture);
      }
      this.numCap++;
      this.names.push(name);
      this.openGroup(this.numCap, name);
      return i + end + 1;
    }
    const flags = { ...this.flags };
    let sign = 1;
    let sawFlag = false;
    let j = i + 2;
    while (j < s.length) {
      const [c, next] = this.next(j);
      j = next;
      const ch = String.fromCodePoint(c);
      if (ch === 'i') flags.fold = sign > 0;
      else if (ch === 'm') flags.oneLine = sign < 0;
      else if (ch === 's') flags.dotNL = sign > 0;
      else if (ch === 'U') flags.nonGreedy = sign > 0;
      else if (ch === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
        continue;
      } else if (ch === ':' || ch === ')') {
        if (sign < 0 && !sawFlag) break;
        if (ch === ':') this.openGroup(0, '');
        this.flags = flags;
        return j;
      } else break;
      sawFlag = true;
    }
    throw this.error(ErrorCode.InvalidPerlOp, s.slice(i, j));
  }

  /** A backslash outside a class: assertions, \Q…\E, \p, Perl classes, escapes. */
  private parseBackslash(i: number): number {
    const s = this.s;
    if (i + 1 < s.length) {
      switch (s[i + 1]) {
        case 'A':
          this.push({ op: 'beginText' });
          return i + 2;
        case 'b':
          this.push({ op: 'wordBoundary' });
          return i + 2;
        case 'B':
          this.push({ op: 'noWordBoundary' });
          return i + 2;
        case 'C':
          throw this.error(ErrorCode.InvalidEscape, s.slice(i, i + 2));
        case 'Q': {
          const end = s.indexOf('\\E', i + 2);
          const lit = end < 0 ? s.slice(i + 2) : s.slice(i + 2, end);
          for (const ch of lit) this.literal(ch.codePointAt(0)!);
          return end < 0 ? s.length : end + 2;
        }
        case 'z':
          this.push({ op: 'endText' });
          return i + 2;
      }
    }
    if (i + 1 < s.length && (s[i + 1] === 'p' || s[i + 1] === 'P')) {
      const u = this.parseUnicodeClass(i);
      this.push({ op: 'class', items: [u.item], negate: false, fold: this.flags.fold });
      return u.end;
    }
    const perl = PERL_GROUPS[s.slice(i, i + 2)];
    if (perl !== undefined) {
      this.push({ op: 'class', items: [{ kind: 'table', ...perl }], negate: false, fold: this.flags.fold });
      return i + 2;
    }
    const e = this.parseEscape(i);
    this.literal(e.rune);
    return e.end;
  }

  /** parser.parseEscape. */
  private parseEscape(i: number): { rune: number; end: number } {
    const s = this.s;
    let t = i + 1;
    if (t >= s.length) throw this.error(ErrorCode.TrailingBackslash, '');
    const [c, afterEscape] = this.next(t);
    t = afterEscape;
    const fail = () => this.error(ErrorCode.InvalidEscape, s.slice(i, t));
    const isOctal = (k: number) => k < s.length && s[k]! >= '0' && s[k]! <= '7';
    if (c < 0x80 && !isalnum(c)) return { rune: c, end: t };
    if (c >= 0x31 && c <= 0x37 && !isOctal(t)) throw fail();
    if (c >= 0x30 && c <= 0x37) {
      let r = c - 0x30;
      for (let k = 1; k < 3 && isOctal(t); k++) r = r * 8 + (s.charCodeAt(t++) - 0x30);
      return { rune: r, end: t };
    }
    switch (c) {
      case 0x78: {
        if (t >= s.length) throw fail();
        let d: number;
        [d, t] = this.next(t);
        if (d === 0x7b) {
          let nhex = 0;
          let r = 0;
          for (;;) {
            if (t >= s.length) throw fail();
            [d, t] = this.next(t);
            if (d === 0x7d) break;
            const v = unhex(d);
            if (v < 0) throw fail();
            r = r * 16 + v;
            if (r > 0x10ffff) throw fail();
            nhex++;
          }
          if (nhex === 0) throw fail();
          return { rune: r, end: t };
        }
        const x = unhex(d);
        [d, t] = this.next(t);
        const y = unhex(d);
        if (x < 0 || y < 0) throw fail();
        return { rune: x * 16 + y, end: t };
      }
      case 0x61:
        return { rune: 7, end: t };
      case 0x66:
        return { rune: 12, end: t };
      case 0x6e:
        return { rune: 10, end: t };
      case 0x72:
        return { rune: 13, end: t };
      case 0x74:
        return { rune: 9, end: t };
      case 0x76:
        return { rune: 11, end: t };
    }
    throw fail();
  }

  /** parser.parseUnicodeClass: \pL, \p{Greek}, \P{^Lu}. */
  private parseUnicodeClass(i: number): { item: ClassItem; end: number } {
    const s = this.s;
    let sign = s[i + 1] === 'P' ? -1 : 1;
    const [c, after] = this.next(i + 2);
    let t = after;
    let seq: string;
    let name: string;
    if (c !== 0x7b) {
      seq = s.slice(i, t);
      name = seq.slice(2);
    } else {
      const end = s.indexOf('}', i);
      if (end < 0) throw this.error(ErrorCode.InvalidCharRange, s.slice(i));
      seq = s.slice(i, end + 1);
      t = end + 1;
      name = s.slice(i + 3, end);
    }
    if (name.startsWith('^')) {
      sign = -sign;
      name = name.slice(1);
    }
    const table = unicodeTable(name);
    if (table === undefined) throw this.error(ErrorCode.InvalidCharRange, seq);
    if (table.sign < 0) sign = -sign;
    const base = table.item;
    const item: ClassItem =
      base.kind === 'prop'
        ? { kind: 'prop', name: base.name, negate: sign < 0 }
        : base.kind === 'range'
          ? { kind: 'table', ranges: [[base.lo, base.hi]], negate: sign < 0 }
          : base;
    return { item, end: t };
  }

  /** parser.parseClass: [...] and [^...]. */
  private parseClass(i: number): number {
    const s = this.s;
    const whole = s.slice(i);
    let t = i + 1;
    let negate = false;
    if (t < s.length && s[t] === '^') {
      negate = true;
      t++;
    }
    const items: ClassItem[] = [];
    let first = true;
    while (t >= s.length || s[t] !== ']' || first) {
      first = false;
      if (s.length - t > 2 && s[t] === '[' && s[t + 1] === ':') {
        const close = s.indexOf(':]', t + 2);
        if (close >= 0) {
          const name = s.slice(t, close + 2);
          const g = POSIX_GROUPS[name];
          if (g === undefined) throw this.error(ErrorCode.InvalidCharRange, name);
          items.push({ kind: 'table', ...g });
          t = close + 2;
          continue;
        }
      }
      if (t + 1 < s.length && s[t] === '\\' && (s[t + 1] === 'p' || s[t + 1] === 'P')) {
        const u = this.parseUnicodeClass(t);
        items.push(u.item);
        t = u.end;
        continue;
      }
      const perl = t + 1 < s.length ? PERL_GROUPS[s.slice(t, t + 2)] : undefined;
      if (perl !== undefined) {
        items.push({ kind: 'table', ...perl });
        t += 2;
        continue;
      }
      const start = t;
      let lo: number;
      [lo, t] = this.parseClassChar(t, whole);
      let hi = lo;
      if (s.length - t >= 2 && s[t] === '-' && s[t + 1] !== ']') {
        t++;
        [hi, t] = this.parseClassChar(t, whole);
        if (hi < lo) throw this.error(ErrorCode.InvalidCharRange, s.slice(start, t));
      }
      items.push({ kind: 'range', lo, hi });
    }
    this.push({ op: 'class', items, negate, fold: this.flags.fold });
    return t + 1;
  }

  private parseClassChar(t: number, whole: string): [number, number] {
    if (t >= this.s.length) throw this.error(ErrorCode.MissingBracket, whole);
    if (this.s[t] === '\\') {
      const e = this.parseEscape(t);
      return [e.rune, e.end];
    }
    return this.next(t);
  }
}

function concatOf(list: Node[]): Node {
  if (list.length === 0) return { op: 'empty' };
  if (list.length === 1) return list[0]!;
  return { op: 'concat', subs: list };
}

function alternateOf(list: Node[]): Node {
  return list.length === 1 ? list[0]! : { op: 'alternate', subs: list };
}

function subsOf(n: Node): Node[] {
  switch (n.op) {
    case 'capture':
    case 'repeat':
      return [n.sub];
    case 'concat':
    case 'alternate':
      return n.subs;
    default:
      return [];
  }
}

/** regexp/syntax repeatIsValid: nested counted repetitions may not exceed n copies. */
function repeatIsValid(n: Node, limit: number): boolean {
  if (n.op === 'repeat' && n.kind === '{}') {
    let m = n.max;
    if (m === 0) return true;
    if (m < 0) m = n.min;
    if (m > limit) return false;
    if (m > 0) limit = Math.floor(limit / m);
  }
  return subsOf(n).every((sub) => repeatIsValid(sub, limit));
}

function height(n: Node): number {
  let h = 1;
  for (const sub of subsOf(n)) h = Math.max(h, 1 + height(sub));
  return h;
}

/** regexp/syntax calcSize: the compiled program size Go limits. */
function size(n: Node): number {
  let sz = 0;
  switch (n.op) {
    case 'literal':
      sz = 1;
      break;
    case 'capture':
      sz = 2 + size(n.sub);
      break;
    case 'repeat':
      if (n.kind === '*') sz = 2 + size(n.sub);
      else if (n.kind === '+' || n.kind === '?') sz = 1 + size(n.sub);
      else if (n.max === -1) sz = n.min === 0 ? 2 + size(n.sub) : 1 + n.min * size(n.sub);
      else sz = n.max * size(n.sub) + (n.max - n.min);
      break;
    case 'concat':
      for (const sub of n.subs) sz += size(sub);
      break;
    case 'alternate':
      for (const sub of n.subs) sz += size(sub);
      sz += n.subs.length - 1;
      break;
  }
  return Math.max(1, sz);
}

/** syntax.Parse(expr, syntax.Perl). */
export function parseRegexp(expr: string): ParsedRegexp {
  return new Parser(expr).parse();
}
