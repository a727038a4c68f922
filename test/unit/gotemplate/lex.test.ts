import { describe, expect, test } from 'vitest';
import { ItemType, Lexer, itemString, type Item, type ItemKind } from '../../../src/engines/gotemplate/lex.js';

// The tables of Go's text/template parse/lex_test.go: [kind, text] pairs, EOF last.
type Tok = [ItemKind, string];
const I = ItemType;
const tEOF: Tok = [I.EOF, ''];
const tLeft: Tok = [I.LeftDelim, '{{'];
const tRight: Tok = [I.RightDelim, '}}'];
const tSpace: Tok = [I.Space, ' '];
const tLpar: Tok = [I.LeftParen, '('];
const tRpar: Tok = [I.RightParen, ')'];
const tPipe: Tok = [I.Pipe, '|'];
const tDot: Tok = [I.Dot, '.'];
const tQuote: Tok = [I.String, '"abc \\n\\t\\" "'];
const raw = '`abc\\n\\t\\" `';
const rawNL = '`now is{{\n}}the time`';

function collect(input: string, left = '{{', right = '}}'): Item[] {
  const l = new Lexer(input, left, right);
  l.options = { emitComment: true, breakOK: true, continueOK: true };
  const items: Item[] = [];
  for (;;) {
    const item = l.nextItem();
    items.push(item);
    if (item.typ === I.EOF || item.typ === I.Error) return items;
  }
}

const lexTests: [string, string, Tok[]][] = [
  ['empty', '', [tEOF]],
  ['spaces', ' \t\n', [[I.Text, ' \t\n'], tEOF]],
  ['text', 'now is the time', [[I.Text, 'now is the time'], tEOF]],
  ['text with comment', 'hello-{{/* this is a comment */}}-world', [[I.Text, 'hello-'], [I.Comment, '/* this is a comment */'], [I.Text, '-world'], tEOF]],
  ['punctuation', '{{,@% }}', [tLeft, [I.Char, ','], [I.Char, '@'], [I.Char, '%'], tSpace, tRight, tEOF]],
  ['parens', '{{((3))}}', [tLeft, tLpar, tLpar, [I.Number, '3'], tRpar, tRpar, tRight, tEOF]],
  ['empty action', '{{}}', [tLeft, tRight, tEOF]],
  ['for', '{{for}}', [tLeft, [I.Identifier, 'for'], tRight, tEOF]],
  ['block', '{{block "foo" .}}', [tLeft, [I.Block, 'block'], tSpace, [I.String, '"foo"'], tSpace, tDot, tRight, tEOF]],
  ['quote', '{{"abc \\n\\t\\" "}}', [tLeft, tQuote, tRight, tEOF]],
  ['raw quote', `{{${raw}}}`, [tLeft, [I.RawString, raw], tRight, tEOF]],
  ['raw quote with newline', `{{${rawNL}}}`, [tLeft, [I.RawString, rawNL], tRight, tEOF]],
  [
    'numbers',
    '{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}',
    [
      tLeft,
      ...(['1', '02', '0x14', '0X14', '-7.2i', '1e3', '1E3', '+1.2e-4', '4.2i'].flatMap((n) => [[I.Number, n], tSpace]) as Tok[]),
      [I.Complex, '1+2i'],
      tSpace,
      [I.Number, '1_2'],
      tSpace,
      [I.Number, '0x1.e_fp4'],
      tSpace,
      [I.Number, '0X1.E_FP4'],
      tRight,
      tEOF,
    ],
  ],
  [
    'characters',
    "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '本'}}",
    [
      tLeft,
      ...(["'a'", "'\\n'", "'\\''", "'\\\\'", "'\\u00FF'", "'\\xFF'"].flatMap((c) => [[I.CharConstant, c], tSpace]) as Tok[]),
      [I.CharConstant, "'本'"],
      tRight,
      tEOF,
    ],
  ],
  ['bools', '{{true false}}', [tLeft, [I.Bool, 'true'], tSpace, [I.Bool, 'false'], tRight, tEOF]],
  ['dot', '{{.}}', [tLeft, tDot, tRight, tEOF]],
  ['nil', '{{nil}}', [tLeft, [I.Nil, 'nil'], tRight, tEOF]],
  ['dots', '{{.x . .2 .x.y.z}}', [tLeft, [I.Field, '.x'], tSpace, tDot, tSpace, [I.Number, '.2'], tSpace, [I.Field, '.x'], [I.Field, '.y'], [I.Field, '.z'], tRight, tEOF]],
  [
    'keywords',
    '{{range if else end with}}',
    [tLeft, [I.Range, 'range'], tSpace, [I.If, 'if'], tSpace, [I.Else, 'else'], tSpace, [I.End, 'end'], tSpace, [I.With, 'with'], tRight, tEOF],
  ],
  [
    'variables',
    '{{$c := printf $ $hello $23 $ $var.Field .Method}}',
    [
      tLeft,
      [I.Variable, '$c'],
      tSpace,
      [I.Declare, ':='],
      tSpace,
      [I.Identifier, 'printf'],
      tSpace,
      [I.Variable, '$'],
      tSpace,
      [I.Variable, '$hello'],
      tSpace,
      [I.Variable, '$23'],
      tSpace,
      [I.Variable, '$'],
      tSpace,
      [I.Variable, '$var'],
      [I.Field, '.Field'],
      tSpace,
      [I.Field, '.Method'],
      tRight,
      tEOF,
    ],
  ],
  ['variable invocation', '{{$x 23}}', [tLeft, [I.Variable, '$x'], tSpace, [I.Number, '23'], tRight, tEOF]],
  [
    'pipeline',
    'intro {{echo hi 1.2 |noargs|args 1 "hi"}} outro',
    [
      [I.Text, 'intro '],
      tLeft,
      [I.Identifier, 'echo'],
      tSpace,
      [I.Identifier, 'hi'],
      tSpace,
      [I.Number, '1.2'],
      tSpace,
      tPipe,
      [I.Identifier, 'noargs'],
      tPipe,
      [I.Identifier, 'args'],
      tSpace,
      [I.Number, '1'],
      tSpace,
      [I.String, '"hi"'],
      tRight,
      [I.Text, ' outro'],
      tEOF,
    ],
  ],
  ['declaration', '{{$v := 3}}', [tLeft, [I.Variable, '$v'], tSpace, [I.Declare, ':='], tSpace, [I.Number, '3'], tRight, tEOF]],
  [
    '2 declarations',
    '{{$v , $w := 3}}',
    [tLeft, [I.Variable, '$v'], tSpace, [I.Char, ','], tSpace, [I.Variable, '$w'], tSpace, [I.Declare, ':='], tSpace, [I.Number, '3'], tRight, tEOF],
  ],
  ['field of parenthesized expression', '{{(.X).Y}}', [tLeft, tLpar, [I.Field, '.X'], tRpar, [I.Field, '.Y'], tRight, tEOF]],
  ['trimming spaces before and after', 'hello- {{- 3 -}} -world', [[I.Text, 'hello-'], tLeft, [I.Number, '3'], tRight, [I.Text, '-world'], tEOF]],
  ['trimming spaces before and after comment', 'hello- {{- /* hello */ -}} -world', [[I.Text, 'hello-'], [I.Comment, '/* hello */'], [I.Text, '-world'], tEOF]],
  ['badchar', '#{{\x01}}', [[I.Text, '#'], tLeft, [I.Error, 'unrecognized character in action: U+0001']]],
  ['unclosed action', '{{', [tLeft, [I.Error, 'unclosed action']]],
  ['EOF in action', '{{range', [tLeft, [I.Range, 'range'], [I.Error, 'unclosed action']]],
  ['unclosed quote', '{{"\n"}}', [tLeft, [I.Error, 'unterminated quoted string']]],
  ['unclosed raw quote', '{{`xx}}', [tLeft, [I.Error, 'unterminated raw quoted string']]],
  ['unclosed char constant', "{{'\n}}", [tLeft, [I.Error, 'unterminated character constant']]],
  ['bad number', '{{3k}}', [tLeft, [I.Error, 'bad number syntax: "3k"']]],
  ['unclosed paren', '{{(3}}', [tLeft, tLpar, [I.Number, '3'], [I.Error, 'unclosed left paren']]],
  ['extra right paren', '{{3)}}', [tLeft, [I.Number, '3'], [I.Error, 'unexpected right paren']]],
  ['long pipeline deadlock', '{{|||||}}', [tLeft, tPipe, tPipe, tPipe, tPipe, tPipe, tRight, tEOF]],
  ['text with bad comment', 'hello-{{/*/}}-world', [[I.Text, 'hello-'], [I.Error, 'unclosed comment']]],
  ['text with comment close separated from delim', 'hello-{{/* */ }}-world', [[I.Text, 'hello-'], [I.Error, 'comment ends before closing delimiter']]],
  // Not caught, as in Go: it would break minified JavaScript.
  ['unmatched right delimiter', 'hello-{.}}-world', [[I.Text, 'hello-{.}}-world'], tEOF]],
  // More of ours.
  ['unicode identifier and bad character', '{{日本 é€}}', [tLeft, [I.Identifier, '日本'], tSpace, [I.Error, "bad character U+20AC '€'"]]],
  ['unrecognized unicode', '{{€}}', [tLeft, [I.Error, "unrecognized character in action: U+20AC '€'"]]],
  ['expected :=', '{{$x :+ 1}}', [tLeft, [I.Variable, '$x'], tSpace, [I.Error, 'expected :=']]],
  ['assign', '{{$x = 1}}', [tLeft, [I.Variable, '$x'], tSpace, [I.Assign, '='], tSpace, [I.Number, '1'], tRight, tEOF]],
  ['break and continue', '{{break}}{{continue}}', [tLeft, [I.Break, 'break'], tRight, tLeft, [I.Continue, 'continue'], tRight, tEOF]],
  ['trim marker needs a space', '{{-3}}', [tLeft, [I.Number, '-3'], tRight, tEOF]],
  ['space then trim marker', '{{3  -}} x', [tLeft, [I.Number, '3'], tSpace, tRight, [I.Text, 'x'], tEOF]],
  ['emoji in string', '{{"😀"}}', [tLeft, [I.String, '"😀"'], tRight, tEOF]],
];

describe('lexer items (lex_test.go TestLex)', () => {
  test.each(lexTests)('%s', (_name, input, want) => {
    expect(collect(input).map((i) => [i.typ, i.val])).toEqual(want);
  });
});

describe('lexer with other delimiters', () => {
  const tL: Tok = [I.LeftDelim, '$$'];
  const tR: Tok = [I.RightDelim, '@@'];
  test.each([
    ['punctuation', '$$,@%{{}}@@', [tL, [I.Char, ','], [I.Char, '@'], [I.Char, '%'], [I.Char, '{'], [I.Char, '{'], [I.Char, '}'], [I.Char, '}'], tR, tEOF]],
    ['empty action', '$$@@', [tL, tR, tEOF]],
    ['for', '$$for@@', [tL, [I.Identifier, 'for'], tR, tEOF]],
    ['quote', '$$"abc \\n\\t\\" "@@', [tL, tQuote, tR, tEOF]],
    ['raw quote', `$$${raw}@@`, [tL, [I.RawString, raw], tR, tEOF]],
  ] as [string, string, Tok[]][])('%s (TestDelims)', (_n, input, want) => {
    expect(collect(input, '$$', '@@').map((i) => [i.typ, i.val])).toEqual(want);
  });

  test('a right delimiter that starts with a letter (TestDelimsAlphaNumeric)', () => {
    expect(collect('{{hub .host hub}}', '{{hub', 'hub}}').map((i) => [i.typ, i.val])).toEqual([
      [I.LeftDelim, '{{hub'],
      [I.Space, ' '],
      [I.Field, '.host'],
      [I.Space, ' '],
      [I.RightDelim, 'hub}}'],
      tEOF,
    ]);
  });

  test('delimiters that look like trim markers (TestDelimsAndMarkers)', () => {
    expect(collect('{{- .x -}} {{- - .x - -}}', '{{- ', ' -}}').map((i) => [i.typ, i.val])).toEqual([
      [I.LeftDelim, '{{- '],
      [I.Field, '.x'],
      [I.RightDelim, ' -}}'],
      [I.LeftDelim, '{{- '],
      [I.Field, '.x'],
      [I.RightDelim, ' -}}'],
      tEOF,
    ]);
  });
});

describe('item positions and lines (lex_test.go TestPos)', () => {
  test.each([
    ['empty', '', [[I.EOF, 0, '', 1]]],
    [
      'punctuation',
      '{{,@%#}}',
      [
        [I.LeftDelim, 0, '{{', 1],
        [I.Char, 2, ',', 1],
        [I.Char, 3, '@', 1],
        [I.Char, 4, '%', 1],
        [I.Char, 5, '#', 1],
        [I.RightDelim, 6, '}}', 1],
        [I.EOF, 8, '', 1],
      ],
    ],
    [
      'sample',
      '0123{{hello}}xyz',
      [
        [I.Text, 0, '0123', 1],
        [I.LeftDelim, 4, '{{', 1],
        [I.Identifier, 6, 'hello', 1],
        [I.RightDelim, 11, '}}', 1],
        [I.Text, 13, 'xyz', 1],
        [I.EOF, 16, '', 1],
      ],
    ],
    [
      'trimafter',
      '{{x -}}\n{{y}}',
      [
        [I.LeftDelim, 0, '{{', 1],
        [I.Identifier, 2, 'x', 1],
        [I.RightDelim, 5, '}}', 1],
        [I.LeftDelim, 8, '{{', 2],
        [I.Identifier, 10, 'y', 2],
        [I.RightDelim, 11, '}}', 2],
        [I.EOF, 13, '', 2],
      ],
    ],
    [
      'trimbefore',
      '{{x}}\n{{- y}}',
      [
        [I.LeftDelim, 0, '{{', 1],
        [I.Identifier, 2, 'x', 1],
        [I.RightDelim, 3, '}}', 1],
        [I.LeftDelim, 6, '{{', 2],
        [I.Identifier, 10, 'y', 2],
        [I.RightDelim, 11, '}}', 2],
        [I.EOF, 13, '', 2],
      ],
    ],
    [
      'longcomment',
      '{{/*\n*/}}\n{{undefinedFunction "test"}}',
      [
        [I.Comment, 2, '/*\n*/', 1],
        [I.Text, 9, '\n', 2],
        [I.LeftDelim, 10, '{{', 3],
        [I.Identifier, 12, 'undefinedFunction', 3],
        [I.Space, 29, ' ', 3],
        [I.String, 30, '"test"', 3],
        [I.RightDelim, 36, '}}', 3],
        [I.EOF, 38, '', 3],
      ],
    ],
  ] as [string, string, [ItemKind, number, string, number][]][])('%s', (_n, input, want) => {
    expect(collect(input).map((i) => [i.typ, i.pos, i.val, i.line])).toEqual(want);
  });
});

describe('items print as Go prints them in messages', () => {
  test.each([
    [{ typ: I.EOF, pos: 0, val: '', line: 1 }, 'EOF'],
    [{ typ: I.Error, pos: 0, val: 'unclosed action', line: 1 }, 'unclosed action'],
    [{ typ: I.End, pos: 0, val: 'end', line: 1 }, '<end>'],
    [{ typ: I.Dot, pos: 0, val: '.', line: 1 }, '<.>'],
    [{ typ: I.Char, pos: 0, val: '}', line: 1 }, '"}"'],
    [{ typ: I.String, pos: 0, val: '"0123456789abc"', line: 1 }, '"\\"012345678"...'],
    [{ typ: I.Text, pos: 0, val: 'ééééé€', line: 1 }, '"ééééé€"...'],
    [{ typ: I.Text, pos: 0, val: 'a\tb', line: 1 }, '"a\\tb"'],
  ] as [Item, string][])('%j', (item, want) => {
    expect(itemString(item)).toBe(want);
  });
});
