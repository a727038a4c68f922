import { describe, test } from 'vitest';
import { type Row, expectRow } from './harness.js';

// url.go over net/url Parse and URL.String (Go 1.26).
// Each row is a template pipeline, the Go type of its result ('error' for an error return,
// 'panic' for a panic) and the value. Every row was run through sprig v3.3.0 under Go 1.26
// (`{{ $r := PIPELINE }}{{ printf "%T|%v" $r $r }}`) and agrees with it; where Go
// says int, the value model has bigint and goTypeName says int64.
const rows: Row[] = [
  ['urlParse "http://user:pass@host:80/p%20a?q=1&r=2#frag%21"', 'map[string]interface {}', { scheme: 'http', host: 'host:80', hostname: 'host', path: '/p a', query: 'q=1&r=2', opaque: '', fragment: 'frag!', userinfo: 'user:pass' }],
  ['urlParse "mailto:joe@example.com"', 'map[string]interface {}', { scheme: 'mailto', host: '', hostname: '', path: '', query: '', opaque: 'joe@example.com', fragment: '', userinfo: '' }],
  ['urlParse "/relative/path?x"', 'map[string]interface {}', { scheme: '', host: '', hostname: '', path: '/relative/path', query: 'x', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "https://[::1]:8080/x"', 'map[string]interface {}', { scheme: 'https', host: '[::1]:8080', hostname: '::1', path: '/x', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "https://[fe80::1%25en0]/x"', 'map[string]interface {}', { scheme: 'https', host: '[fe80::1%en0]', hostname: 'fe80::1%en0', path: '/x', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "http://a b.com/"', 'panic', 'unable to parse url: parse "http://a b.com/": invalid character " " in host name'],
  ['urlParse "http://host:port/"', 'panic', 'unable to parse url: parse "http://host:port/": invalid port ":port" after host'],
  ['urlParse ":foo"', 'panic', 'unable to parse url: parse ":foo": missing protocol scheme'],
  ['urlParse "a:b/c"', 'map[string]interface {}', { scheme: 'a', host: '', hostname: '', path: '', query: '', opaque: 'b/c', fragment: '', userinfo: '' }],
  ['urlParse "foo:bar/baz"', 'map[string]interface {}', { scheme: 'foo', host: '', hostname: '', path: '', query: '', opaque: 'bar/baz', fragment: '', userinfo: '' }],
  ['urlParse "1http://x"', 'panic', 'unable to parse url: parse "1http://x": first path segment in URL cannot contain colon'],
  ['urlParse "http://%zz/"', 'panic', 'unable to parse url: parse "http://%zz/": invalid URL escape "%zz"'],
  ['urlParse "http://h/%zz"', 'panic', 'unable to parse url: parse "http://h/%zz": invalid URL escape "%zz"'],
  ['urlParse "http://[::1/"', 'panic', 'unable to parse url: parse "http://[::1/": missing \']\' in host'],
  ['urlParse "http://[1.2.3.4]/"', 'panic', 'unable to parse url: parse "http://[1.2.3.4]/": invalid IP-literal'],
  ['urlParse "http://[::1::2]/"', 'panic', 'unable to parse url: parse "http://[::1::2]/": invalid host: ParseAddr("::1::2"): multiple :: in address (at ":2")'],
  ['urlParse "http://a:1:2/"', 'panic', 'unable to parse url: parse "http://a:1:2/": invalid port ":1:2" after host'],
  ['urlParse "mongodb://a:1,b:2/db"', 'map[string]interface {}', { scheme: 'mongodb', host: 'a:1,b:2', hostname: 'a:1,b', path: '/db', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "http://user@host"', 'map[string]interface {}', { scheme: 'http', host: 'host', hostname: 'host', path: '', query: '', opaque: '', fragment: '', userinfo: 'user' }],
  ['urlParse "http://us%20er:p%40ss@host"', 'map[string]interface {}', { scheme: 'http', host: 'host', hostname: 'host', path: '', query: '', opaque: '', fragment: '', userinfo: 'us%20er:p%40ss' }],
  ['urlParse "http://h/?"', 'map[string]interface {}', { scheme: 'http', host: 'h', hostname: 'h', path: '/', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "//host/path"', 'map[string]interface {}', { scheme: '', host: 'host', hostname: 'host', path: '/path', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "*"', 'map[string]interface {}', { scheme: '', host: '', hostname: '', path: '*', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "HTTP://EXAMPLE.com/"', 'map[string]interface {}', { scheme: 'http', host: 'EXAMPLE.com', hostname: 'EXAMPLE.com', path: '/', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "http://x/a%2fb"', 'map[string]interface {}', { scheme: 'http', host: 'x', hostname: 'x', path: '/a/b', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "http://héllo.com/ü"', 'map[string]interface {}', { scheme: 'http', host: 'héllo.com', hostname: 'héllo.com', path: '/ü', query: '', opaque: '', fragment: '', userinfo: '' }],
  ['urlParse "http://[fe80::1%en0]/"', 'panic', 'unable to parse url: parse "http://[fe80::1%en0]/": invalid URL escape "%en"'],
  ['urlJoin (dict "scheme" "http" "host" "example.com" "path" "/a b" "query" "x=1" "fragment" "f g")', 'string', 'http://example.com/a%20b?x=1#f%20g'],
  ['urlJoin (dict "scheme" "https" "host" "h" "userinfo" "us er:p@ss")', 'panic', 'unable to parse userinfo in dict: parse "proto://us er:p@ss@host": net/url: invalid userinfo'],
  ['urlJoin (dict "scheme" "mailto" "opaque" "joe@example.com")', 'string', 'mailto:joe@example.com'],
  ['urlJoin (dict "path" "a:b")', 'string', './a:b'],
  ['urlJoin (dict "host" "h" "path" "p")', 'string', '//h/p'],
  ['urlJoin (dict)', 'string', ''],
  ['urlJoin (dict "scheme" true)', 'panic', 'unable to parse scheme key, must be of type string, but bool found'],
  ['urlJoin (dict "scheme" nil)', 'panic', 'runtime error: invalid memory address or nil pointer dereference'],
  ['urlJoin (dict "scheme" "file" "path" "/etc/x")', 'string', 'file:///etc/x'],
  ['urlJoin (dict "host" "héllo" "path" "/ü")', 'string', '//h%C3%A9llo/%C3%BC'],
  ['urlJoin (dict "scheme" "http" "host" "h" "userinfo" "a%zz")', 'panic', 'unable to parse userinfo in dict: parse "proto://a%zz@host": invalid URL escape "%zz"'],
  ['urlJoin (dict "scheme" "http" "host" "h" "userinfo" "a/b")', 'string', 'http://h'],
];

describe('URL functions', () => {
  test.each(rows)('%s', (expr, type, want) => {
    expectRow(expr, type, want);
  });
});
