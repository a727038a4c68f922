import { describe, expect, test } from 'vitest';
import {
  GoStruct,
  TemplateExecError,
  TemplateSet,
  defineFunc,
  htmlEscapeString,
  jsEscapeString,
  urlQueryEscape,
  withElemType,
  withMethods,
} from '../../../src/engines/gotemplate/index.js';
import { execCases } from './exec-cases.js';
import { fromJson, runCase, testFuncs, tVal } from './fixtures.js';

/** The TemplateExecError `fn` throws. */
function execErrorOf(fn: () => unknown): TemplateExecError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateExecError);
    return e as TemplateExecError;
  }
  throw new Error('expected a TemplateExecError, but nothing was thrown');
}

function render(text: string, data?: unknown, set = new TemplateSet({ funcs: testFuncs() })): string {
  set.parse('t', text);
  return set.execute('t', data);
}

describe('execution matches Go text/template', () => {
  test.each(execCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const want = c.parseErr !== undefined ? { parseErr: c.parseErr } : c.execErr !== undefined ? { execErr: c.execErr } : { out: c.out };
    expect(runCase(c)).toEqual(want);
  });
});

describe('errors carry Go locations', () => {
  test('an error in a nested template names the nested template and the line in the defining text', () => {
    const set = new TemplateSet();
    set.parse('top', 'line 1\n{{template "one" .}}\n{{define "one"}}\n  {{index "hi" $}}{{end}}');
    const e = execErrorOf(() => set.execute('top', 5n));
    expect(e.message).toBe('template: top:4:4: executing "one" at <index "hi" $>: error calling index: index out of range: 5');
    expect(e.at).toEqual({ file: 'top', line: 4, column: 4 });
    expect(e.code).toBe('SLW201');
  });

  test('columns count UTF-8 bytes, as Go does', () => {
    const e = execErrorOf(() => render('héllo {{ .a.b }}', { a: null }));
    // The node of .a.b starts at its last field, .b, as Go's parser places it.
    expect(e.message).toBe('template: t:1:12: executing "t" at <.a.b>: nil pointer evaluating interface {}.b');
    expect(e.at?.column).toBe(12);
  });

  test('a function error keeps the thrown error as its cause', () => {
    const boom = new Error('boom');
    const set = new TemplateSet({ funcs: new Map([['f', defineFunc('f', [], () => { throw boom; })]]) });
    const e = execErrorOf(() => render('{{ f }}', undefined, set));
    expect(e.message).toBe('template: t:1:3: executing "t" at <f>: error calling f: boom');
    expect(e.cause).toBe(boom);
  });

  test('an include-like function passes the inner location up as via', () => {
    const set = new TemplateSet();
    set.addFuncs(new Map([['include', defineFunc('include', ['string', 'any'], (n: string, d: unknown) => set.execute(n, d))]]));
    set.parse('helpers.tpl', '{{define "inner"}}\n\n    {{ .x.y }}{{end}}');
    set.parse('main.yaml', 'a: {{ include "inner" . }}');
    const e = execErrorOf(() => set.execute('main.yaml', { x: 'str' }));
    expect(e.message).toBe(
      'template: main.yaml:1:6: executing "main.yaml" at <include "inner" .>: error calling include: ' +
        'template: helpers.tpl:3:9: executing "inner" at <.x.y>: can\'t evaluate field y in type interface {}',
    );
    expect(e.at).toEqual({ file: 'main.yaml', line: 1, column: 6 });
    expect(e.via).toEqual([{ file: 'helpers.tpl', line: 3, column: 9 }]);
  });

  test('a nil data error has no node', () => {
    const set = new TemplateSet({ name: 'root' });
    expect(execErrorOf(() => set.execute('nope', {})).message).toBe('template: no template "nope" associated with template "root"');
  });
});

describe('values the Go tests cannot express', () => {
  test('a method value returned by a field is not called, and cannot be printed', () => {
    const e = execErrorOf(() => render('{{ .BinaryFunc }}', tVal()));
    // Go names the full signature, func(string, string) string; a GoFunc knows only "func".
    expect(e.message).toBe('template: t:1:3: executing "t" at <{{.BinaryFunc}}>: can\'t print {{.BinaryFunc}} of type func');
  });

  test('methods attached to maps and slices come before their keys', () => {
    const files = withMethods(
      withElemType({ Get: 'the key', 'a.txt': 'A' }, 'string'),
      { Get: defineFunc('Get', ['string'], (n: string) => `file ${n}`) },
      'engine.files',
    );
    const versions = withMethods(withElemType(['v1', 'apps/v1'], 'string'), {
      Has: defineFunc('Has', ['string'], (v: string) => v === 'v1'),
    });
    const data = { Files: files, APIVersions: versions };
    expect(render('{{ .Files.Get "a.txt" }}|{{ index .Files "Get" }}|{{ .APIVersions.Has "v1" }}', data)).toBe('file a.txt|the key|true');
    const strict = new TemplateSet({ missingKey: 'error' });
    expect(execErrorOf(() => render('{{ .Files.Nope }}', data, strict)).message).toBe(
      'template: t:1:9: executing "t" at <.Files.Nope>: map has no entry for key "Nope"',
    );
  });

  test('complex constants parse but cannot be evaluated: the value model has no complex numbers', () => {
    expect(execErrorOf(() => render('{{ 1.5i }}')).message).toBe('template: t:1:3: executing "t" at <1.5i>: complex constant 1.5i is not supported');
    // Where a parameter asks for an int or a float, Go converts a complex constant with no imaginary part.
    expect(render('{{ repeat 2+0i "ab" }}')).toBe('abab');
  });

  test('a struct pointer prints as its fields, with a String method as the string', () => {
    const s = new GoStruct('*chart.Metadata', { Name: 'web', Version: '1.0.0' });
    expect(render('{{ . }}|{{ .Name }}', s)).toBe('{web 1.0.0}|web');
  });

  test('uint8 elements of []byte range and index as integers', () => {
    expect(render('{{ index . 1 }} {{ len . }} {{ slice . 1 }}', new TextEncoder().encode('hi!'))).toBe('105 3 [105 33]');
  });

  test('range over a large integer stops at break', () => {
    expect(render('{{ range 1000000000000 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}')).toBe('012');
  });

  test('deep {{template}} recursion is reported as Go reports its depth limit', () => {
    const set = new TemplateSet();
    set.parse('tmpl', '{{template "tmpl" .}}');
    const e = execErrorOf(() => set.execute('tmpl', undefined));
    expect(e.message).toBe('template: tmpl:1:11: executing "tmpl" at <{{template "tmpl" .}}>: exceeded maximum template depth (100000)');
  });

  test('recursion through a function that executes templates is an error, not a crash', () => {
    const set = new TemplateSet();
    set.addFuncs(new Map([['include', defineFunc('include', ['string', 'any'], (n: string, d: unknown) => set.execute(n, d))]]));
    set.parse('loop', '{{ include "loop" . }}');
    const e = execErrorOf(() => set.execute('loop', undefined));
    expect(e.message).toContain('exceeded maximum template depth (100000)');
  });
});

describe('missingkey', () => {
  const data = { x: 99n, m: withElemType({ a: 'A' }, 'string') };
  test.each([
    ['default', '{{.x}} {{.y}} [{{.m.b}}]', '99 <no value> [<no value>]'],
    ['zero', '{{.x}} {{.y}} [{{.m.b}}]', '99 <no value> []'],
  ] as const)('%s', (mode, text, want) => {
    expect(render(text, data, new TemplateSet({ missingKey: mode }))).toBe(want);
  });

  test('error', () => {
    const e = execErrorOf(() => render('{{.x}} {{.y}}', data, new TemplateSet({ missingKey: 'error' })));
    expect(e.message).toBe('template: t:1:9: executing "t" at <.y>: map has no entry for key "y"');
  });

  test('can be changed after parsing', () => {
    const set = new TemplateSet();
    set.parse('t', '{{.y.z}}');
    expect(set.execute('t', {})).toBe('<no value>');
    set.setMissingKey('zero');
    expect(set.missingKey).toBe('zero');
    expect(execErrorOf(() => set.execute('t', {})).message).toBe('template: t:1:4: executing "t" at <.y.z>: nil pointer evaluating interface {}.z');
  });
});

describe('escaping functions', () => {
  // exec_test.go TestJSEscaping
  test.each([
    ['a', 'a'],
    ["'foo", "\\'foo"],
    ['Go "jump" \\', 'Go \\"jump\\" \\\\'],
    ['Yukihiro says "今日は世界"', 'Yukihiro says \\"今日は世界\\"'],
    ['unprintable \uFFFE', 'unprintable \\uFFFE'],
    ['<html>', '\\u003Chtml\\u003E'],
    ['no = in attributes', 'no \\u003D in attributes'],
    ['&#x27; does not become HTML entity', '\\u0026#x27; does not become HTML entity'],
    ['tab\there \u0000', 'tab\\u0009here \\u0000'],
  ])('js %j', (input, want) => {
    expect(jsEscapeString(input)).toBe(want);
  });

  test.each([
    ['<script>alert("XSS");</script>', '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;'],
    ["it's & \u0000", 'it&#39;s &amp; \uFFFD'],
    ['plain', 'plain'],
  ])('html %j', (input, want) => {
    expect(htmlEscapeString(input)).toBe(want);
  });

  test.each([
    ['http://www.example.org/', 'http%3A%2F%2Fwww.example.org%2F'],
    ['a b+c', 'a+b%2Bc'],
    ['ü-_.~', '%C3%BC-_.~'],
  ])('urlquery %j', (input, want) => {
    expect(urlQueryEscape(input)).toBe(want);
  });
});

describe('data conversions used by the cases', () => {
  test('fromJson builds typed values', () => {
    expect(fromJson({ a: { $int: 3 }, b: { $strs: ['x'] } })).toEqual({ a: 3n, b: ['x'] });
  });
});
