import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../core/index.js';

/** An attribute/element tree: attributes under "@_name", text under "#text", children by tag. */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** Parses XML; a syntax error is an InputError at its file:line. */
export function parseXml(text: string, file: string): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InputError(`invalid XML: ${valid.err.msg}`, { file, line: valid.err.line, column: valid.err.col });
  return parser.parse(text) as XmlNode;
}

/** The child elements named `tag` (always an array). */
export function children(node: XmlNode | undefined, tag: string): XmlNode[] {
  const v = node?.[tag];
  if (!Array.isArray(v)) return [];
  return v.map((c) => (typeof c === 'object' && c !== null ? (c as XmlNode) : { '#text': String(c) }));
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[`@_${name}`];
  return v === undefined ? undefined : String(v);
}

export function numAttr(node: XmlNode | undefined, name: string): number | undefined {
  const v = attr(node, name);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function text(node: XmlNode | undefined): string {
  const v = node?.['#text'];
  return v === undefined ? '' : String(v);
}

/** The line (1-based) of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses JSON; a syntax error is an InputError at its file:line. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = (e as Error).message;
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    const line = lc ? Number(lc[1]) : pos ? lineAt(text, Number(pos[1])) : lineAt(text, text.length);
    const column = lc ? Number(lc[2]) : undefined;
    const reason = msg.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/, '');
    throw new InputError(`invalid JSON: ${reason}`, { file, line, column });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The first non-blank character of a text, skipping a BOM. */
export function firstChar(text: string): string {
  return text.replace(/^\uFEFF/, '').trimStart().charAt(0);
}
