/**
 * The oracle for the go-yaml and toml parity tests: real `helm template` (v3.22.0, from the
 * toolchain `scripts/cluster build` makes) run once on one generated chart that holds every
 * case. Each case's result is base64-encoded into a ConfigMap so helm's own output framing
 * cannot touch it. Also the seeded case generators the tests share.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { keyLess } from '../../src/engines/yaml/go-yaml/sorter.js';
import { toolchainBin } from './oracle.js';

// ---------------------------------------------------------------- helm

/** The toolchain's helm (scripts/cluster builds it when missing), or SLIPWAY_HELM. */
export function findHelm(): string {
  return process.env.SLIPWAY_HELM || join(toolchainBin(), 'helm');
}

/** A number written into values.yaml as this exact text (go-yaml reads it, Helm keeps a float64). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** A JSON-like value for values.yaml. */
export type CaseValue = null | boolean | string | number | RawNumber | CaseValue[] | { [k: string]: CaseValue };

/** Text go-yaml reads back as exactly `s`: a double-quoted scalar escaping everything risky. */
export function yamlQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** A value as one line of YAML flow text. */
export function toFlow(v: CaseValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0.0' : String(v);
  if (v instanceof RawNumber) return v.text;
  if (typeof v === 'string') return yamlQuote(v);
  if (Array.isArray(v)) return `[${v.map(toFlow).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${yamlQuote(k)}: ${toFlow(x)}`)
    .join(', ')}}`;
}

/** What one `helm template` run is asked to compute. */
export interface OracleRequest {
  /** Values whose `toJson` and `toYaml` helm prints. */
  values?: Record<string, CaseValue>;
  /** Template expressions of extra values, e.g. `dict "a" 1` (ints, not floats). */
  exprs?: Record<string, string>;
  /** YAML texts given to `fromYaml` (and `fromYamlArray`). */
  yaml?: Record<string, string>;
  /** Values whose `toToml` helm prints. */
  toml?: Record<string, CaseValue>;
  /** Template expressions whose `toToml` helm prints. */
  tomlExprs?: Record<string, string>;
}

/** helm's answers, by case name. */
export interface OracleResult {
  json: Record<string, string>;
  yaml: Record<string, string>;
  fromYaml: Record<string, string>;
  fromYamlArray: Record<string, string>;
  toml: Record<string, string>;
  /** `toJson` of each `toml` value, i.e. what toToml was given. */
  tomlJson: Record<string, string>;
}

const TEMPLATE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: oracle
data:
{{- range $k, $v := .Values.cases }}
  json.{{ $k }}: {{ toJson $v | b64enc | quote }}
  yaml.{{ $k }}: {{ toYaml $v | b64enc | quote }}
{{- end }}
{{- range $k, $v := .Values.toml }}
  toml.{{ $k }}: {{ toToml $v | b64enc | quote }}
  tomlJson.{{ $k }}: {{ toJson $v | b64enc | quote }}
{{- end }}
{{- range $path, $_ := .Files.Glob "snippets/*.yaml" }}
  {{- $name := base $path | trimSuffix ".yaml" }}
  fromYaml.{{ $name }}: {{ $.Files.Get $path | fromYaml | toJson | b64enc | quote }}
  fromYamlArray.{{ $name }}: {{ $.Files.Get $path | fromYamlArray | toJson | b64enc | quote }}
{{- end }}
`;

/** Runs helm template once for every case in the request. */
export function runHelmOracle(request: OracleRequest): OracleResult {
  const helm = findHelm();
  const dir = mkdtempSync(join(tmpdir(), 'slipway-go-yaml-oracle-'));
  try {
    const chart = join(dir, 'oracle');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    mkdirSync(join(chart, 'snippets'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: oracle\nversion: 0.1.0\n');
    const lines = ['cases:'];
    for (const [k, v] of Object.entries(request.values ?? {})) lines.push(`  ${k}: ${toFlow(v)}`);
    lines.push('toml:');
    for (const [k, v] of Object.entries(request.toml ?? {})) lines.push(`  ${k}: ${toFlow(v)}`);
    writeFileSync(join(chart, 'values.yaml'), `${lines.join('\n')}\n`);
    let template = TEMPLATE;
    const extra: string[] = [];
    for (const [k, expr] of Object.entries(request.exprs ?? {})) {
      extra.push(`  json.${k}: {{ ${expr} | toJson | b64enc | quote }}`, `  yaml.${k}: {{ ${expr} | toYaml | b64enc | quote }}`);
    }
    for (const [k, expr] of Object.entries(request.tomlExprs ?? {})) extra.push(`  toml.${k}: {{ ${expr} | toToml | b64enc | quote }}`);
    template += extra.join('\n') + '\n';
    writeFileSync(join(chart, 'templates', 'oracle.yaml'), template);
    for (const [k, text] of Object.entries(request.yaml ?? {})) writeFileSync(join(chart, 'snippets', `${k}.yaml`), text);

    const out = execFileSync(helm, ['template', 'oracle', chart], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const doc = parseAllDocuments(out).find((d) => !d.errors.length && d.get('kind') === 'ConfigMap');
    if (!doc) throw new Error(`helm template printed no ConfigMap:\n${out.slice(0, 2000)}`);
    const data = (doc.toJS() as { data: Record<string, string> }).data ?? {};
    const result: OracleResult = { json: {}, yaml: {}, fromYaml: {}, fromYamlArray: {}, toml: {}, tomlJson: {} };
    for (const [key, b64] of Object.entries(data)) {
      const dot = key.indexOf('.');
      const kind = key.slice(0, dot) as keyof OracleResult;
      result[kind][key.slice(dot + 1)] = Buffer.from(b64, 'base64').toString('utf8');
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- seeded generators

/** mulberry32: a small seeded PRNG, so the generated cases are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  constructor(readonly rnd: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
}

const WORDS = [
  'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do', 'eiusmod', 'tempor',
  'incididunt', 'ut', 'labore', 'et', 'dolore', 'magna', 'aliqua', 'a', 'I', 'supercalifragilisticexpialidocious',
  'key:', 'value', '#', 'x#y', '-', '--', '?', ':', 'k: v', 'true', 'null', '1.5', '0x1F', 'http://example.com/a?b=c#d',
  'https://charts.example.io/stable/index.yaml', '"quoted"', "'single'", '{a}', '[b]', '&anchor', '*alias', '!tag', '|', '>',
  '%', '@', '`', '\\', '日本語', 'héllo', '🙂', 'ǅ', 'a\u0301', 'Ω',
];

const LOOKALIKES = [
  'true', 'false', 'True', 'FALSE', 'yes', 'no', 'Yes', 'NO', 'on', 'off', 'On', 'OFF', 'y', 'n', 'Y', 'N',
  'null', 'Null', 'NULL', '~', '', ' ', '0', '1', '-1', '+1', '01', '0777', '08', '09', '0x1F', '0X1f', '0o17', '0b101', '-0b11',
  '0b-1', '1_000', '1,000', '1.5', '-1.5', '.5', '-.5', '+.5', '1.', '1e3', '1E3', '1e+3', '1e-3', '.e3', '1e', '1e400',
  '.inf', '-.inf', '+.inf', '.Inf', '.INF', '.nan', '.NaN', 'inf', 'nan', 'Infinity', 'NaN', '12345678901234567890',
  '18446744073709551616', '-9223372036854775808', '9223372036854775808', '1:20', '-1:20:30', '1:20.5', '190:20:30.15', '1:60',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2002-12-14', '2001-1-1', '2001-02-30', '2001-12-14T21:59:43Z',
  '2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43+01:00', '2001-12-14T24:00:00Z', '2001-13-01', '20011214', '1999-1-1 1:1:1',
  '2001-12-14T21:59:43,5Z', '<<', '=', '-', '--', '---', '...', '- a', '? a', ': a', 'a:', 'a: b', 'a #b', 'a#b', '#a',
  'a,b', '[a]', '{a}', "it's", '"x"', '@x', '`x`', '%x', '!x', '&x', '*x', '|x', '>x', ',x', '?x', ':x', '-x',
  '0.0', '-0', '-0.0', '+0', '1e21', '1.0e-7', '100000000000000000000', '0.1', '3.14159265358979',
];

const SPECIAL_FIRST = ['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ' ', '\t', '\n', '.', '~', '=', '<'];

const UNICODE = [
  '日本語のテキスト', '中文字符', '한국어', '🙂', '👨‍👩‍👧‍👦', '🇯🇵', 'e\u0301', 'a\u0308\u0304', 'עברית', 'العربية', '\u00a0', '\u2028', '\u2029',
  '\u0085', '\u200b', '\ufeff', '\ufffd', '\u00ad', 'Ω≈ç√∫', 'ℌ𝔢𝔩𝔩𝔬', '\u{1F600}\u{1F601}', '\u3000', 'ß', 'İ', 'ǅ', '\uE000', '\uFFFC',
];

// DEL and C1 controls pass through Go's json.Marshal raw and then stop go-yaml's reader, so
// the whole value fails (toYaml prints ""): rare here, to keep most cases comparing text.
const CONTROLS = ['\u0000', '\u0001', '\u0007', '\b', '\t', '\u000b', '\f', '\r', '\u001b', '\u001f', '\u0000', '\u0001', '\u0007', '\b', '\u007f'];

function words(g: Gen, minLen: number, maxLen: number): string {
  const target = g.int(minLen, maxLen);
  let s = '';
  while (s.length < target) s += (s ? ' ' : '') + g.pick(WORDS);
  return s;
}

function noSpaces(g: Gen, minLen: number, maxLen: number): string {
  const n = g.int(minLen, maxLen);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+,;%';
  let s = '';
  for (let i = 0; i < n; i++) s += g.pick([...alphabet]);
  return s;
}

/** A string from one of the categories that decide go-yaml's quoting and folding. */
export function genString(g: Gen): string {
  switch (g.int(0, 13)) {
    case 0:
    case 1:
      return words(g, 60, 200);
    case 2:
      return noSpaces(g, 60, 200);
    case 3: {
      const s = words(g, 10, 120);
      return g.pick([' ', '  ', '\t', '']) + s + g.pick([' ', '  ', '', '\t']);
    }
    case 4:
    case 5: {
      const n = g.int(1, 6);
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        lines.push(
          g.pick([
            () => words(g, 0, 100),
            () => '',
            () => '  ' + words(g, 1, 30),
            () => '\t' + words(g, 1, 30),
            () => words(g, 1, 30) + ' ',
            () => g.pick(LOOKALIKES),
            () => noSpaces(g, 1, 90),
          ])(),
        );
      }
      let s = lines.join(g.chance(0.1) ? '\r\n' : '\n');
      s = g.pick(['', ' ', '  ']) + s + g.pick(['', '\n', '\n\n', '\n\n\n', ' \n']);
      return s.includes('\n') ? s : s + '\n';
    }
    case 6:
    case 7:
      return g.pick(LOOKALIKES);
    case 8:
      return g.pick(UNICODE) + (g.chance(0.5) ? words(g, 0, 60) : '') + (g.chance(0.3) ? g.pick(UNICODE) : '');
    case 9:
      return words(g, 0, 30) + g.pick(CONTROLS) + words(g, 0, 30);
    case 10:
      return g.pick(SPECIAL_FIRST) + (g.chance(0.5) ? words(g, 1, 40) : noSpaces(g, 1, 10));
    case 11: {
      // Long text with a fold point near column 80 and runs of spaces.
      const chars = Array.from(words(g, 70, 100));
      const at = g.int(60, Math.min(90, chars.length - 1));
      return chars.slice(0, at).join('') + g.pick(['  ', '   ', ' \t ', ': ', ' #']) + chars.slice(at).join('');
    }
    case 12:
      return words(g, 1, 20);
    default: {
      let s = '';
      const n = g.int(0, 20);
      for (let i = 0; i < n; i++) s += String.fromCodePoint(g.int(0x20, 0x7e));
      return s;
    }
  }
}

const KEYS = [
  'a', 'b', 'A', 'B', 'Z', 'z', '_', '-', '1', '2', '10', '9', '01', '001', '0', '00', 'a1', 'a2', 'a10', 'a9', 'a01', 'a001', 'a1b',
  'a10b', 'a1b2', 'a1b10', 'x.y', 'x-y', 'x_y', 'X', 'name', 'Name', 'NAME', 'nAme', 'image', 'imageTag', 'image_tag', 'image-tag',
  'true', 'yes', 'no', 'on', 'null', '~', 'y', 'n', '1.5', '1e3', '0x10', '2001-01-01', '1:20', '<<', ' lead', 'trail ', 'with space',
  'é', 'ä', 'Ω', '日本', '🙂', '', 'k\u0000', '#', '-x', '?x', ':x', 'a:b', 'a: b', 'a #b', 'v1', 'v2', 'v10', 'v1.10', 'v1.9',
  'k8s', 'k08s', 'item-0', 'item-1', 'item-10', 'item-2', 'z0', 'z00', 'z000', '10a', '9a', '٣', 'a٣', 'Ⅻ',
];

export function genKey(g: Gen): string {
  switch (g.int(0, 9)) {
    case 0:
      return words(g, 1, 20).replace(/ /g, g.pick(['', '_', '-', ' ']));
    case 1:
      return String(g.int(0, 200));
    case 2:
      return g.pick(['a', 'b', 'item', 'x', 'v']) + g.pick(['', '-', '_', '.']) + String(g.int(0, 120)).padStart(g.int(1, 3), '0');
    case 3:
      return g.chance(0.3) ? noSpaces(g, 120, 140) : Array.from(genString(g)).slice(0, 40).join('');
    default:
      return g.pick(KEYS);
  }
}

const NUMBERS = [
  '0', '1', '-1', '42', '100', '1000000', '999999', '1234567', '123456789', '2147483647', '2147483648', '-2147483649',
  '9007199254740991', '9007199254740993', '12345678901234567890', '18446744073709551615', '-9223372036854775808',
  '1e21', '1e20', '1e+21', '1.5e300', '-1.5e-300', '1e-7', '1.0e-7', '1e-6', '0.000001', '0.0000001', '1.5', '-2.25', '3.14159',
  '0.1', '0.2', '1.0', '2.0', '-0.0', '100000000000000000000', '1e100', '5e-324', '1.7976931348623157e308', '123456.789',
  '1e6', '1e5', '0.0001', '0.00001', '4.9e-324', '33.3333333333', '6.02214076e23',
];

/**
 * Whether go-yaml's key order is a total order on these keys. It is not always ("58" <
 * "199" < "1e3" < "58"), and then Go's output depends on its random map iteration order, so
 * no single answer exists to compare with.
 */
export function isConsistentKeyOrder(keys: string[]): boolean {
  const sorted = [...keys].sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      if (!keyLess(sorted[i]!, sorted[j]!) || keyLess(sorted[j]!, sorted[i]!)) return false;
    }
  }
  return true;
}

/** A random JSON-like value, nesting up to `depth`. */
export function genValue(g: Gen, depth: number): CaseValue {
  const k = depth <= 0 ? g.int(0, 5) : g.int(0, 9);
  switch (k) {
    case 0:
    case 1:
    case 2:
      return genString(g);
    case 3:
      return new RawNumber(g.pick(NUMBERS));
    case 4:
      return g.pick([true, false, null]);
    case 5:
      return g.chance(0.5) ? g.int(-1000, 100000) : g.rnd() * 10 ** g.int(-8, 25);
    case 6:
    case 7: {
      const o: Record<string, CaseValue> = {};
      const n = g.int(0, 8);
      for (let i = 0; i < n; i++) {
        const key = genKey(g);
        if (isConsistentKeyOrder([...Object.keys(o), key])) o[key] = genValue(g, depth - 1);
      }
      return o;
    }
    default: {
      const n = g.int(0, 6);
      const items: CaseValue[] = [];
      const mapsOnly = g.chance(0.4);
      for (let i = 0; i < n; i++) {
        const k1 = genKey(g);
        const k2 = genKey(g);
        const pair = isConsistentKeyOrder([k1, k2]) ? { [k1]: genValue(g, depth - 1), [k2]: genValue(g, depth - 2) } : { [k1]: genValue(g, depth - 1) };
        items.push(mapsOnly ? pair : genValue(g, depth - 1));
      }
      return items;
    }
  }
}

// ---------------------------------------------------------------- YAML snippets

const PLAIN_SCALARS = [...LOOKALIKES.filter((s) => s.trim() !== '' && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/: |\s#/.test(s)), 'hello', 'hello world', 'a b c', 'x:y', 'http://h/p?q#f'];

function scalarText(g: Gen, indent: string): string {
  const s = g.pick([...PLAIN_SCALARS, ...WORDS.filter((w) => /^[a-zA-Z0-9]/.test(w) && !/: |\s#|:$/.test(w))]);
  switch (g.int(0, 9)) {
    case 0:
      return `'${genString(g).replace(/'/g, "''").replace(/\n/g, '\n\n')}'`;
    case 1:
      return JSON.stringify(g.pick(LOOKALIKES));
    case 2:
      return `${g.pick(['|', '|-', '|+', '>', '>-', '>+', '|2', '>1-'])}\n${indent}  line one\n${indent}  ${g.pick(['line two', '', '  indented', 'x: y'])}\n${g.chance(0.3) ? '\n' : ''}${indent}  end`;
    case 3:
      return `${g.pick(['!!str', '!!int', '!!float', '!!bool', '!!null', '!!binary', '!custom', '!', '!!timestamp', '!<tag:yaml.org,2002:str>', '!!map', '!!seq'])} ${s}`;
    case 4:
      return `[${s}, ${g.pick(PLAIN_SCALARS)}, {k: ${g.pick(PLAIN_SCALARS)}}]`;
    case 5:
      return `{a: ${g.pick(PLAIN_SCALARS)}, ${g.pick(KEYS.filter((k) => /^[a-z0-9]+$/.test(k)))}: [${s}]}`;
    default:
      return s;
  }
}

function block(g: Gen, depth: number, indent: string, anchors: string[]): string {
  const lines: string[] = [];
  const asSeq = g.chance(0.35);
  const n = g.int(1, 4);
  for (let i = 0; i < n; i++) {
    const anchor = g.chance(0.1) ? `&a${anchors.push(`a${anchors.length}`) - 1} ` : '';
    let value: string;
    if (depth > 0 && g.chance(0.35)) {
      const child = block(g, depth - 1, indent + '  ', anchors);
      value = `${anchor.trimEnd()}\n${child}`;
    } else if (anchors.length > 0 && g.chance(0.1)) {
      value = `*${g.pick(anchors)}`;
    } else {
      value = anchor + scalarText(g, indent);
    }
    if (asSeq) {
      lines.push(`${indent}- ${value.startsWith('\n') ? value.slice(1).trimStart() : value}`);
    } else {
      const key = g.chance(0.08) && anchors.length > 0 ? '<<' : g.pick(KEYS.filter((k) => /^[a-zA-Z0-9_.-]+$/.test(k)));
      const v = key === '<<' ? g.pick([`*${g.pick(anchors)}`, `[*${g.pick(anchors)}]`, '{m: 1}', '1']) : value;
      lines.push(`${indent}${key}:${v.startsWith('\n') ? '' : ' '}${v}${g.chance(0.1) ? ' # comment' : ''}`);
    }
  }
  return lines.join('\n');
}

/** Breaks a YAML text a little: deletes, duplicates or inserts a character. */
function mutate(g: Gen, text: string): string {
  if (text.length === 0) return text;
  const at = g.int(0, text.length - 1);
  switch (g.int(0, 3)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + text[at] + text.slice(at);
    case 2:
      return text.slice(0, at) + g.pick([' ', '\t', '\n', ':', '-', '"', "'", '[', '{', '}', ']', '#', '&', '*', '!', '|', '>', '%', '@', '\n  ', '\n- ']) + text.slice(at);
    default:
      return text.slice(0, at) + text.slice(at).replace(/^ +/, '');
  }
}

/** A random YAML document (or stream) in block style, sometimes slightly broken. */
export function genYamlSnippet(g: Gen): string {
  const anchors: string[] = [];
  let text = block(g, 3, '', anchors);
  if (g.chance(0.1)) text = `---\n${text}\n...\n`;
  if (g.chance(0.1)) text = `${text}\n---\n${block(g, 1, '', [])}`;
  if (g.chance(0.05)) text = `%YAML 1.1\n---\n${text}`;
  if (g.chance(0.05)) text = text.replace(/\n/g, '\r\n');
  if (g.chance(0.5)) text += '\n';
  if (g.chance(0.3)) text = mutate(g, text);
  if (g.chance(0.1)) text = mutate(g, text);
  return text;
}
