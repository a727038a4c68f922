/**
 * fmt over the whole value model: structs (with and without String methods, pointers),
 * time.Time, typed and untyped slices and maps, []byte, nil, and the edge cases of Sprint,
 * Sprintln and Sprintf. Expected outputs were printed by Go 1.26 from the same values as Go
 * types (package chart's Metadata, a semver Version with a String method, time.Date in UTC,
 * Europe/Berlin and a fixed zone); the last block covers what only the model has.
 */
import { describe, expect, test } from 'vitest';
import { FAKE_ADDRESS, printValue, sprint, sprintf, sprintln } from '../../../src/engines/gotemplate/fmt.js';
import { GoFunc, GoStruct, GoTime, stringMap, stringSlice, withElemType } from '../../../src/engines/gotemplate/values.js';

const bytes = (s: string | number[]): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s));

/** A time.Time from its wall clock in the zone, as time.Date builds it. */
function date(y: number, mo: number, d: number, h: number, mi: number, s: number, ns: number, offset: number, zone: string, location: string): GoTime {
  const utcMillis = Date.UTC(y, mo - 1, d, h, mi, s) - offset * 1000;
  return new GoTime(BigInt(utcMillis) * 1_000_000n + BigInt(ns), offset, zone, location);
}

const metadataFields = (): Record<string, unknown> => ({
  Name: 'mychart',
  Version: '0.1.0',
  Keywords: stringSlice(['web', 'db']),
  Maintainers: withElemType([], '*chart.Maintainer'),
  Deprecated: false,
  Extra: null,
  Annotations: stringMap({ b: '2', a: '1' }),
});
const version = (typeName: string): GoStruct =>
  new GoStruct(typeName, { Major: 1n, Minor: 2n, Patch: 3n }, {}, undefined, () => '1.2.3');
const utc = date(2024, 1, 2, 3, 4, 5, 0, 0, 'UTC', 'UTC');

const values: Record<string, unknown> = {
  metadata: new GoStruct('chart.Metadata', metadataFields()),
  metadataPtr: new GoStruct('*chart.Metadata', metadataFields()),
  version: version('semver.Version'),
  versionPtr: version('*semver.Version'),
  broken: new GoStruct('semver.Broken', { N: 1n }, {}, undefined, () => {
    throw new Error('broken version');
  }),
  utc,
  berlin: date(2024, 7, 2, 3, 4, 5, 123456000, 7200, 'CEST', 'Europe/Berlin'),
  fixed: date(1999, 12, 31, 23, 59, 59, 1, -12600, '', ''),
  nested: [new GoStruct('chart.Metadata', metadataFields()), version('semver.Version'), utc, null, bytes('hi'), { k: [1.5, 2n, 'x', null] }],
  values: { replicaCount: 1, image: { repository: 'nginx', tag: '' }, ports: [80, 443], big: 1e6, small: 1e-5, enabled: true, nothing: null },
  strings: stringSlice(['a b', '', '日本']),
  stringMap: stringMap({ z: 'last', a: 'first', é: 'accent', B: 'upper' }),
  bytes: bytes('hello'),
  empty: {},
  emptySlice: [],
};

// [value, format ('Sprint' for fmt.Sprint), Go's output]. Left out: %d and %t of a time in a
// zone other than UTC, where Go prints the *time.Location's address or its whole struct.
const goOutput: [name: string, format: string, want: string][] = [
  ['metadata', '%v', '{mychart 0.1.0 [web db] [] false <nil> map[a:1 b:2]}'],
  ['metadata', '%+v', '{Name:mychart Version:0.1.0 Keywords:[web db] Maintainers:[] Deprecated:false Extra:<nil> Annotations:map[a:1 b:2]}'],
  ['metadata', '%#v', 'chart.Metadata{Name:"mychart", Version:"0.1.0", Keywords:[]string{"web", "db"}, Maintainers:[]*chart.Maintainer{}, Deprecated:false, Extra:interface {}(nil), Annotations:map[string]string{"a":"1", "b":"2"}}'],
  ['metadata', '%s', '{mychart 0.1.0 [web db] [] %!s(bool=false) <nil> map[a:1 b:2]}'],
  ['metadata', '%d', '{%!d(string=mychart) %!d(string=0.1.0) [%!d(string=web) %!d(string=db)] [] %!d(bool=false) <nil> map[%!d(string=a):%!d(string=1) %!d(string=b):%!d(string=2)]}'],
  ['metadata', '%q', '{"mychart" "0.1.0" ["web" "db"] [] %!q(bool=false) <nil> map["a":"1" "b":"2"]}'],
  ['metadata', '%x', '{6d796368617274 302e312e30 [776562 6462] [] %!x(bool=false) <nil> map[61:31 62:32]}'],
  ['metadata', '%T', 'chart.Metadata'],
  ['metadata', '%12v', '{     mychart        0.1.0 [         web           db] []        false <nil> map[           a:           1            b:           2]}'],
  ['metadata', '%-6v|', '{mychart 0.1.0  [web    db    ] [] false  <nil> map[a     :1      b     :2     ]}|'],
  ['metadata', '%t', '{%!t(string=mychart) %!t(string=0.1.0) [%!t(string=web) %!t(string=db)] [] false <nil> map[%!t(string=a):%!t(string=1) %!t(string=b):%!t(string=2)]}'],
  ['metadata', 'Sprint', '{mychart 0.1.0 [web db] [] false <nil> map[a:1 b:2]}'],
  ['metadataPtr', '%v', '&{mychart 0.1.0 [web db] [] false <nil> map[a:1 b:2]}'],
  ['metadataPtr', '%+v', '&{Name:mychart Version:0.1.0 Keywords:[web db] Maintainers:[] Deprecated:false Extra:<nil> Annotations:map[a:1 b:2]}'],
  ['metadataPtr', '%#v', '&chart.Metadata{Name:"mychart", Version:"0.1.0", Keywords:[]string{"web", "db"}, Maintainers:[]*chart.Maintainer{}, Deprecated:false, Extra:interface {}(nil), Annotations:map[string]string{"a":"1", "b":"2"}}'],
  ['metadataPtr', '%s', '&{mychart 0.1.0 [web db] [] %!s(bool=false) <nil> map[a:1 b:2]}'],
  ['metadataPtr', '%d', '&{%!d(string=mychart) %!d(string=0.1.0) [%!d(string=web) %!d(string=db)] [] %!d(bool=false) <nil> map[%!d(string=a):%!d(string=1) %!d(string=b):%!d(string=2)]}'],
  ['metadataPtr', '%q', '&{"mychart" "0.1.0" ["web" "db"] [] %!q(bool=false) <nil> map["a":"1" "b":"2"]}'],
  ['metadataPtr', '%x', '&{6d796368617274 302e312e30 [776562 6462] [] %!x(bool=false) <nil> map[61:31 62:32]}'],
  ['metadataPtr', '%T', '*chart.Metadata'],
  ['metadataPtr', '%12v', '&{     mychart        0.1.0 [         web           db] []        false <nil> map[           a:           1            b:           2]}'],
  ['metadataPtr', '%-6v|', '&{mychart 0.1.0  [web    db    ] [] false  <nil> map[a     :1      b     :2     ]}|'],
  ['metadataPtr', '%t', '&{%!t(string=mychart) %!t(string=0.1.0) [%!t(string=web) %!t(string=db)] [] false <nil> map[%!t(string=a):%!t(string=1) %!t(string=b):%!t(string=2)]}'],
  ['metadataPtr', 'Sprint', '&{mychart 0.1.0 [web db] [] false <nil> map[a:1 b:2]}'],
  ['version', '%v', '1.2.3'],
  ['version', '%+v', '1.2.3'],
  ['version', '%#v', 'semver.Version{Major:1, Minor:2, Patch:3}'],
  ['version', '%s', '1.2.3'],
  ['version', '%d', '{1 2 3}'],
  ['version', '%q', '"1.2.3"'],
  ['version', '%x', '312e322e33'],
  ['version', '%T', 'semver.Version'],
  ['version', '%12v', '       1.2.3'],
  ['version', '%-6v|', '1.2.3 |'],
  ['version', '%t', '{%!t(int64=1) %!t(int64=2) %!t(int64=3)}'],
  ['version', 'Sprint', '1.2.3'],
  ['versionPtr', '%v', '1.2.3'],
  ['versionPtr', '%+v', '1.2.3'],
  ['versionPtr', '%#v', '&semver.Version{Major:1, Minor:2, Patch:3}'],
  ['versionPtr', '%s', '1.2.3'],
  ['versionPtr', '%d', '&{1 2 3}'],
  ['versionPtr', '%q', '"1.2.3"'],
  ['versionPtr', '%x', '312e322e33'],
  ['versionPtr', '%T', '*semver.Version'],
  ['versionPtr', '%12v', '       1.2.3'],
  ['versionPtr', '%-6v|', '1.2.3 |'],
  ['versionPtr', '%t', '&{%!t(int64=1) %!t(int64=2) %!t(int64=3)}'],
  ['versionPtr', 'Sprint', '1.2.3'],
  ['broken', '%v', '%!v(PANIC=String method: broken version)'],
  ['broken', '%+v', '%!v(PANIC=String method: broken version)'],
  ['broken', '%#v', 'semver.Broken{N:1}'],
  ['broken', '%s', '%!s(PANIC=String method: broken version)'],
  ['broken', '%d', '{1}'],
  ['broken', '%q', '%!q(PANIC=String method: broken version)'],
  ['broken', '%x', '%!x(PANIC=String method: broken version)'],
  ['broken', '%T', 'semver.Broken'],
  ['broken', '%12v', '%!v(PANIC=String method: broken version)'],
  ['broken', '%-6v|', '%!v(PANIC=String method: broken version)|'],
  ['broken', '%t', '{%!t(int64=1)}'],
  ['broken', 'Sprint', '%!v(PANIC=String method: broken version)'],
  ['utc', '%v', '2024-01-02 03:04:05 +0000 UTC'],
  ['utc', '%+v', '2024-01-02 03:04:05 +0000 UTC'],
  ['utc', '%#v', 'time.Date(2024, time.January, 2, 3, 4, 5, 0, time.UTC)'],
  ['utc', '%s', '2024-01-02 03:04:05 +0000 UTC'],
  ['utc', '%d', '{0 63839761445 0}'],
  ['utc', '%q', '"2024-01-02 03:04:05 +0000 UTC"'],
  ['utc', '%x', '323032342d30312d30322030333a30343a3035202b3030303020555443'],
  ['utc', '%T', 'time.Time'],
  ['utc', '%12v', '2024-01-02 03:04:05 +0000 UTC'],
  ['utc', '%-6v|', '2024-01-02 03:04:05 +0000 UTC|'],
  ['utc', '%t', '{%!t(uint64=0) %!t(int64=63839761445) %!t(*time.Location=<nil>)}'],
  ['utc', 'Sprint', '2024-01-02 03:04:05 +0000 UTC'],
  ['berlin', '%v', '2024-07-02 03:04:05.123456 +0200 CEST'],
  ['berlin', '%+v', '2024-07-02 03:04:05.123456 +0200 CEST'],
  ['berlin', '%#v', 'time.Date(2024, time.July, 2, 3, 4, 5, 123456000, time.Location("Europe/Berlin"))'],
  ['berlin', '%s', '2024-07-02 03:04:05.123456 +0200 CEST'],
  ['berlin', '%q', '"2024-07-02 03:04:05.123456 +0200 CEST"'],
  ['berlin', '%x', '323032342d30372d30322030333a30343a30352e313233343536202b303230302043455354'],
  ['berlin', '%T', 'time.Time'],
  ['berlin', '%12v', '2024-07-02 03:04:05.123456 +0200 CEST'],
  ['berlin', '%-6v|', '2024-07-02 03:04:05.123456 +0200 CEST|'],
  ['berlin', 'Sprint', '2024-07-02 03:04:05.123456 +0200 CEST'],
  ['fixed', '%v', '1999-12-31 23:59:59.000000001 -0330 -0330'],
  ['fixed', '%+v', '1999-12-31 23:59:59.000000001 -0330 -0330'],
  ['fixed', '%#v', 'time.Date(1999, time.December, 31, 23, 59, 59, 1, time.Location(""))'],
  ['fixed', '%s', '1999-12-31 23:59:59.000000001 -0330 -0330'],
  ['fixed', '%q', '"1999-12-31 23:59:59.000000001 -0330 -0330"'],
  ['fixed', '%x', '313939392d31322d33312032333a35393a35392e303030303030303031202d30333330202d30333330'],
  ['fixed', '%T', 'time.Time'],
  ['fixed', '%12v', '1999-12-31 23:59:59.000000001 -0330 -0330'],
  ['fixed', '%-6v|', '1999-12-31 23:59:59.000000001 -0330 -0330|'],
  ['fixed', 'Sprint', '1999-12-31 23:59:59.000000001 -0330 -0330'],
  ['nested', '%v', '[{mychart 0.1.0 [web db] [] false <nil> map[a:1 b:2]} 1.2.3 2024-01-02 03:04:05 +0000 UTC <nil> [104 105] map[k:[1.5 2 x <nil>]]]'],
  ['nested', '%+v', '[{Name:mychart Version:0.1.0 Keywords:[web db] Maintainers:[] Deprecated:false Extra:<nil> Annotations:map[a:1 b:2]} 1.2.3 2024-01-02 03:04:05 +0000 UTC <nil> [104 105] map[k:[1.5 2 x <nil>]]]'],
  ['nested', '%#v', '[]interface {}{chart.Metadata{Name:"mychart", Version:"0.1.0", Keywords:[]string{"web", "db"}, Maintainers:[]*chart.Maintainer{}, Deprecated:false, Extra:interface {}(nil), Annotations:map[string]string{"a":"1", "b":"2"}}, semver.Version{Major:1, Minor:2, Patch:3}, time.Date(2024, time.January, 2, 3, 4, 5, 0, time.UTC), interface {}(nil), []uint8{0x68, 0x69}, map[string]interface {}{"k":[]interface {}{1.5, 2, "x", interface {}(nil)}}}'],
  ['nested', '%s', '[{mychart 0.1.0 [web db] [] %!s(bool=false) <nil> map[a:1 b:2]} 1.2.3 2024-01-02 03:04:05 +0000 UTC <nil> hi map[k:[%!s(float64=1.5) %!s(int64=2) x <nil>]]]'],
  ['nested', '%d', '[{%!d(string=mychart) %!d(string=0.1.0) [%!d(string=web) %!d(string=db)] [] %!d(bool=false) <nil> map[%!d(string=a):%!d(string=1) %!d(string=b):%!d(string=2)]} {1 2 3} {0 63839761445 0} <nil> [104 105] map[%!d(string=k):[%!d(float64=1.5) 2 %!d(string=x) <nil>]]]'],
  ['nested', '%q', '[{"mychart" "0.1.0" ["web" "db"] [] %!q(bool=false) <nil> map["a":"1" "b":"2"]} "1.2.3" "2024-01-02 03:04:05 +0000 UTC" <nil> "hi" map["k":[%!q(float64=1.5) \'\\x02\' "x" <nil>]]]'],
  ['nested', '%x', '[{6d796368617274 302e312e30 [776562 6462] [] %!x(bool=false) <nil> map[61:31 62:32]} 312e322e33 323032342d30312d30322030333a30343a3035202b3030303020555443 <nil> 6869 map[6b:[0x1.8p+00 2 78 <nil>]]]'],
  ['nested', '%T', '[]interface {}'],
  ['nested', '%12v', '[{     mychart        0.1.0 [         web           db] []        false <nil> map[           a:           1            b:           2]}        1.2.3 2024-01-02 03:04:05 +0000 UTC <nil> [         104          105] map[           k:[         1.5            2            x <nil>]]]'],
  ['nested', '%-6v|', '[{mychart 0.1.0  [web    db    ] [] false  <nil> map[a     :1      b     :2     ]} 1.2.3  2024-01-02 03:04:05 +0000 UTC <nil> [104    105   ] map[k     :[1.5    2      x      <nil>]]]|'],
  ['nested', '%t', '[{%!t(string=mychart) %!t(string=0.1.0) [%!t(string=web) %!t(string=db)] [] false <nil> map[%!t(string=a):%!t(string=1) %!t(string=b):%!t(string=2)]} {%!t(int64=1) %!t(int64=2) %!t(int64=3)} {%!t(uint64=0) %!t(int64=63839761445) %!t(*time.Location=<nil>)} <nil> [%!t(uint8=104) %!t(uint8=105)] map[%!t(string=k):[%!t(float64=1.5) %!t(int64=2) %!t(string=x) <nil>]]]'],
  ['nested', 'Sprint', '[{mychart 0.1.0 [web db] [] false <nil> map[a:1 b:2]} 1.2.3 2024-01-02 03:04:05 +0000 UTC <nil> [104 105] map[k:[1.5 2 x <nil>]]]'],
  ['values', '%v', 'map[big:1e+06 enabled:true image:map[repository:nginx tag:] nothing:<nil> ports:[80 443] replicaCount:1 small:1e-05]'],
  ['values', '%+v', 'map[big:1e+06 enabled:true image:map[repository:nginx tag:] nothing:<nil> ports:[80 443] replicaCount:1 small:1e-05]'],
  ['values', '%#v', 'map[string]interface {}{"big":1e+06, "enabled":true, "image":map[string]interface {}{"repository":"nginx", "tag":""}, "nothing":interface {}(nil), "ports":[]interface {}{80, 443}, "replicaCount":1, "small":1e-05}'],
  ['values', '%s', 'map[big:%!s(float64=1e+06) enabled:%!s(bool=true) image:map[repository:nginx tag:] nothing:<nil> ports:[%!s(float64=80) %!s(float64=443)] replicaCount:%!s(float64=1) small:%!s(float64=1e-05)]'],
  ['values', '%d', 'map[%!d(string=big):%!d(float64=1e+06) %!d(string=enabled):%!d(bool=true) %!d(string=image):map[%!d(string=repository):%!d(string=nginx) %!d(string=tag):%!d(string=)] %!d(string=nothing):<nil> %!d(string=ports):[%!d(float64=80) %!d(float64=443)] %!d(string=replicaCount):%!d(float64=1) %!d(string=small):%!d(float64=1e-05)]'],
  ['values', '%q', 'map["big":%!q(float64=1e+06) "enabled":%!q(bool=true) "image":map["repository":"nginx" "tag":""] "nothing":<nil> "ports":[%!q(float64=80) %!q(float64=443)] "replicaCount":%!q(float64=1) "small":%!q(float64=1e-05)]'],
  ['values', '%x', 'map[626967:0x1.e848p+19 656e61626c6564:%!x(bool=true) 696d616765:map[7265706f7369746f7279:6e67696e78 746167:] 6e6f7468696e67:<nil> 706f727473:[0x1.4p+06 0x1.bbp+08] 7265706c696361436f756e74:0x1p+00 736d616c6c:0x1.4f8b588e368f1p-17]'],
  ['values', '%T', 'map[string]interface {}'],
  ['values', '%12v', 'map[         big:       1e+06      enabled:        true        image:map[  repository:       nginx          tag:            ]      nothing:<nil>        ports:[          80          443] replicaCount:           1        small:       1e-05]'],
  ['values', '%-6v|', 'map[big   :1e+06  enabled:true   image :map[repository:nginx  tag   :      ] nothing:<nil> ports :[80     443   ] replicaCount:1      small :1e-05 ]|'],
  ['values', '%t', 'map[%!t(string=big):%!t(float64=1e+06) %!t(string=enabled):true %!t(string=image):map[%!t(string=repository):%!t(string=nginx) %!t(string=tag):%!t(string=)] %!t(string=nothing):<nil> %!t(string=ports):[%!t(float64=80) %!t(float64=443)] %!t(string=replicaCount):%!t(float64=1) %!t(string=small):%!t(float64=1e-05)]'],
  ['values', 'Sprint', 'map[big:1e+06 enabled:true image:map[repository:nginx tag:] nothing:<nil> ports:[80 443] replicaCount:1 small:1e-05]'],
  ['strings', '%v', '[a b  日本]'],
  ['strings', '%+v', '[a b  日本]'],
  ['strings', '%#v', '[]string{"a b", "", "日本"}'],
  ['strings', '%s', '[a b  日本]'],
  ['strings', '%d', '[%!d(string=a b) %!d(string=) %!d(string=日本)]'],
  ['strings', '%q', '["a b" "" "日本"]'],
  ['strings', '%x', '[612062  e697a5e69cac]'],
  ['strings', '%T', '[]string'],
  ['strings', '%12v', '[         a b                        日本]'],
  ['strings', '%-6v|', '[a b           日本    ]|'],
  ['strings', '%t', '[%!t(string=a b) %!t(string=) %!t(string=日本)]'],
  ['strings', 'Sprint', '[a b  日本]'],
  ['stringMap', '%v', 'map[B:upper a:first z:last é:accent]'],
  ['stringMap', '%+v', 'map[B:upper a:first z:last é:accent]'],
  ['stringMap', '%#v', 'map[string]string{"B":"upper", "a":"first", "z":"last", "é":"accent"}'],
  ['stringMap', '%s', 'map[B:upper a:first z:last é:accent]'],
  ['stringMap', '%d', 'map[%!d(string=B):%!d(string=upper) %!d(string=a):%!d(string=first) %!d(string=z):%!d(string=last) %!d(string=é):%!d(string=accent)]'],
  ['stringMap', '%q', 'map["B":"upper" "a":"first" "z":"last" "é":"accent"]'],
  ['stringMap', '%x', 'map[42:7570706572 61:6669727374 7a:6c617374 c3a9:616363656e74]'],
  ['stringMap', '%T', 'map[string]string'],
  ['stringMap', '%12v', 'map[           B:       upper            a:       first            z:        last            é:      accent]'],
  ['stringMap', '%-6v|', 'map[B     :upper  a     :first  z     :last   é     :accent]|'],
  ['stringMap', '%t', 'map[%!t(string=B):%!t(string=upper) %!t(string=a):%!t(string=first) %!t(string=z):%!t(string=last) %!t(string=é):%!t(string=accent)]'],
  ['stringMap', 'Sprint', 'map[B:upper a:first z:last é:accent]'],
  ['bytes', '%v', '[104 101 108 108 111]'],
  ['bytes', '%+v', '[104 101 108 108 111]'],
  ['bytes', '%#v', '[]byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}'],
  ['bytes', '%s', 'hello'],
  ['bytes', '%d', '[104 101 108 108 111]'],
  ['bytes', '%q', '"hello"'],
  ['bytes', '%x', '68656c6c6f'],
  ['bytes', '%T', '[]uint8'],
  ['bytes', '%12v', '[         104          101          108          108          111]'],
  ['bytes', '%-6v|', '[104    101    108    108    111   ]|'],
  ['bytes', '%t', '[%!t(uint8=104) %!t(uint8=101) %!t(uint8=108) %!t(uint8=108) %!t(uint8=111)]'],
  ['bytes', 'Sprint', '[104 101 108 108 111]'],
  ['empty', '%v', 'map[]'],
  ['empty', '%+v', 'map[]'],
  ['empty', '%#v', 'map[string]interface {}{}'],
  ['empty', '%s', 'map[]'],
  ['empty', '%d', 'map[]'],
  ['empty', '%q', 'map[]'],
  ['empty', '%x', 'map[]'],
  ['empty', '%T', 'map[string]interface {}'],
  ['empty', '%12v', 'map[]'],
  ['empty', '%-6v|', 'map[]|'],
  ['empty', '%t', 'map[]'],
  ['empty', 'Sprint', 'map[]'],
  ['emptySlice', '%v', '[]'],
  ['emptySlice', '%+v', '[]'],
  ['emptySlice', '%#v', '[]interface {}{}'],
  ['emptySlice', '%s', '[]'],
  ['emptySlice', '%d', '[]'],
  ['emptySlice', '%q', '[]'],
  ['emptySlice', '%x', '[]'],
  ['emptySlice', '%T', '[]interface {}'],
  ['emptySlice', '%12v', '[]'],
  ['emptySlice', '%-6v|', '[]|'],
  ['emptySlice', '%t', '[]'],
  ['emptySlice', 'Sprint', '[]'],
];

describe('values print as Go prints the same Go values', () => {
  test.each(goOutput.map(([name, format, want]) => ({ name, format, want })))('$format of $name is $want', ({ name, format, want }) => {
    const v = values[name];
    expect(format === 'Sprint' ? sprint(v) : sprintf(format, v)).toBe(want);
  });
});

describe('Sprint, Sprintln and Sprintf edge cases, as Go prints them', () => {
  test('Sprint adds a space between operands when neither is a string (fmt_test TestBlank)', () => {
    expect(sprint('<', 1n, '>:', 1n, 2n, 3n, '!')).toBe('<1>:1 2 3!');
    expect(sprint(1, 2.5, 'x', true, null, 'y', stringSlice(['a']), { k: 1 })).toBe('1 2.5xtrue <nil>y[a] map[k:1]');
    expect(sprint()).toBe('');
  });

  test('Sprintln always adds spaces and a newline (fmt_test TestBlankln)', () => {
    expect(sprintln('<', 1n, '>:', 1n, 2n, 3n, '!')).toBe('< 1 >: 1 2 3 !\n');
    expect(sprintln()).toBe('\n');
  });

  test('%q escapes what Unicode 15.0 does not print, as Go does whatever Node knows', () => {
    expect(sprintf('%q|%+q|%q|%q|%q', '\u{1F6DC}', '\u{1F6DC}', '\u{1FAE9}', '\u0378', '\u00ad\u200b\u2028')).toBe('"🛜"|"\\U0001f6dc"|"\\U0001fae9"|"\\u0378"|"\\u00ad\\u200b\\u2028"');
  });

  test('%q, %+q and %#q quote strings as strconv does', () => {
    expect(sprintf('%+q|%#q|%#q|%#+q|%q|%q', 'héllo', 'a`b', 'tab\there', '日本', '\x00\x7f\u0080', '\ufeff')).toBe('"h\\u00e9llo"|"a`b"|`tab\there`|`日本`|"\\x00\\x7f\\u0080"|"\\ufeff"');
  });

  test('%c, %q and %U print integers as runes', () => {
    expect(sprintf('%c|%q|%+q|%U|%#U|%#U|%c|%q', 0x1f600n, 0x1f600n, 0x1f600n, 0x1fae9n, 0x1fae9n, 0x1f600n, 0xd800n, 0xd800n)).toBe('😀|\'😀\'|\'\\U0001f600\'|U+1FAE9|U+1FAE9|U+1F600 \'😀\'|�|\'�\'');
  });

  test('nil prints <nil> for %v and %T and is a bad operand for other verbs', () => {
    expect(sprintf('%s|%d|%v|%T|%10v|%-5v|%#v', null, null, null, null, null, null, null)).toBe('%!s(<nil>)|%!d(<nil>)|<nil>|<nil>|     <nil>|<nil>|<nil>');
    expect(sprintf('%v %v', null)).toBe('<nil> %!v(MISSING)');
  });

  test('explicit argument indexes reorder operands', () => {
    expect(sprintf('%[2]s %[1]s %s', 'a', 'b')).toBe('b a b');
  });

  test('floats with flags, width and precision', () => {
    expect(sprintf('%6.2f|%-10.3e|%+g|%G|%.3g|%#.3g|%08.3f|% .2e|%x|%X|%.2x', 3.14159, 1234.5, 0.000001234, 1e-20, 1234567, 1, -2.345, 12345.678, 3, -0.1, 1 / 3)).toBe('  3.14|1.234e+03 |+1.234e-06|1E-20|1.23e+06|1.00|-002.345| 1.23e+04|0x1.8p+01|-0X1.999999999999AP-04|0x1.55p-02');
    expect(sprint(1e21, 1e20, 123456789, 0.0001, 0.00001, -0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 100000, 999999, 0.3)).toBe('1e+21 1e+20 1.23456789e+08 0.0001 1e-05 -0 NaN +Inf -Inf 5e-324 1.7976931348623157e+308 100000 999999 0.3');
  });

  test('integers in every base, with flags, width and precision', () => {
    expect(sprintf('%x|%X|%o|%O|%b|%c|%U|%#U|%#x|%#o|%+d|% d|%08d|%-8d|%.5d|%8.5d', 255n, 255n, 8n, 8n, 5n, 65n, 0x263an, 0x263an, -255n, 8n, 3n, 3n, -42n, 42n, 42n, -42n)).toBe('ff|FF|10|0o10|101|A|U+263A|U+263A \'☺\'|-0xff|010|+3| 3|-0000042|42      |00042|  -00042');
  });

  test('strings with width, precision and hex', () => {
    expect(sprintf('%5s|%-5s|%.2s|%5.1s|%05s|%x|% X|%#x|%q', 'ab', 'ab', '日本語', '日本語', 'ab', 'hé', 'hé', 'hé', 'it\'s "q"')).toBe('   ab|ab   |日本|    日|000ab|68c3a9|68 C3 A9|0x68c3a9|"it\'s \\"q\\""');
  });

  test('* takes width and precision from int operands, and only from ints', () => {
    expect(sprintf('%*d|%-*d|%.*f|%*.*f|%*d', 5n, 42n, 5n, 42n, 2n, 3.14159, 8n, 3n, 2, 2.5, 1n)).toBe('   42|42   |3.14|   2.000|%!(BADWIDTH)1');
  });

  test('booleans, percent signs and extra operands', () => {
    expect(sprintf('%t|%v|%5t|%-6t|%d|%s', true, false, true, false, true, false)).toBe('true|false| true|false |%!d(bool=true)|%!s(bool=false)');
    expect(sprintf('100%%|%5%|%-5%|%c%%', 0x78n)).toBe('100%|%|%|x%');
    expect(sprintf('%d', 1n, 'two', 3, null, stringSlice(['x']))).toBe('1%!(EXTRA string=two, float64=3, <nil>, []string=[x])');
  });

  test('%T names the Go type', () => {
    expect(sprintf('%T|%T|%T|%T|%T|%T|%T|%T', 's', 1.5, 1n, true, bytes([1]), [], stringMap({}), stringSlice([]))).toBe('string|float64|int64|bool|[]uint8|[]interface {}|map[string]string|[]string');
  });

  test('flags apply to each element of slices and maps', () => {
    expect(sprintf('%5d|%-4s|%05.1f|%x|%X', [1n, 22n], stringSlice(['a', 'bb']), { a: 1.25, b: -2 }, ['hi', 255n, 1], stringSlice(['hi']))).toBe('[    1    22]|[a    bb  ]|map[%!f(string=0000a):001.2 %!f(string=0000b):-02.0]|[6869 ff 0x1p+00]|[6869]');
  });

  test('[]byte with the string verbs', () => {
    expect(sprintf('%q|%#q|%+q|%.1q|%x|% x|%#x|%s|%5s|%.2s|%c', bytes([0x68, 0xff, 0x69]), bytes('hi'), bytes('é'), bytes('日本'), bytes([]), bytes([1, 2]), bytes([1, 2]), bytes([0x68, 0xff, 0x69]), bytes('é'), bytes('日本'), bytes('AB'))).toBe('"h\\xffi"|`hi`|"\\u00e9"|"日"||01 02|0x0102|h�i|    é|日本|[A B]');
  });
});

describe('what only the model has', () => {
  const address = `0x${FAKE_ADDRESS.toString(16)}`;
  const fn = new GoFunc('upper', ['string'], (s: string) => s.toUpperCase());

  test('functions and nested pointers print one fixed address where Go prints a real one', () => {
    expect(sprintf('%v|%#v|%T|%p', fn, fn, fn, fn)).toBe(`${address}|(func)(${address})|func|${address}`);
    const ptr = new GoStruct('*chart.Maintainer', { Name: 'me' });
    expect(sprint([ptr])).toBe(`[${address}]`);
    expect(sprintf('%#v', [ptr])).toBe(`[]interface {}{(*chart.Maintainer)(${address})}`);
    expect(sprint(ptr)).toBe('&{me}');
  });

  test('%p prints an address for pointers, maps and slices, a bad verb otherwise', () => {
    expect(sprintf('%p|%p|%p', {}, [], 'x')).toBe(`${address}|${address}|%!p(string=x)`);
  });

  test('undefined (no value) prints as nil', () => {
    expect(sprint(undefined)).toBe('<nil>');
    expect(sprintf('%v|%d', undefined, undefined)).toBe('<nil>|%!d(<nil>)');
    expect(sprint([undefined])).toBe('[<nil>]');
  });

  test('a nil in a typed slot prints as Go prints a nil of that type', () => {
    expect(sprintf('%v|%#v', withElemType([null], '*chart.Maintainer'), withElemType([null], '*chart.Maintainer'))).toBe(
      '[<nil>]|[]*chart.Maintainer{(*chart.Maintainer)(nil)}',
    );
    expect(sprintf('%#v', withElemType([null], '[]string'))).toBe('[][]string{[]string(nil)}');
  });

  test('elements of a []uint8 or map[string]uint8 are unsigned', () => {
    expect(sprintf('%#v|%s', withElemType([104n, 105n], 'uint8'), withElemType([104n, 105n], 'uint8'))).toBe('[]uint8{0x68, 0x69}|hi');
  });
});

describe('printValue writes an action\'s value as text/template does', () => {
  test.each([
    ['no value', undefined, '<no value>'],
    ['nil', null, '<nil>'],
    ['a string', 'nginx', 'nginx'],
    ['a whole float64', 3, '3'],
    ['a large float64', 1234567, '1.234567e+06'],
    ['a negative zero', -0, '-0'],
    ['an int', 42n, '42'],
    ['a bool', false, 'false'],
    ['a map', { b: 1, a: [true, null] }, 'map[a:[true <nil>] b:1]'],
    ['a []byte', bytes('hi'), '[104 105]'],
    ['a struct with a String method', version('semver.Version'), '1.2.3'],
    ['a pointer to a struct with a String method', version('*semver.Version'), '1.2.3'],
    ['a time', utc, '2024-01-02 03:04:05 +0000 UTC'],
  ])('%s prints as Go prints it', (_what, value, want) => {
    expect(printValue(value)).toBe(want);
  });

  test('a pointer to a struct is followed first, so it prints without &', () => {
    expect(printValue(new GoStruct('*chart.Maintainer', { Name: 'me', Email: null }))).toBe('{me <nil>}');
  });
});
