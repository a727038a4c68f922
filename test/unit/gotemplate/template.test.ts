import { describe, expect, test } from 'vitest';
import {
  GoFuncError,
  TemplateExecError,
  TemplateParseError,
  TemplateSet,
  builtinFuncs,
  defineFunc,
  type FuncMap,
} from '../../../src/engines/gotemplate/index.js';

const funcs = (...fns: ReturnType<typeof defineFunc>[]): FuncMap => new Map(fns.map((f) => [f.name, f]));

describe('a set of templates (multi_test.go)', () => {
  test('a clone shares what was parsed before and nothing after (TestClone)', () => {
    const root = new TemplateSet({ missingKey: 'error' });
    root.parse('root', '{{define "a"}}{{template "b"}}{{template "c"}}{{end}}');
    root.parse('root', '{{define "b"}}b{{end}}');
    root.parse('root', '{{define "e"}}{{.Foo}}{{end}}');
    const clone = root.clone();
    root.parse('root', '{{define "c"}}root{{end}}');
    clone.parse('root', '{{define "c"}}clone{{end}}');
    expect(root.execute('a', 0n)).toBe('broot');
    expect(clone.execute('a', 0n)).toBe('bclone');
    const err = (s: TemplateSet) => {
      try {
        s.execute('e', {});
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err(clone)).toBe(err(root));
    expect(err(clone)).toBe('template: root:1:16: executing "e" at <.Foo>: map has no entry for key "Foo"');
  });

  test('a later definition replaces an earlier one (TestRedefinition)', () => {
    const set = new TemplateSet();
    set.parse('tmpl1', '{{define "test"}}foo{{end}}');
    set.parse('tmpl1', '{{define "test"}}bar{{end}}');
    expect(set.execute('test', undefined)).toBe('bar');
    set.parse('tmpl2', '{{define "test"}}baz{{end}}');
    expect(set.execute('test', undefined)).toBe('baz');
  });

  test('an empty definition does not replace a non-empty one (TestParse)', () => {
    const set = new TemplateSet();
    set.parse('test', '{{define "test"}}{{end}}');
    set.parse('test', '{{define "test"}}{{/* this is a comment */}}{{end}}');
    set.parse('test', '{{define "test"}}foo{{end}}');
    set.parse('test', '{{define "test"}}  {{end}}');
    expect(set.execute('test', undefined)).toBe('foo');
  });

  // TestEmptyTemplate: successive Parse calls of one name, then execute it.
  test.each([
    [['x', 'y'], '', 'y'],
    [[''], 'once', ''],
    [['', ''], 'twice', ''],
    [['{{.}}', '{{.}}'], 'twice', 'twice'],
    [['{{/* a comment */}}', '{{/* a comment */}}'], 'comment', ''],
    [['{{.}}', ''], 'twice', 'twice'],
  ])('definitions %j executed with %j give %j', (defs, data, want) => {
    const set = new TemplateSet();
    for (const d of defs) set.parse(data, d);
    expect(set.execute(data, data)).toBe(want);
  });

  test('parseAndExecute runs the text just parsed, even an empty one, as helm’s tpl does', () => {
    const set = new TemplateSet();
    set.parse('gotpl', 'old');
    expect(set.parseAndExecute('gotpl', '{{define "x"}}X{{end}}  ', undefined)).toBe('  ');
    expect(set.execute('gotpl', undefined)).toBe('old');
    expect(set.execute('x', undefined)).toBe('X');
    expect(set.parseAndExecute('gotpl', '{{define "gotpl"}}defined{{end}}', undefined)).toBe('defined');
  });

  test('an empty block is replaced by a later definition (TestIssue19294)', () => {
    const set = new TemplateSet();
    set.parse('title.xhtml', '{{template "xhtml" .}}');
    set.parse('stylesheet', '{{define "stylesheet"}}stylesheet{{end}}');
    set.parse('xhtml', '{{block "stylesheet" .}}{{end}}');
    expect(set.execute('title.xhtml', 0n)).toBe('stylesheet');
  });

  test('a block can be overridden in a clone (TestBlock)', () => {
    const outer = new TemplateSet();
    outer.parse('outer', 'a({{block "inner" .}}bar({{.}})baz{{end}})b');
    const overlay = outer.clone();
    overlay.parse('overlay', '{{define "inner"}}foo({{.}})bar{{end}}');
    expect(outer.execute('outer', 'hello')).toBe('a(bar(hello)baz)b');
    expect(overlay.execute('outer', 'goodbye')).toBe('a(foo(goodbye)bar)b');
  });

  test('names and has list what is defined', () => {
    const set = new TemplateSet();
    expect(set.names()).toEqual([]);
    set.parse('b.yaml', '{{define "_x"}}{{end}}{{define "a"}}A{{end}}body');
    expect(set.names()).toEqual(['_x', 'a', 'b.yaml']);
    expect(set.has('a')).toBe(true);
    expect(set.has('nope')).toBe(false);
  });

  test('a text that fails to parse adds nothing', () => {
    const set = new TemplateSet();
    expect(() => set.parse('bad', '{{define "ok"}}x{{end}}{{ if }}')).toThrow(TemplateParseError);
    expect(set.names()).toEqual([]);
  });
});

describe('functions', () => {
  test('parsing checks that functions exist, as Go does', () => {
    const set = new TemplateSet();
    expect(() => set.parse('t', 'a\nb{{ shout "x" }}')).toThrow('template: t:2: function "shout" not defined');
    set.addFuncs(funcs(defineFunc('shout', ['string'], (s: string) => `${s}!`)));
    set.parse('t', 'a\nb{{ shout "x" }}');
    expect(set.execute('t', undefined)).toBe('a\nbx!');
  });

  test('functions replaced after parsing are the ones called (helm’s include/tpl closures)', () => {
    const set = new TemplateSet({ funcs: funcs(defineFunc('who', [], () => 'first')) });
    set.parse('t', '{{ who }}');
    set.addFuncs(funcs(defineFunc('who', [], () => 'second')));
    expect(set.execute('t', undefined)).toBe('second');
  });

  test('a FuncMap entry replaces a builtin, which then loses its special evaluation', () => {
    const set = new TemplateSet({ funcs: funcs(defineFunc('and', ['any', 'any'], (a: unknown, b: unknown) => `and(${String(a)},${String(b)})`)) });
    set.parse('t', '{{ and 0 1 }} {{ or 0 1 }}');
    expect(set.execute('t', undefined)).toBe('and(0,1) 1');
  });

  test('function names must be identifiers (TestGoodFuncNames, TestBadFuncNames)', () => {
    for (const name of ['_', 'a', 'a1', 'Ӵ']) expect(() => new TemplateSet({ funcs: funcs(defineFunc(name, [], () => 0n)) })).not.toThrow();
    for (const name of ['', '2', 'a-b']) {
      expect(() => new TemplateSet({ funcs: funcs(defineFunc(name, [], () => 0n)) })).toThrow(`function name "${name}" is not a valid identifier`);
    }
  });

  test('builtinFuncs lists text/template’s functions', () => {
    expect([...builtinFuncs().keys()].sort()).toEqual(
      ['and', 'call', 'eq', 'ge', 'gt', 'html', 'index', 'js', 'le', 'len', 'lt', 'ne', 'not', 'or', 'print', 'printf', 'println', 'slice', 'urlquery'].sort(),
    );
  });

  test('a GoFuncError becomes "error calling NAME: MESSAGE" (TestExecuteError)', () => {
    const set = new TemplateSet({ funcs: funcs(defineFunc('required', ['string', 'any'], (msg: string) => { throw new GoFuncError(msg); })) });
    set.parse('t', 'x: {{ required "x is required" .x }}');
    expect(() => set.execute('t', {})).toThrow('template: t:1:6: executing "t" at <required "x is required" .x>: error calling required: x is required');
  });
});

describe('helm-style include and tpl', () => {
  // A minimal version of helm pkg/engine/engine.go includeFun/tplFun over this API.
  function helmSet(): TemplateSet {
    const set = new TemplateSet({ missingKey: 'zero' });
    install(set);
    return set;
  }
  function install(set: TemplateSet): void {
    set.addFuncs(
      funcs(
        defineFunc('include', ['string', 'any'], (name: string, data: unknown) => set.execute(name, data)),
        defineFunc('tpl', ['string', 'any'], (text: string, data: unknown) => {
          const clone = set.clone();
          install(clone);
          return clone.parseAndExecute(set.name, text, data).replaceAll('<no value>', '');
        }),
      ),
    );
  }

  test('include runs a define with the given data', () => {
    const set = helmSet();
    set.parse('chart/templates/_helpers.tpl', '{{- define "chart.name" -}}{{ .Chart.Name }}-x{{- end -}}');
    set.addFuncs(funcs(defineFunc('upper', ['string'], (s: string) => s.toUpperCase())));
    set.parse('chart/templates/cm.yaml', 'name: {{ include "chart.name" . | upper }}');
    expect(set.execute('chart/templates/cm.yaml', { Chart: { Name: 'web' } })).toBe('name: WEB-X');
  });

  test('tpl renders a string, and its defines are visible to include inside it', () => {
    const set = helmSet();
    set.parse('t', '{{ tpl .Values.text . }}');
    const text = '{{ define "inline" }}in-{{ .Values.name }}{{ end }}[{{ include "inline" . }}] {{ .Values.missing }}';
    expect(set.execute('t', { Values: { text, name: 'N' } })).toBe('[in-N] ');
    expect(set.has('inline')).toBe(false);
  });

  test('nested tpl with an empty text renders nothing, not the outer text again', () => {
    const set = helmSet();
    set.parse('t', '{{ tpl "a{{ tpl \\"\\" . }}b" . }}');
    expect(set.execute('t', {})).toBe('ab');
  });

  test('an error inside tpl names the gotpl template, wrapped by the calls around it', () => {
    const set = helmSet();
    set.parse('t', 'x\n{{ tpl "{{ .a.b }}" . }}');
    let e: unknown;
    try {
      set.execute('t', { a: 'str' });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(TemplateExecError);
    expect((e as TemplateExecError).message).toBe(
      'template: t:2:3: executing "t" at <tpl "{{ .a.b }}" .>: error calling tpl: template: gotpl:1:5: executing "gotpl" at <.a.b>: can\'t evaluate field b in type interface {}',
    );
    expect((e as TemplateExecError).via).toEqual([{ file: 'gotpl', line: 1, column: 5 }]);
  });
});
