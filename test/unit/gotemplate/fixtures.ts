/**
 * Test data for the gotemplate tests: the value model's versions of the fixtures in Go's
 * text/template exec_test.go (tVal, cmpStruct), a small FuncMap like testExecute's, and a
 * JSON convention for data so that cases can be written as plain literals:
 * {"$int": 3} is an int, {"$strs": [...]} a []string, {"$ints": [...]} a []int,
 * {"$strmap": {...}} a map[string]string, {"$intmap": {...}} a map[string]int,
 * {"$bytes": "..."} a []byte and {"$fixture": "tVal" | "cmp"} one of the structs below.
 */
import {
  GoFuncError,
  GoStruct,
  TemplateExecError,
  TemplateParseError,
  TemplateSet,
  defineFunc,
  goTypeName,
  sprint,
  sprintf,
  sprintln,
  stringMap,
  stringSlice,
  withElemType,
  type FuncMap,
  type GoFunc,
  type MissingKeyMode,
} from '../../../src/engines/gotemplate/index.js';

const ints = (...n: number[]) => withElemType(n.map(BigInt), 'int');
const intMap = (m: Record<string, number>) =>
  withElemType(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, BigInt(v)])), 'int');

/** *template.U with its TrueFalse method. */
function newU(v: string): GoStruct {
  return new GoStruct('*main.U', { V: v }, { TrueFalse: defineFunc('TrueFalse', ['bool'], (b: boolean) => (b ? 'true' : '')) });
}

/** Go's tVal: a *template.T with the fields and methods the portable cases use. */
export function tVal(): GoStruct {
  const u = newU('v');
  const fields: Record<string, unknown> = {
    True: true,
    I: 17n,
    U16: 16n,
    X: 'x',
    S: 'xyz',
    FloatZero: 0,
    U: u,
    V0: new GoStruct('main.V', { j: 6666n }, {}, undefined, () => '<6666>'),
    V1: new GoStruct('*main.V', { j: 7777n }, {}, undefined, () => '<7777>'),
    W0: new GoStruct('main.W', { k: 888n }, {}, undefined, () => '[888]'),
    W1: new GoStruct('*main.W', { k: 999n }, {}, undefined, () => '[999]'),
    SI: ints(3, 4, 5),
    SIEmpty: ints(),
    SB: withElemType([true, false], 'bool'),
    AI: ints(3, 4, 5),
    MSI: intMap({ one: 1, two: 2, three: 3 }),
    MSIone: intMap({ one: 1 }),
    MSIEmpty: intMap({}),
    SMSI: withElemType([intMap({ one: 1, two: 2 }), intMap({ eleven: 11, twelve: 12 })], 'map[string]int'),
    Empty0: null,
    Empty1: 3n,
    Empty2: 'empty2',
    Empty3: ints(7, 8),
    Empty4: newU('UinEmpty'),
    NonEmptyInterface: new GoStruct('*main.T', { X: 'x' }, {
      Method0: defineFunc('Method0', [], () => 'M0'),
      Method1: defineFunc('Method1', ['int'], (a: bigint) => a),
    }),
    Str: new GoStruct('*bytes.Buffer', {}, {}, undefined, () => 'foozle'),
    Err: new GoStruct('*errors.errorString', {}, {}, undefined, () => 'erroozle'),
    PI: 23n,
    PS: 'a string',
    PSI: ints(21, 22, 23),
    BinaryFunc: defineFunc('BinaryFunc', ['string', 'string'], (a: string, b: string) => `[${a}=${b}]`),
    VariadicFunc: defineFunc('VariadicFunc', [], (...s: string[]) => `<${s.join('+')}>`, 'string'),
    VariadicFuncInt: defineFunc('VariadicFuncInt', ['int'], (a: bigint, ...s: string[]) => `${a}=<${s.join('+')}>`, 'string'),
    NilOKFunc: defineFunc('NilOKFunc', ['any'], (p: unknown) => p === null),
    ErrFunc: defineFunc('ErrFunc', [], () => 'bla'),
    PanicFunc: defineFunc('PanicFunc', [], () => {
      throw new Error('test panic');
    }),
  };
  const methods: Record<string, GoFunc> = {
    Method0: defineFunc('Method0', [], () => 'M0'),
    Method1: defineFunc('Method1', ['int'], (a: bigint) => a),
    Method2: defineFunc('Method2', ['int', 'string'], (a: bigint, b: string) => `Method2: ${a} ${b}`),
    Method3: defineFunc('Method3', ['any'], (v: unknown) => sprintf('Method3: %v', v)),
    Copy: defineFunc('Copy', [], () => t),
    MAdd: defineFunc('MAdd', ['int', 'any'], (a: bigint, b: bigint[]) => withElemType(b.map((x) => x + a), 'int')),
    MyError: defineFunc('MyError', ['bool'], (e: boolean) => {
      if (e) throw new GoFuncError('my error');
      return false;
    }),
    GetU: defineFunc('GetU', [], () => u),
  };
  const t: GoStruct = new GoStruct('*main.T', fields, methods);
  return t;
}

/** exec_test.go's cmpStruct (the parts the value model can hold). */
export function cmpStruct(): GoStruct {
  const type =
    '*struct { Uthree uint; Ufour uint; NegOne int; Three int; Ptr *int; NilPtr *int; NonNilMap map[int]int; Map map[int]int; V1 main.V; V2 main.V; Iface1 fmt.Stringer; NilIface fmt.Stringer }';
  return new GoStruct(type, {
    Uthree: 3n,
    Ufour: 4n,
    NegOne: -1n,
    Three: 3n,
    NonNilMap: withElemType({}, 'int'),
    V1: new GoStruct('main.V', { j: 0n }),
    V2: new GoStruct('main.V', { j: 0n }),
    NilIface: null,
  });
}

/** Converts case data written in the JSON convention above into template values. */
export function fromJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 1) {
    const [k, x] = entries[0]!;
    switch (k) {
      case '$int':
      case '$int64':
        return BigInt(x as number);
      case '$strs':
        return stringSlice([...(x as string[])]);
      case '$ints':
        return ints(...(x as number[]));
      case '$strmap':
        return stringMap({ ...(x as Record<string, string>) });
      case '$intmap':
        return intMap(x as Record<string, number>);
      case '$bytes':
        return new TextEncoder().encode(x as string);
      case '$fixture':
        return x === 'tVal' ? tVal() : cmpStruct();
    }
  }
  return Object.fromEntries(entries.map(([k, x]) => [k, fromJson(x)]));
}

/** The functions of exec_test.go's testExecute, plus a few Helm-like ones. */
export function testFuncs(): FuncMap {
  const fns: GoFunc[] = [
    defineFunc('add', [], (...a: bigint[]) => a.reduce((s, x) => s + x, 0n), 'int'),
    defineFunc('dddArg', ['int'], (a: bigint, ...b: string[]) => sprintln(a, stringSlice(b)), 'string'),
    defineFunc('die', [], () => {
      throw new Error('die');
    }),
    defineFunc('echo', ['any'], (a: unknown) => a),
    defineFunc(
      'makemap',
      [],
      (...a: string[]) => {
        if (a.length % 2 !== 0) throw new Error('bad makemap');
        const m: Record<string, string> = {};
        for (let i = 0; i < a.length; i += 2) m[a[i]!] = a[i + 1]!;
        return stringMap(m);
      },
      'string',
    ),
    defineFunc('mapOfThree', [], () => intMap({ three: 3 })),
    defineFunc('oneArg', ['string'], (a: string) => `oneArg=${a}`),
    defineFunc('returnInt', [], () => 7n),
    defineFunc('stringer', ['any'], (s: unknown) => sprint(s)),
    defineFunc('twoArgs', ['string', 'string'], (a: string, b: string) => `twoArgs=${a}${b}`),
    defineFunc('typeOf', ['any'], (a: unknown) => goTypeName(a)),
    defineFunc('valueString', ['string'], () => 'value is ignored'),
    defineFunc('zeroArgs', [], () => 'zeroArgs'),
    defineFunc('upper', ['string'], (s: string) => s.toUpperCase()),
    defineFunc('fail', ['string'], (m: string) => {
      throw new GoFuncError(m);
    }),
    defineFunc('nilValue', [], () => null),
    defineFunc('list', [], (...v: unknown[]) => v, 'any'),
    defineFunc('repeat', ['int', 'string'], (n: bigint, s: string) => s.repeat(Number(n))),
    defineFunc('half', ['float64'], (f: number) => f / 2),
    // A nil map (null) reads as empty, as in Go.
    defineFunc('keys', ['map'], (m: Record<string, unknown> | null) => stringSlice(Object.keys(m ?? {}))),
    defineFunc('join', ['string', 'stringSlice'], (sep: string, s: string[]) => s.join(sep)),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}

/** One execution case: what Go printed, or the error it gave. */
export interface ExecCase {
  name: string;
  text: string;
  /** Data in the JSON convention above; absent means nil. */
  data?: unknown;
  missingkey?: MissingKeyMode;
  /** Texts parsed first, each as its own template (def0, def1, ...). */
  defines?: string[];
  /** Template to execute. @default name */
  exec?: string;
  out?: string;
  parseErr?: string;
  execErr?: string;
}

/** Runs a case as Go's testExecute does and returns what it produced, in the shape of ExecCase's expectations. */
export function runCase(c: ExecCase): { out?: string; parseErr?: string; execErr?: string } {
  const set = new TemplateSet({ funcs: testFuncs(), missingKey: c.missingkey, name: c.name });
  try {
    (c.defines ?? []).forEach((d, i) => set.parse(`def${i}`, d));
    set.parse(c.name, c.text);
  } catch (e) {
    if (e instanceof TemplateParseError) return { parseErr: e.message };
    throw e;
  }
  try {
    return { out: set.execute(c.exec ?? c.name, c.data === undefined ? undefined : fromJson(c.data)) };
  } catch (e) {
    if (e instanceof TemplateExecError) return { execErr: e.message };
    throw e;
  }
}
