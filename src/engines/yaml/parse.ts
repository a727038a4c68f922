import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Document, type Node, type SchemaOptions } from 'yaml';
import { InputError, type SourceLocation } from '../../core/index.js';

/**
 * YAML 1.1 as Kubernetes reads it (sigs.k8s.io/yaml over go-yaml v2): yes/no/on/off are
 * booleans, 0777 is octal, `<<` merges; but base-60 numbers (1:20) and timestamps stay
 * strings, because go-yaml v2 does not decode them into untyped values.
 */
const parseOptions = {
  version: '1.1' as const,
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  customTags: ((tags) =>
    tags.filter((t) => {
      if (typeof t === 'string') return t !== 'timestamp' && t !== 'intTime' && t !== 'floatTime';
      return t.format !== 'TIME' && t.tag !== 'tag:yaml.org,2002:timestamp';
    })) satisfies SchemaOptions['customTags'],
};

/** One document of a stream, with where it starts. */
export interface YamlDocument {
  /** Plain JSON-like value; null for an empty document. */
  value: unknown;
  /** 0-based position in the stream. */
  index: number;
  /** File and 1-based line where the document's content starts. */
  at: SourceLocation;
  /** Where the node at `path` (e.g. ['metadata', 'name']) is written; the document start if absent. */
  locate(path: readonly (string | number)[]): SourceLocation;
}

/**
 * Parses a multi-document YAML stream. A syntax error anywhere throws InputError naming
 * `file:line:column`, so nothing is half-read.
 */
export function parseYamlStream(text: string, file: string): YamlDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...parseOptions, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [];
  const at = (offset: number): SourceLocation => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) throw new InputError(`invalid YAML: ${firstLine(err.message)}`, at(err.pos[0]));
  }
  const out: YamlDocument[] = [];
  list.forEach((doc, index) => {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const docAt = at(start);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 }) ?? null;
    } catch (e) {
      throw new InputError(`invalid YAML: ${(e as Error).message}`, docAt);
    }
    out.push({
      value,
      index,
      at: docAt,
      locate: (path) => {
        const node = nodeAt(doc, path);
        return node?.range ? at(node.range[0]) : docAt;
      },
    });
  });
  return out;
}

function nodeAt(doc: Document, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = node as Node | undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return last;
      // Point at the key when the value is empty, so the line is still the field's.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else {
      return last;
    }
    if (node) last = node as Node;
  }
  return last;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
