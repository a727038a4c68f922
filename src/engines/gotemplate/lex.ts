/**
 * The template lexer (text/template/parse lex.go): a state machine that hands the parser
 * one item at a time, so a parse error stops lexing where Go's does. Positions are indexes
 * into the JavaScript string; lines count '\n' as Go's do.
 */
import { goQuote } from '../goruntime/index.js';
import { utf8Length } from '../goruntime/index.js';
import { formatRuneU, isAlphaNumeric, isSpaceCode } from './internal/text.js';

/** Item kinds, in Go's order; everything after `Keyword` is a keyword. */
export const ItemType = {
  Error: 0,
  Bool: 1,
  Char: 2,
  CharConstant: 3,
  Comment: 4,
  Complex: 5,
  Assign: 6,
  Declare: 7,
  EOF: 8,
  Field: 9,
  Identifier: 10,
  LeftDelim: 11,
  LeftParen: 12,
  Number: 13,
  Pipe: 14,
  RawString: 15,
  RightDelim: 16,
  RightParen: 17,
  Space: 18,
  String: 19,
  Text: 20,
  Variable: 21,
  Keyword: 22,
  Block: 23,
  Break: 24,
  Continue: 25,
  Dot: 26,
  Define: 27,
  Else: 28,
  End: 29,
  If: 30,
  Nil: 31,
  Range: 32,
  Template: 33,
  With: 34,
} as const;

/** One of {@link ItemType}. */
export type ItemKind = (typeof ItemType)[keyof typeof ItemType];

/** A token. */
export interface Item {
  typ: ItemKind;
  /** Index of the first character in the input. */
  pos: number;
  val: string;
  /** Line at the start of the item. */
  line: number;
}

const KEYWORDS: ReadonlyMap<string, ItemKind> = new Map<string, ItemKind>([
  ['.', ItemType.Dot],
  ['block', ItemType.Block],
  ['break', ItemType.Break],
  ['continue', ItemType.Continue],
  ['define', ItemType.Define],
  ['else', ItemType.Else],
  ['end', ItemType.End],
  ['if', ItemType.If],
  ['range', ItemType.Range],
  ['nil', ItemType.Nil],
  ['template', ItemType.Template],
  ['with', ItemType.With],
]);

/** item.String() as Go prints tokens in "unexpected ..." messages. */
export function itemString(i: Item): string {
  if (i.typ === ItemType.EOF) return 'EOF';
  if (i.typ === ItemType.Error) return i.val;
  if (i.typ > ItemType.Keyword) return `<${i.val}>`;
  if (utf8Length(i.val) > 10) {
    let end = 0;
    for (let k = 0; k < 10; k++) end += i.val.codePointAt(end)! > 0xffff ? 2 : 1;
    return `${goQuote(i.val.slice(0, end))}...`;
  }
  return goQuote(i.val);
}

/** What the lexer emits and accepts, set by the parser. */
export interface LexOptions {
  /** Emit Comment items (parse with comments). */
  emitComment: boolean;
  /** `break` is a keyword (false when a function named break exists). */
  breakOK: boolean;
  /** `continue` is a keyword. */
  continueOK: boolean;
}

const EOF = -1;

// State numbers; DONE means an item is ready.
const DONE = 0;
const TEXT = 1;
const LEFT_DELIM = 2;
const COMMENT = 3;
const RIGHT_DELIM = 4;
const INSIDE_ACTION = 5;
const SPACE = 6;
const IDENTIFIER = 7;
const FIELD = 8;
const VARIABLE = 9;
const CHAR = 10;
const NUMBER = 11;
const QUOTE = 12;
const RAW_QUOTE = 13;

// Digit sets of scanNumber.
const DEC = 0;
const HEX = 1;
const OCT = 2;
const BIN = 3;

function isDigitIn(set: number, c: number): boolean {
  if (c === 0x5f) return true;
  switch (set) {
    case DEC:
      return c >= 0x30 && c <= 0x39;
    case HEX:
      return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
    case OCT:
      return c >= 0x30 && c <= 0x37;
    default:
      return c === 0x30 || c === 0x31;
  }
}

function hasLeftTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && s.charCodeAt(i) === 0x2d && isSpaceCode(s.charCodeAt(i + 1));
}

function hasRightTrimMarker(s: string, i: number): boolean {
  return i >= 0 && i + 1 < s.length && isSpaceCode(s.charCodeAt(i)) && s.charCodeAt(i + 1) === 0x2d;
}

/** The lexer of one template text. */
export class Lexer {
  private input: string;
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private insideAction = false;
  private item: Item;
  options: LexOptions = { emitComment: false, breakOK: true, continueOK: true };

  constructor(
    input: string,
    private readonly leftDelim = '{{',
    private readonly rightDelim = '}}',
  ) {
    this.input = input;
    this.item = { typ: ItemType.EOF, pos: 0, val: 'EOF', line: 1 };
  }

  /** The next item. After an Error item the input is exhausted. */
  nextItem(): Item {
    let state = this.insideAction ? INSIDE_ACTION : TEXT;
    while (state !== DONE) state = this.step(state);
    return this.item;
  }

  private step(state: number): number {
    switch (state) {
      case TEXT:
        return this.lexText();
      case LEFT_DELIM:
        return this.lexLeftDelim();
      case COMMENT:
        return this.lexComment();
      case RIGHT_DELIM:
        return this.lexRightDelim();
      case INSIDE_ACTION:
        return this.lexInsideAction();
      case SPACE:
        return this.lexSpace();
      case IDENTIFIER:
        return this.lexIdentifier();
      case FIELD:
        return this.lexFieldOrVariable(ItemType.Field);
      case VARIABLE:
        return this.atTerminator() ? this.emit(ItemType.Variable) : this.lexFieldOrVariable(ItemType.Variable);
      case CHAR:
        return this.lexChar();
      case NUMBER:
        return this.lexNumber();
      case QUOTE:
        return this.lexQuote();
      case RAW_QUOTE:
        return this.lexRawQuote();
    }
    throw new Error(`lexer: unknown state ${state}`);
  }

  private next(): number {
    const input = this.input;
    if (this.pos >= input.length) {
      this.atEOF = true;
      return EOF;
    }
    const c = input.charCodeAt(this.pos);
    if (c >= 0xd800 && c <= 0xdbff && this.pos + 1 < input.length) {
      const d = input.charCodeAt(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        this.pos += 2;
        return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
      }
    }
    this.pos++;
    if (c === 0x0a) this.line++;
    return c;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const c = this.input.charCodeAt(this.pos - 1);
      if (c >= 0xdc00 && c <= 0xdfff && this.pos >= 2) {
        const h = this.input.charCodeAt(this.pos - 2);
        if (h >= 0xd800 && h <= 0xdbff) {
          this.pos -= 2;
          return;
        }
      }
      this.pos--;
      if (c === 0x0a) this.line--;
    }
  }

  private thisItem(typ: ItemKind): Item {
    const i: Item = { typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  private emit(typ: ItemKind): number {
    this.item = this.thisItem(typ);
    return DONE;
  }

  private emitItem(i: Item): number {
    this.item = i;
    return DONE;
  }

  private countLines(from: number, to: number): number {
    let n = 0;
    const input = this.input;
    for (let i = from; i < to; i++) if (input.charCodeAt(i) === 0x0a) n++;
    return n;
  }

  private ignore(): void {
    this.line += this.countLines(this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  private accept(a: number, b = a): boolean {
    const r = this.next();
    if (r === a || r === b) return true;
    this.backup();
    return false;
  }

  private acceptDigits(set: number): void {
    while (isDigitIn(set, this.next()));
    this.backup();
  }

  private errorf(message: string): number {
    this.item = { typ: ItemType.Error, pos: this.start, val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return DONE;
  }

  private lexText(): number {
    const input = this.input;
    const x = input.indexOf(this.leftDelim, this.pos);
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x;
        let trim = 0;
        if (hasLeftTrimMarker(input, this.pos + this.leftDelim.length)) {
          let k = this.pos;
          while (k > this.start && isSpaceCode(input.charCodeAt(k - 1))) k--;
          trim = this.pos - k;
        }
        this.pos -= trim;
        this.line += this.countLines(this.start, this.pos);
        const i = this.thisItem(ItemType.Text);
        this.pos += trim;
        this.ignore();
        if (i.val.length > 0) return this.emitItem(i);
      }
      return LEFT_DELIM;
    }
    this.pos = input.length;
    if (this.pos > this.start) {
      this.line += this.countLines(this.start, this.pos);
      return this.emit(ItemType.Text);
    }
    return this.emit(ItemType.EOF);
  }

  /** 0: not at a right delimiter; 1: at one; 2: at one preceded by a trim marker. */
  private atRightDelim(): number {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2)) return 2;
    if (this.input.startsWith(this.rightDelim, this.pos)) return 1;
    return 0;
  }

  private leftTrimLength(from: number): number {
    let k = from;
    while (k < this.input.length && isSpaceCode(this.input.charCodeAt(k))) k++;
    return k - from;
  }

  private lexLeftDelim(): number {
    this.pos += this.leftDelim.length;
    const afterMarker = hasLeftTrimMarker(this.input, this.pos) ? 2 : 0;
    if (this.input.startsWith('/*', this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return COMMENT;
    }
    const i = this.thisItem(ItemType.LeftDelim);
    this.insideAction = true;
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    return this.emitItem(i);
  }

  private lexComment(): number {
    this.pos += 2;
    const x = this.input.indexOf('*/', this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + 2;
    const delim = this.atRightDelim();
    if (delim === 0) return this.errorf('comment ends before closing delimiter');
    this.line += this.countLines(this.start, this.pos);
    const i = this.thisItem(ItemType.Comment);
    if (delim === 2) this.pos += 2;
    this.pos += this.rightDelim.length;
    if (delim === 2) this.pos += this.leftTrimLength(this.pos);
    this.ignore();
    if (this.options.emitComment) return this.emitItem(i);
    return TEXT;
  }

  private lexRightDelim(): number {
    const trim = this.atRightDelim() === 2;
    if (trim) {
      this.pos += 2;
      this.ignore();
    }
    this.pos += this.rightDelim.length;
    const i = this.thisItem(ItemType.RightDelim);
    if (trim) {
      this.pos += this.leftTrimLength(this.pos);
      this.ignore();
    }
    this.insideAction = false;
    return this.emitItem(i);
  }

  private lexInsideAction(): number {
    if (this.atRightDelim() !== 0) {
      if (this.parenDepth === 0) return RIGHT_DELIM;
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === EOF) return this.errorf('unclosed action');
    if (isSpaceCode(r)) {
      this.backup(); // in case of " -}}"
      return SPACE;
    }
    switch (r) {
      case 0x3d: // =
        return this.emit(ItemType.Assign);
      case 0x3a: // :
        if (this.next() !== 0x3d) return this.errorf('expected :=');
        return this.emit(ItemType.Declare);
      case 0x7c: // |
        return this.emit(ItemType.Pipe);
      case 0x22: // "
        return QUOTE;
      case 0x60: // `
        return RAW_QUOTE;
      case 0x24: // $
        return VARIABLE;
      case 0x27: // '
        return CHAR;
      case 0x2e: // .
        if (this.pos < this.input.length) {
          const c = this.input.charCodeAt(this.pos);
          if (c < 0x30 || c > 0x39) return FIELD;
        }
        this.backup(); // '.' can start a number
        return NUMBER;
      case 0x2b: // +
      case 0x2d: // -
        this.backup();
        return NUMBER;
      case 0x28: // (
        this.parenDepth++;
        return this.emit(ItemType.LeftParen);
      case 0x29: // )
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        return this.emit(ItemType.RightParen);
    }
    if (r >= 0x30 && r <= 0x39) {
      this.backup();
      return NUMBER;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return IDENTIFIER;
    }
    if (r < 0x7f && r >= 0x20) return this.emit(ItemType.Char);
    return this.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
  }

  private lexSpace(): number {
    let numSpaces = 0;
    for (;;) {
      const r = this.peek();
      if (!isSpaceCode(r)) break;
      this.next();
      numSpaces++;
    }
    // A trim-marked right delimiter starts with a space.
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith(this.rightDelim, this.pos + 1)) {
      this.backup();
      if (numSpaces === 1) return RIGHT_DELIM;
    }
    return this.emit(ItemType.Space);
  }

  private lexIdentifier(): number {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
      const key = KEYWORDS.get(word);
      if (key !== undefined && key > ItemType.Keyword) {
        if ((key === ItemType.Break && !this.options.breakOK) || (key === ItemType.Continue && !this.options.continueOK)) {
          return this.emit(ItemType.Identifier);
        }
        return this.emit(key);
      }
      if (word === 'true' || word === 'false') return this.emit(ItemType.Bool);
      return this.emit(ItemType.Identifier);
    }
  }

  private lexFieldOrVariable(typ: ItemKind): number {
    if (this.atTerminator()) return this.emit(typ === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
    return this.emit(typ);
  }

  /** True at a character that may follow an identifier; this splits .X.Y into two items. */
  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpaceCode(r)) return true;
    switch (r) {
      case EOF:
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  private lexChar(): number {
    for (;;) {
      let r = this.next();
      if (r === 0x5c) {
        r = this.next();
        if (r !== EOF && r !== 0x0a) continue;
        return this.errorf('unterminated character constant');
      }
      if (r === EOF || r === 0x0a) return this.errorf('unterminated character constant');
      if (r === 0x27) break;
    }
    return this.emit(ItemType.CharConstant);
  }

  private lexNumber(): number {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) {
      // Complex: 1+2i. No spaces, must end in 'i'.
      if (!this.scanNumber() || this.input.charCodeAt(this.pos - 1) !== 0x69) {
        return this.errorf(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
      }
      return this.emit(ItemType.Complex);
    }
    return this.emit(ItemType.Number);
  }

  private scanNumber(): boolean {
    this.accept(0x2b, 0x2d);
    let digits = DEC;
    if (this.accept(0x30)) {
      if (this.accept(0x78, 0x58)) digits = HEX;
      else if (this.accept(0x6f, 0x4f)) digits = OCT;
      else if (this.accept(0x62, 0x42)) digits = BIN;
    }
    this.acceptDigits(digits);
    if (this.accept(0x2e)) this.acceptDigits(digits);
    if (digits === DEC && this.accept(0x65, 0x45)) {
      this.accept(0x2b, 0x2d);
      this.acceptDigits(DEC);
    }
    if (digits === HEX && this.accept(0x70, 0x50)) {
      this.accept(0x2b, 0x2d);
      this.acceptDigits(DEC);
    }
    this.accept(0x69);
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  private lexQuote(): number {
    for (;;) {
      let r = this.next();
      if (r === 0x5c) {
        r = this.next();
        if (r !== EOF && r !== 0x0a) continue;
        return this.errorf('unterminated quoted string');
      }
      if (r === EOF || r === 0x0a) return this.errorf('unterminated quoted string');
      if (r === 0x22) break;
    }
    return this.emit(ItemType.String);
  }

  private lexRawQuote(): number {
    for (;;) {
      const r = this.next();
      if (r === EOF) return this.errorf('unterminated raw quoted string');
      if (r === 0x60) break;
    }
    return this.emit(ItemType.RawString);
  }
}
