import { setKey } from '../goyaml.js';

/**
 * JSON as santhosh-tekuri/jsonschema reads a schema (json.Decoder with UseNumber): numbers keep
 * their text (a json.Number), so `enum: [1.0]` prints as "1.0" in messages, and errors read
 * like encoding/json's.
 */

/** A JSON number as written (Go's json.Number). */
export class JsonNumber {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A JSON syntax error with encoding/json's message. */
export class JsonSyntaxError extends Error {}

function quoteChar(c: string): string {
  return c === "'" ? "'\\''" : `'${c}'`;
}

/** Parses one JSON document; trailing non-space text is an error ("invalid character after top-level value"). */
export function parseJsonWithNumbers(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (context: string): never => {
    if (i >= text.length) throw new JsonSyntaxError('unexpected EOF');
    throw new JsonSyntaxError(`invalid character ${quoteChar(text[i]!)} ${context}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        try {
          return JSON.parse(text.slice(start, i)) as string;
        } catch {
          i = start;
          return fail('in string escape code');
        }
      }
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c < ' ') fail('in string literal');
      i++;
    }
    return fail('in string literal');
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const key = str();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        setKey(obj, key, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('after array element');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
      if (!m || m[0] === '-') {
        i++;
        return fail('in numeric literal');
      }
      i += m[0].length;
      return new JsonNumber(m[0]);
    }
    for (const [lit, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return v;
      }
    }
    return fail('looking for beginning of value');
  };
  const doc = value();
  ws();
  if (i < text.length) throw new JsonSyntaxError('invalid character after top-level value');
  return doc;
}
