/**
 * The YAML scanner of go-yaml v2 (go.yaml.in/yaml/v2 v2.4.4 scannerc.go and readerc.go, a
 * port of libyaml): characters in, tokens out. Ported function by function so that the
 * tokens, the marks and above all the errors (which message, which line, and which of two
 * errors wins) are the ones go-yaml reports. Positions count characters (code points), as
 * libyaml's marks do.
 */

/** A position in the input: character index, 0-based line and column. */
export interface Mark {
  index: number;
  line: number;
  column: number;
}

/** The token types of yamlh.go, without the yaml_ prefix and _TOKEN suffix. */
export type TokenType =
  | 'NO'
  | 'STREAM_START'
  | 'STREAM_END'
  | 'VERSION_DIRECTIVE'
  | 'TAG_DIRECTIVE'
  | 'DOCUMENT_START'
  | 'DOCUMENT_END'
  | 'BLOCK_SEQUENCE_START'
  | 'BLOCK_MAPPING_START'
  | 'BLOCK_END'
  | 'FLOW_SEQUENCE_START'
  | 'FLOW_SEQUENCE_END'
  | 'FLOW_MAPPING_START'
  | 'FLOW_MAPPING_END'
  | 'BLOCK_ENTRY'
  | 'FLOW_ENTRY'
  | 'KEY'
  | 'VALUE'
  | 'ALIAS'
  | 'ANCHOR'
  | 'TAG'
  | 'SCALAR';

/** A scalar's style as written (or, for the emitter, as requested). */
export type ScalarStyle = 'any' | 'plain' | 'single' | 'double' | 'literal' | 'folded';

/** yaml_token_t: what the scanner hands the parser. */
export interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** Scalar value, anchor/alias name, tag handle, or %TAG handle. */
  value: string;
  /** Tag suffix. */
  suffix: string;
  /** %TAG prefix. */
  prefix: string;
  style: ScalarStyle;
  major: number;
  minor: number;
}

/** A reader, scanner or parser error, with libyaml's problem/context and their marks. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly kind: 'reader' | 'scanner' | 'parser',
    readonly problem: string,
    readonly problemMark: Mark,
    readonly context: string,
    readonly contextMark: Mark,
  ) {
    super(problem);
    this.name = 'YamlSyntaxError';
  }
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const ZERO_MARK: Mark = { index: 0, line: 0, column: 0 };
// readerc.go reads the input in chunks of this many bytes; a control character is reported
// when its chunk is decoded, which decides whether it or a syntax error comes first.
const RAW_BUFFER_SIZE = 512;
const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;
const MAX_NUMBER_LENGTH = 2;

const SP = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const NEL = 0x85;
const LS = 0x2028;
const PS = 0x2029;

function ch(c: string): number {
  return c.charCodeAt(0);
}

function isBreak(c: number): boolean {
  return c === CR || c === LF || c === NEL || c === LS || c === PS;
}
function isBlank(c: number): boolean {
  return c === SP || c === TAB;
}
function isBreakZ(c: number): boolean {
  return isBreak(c) || c === 0;
}
function isBlankZ(c: number): boolean {
  return isBlank(c) || isBreakZ(c);
}
/** yamlprivateh.go is_alpha: the characters of anchors, tag handles and directive names. */
export function isAlpha(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
function asHex(c: number): number {
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return c - 0x30;
}
function utf8Width(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}
/** Characters readerc.go lets through; anything else is "control characters are not allowed". */
function readerAllows(v: number): boolean {
  return (
    v === 0x09 ||
    v === 0x0a ||
    v === 0x0d ||
    (v >= 0x20 && v <= 0x7e) ||
    v === 0x85 ||
    (v >= 0xa0 && v <= 0xd7ff) ||
    (v >= 0xe000 && v <= 0xfffd) ||
    (v >= 0x10000 && v <= 0x10ffff)
  );
}

/** Splits a string into code points; lone surrogates become U+FFFD, as a UTF-8 encoder makes them. */
/** The code points of `s` (lone surrogates as U+FFFD), in a typed array: this runs on every document Helm parses. */
function codePoints(s: string): Int32Array {
  const out = new Int32Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[n++] = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        continue;
      }
    }
    out[n++] = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
  }
  return n === s.length ? out : out.subarray(0, n);
}

function emptyToken(type: TokenType, start: Mark, end: Mark): Token {
  return { type, start, end, value: '', suffix: '', prefix: '', style: 'any', major: 0, minor: 0 };
}

/**
 * Builds a string from code points and strings, as libyaml's growable buffers do. Kept as
 * one JS string (V8 concatenates into ropes cheaply) rather than a part per character;
 * `first()` is the first piece added, which is what line-break checks look at.
 */
class StrBuf {
  private text = '';
  private head = '';
  length = 0;
  push(cp: number): void {
    const c = cp < 0x10000 ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    if (this.length === 0) this.head = c;
    this.text += c;
    this.length++;
  }
  append(s: StrBuf | string): void {
    if (typeof s === 'string') {
      if (s) {
        if (this.length === 0) this.head = s;
        this.text += s;
        this.length += s.length;
      }
      return;
    }
    if (s.length === 0) return;
    if (this.length === 0) this.head = s.head;
    this.text += s.text;
    this.length += s.length;
  }
  first(): string {
    return this.head;
  }
  clear(): void {
    this.text = '';
    this.head = '';
    this.length = 0;
  }
  toString(): string {
    return this.text;
  }
}

/** go-yaml's yaml_parser_t, scanner half: reader state, token queue, indents, simple keys. */
export class Scanner {
  private readonly cps: Int32Array;
  private readonly inputBytes: number;
  private rawRead = 0;
  private rawPos = 0;
  private decoded = 0;
  private eof = false;
  private encodingKnown = false;
  private readonly bom: boolean;

  private pos = 0;
  private unread = 0;
  /** Where go-yaml's working buffer starts: the position at the last refill. */
  private bufferStart = 0;
  mark: Mark = { index: 0, line: 0, column: 0 };

  private streamStartProduced = false;
  streamEndProduced = false;
  private flowLevel = 0;
  private tokens: Token[] = [];
  private tokensHead = 0;
  tokensParsed = 0;
  tokenAvailable = false;
  private indent = 0;
  private indents: number[] = [];
  private simpleKeyAllowed = false;
  private simpleKeys: SimpleKey[] = [];
  private simpleKeysByTok = new Map<number, number>();

  constructor(input: string) {
    let cps = codePoints(input);
    let bytes = 0;
    for (const c of cps) bytes += utf8Width(c);
    // A UTF-8 byte order mark is dropped by yaml_parser_determine_encoding.
    this.bom = cps[0] === 0xfeff;
    if (this.bom) cps = cps.subarray(1);
    this.cps = cps;
    this.inputBytes = bytes;
  }

  // ---- reader (readerc.go) ----

  private at(k = 0): number {
    return this.cps[this.pos + k] ?? 0;
  }

  private readRaw(): void {
    const held = this.rawRead - this.rawPos;
    if (this.eof || held >= RAW_BUFFER_SIZE) return;
    if (this.rawRead === this.inputBytes) {
      this.eof = true;
      return;
    }
    this.rawRead += Math.min(RAW_BUFFER_SIZE - held, this.inputBytes - this.rawRead);
  }

  private updateBuffer(length: number): boolean {
    if (this.unread >= length) return true;
    this.bufferStart = this.pos;
    if (!this.encodingKnown) {
      // yaml_parser_determine_encoding reads until 3 bytes are there for the BOM check.
      while (!this.eof && this.rawRead - this.rawPos < 3) this.readRaw();
      if (this.bom) this.rawPos += 3;
      this.encodingKnown = true;
    }
    let first = true;
    while (this.unread < length) {
      if (!first || this.rawPos === this.rawRead) this.readRaw();
      first = false;
      while (this.rawPos !== this.rawRead) {
        const v = this.cps[this.decoded];
        if (v === undefined) break;
        const w = utf8Width(v);
        if (w > this.rawRead - this.rawPos) break;
        if (!readerAllows(v)) {
          throw new YamlSyntaxError('reader', 'control characters are not allowed', ZERO_MARK, '', ZERO_MARK);
        }
        this.rawPos += w;
        this.decoded++;
        this.unread++;
      }
      if (this.eof) {
        this.unread++;
        break;
      }
    }
    return true;
  }

  private cache(length: number): void {
    if (this.unread < length) this.updateBuffer(length);
  }

  private skip(): void {
    this.mark.index++;
    this.mark.column++;
    this.unread--;
    this.pos++;
  }

  private skipLine(): void {
    if (this.at() === CR && this.at(1) === LF) {
      this.mark.index += 2;
      this.mark.column = 0;
      this.mark.line++;
      this.unread -= 2;
      this.pos += 2;
    } else if (isBreak(this.at())) {
      this.mark.index++;
      this.mark.column = 0;
      this.mark.line++;
      this.unread--;
      this.pos++;
    }
  }

  private read(s: StrBuf): void {
    s.push(this.at());
    this.pos++;
    this.mark.index++;
    this.mark.column++;
    this.unread--;
  }

  private readLine(s: StrBuf): void {
    const c = this.at();
    if (c === CR && this.at(1) === LF) {
      s.push(LF);
      this.pos += 2;
      this.mark.index++;
      this.unread--;
    } else if (c === CR || c === LF || c === NEL) {
      s.push(LF);
      this.pos++;
    } else if (c === LS || c === PS) {
      s.push(c);
      this.pos++;
    } else {
      return;
    }
    this.mark.index++;
    this.mark.column = 0;
    this.mark.line++;
    this.unread--;
  }

  private copyMark(): Mark {
    return { index: this.mark.index, line: this.mark.line, column: this.mark.column };
  }

  private error(context: string, contextMark: Mark, problem: string): never {
    throw new YamlSyntaxError('scanner', problem, this.copyMark(), context, { ...contextMark });
  }

  // ---- token queue ----

  /** The next token without consuming it (parserc.go peek_token). */
  peekToken(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.tokensHead]!;
  }

  /** Consumes the token peekToken returned (parserc.go skip_token). */
  skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.tokensHead]!.type === 'STREAM_END';
    this.tokensHead++;
    if (this.tokensHead > 1024 && this.tokensHead * 2 > this.tokens.length) {
      this.tokens = this.tokens.slice(this.tokensHead);
      this.tokensHead = 0;
    }
  }

  private insertToken(pos: number, token: Token): void {
    if (pos < 0) {
      this.tokens.push(token);
      return;
    }
    this.tokens.splice(this.tokensHead + pos, 0, token);
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.tokensHead !== this.tokens.length) {
        const idx = this.simpleKeysByTok.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx]!)) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.mark.column);
    this.cache(4);

    const c = this.at();
    if (c === 0) return this.fetchStreamEnd();
    if (this.mark.column === 0 && c === ch('%')) return this.fetchDirective();
    if (this.mark.column === 0 && c === ch('-') && this.at(1) === ch('-') && this.at(2) === ch('-') && isBlankZ(this.at(3))) {
      return this.fetchDocumentIndicator('DOCUMENT_START');
    }
    if (this.mark.column === 0 && c === ch('.') && this.at(1) === ch('.') && this.at(2) === ch('.') && isBlankZ(this.at(3))) {
      return this.fetchDocumentIndicator('DOCUMENT_END');
    }
    if (c === ch('[')) return this.fetchFlowCollectionStart('FLOW_SEQUENCE_START');
    if (c === ch('{')) return this.fetchFlowCollectionStart('FLOW_MAPPING_START');
    if (c === ch(']')) return this.fetchFlowCollectionEnd('FLOW_SEQUENCE_END');
    if (c === ch('}')) return this.fetchFlowCollectionEnd('FLOW_MAPPING_END');
    if (c === ch(',')) return this.fetchFlowEntry();
    if (c === ch('-') && isBlankZ(this.at(1))) return this.fetchBlockEntry();
    if (c === ch('?') && (this.flowLevel > 0 || isBlankZ(this.at(1)))) return this.fetchKey();
    if (c === ch(':') && (this.flowLevel > 0 || isBlankZ(this.at(1)))) return this.fetchValue();
    if (c === ch('*')) return this.fetchAnchor('ALIAS');
    if (c === ch('&')) return this.fetchAnchor('ANCHOR');
    if (c === ch('!')) return this.fetchTag();
    if (c === ch('|') && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === ch('>') && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === ch("'")) return this.fetchFlowScalar(true);
    if (c === ch('"')) return this.fetchFlowScalar(false);

    if (
      !(isBlankZ(c) || '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCodePoint(c))) ||
      (c === ch('-') && !isBlank(this.at(1))) ||
      (this.flowLevel === 0 && (c === ch('?') || c === ch(':')) && !isBlankZ(this.at(1)))
    ) {
      return this.fetchPlainScalar();
    }
    this.error('while scanning for the next token', this.mark, 'found character that cannot start any token');
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    // libyaml's 1024-character limit on simple keys.
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) this.error('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mark.column;
    if (this.simpleKeyAllowed) {
      const key: SimpleKey = {
        possible: true,
        required,
        tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead),
        mark: this.copyMark(),
      };
      this.removeSimpleKey();
      this.simpleKeys[this.simpleKeys.length - 1] = key;
      this.simpleKeysByTok.set(key.tokenNumber, this.simpleKeys.length - 1);
    }
  }

  private removeSimpleKey(): void {
    const i = this.simpleKeys.length - 1;
    const key = this.simpleKeys[i]!;
    if (key.possible) {
      if (key.required) this.error('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead),
      mark: this.copyMark(),
    });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) {
      this.error('while increasing flow level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
    }
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.pop()!;
      this.simpleKeysByTok.delete(last.tokenNumber);
    }
  }

  private rollIndent(column: number, number: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) {
        this.error('while increasing indent level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_INDENTS}`);
      }
      const token = emptyToken(type, { ...mark }, { ...mark });
      if (number > -1) number -= this.tokensParsed;
      this.insertToken(number, token);
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, emptyToken('BLOCK_END', this.copyMark(), this.copyMark()));
      this.indent = this.indents.pop()!;
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: { ...ZERO_MARK } });
    this.simpleKeysByTok = new Map();
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, emptyToken('STREAM_START', this.copyMark(), this.copyMark()));
  }

  private fetchStreamEnd(): void {
    // Force a new line.
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, emptyToken('STREAM_END', this.copyMark(), this.copyMark()));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.copyMark();
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, emptyToken(type, start, this.copyMark()));
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = this.copyMark();
    this.skip();
    this.insertToken(-1, emptyToken(type, start, this.copyMark()));
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = this.copyMark();
    this.skip();
    this.insertToken(-1, emptyToken(type, start, this.copyMark()));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.copyMark();
    this.skip();
    this.insertToken(-1, emptyToken('FLOW_ENTRY', start, this.copyMark()));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.error('', this.mark, 'block sequence entries are not allowed in this context');
      this.rollIndent(this.mark.column, -1, 'BLOCK_SEQUENCE_START', this.copyMark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.copyMark();
    this.skip();
    this.insertToken(-1, emptyToken('BLOCK_ENTRY', start, this.copyMark()));
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.error('', this.mark, 'mapping keys are not allowed in this context');
      this.rollIndent(this.mark.column, -1, 'BLOCK_MAPPING_START', this.copyMark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = this.copyMark();
    this.skip();
    this.insertToken(-1, emptyToken('KEY', start, this.copyMark()));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, emptyToken('KEY', { ...key.mark }, { ...key.mark }));
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK_MAPPING_START', key.mark);
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.error('', this.mark, 'mapping values are not allowed in this context');
        this.rollIndent(this.mark.column, -1, 'BLOCK_MAPPING_START', this.copyMark());
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = this.copyMark();
    this.skip();
    this.insertToken(-1, emptyToken('VALUE', start, this.copyMark()));
  }

  private fetchAnchor(type: TokenType): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  private scanToNextToken(): void {
    for (;;) {
      this.cache(1);
      // go-yaml's is_bom tests the first bytes of its working buffer, not the current
      // position, and then skips whatever character is current.
      if (this.mark.column === 0 && this.cps[this.bufferStart] === 0xfeff) this.skip();
      this.cache(1);
      while (this.at() === SP || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.at() === TAB)) {
        this.skip();
        this.cache(1);
      }
      if (this.at() === ch('#')) {
        while (!isBreakZ(this.at())) {
          this.skip();
          this.cache(1);
        }
      }
      if (isBreak(this.at())) {
        this.cache(2);
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  private scanDirective(): Token {
    const start = this.copyMark();
    this.skip();
    const name = this.scanDirectiveName(start);
    let token: Token;
    if (name === 'YAML') {
      const [major, minor] = this.scanVersionDirectiveValue(start);
      token = emptyToken('VERSION_DIRECTIVE', start, this.copyMark());
      token.major = major;
      token.minor = minor;
    } else if (name === 'TAG') {
      const [handle, prefix] = this.scanTagDirectiveValue(start);
      token = emptyToken('TAG_DIRECTIVE', start, this.copyMark());
      token.value = handle;
      token.prefix = prefix;
    } else {
      this.error('while scanning a directive', start, 'found unknown directive name');
    }
    this.cache(1);
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    if (this.at() === ch('#')) {
      while (!isBreakZ(this.at())) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakZ(this.at())) this.error('while scanning a directive', start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.cache(2);
      this.skipLine();
    }
    return token;
  }

  private scanDirectiveName(start: Mark): string {
    this.cache(1);
    const s = new StrBuf();
    while (isAlpha(this.at())) {
      this.read(s);
      this.cache(1);
    }
    if (s.length === 0) this.error('while scanning a directive', start, 'could not find expected directive name');
    if (!isBlankZ(this.at())) this.error('while scanning a directive', start, 'found unexpected non-alphabetical character');
    return s.toString();
  }

  private scanVersionDirectiveValue(start: Mark): [number, number] {
    this.cache(1);
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    const major = this.scanVersionDirectiveNumber(start);
    if (this.at() !== ch('.')) this.error('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
    this.skip();
    const minor = this.scanVersionDirectiveNumber(start);
    return [major, minor];
  }

  private scanVersionDirectiveNumber(start: Mark): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.at())) {
      length++;
      if (length > MAX_NUMBER_LENGTH) this.error('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + (this.at() - 0x30);
      this.skip();
      this.cache(1);
    }
    if (length === 0) this.error('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  private scanTagDirectiveValue(start: Mark): [string, string] {
    this.cache(1);
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    const handle = this.scanTagHandle(true, start);
    this.cache(1);
    if (!isBlank(this.at())) this.error('while scanning a %TAG directive', start, 'did not find expected whitespace');
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    const prefix = this.scanTagUri(true, '', start);
    this.cache(1);
    if (!isBlankZ(this.at())) this.error('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
    return [handle, prefix];
  }

  private scanAnchor(type: TokenType): Token {
    const s = new StrBuf();
    const start = this.copyMark();
    this.skip();
    this.cache(1);
    while (isAlpha(this.at())) {
      this.read(s);
      this.cache(1);
    }
    const end = this.copyMark();
    const c = this.at();
    if (s.length === 0 || !(isBlankZ(c) || '?:,]}%@`'.includes(String.fromCodePoint(c)))) {
      this.error(
        type === 'ANCHOR' ? 'while scanning an anchor' : 'while scanning an alias',
        start,
        'did not find expected alphabetic or numeric character',
      );
    }
    const token = emptyToken(type, start, end);
    token.value = s.toString();
    return token;
  }

  private scanTag(): Token {
    const start = this.copyMark();
    this.cache(2);
    let handle: string;
    let suffix: string;
    if (this.at(1) === ch('<')) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (this.at() !== ch('>')) this.error('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle[0] === '!' && handle.length > 1 && handle[handle.length - 1] === '!') {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix.length === 0) [handle, suffix] = [suffix, handle];
      }
    }
    this.cache(1);
    if (!isBlankZ(this.at())) this.error('while scanning a tag', start, 'did not find expected whitespace or line break');
    const token = emptyToken('TAG', start, this.copyMark());
    token.value = handle;
    token.suffix = suffix;
    return token;
  }

  private tagError(directive: boolean, start: Mark, problem: string): never {
    this.error(directive ? 'while parsing a %TAG directive' : 'while parsing a tag', start, problem);
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.cache(1);
    if (this.at() !== ch('!')) this.tagError(directive, start, "did not find expected '!'");
    const s = new StrBuf();
    this.read(s);
    this.cache(1);
    while (isAlpha(this.at())) {
      this.read(s);
      this.cache(1);
    }
    if (this.at() === ch('!')) {
      this.read(s);
    } else if (directive && s.toString() !== '!') {
      this.tagError(directive, start, "did not find expected '!'");
    }
    return s.toString();
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    // Bytes, because %-escapes give UTF-8 octets.
    const bytes: number[] = [];
    const pushText = (text: string) => {
      for (const b of new TextEncoder().encode(text)) bytes.push(b);
    };
    let hasTag = head.length > 0;
    if (head.length > 1) pushText(head.slice(1));
    this.cache(1);
    for (;;) {
      const c = this.at();
      if (!(isAlpha(c) || (c !== 0 && ";/?:@&=+$,.!~*'()[]%".includes(String.fromCodePoint(c))))) break;
      if (c === ch('%')) {
        this.scanUriEscapes(directive, start, bytes);
      } else {
        pushText(String.fromCodePoint(c));
        this.pos++;
        this.mark.index++;
        this.mark.column++;
        this.unread--;
      }
      this.cache(1);
      hasTag = true;
    }
    if (!hasTag) this.tagError(directive, start, 'did not find expected tag URI');
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }

  private scanUriEscapes(directive: boolean, start: Mark, out: number[]): void {
    let w = 1024;
    while (w > 0) {
      this.cache(3);
      if (!(this.at() === ch('%') && isHex(this.at(1)) && isHex(this.at(2)))) {
        this.tagError(directive, start, 'did not find URI escaped octet');
      }
      const octet = (asHex(this.at(1)) << 4) + asHex(this.at(2));
      if (w === 1024) {
        w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (w === 0) this.tagError(directive, start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        this.tagError(directive, start, 'found an incorrect trailing UTF-8 octet');
      }
      out.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
  }

  private scanBlockScalar(literal: boolean): Token {
    const start = this.copyMark();
    this.skip();
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    if (this.at() === ch('+') || this.at() === ch('-')) {
      chomping = this.at() === ch('+') ? 1 : -1;
      this.skip();
      this.cache(1);
      if (isDigit(this.at())) {
        if (this.at() === ch('0')) this.error('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
        increment = this.at() - 0x30;
        this.skip();
      }
    } else if (isDigit(this.at())) {
      if (this.at() === ch('0')) this.error('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
      increment = this.at() - 0x30;
      this.skip();
      this.cache(1);
      if (this.at() === ch('+') || this.at() === ch('-')) {
        chomping = this.at() === ch('+') ? 1 : -1;
        this.skip();
      }
    }
    this.cache(1);
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    if (this.at() === ch('#')) {
      while (!isBreakZ(this.at())) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakZ(this.at())) this.error('while scanning a block scalar', start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.cache(2);
      this.skipLine();
    }
    const endRef = { mark: this.copyMark() };
    let indent = 0;
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment;

    const s = new StrBuf();
    const leadingBreak = new StrBuf();
    const trailingBreaks = new StrBuf();
    indent = this.scanBlockScalarBreaks(indent, trailingBreaks, start, endRef);
    this.cache(1);
    let leadingBlank = false;
    while (this.mark.column === indent && this.at() !== 0) {
      const trailingBlank = isBlank(this.at());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.length > 0 && leadingBreak.first() === '\n') {
        if (trailingBreaks.length === 0) s.push(SP);
      } else {
        s.append(leadingBreak);
      }
      leadingBreak.clear();
      s.append(trailingBreaks);
      trailingBreaks.clear();
      leadingBlank = isBlank(this.at());
      while (!isBreakZ(this.at())) {
        this.read(s);
        this.cache(1);
      }
      this.cache(2);
      this.readLine(leadingBreak);
      indent = this.scanBlockScalarBreaks(indent, trailingBreaks, start, endRef);
    }
    if (chomping !== -1) s.append(leadingBreak);
    if (chomping === 1) s.append(trailingBreaks);
    const token = emptyToken('SCALAR', start, endRef.mark);
    token.value = s.toString();
    token.style = literal ? 'literal' : 'folded';
    return token;
  }

  private scanBlockScalarBreaks(indent: number, breaks: StrBuf, start: Mark, endRef: { mark: Mark }): number {
    endRef.mark = this.copyMark();
    let maxIndent = 0;
    for (;;) {
      this.cache(1);
      while ((indent === 0 || this.mark.column < indent) && this.at() === SP) {
        this.skip();
        this.cache(1);
      }
      if (this.mark.column > maxIndent) maxIndent = this.mark.column;
      if ((indent === 0 || this.mark.column < indent) && this.at() === TAB) {
        this.error('while scanning a block scalar', start, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(this.at())) break;
      this.cache(2);
      this.readLine(breaks);
      endRef.mark = this.copyMark();
    }
    if (indent === 0) {
      indent = maxIndent;
      if (indent < this.indent + 1) indent = this.indent + 1;
      if (indent < 1) indent = 1;
    }
    return indent;
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.copyMark();
    this.skip();
    const s = new StrBuf();
    const leadingBreak = new StrBuf();
    const trailingBreaks = new StrBuf();
    const whitespaces = new StrBuf();
    for (;;) {
      this.cache(4);
      if (
        this.mark.column === 0 &&
        ((this.at() === ch('-') && this.at(1) === ch('-') && this.at(2) === ch('-')) ||
          (this.at() === ch('.') && this.at(1) === ch('.') && this.at(2) === ch('.'))) &&
        isBlankZ(this.at(3))
      ) {
        this.error('while scanning a quoted scalar', start, 'found unexpected document indicator');
      }
      if (this.at() === 0) this.error('while scanning a quoted scalar', start, 'found unexpected end of stream');

      let leadingBlanks = false;
      while (!isBlankZ(this.at())) {
        const c = this.at();
        if (single && c === ch("'") && this.at(1) === ch("'")) {
          s.push(ch("'"));
          this.skip();
          this.skip();
        } else if (single && c === ch("'")) {
          break;
        } else if (!single && c === ch('"')) {
          break;
        } else if (!single && c === ch('\\') && isBreak(this.at(1))) {
          this.cache(3);
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === ch('\\')) {
          let codeLength = 0;
          const e = this.at(1);
          const simple = ESCAPES.get(e);
          if (simple !== undefined) {
            s.push(simple);
          } else if (e === ch('x')) {
            codeLength = 2;
          } else if (e === ch('u')) {
            codeLength = 4;
          } else if (e === ch('U')) {
            codeLength = 8;
          } else {
            this.error('while parsing a quoted scalar', start, 'found unknown escape character');
          }
          this.skip();
          this.skip();
          if (codeLength > 0) {
            this.cache(codeLength);
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!isHex(this.at(k))) this.error('while parsing a quoted scalar', start, 'did not find expected hexdecimal number');
              value = value * 16 + asHex(this.at(k));
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
              this.error('while parsing a quoted scalar', start, 'found invalid Unicode character escape code');
            }
            s.push(value);
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else {
          this.read(s);
        }
        this.cache(2);
      }
      this.cache(1);
      if (single ? this.at() === ch("'") : this.at() === ch('"')) break;

      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (!leadingBlanks) this.read(whitespaces);
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces.clear();
            this.readLine(leadingBreak);
            leadingBlanks = true;
          } else {
            this.readLine(trailingBreaks);
          }
        }
        this.cache(1);
      }
      if (leadingBlanks) {
        if (leadingBreak.length > 0 && leadingBreak.first() === '\n') {
          if (trailingBreaks.length === 0) s.push(SP);
          else s.append(trailingBreaks);
        } else {
          s.append(leadingBreak);
          s.append(trailingBreaks);
        }
        trailingBreaks.clear();
        leadingBreak.clear();
      } else {
        s.append(whitespaces);
        whitespaces.clear();
      }
    }
    this.skip();
    const token = emptyToken('SCALAR', start, this.copyMark());
    token.value = s.toString();
    token.style = single ? 'single' : 'double';
    return token;
  }

  private scanPlainScalar(): Token {
    const s = new StrBuf();
    const leadingBreak = new StrBuf();
    const trailingBreaks = new StrBuf();
    const whitespaces = new StrBuf();
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.copyMark();
    let end = this.copyMark();
    for (;;) {
      this.cache(4);
      if (
        this.mark.column === 0 &&
        ((this.at() === ch('-') && this.at(1) === ch('-') && this.at(2) === ch('-')) ||
          (this.at() === ch('.') && this.at(1) === ch('.') && this.at(2) === ch('.'))) &&
        isBlankZ(this.at(3))
      ) {
        break;
      }
      if (this.at() === ch('#')) break;
      while (!isBlankZ(this.at())) {
        const c = this.at();
        if (
          (c === ch(':') && isBlankZ(this.at(1))) ||
          (this.flowLevel > 0 && (c === ch(',') || c === ch('?') || c === ch('[') || c === ch(']') || c === ch('{') || c === ch('}')))
        ) {
          break;
        }
        if (leadingBlanks || whitespaces.length > 0) {
          if (leadingBlanks) {
            if (leadingBreak.first() === '\n') {
              if (trailingBreaks.length === 0) s.push(SP);
              else s.append(trailingBreaks);
            } else {
              s.append(leadingBreak);
              s.append(trailingBreaks);
            }
            trailingBreaks.clear();
            leadingBreak.clear();
            leadingBlanks = false;
          } else {
            s.append(whitespaces);
            whitespaces.clear();
          }
        }
        this.read(s);
        end = this.copyMark();
        this.cache(2);
      }
      if (!(isBlank(this.at()) || isBreak(this.at()))) break;
      this.cache(1);
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (leadingBlanks && this.mark.column < indent && this.at() === TAB) {
            this.error('while scanning a plain scalar', start, 'found a tab character that violates indentation');
          }
          if (!leadingBlanks) this.read(whitespaces);
          else this.skip();
        } else {
          this.cache(2);
          if (!leadingBlanks) {
            whitespaces.clear();
            this.readLine(leadingBreak);
            leadingBlanks = true;
          } else {
            this.readLine(trailingBreaks);
          }
        }
        this.cache(1);
      }
      if (this.flowLevel === 0 && this.mark.column < indent) break;
    }
    const token = emptyToken('SCALAR', start, end);
    token.value = s.toString();
    token.style = 'plain';
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return token;
  }
}

const ESCAPES = new Map<number, number>([
  [ch('0'), 0x00],
  [ch('a'), 0x07],
  [ch('b'), 0x08],
  [ch('t'), 0x09],
  [TAB, 0x09],
  [ch('n'), 0x0a],
  [ch('v'), 0x0b],
  [ch('f'), 0x0c],
  [ch('r'), 0x0d],
  [ch('e'), 0x1b],
  [SP, 0x20],
  [ch('"'), 0x22],
  [ch("'"), 0x27],
  [ch('\\'), 0x5c],
  [ch('N'), 0x85],
  [ch('_'), 0xa0],
  [ch('L'), 0x2028],
  [ch('P'), 0x2029],
]);
