import { isDeepStrictEqual } from 'node:util';
import { parseYamlStream } from '../../src/engines/yaml/index.js';

/** One document of a `# Source:`-framed stream. */
interface SourcedDoc {
  source: string;
  value: unknown;
}

/** Splits helm's output stream into documents with their `# Source:` line, parsed. */
export function sourcedDocs(stream: string): SourcedDoc[] {
  const out: SourcedDoc[] = [];
  for (const chunk of stream.split(/^---\n/m)) {
    if (chunk.trim() === '') continue;
    const source = /^# Source: (.*)$/m.exec(chunk)?.[1] ?? '';
    const docs = parseYamlStream(chunk, source || '<stream>');
    out.push({ source, value: docs.map((d) => d.value) });
  }
  return out;
}

export type Verdict = 'identical' | 'equivalent' | 'different';

/** Byte-identical, or the same documents (parsed YAML deep-equal) with the same sources in the same order. */
export function compareStreams(expected: string, actual: string): { verdict: Verdict; detail?: string } {
  if (expected === actual) return { verdict: 'identical' };
  let a: SourcedDoc[];
  let b: SourcedDoc[];
  try {
    a = sourcedDocs(expected);
    b = sourcedDocs(actual);
  } catch (e) {
    return { verdict: 'different', detail: `cannot parse: ${(e as Error).message}` };
  }
  if (a.length !== b.length) return { verdict: 'different', detail: `${a.length} documents expected, ${b.length} rendered` };
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.source !== b[i]!.source) return { verdict: 'different', detail: `document ${i + 1}: source ${a[i]!.source} expected, ${b[i]!.source} rendered` };
    if (!isDeepStrictEqual(a[i]!.value, b[i]!.value)) return { verdict: 'different', detail: `document ${i + 1} (${a[i]!.source}) differs` };
  }
  return { verdict: 'equivalent' };
}

/** The first differing line of two texts, for failure messages. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  helm:    ${JSON.stringify(a[i])}\n  slipway: ${JSON.stringify(b[i])}`;
  }
  return '';
}

/**
 * For output with random parts (htpasswd salts, randAlphaNum, genCA): the same documents as
 * `expected`, except at the places where two runs of the real tool (`expected`, `again`)
 * already disagree with each other.
 */
export function compareIgnoringRandom(expected: string, again: string, actual: string): { same: boolean; detail?: string; masked: number } {
  const a = sourcedDocs(expected);
  const b = sourcedDocs(again);
  const c = sourcedDocs(actual);
  let masked = 0;
  const walk = (x: unknown, y: unknown, z: unknown, path: string): string | undefined => {
    if (isDeepStrictEqual(x, z)) return undefined;
    if (!isDeepStrictEqual(x, y) && (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null)) {
      masked++;
      return typeof x === typeof z ? undefined : `${path}: ${typeof z} where the tool gives ${typeof x}`;
    }
    if (typeof x === 'object' && x !== null && typeof z === 'object' && z !== null && typeof y === 'object' && y !== null) {
      const keys = new Set([...Object.keys(x), ...Object.keys(z)]);
      for (const k of keys) {
        const d = walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], (z as Record<string, unknown>)[k], `${path}/${k}`);
        if (d) return d;
      }
      return undefined;
    }
    return `${path}: ${JSON.stringify(z)} where the tool gives ${JSON.stringify(x)}`;
  };
  if (a.length !== c.length || a.length !== b.length) return { same: false, detail: `${a.length} documents expected, ${c.length} rendered`, masked };
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.source !== c[i]!.source) return { same: false, detail: `document ${i + 1}: source differs`, masked };
    const d = walk(a[i]!.value, b[i]!.value, c[i]!.value, a[i]!.source);
    if (d) return { same: false, detail: d, masked };
  }
  return { same: true, masked };
}
