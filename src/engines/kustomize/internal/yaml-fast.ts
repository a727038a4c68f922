/**
 * A fast path for reading a YAML document: the `yaml` library's CST (lexer and parser)
 * turned straight into values, skipping the Document it would compose. The walk mirrors
 * the library's composer (compose-doc, compose-node, resolve-props, resolve-block-map,
 * resolve-block-seq, resolve-flow-collection of yaml 2.x) and gives up on every place
 * where the composer would report an error, or on what this path does not handle (more
 * than one document, directives, unknown aliases). The caller then reads the text the
 * full way (yaml-read.ts), which also words the errors. Values follow yaml-read's yaml.v3
 * rules through the same hooks, so both paths give the same value for the same text.
 */
import { CST, Parser } from 'yaml';

/** Returned when the fast path does not handle the text. */
export const BAIL: unique symbol = Symbol('bail');

class Bail extends Error {}

const bail = (): never => {
  throw new Bail();
};

type Token = CST.Token;
type SourceToken = CST.SourceToken;

export interface FastHooks {
  /** yaml-read's scalar rules: the value of a scalar's text, style and long tag. */
  scalar(text: string, type: string, tag: string | undefined): unknown;
  /** Deep copy for aliases and merges. */
  copy(v: unknown): unknown;
  /** Defines a key on an object (guarding __proto__). */
  define(obj: Record<string, unknown>, key: string, value: unknown): void;
}

interface PropsOptions {
  flow?: string;
  indicator: string;
  next: Token | SourceToken | null | undefined;
  parentIndent: number;
  startOnNewline: boolean;
}

interface Props {
  comma: SourceToken | null;
  found: SourceToken | null;
  hasNewline: boolean;
  anchor: SourceToken | null;
  tag: SourceToken | null;
  newlineAfterProp: SourceToken | null;
  start: number;
  end: number;
}

/** compose/resolve-props.js, keeping only what decides errors and values. */
function resolveProps(tokens: readonly SourceToken[], { flow, indicator, next, parentIndent, startOnNewline }: PropsOptions, offset: number): Props {
  let atNewline = startOnNewline;
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let reqSpace = false;
  let tab: SourceToken | null = null;
  let anchor: SourceToken | null = null;
  let tag: SourceToken | null = null;
  let newlineAfterProp: SourceToken | null = null;
  let comma: SourceToken | null = null;
  let found: SourceToken | null = null;
  let start: number | null = null;
  for (const token of tokens) {
    if (reqSpace) {
      if (token.type !== 'space' && token.type !== 'newline' && token.type !== 'comma') bail();
      reqSpace = false;
    }
    if (tab) {
      if (atNewline && token.type !== 'comment' && token.type !== 'newline') bail();
      tab = null;
    }
    switch (token.type) {
      case 'space':
        if (!flow && (indicator !== 'doc-start' || next?.type !== 'flow-collection') && token.source.includes('\t')) tab = token;
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) bail();
        atNewline = false;
        break;
      case 'newline':
        atNewline = true;
        hasNewline = true;
        if (anchor || tag) newlineAfterProp = token;
        hasSpace = true;
        break;
      case 'anchor':
        if (anchor) bail();
        anchor = token;
        start ??= token.offset;
        atNewline = false;
        hasSpace = false;
        reqSpace = true;
        break;
      case 'tag':
        if (tag) bail();
        tag = token;
        start ??= token.offset;
        atNewline = false;
        hasSpace = false;
        reqSpace = true;
        break;
      case indicator:
        if (anchor || tag || found) bail();
        found = token;
        atNewline = indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
        hasSpace = false;
        break;
      case 'comma':
        if (flow) {
          if (comma) bail();
          comma = token;
          atNewline = false;
          hasSpace = false;
          break;
        }
        return bail();
      default:
        return bail();
    }
  }
  const last = tokens[tokens.length - 1];
  const end = last ? last.offset + last.source.length : offset;
  if (reqSpace && next && next.type !== 'space' && next.type !== 'newline' && next.type !== 'comma' && (next.type !== 'scalar' || next.source !== '')) bail();
  if (tab && ((atNewline && tab.indent <= parentIndent) || next?.type === 'block-map' || next?.type === 'block-seq')) bail();
  return { comma, found, hasNewline, anchor, tag, newlineAfterProp, start: start ?? end, end };
}

/** compose/resolve-end.js (errors only). */
function resolveEnd(end: readonly SourceToken[] | undefined, reqSpace: boolean): void {
  if (!end) return;
  let hasSpace = false;
  for (const token of end) {
    if (token.type === 'space' || token.type === 'newline') hasSpace = true;
    else if (token.type === 'comment') {
      if (reqSpace && !hasSpace) bail();
    } else bail();
  }
}

function containsNewline(key: Token | null | undefined): boolean {
  if (!key) return false;
  switch (key.type) {
    case 'alias':
    case 'scalar':
    case 'double-quoted-scalar':
    case 'single-quoted-scalar':
      return key.source.includes('\n') || !!key.end?.some((st) => st.type === 'newline');
    case 'flow-collection':
      for (const it of key.items) {
        if (it.start.some((st) => st.type === 'newline')) return true;
        if (it.sep?.some((st) => st.type === 'newline')) return true;
        if (containsNewline(it.key) || containsNewline(it.value)) return true;
      }
      return false;
    default:
      return true;
  }
}

const isBlock = (t: Token | null | undefined) => !!t && (t.type === 'block-map' || t.type === 'block-seq');

/** A key or value before it is defined on its map: its value and the text of a string key. */
interface Composed {
  value: unknown;
  /** For scalar keys: the text; undefined for other nodes. */
  keyText?: string;
  /** A plain `<<` without a tag. */
  merge?: boolean;
}

class FastComposer {
  private readonly anchors = new Map<string, unknown>();
  readonly duplicates: string[] = [];
  private lineStarts: number[] | undefined;

  constructor(
    private readonly text: string,
    private readonly hooks: FastHooks,
  ) {}

  private line(offset: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  doc(doc: CST.Document): unknown {
    const props = resolveProps(doc.start, { indicator: 'doc-start', next: doc.value ?? doc.end?.[0], parentIndent: 0, startOnNewline: true }, doc.offset);
    if (props.found && doc.value && isBlock(doc.value) && !props.hasNewline) bail();
    const v = doc.value ? this.node(doc.value, props) : this.empty(props);
    resolveEnd(doc.end, false);
    return v;
  }

  private tagOf(props: Props): string | undefined {
    const t = props.tag?.source;
    if (t === undefined) return undefined;
    if (t.startsWith('!!')) return `tag:yaml.org,2002:${t.slice(2)}`;
    if (t.startsWith('!<') && t.endsWith('>')) return t.slice(2, -1);
    if (t === '!' || /^![A-Za-z0-9-]*$/.test(t)) return t;
    return bail();
  }

  private anchor(props: Props, v: unknown): void {
    if (!props.anchor) return;
    const name = props.anchor.source.substring(1);
    if (name === '') bail();
    this.anchors.set(name, v);
  }

  private empty(props: Props): unknown {
    const v = this.hooks.scalar('', 'PLAIN', this.tagOf(props));
    this.anchor(props, v);
    return v;
  }

  node(token: Token, props: Props): unknown {
    return this.composeNode(token, props).value;
  }

  private composeNode(token: Token, props: Props): Composed {
    switch (token.type) {
      case 'alias': {
        if (props.anchor || props.tag) bail();
        const name = token.source.substring(1);
        if (name === '' || !this.anchors.has(name)) bail();
        resolveEnd(token.end, false);
        return { value: this.hooks.copy(this.anchors.get(name)) };
      }
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar': {
        let failed = false;
        const r = CST.resolveAsScalar(token, false, (_o, _c, _m) => {
          failed = true;
        });
        if (failed || !r || r.type === null) bail();
        let text = r!.value;
        if (token.type === 'block-scalar' && text.endsWith('\n')) {
          // yaml.v3: a block scalar that runs into the end of the text without a line break has none.
          const header = token.props[token.props.length - 1] as SourceToken | undefined;
          const end = (header ? header.offset + header.source.length : token.offset) + token.source.length;
          if (end >= this.text.length && !this.text.endsWith('\n')) text = text.slice(0, -1);
        }
        const value = this.hooks.scalar(text, r!.type!, this.tagOf(props));
        this.anchor(props, value);
        const plain = token.type === 'scalar';
        return { value, keyText: text, merge: plain && !props.tag && text === '<<' };
      }
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (token.type === 'block-seq') {
          const { anchor, tag, newlineAfterProp: nl } = props;
          const lastProp = anchor && tag ? (anchor.offset > tag.offset ? anchor : tag) : (anchor ?? tag);
          if (lastProp && (!nl || nl.offset < lastProp.offset)) bail();
        }
        if (props.tag) this.tagOf(props);
        const value = token.type === 'block-map' ? this.blockMap(token) : token.type === 'block-seq' ? this.blockSeq(token) : this.flow(token);
        this.anchor(props, value);
        return { value };
      }
      default:
        return bail();
    }
  }

  private define(out: Record<string, unknown>, seen: Map<string, number>, merges: Record<string, unknown>[][], keyToken: Token | null | undefined, key: Composed, value: unknown, offset: number): void {
    if (key.merge) {
      merges.push(this.mergeSources(value));
      return;
    }
    if (key.keyText === undefined) bail();
    const name = key.keyText!;
    const line = this.line(keyToken ? keyToken.offset : offset);
    const prev = seen.get(name);
    if (prev !== undefined) this.duplicates.push(`line ${line}: mapping key "${name}" already defined at line ${prev}`);
    seen.set(name, line);
    this.hooks.define(out, name, value);
  }

  private finish(out: Record<string, unknown>, merges: Record<string, unknown>[][]): Record<string, unknown> {
    if (merges.length === 0) return out;
    if (merges.length > 1) bail();
    const result: Record<string, unknown> = {};
    for (const src of merges.flat()) for (const [k, v] of Object.entries(src)) this.hooks.define(result, k, this.hooks.copy(v));
    for (const [k, v] of Object.entries(out)) this.hooks.define(result, k, v);
    return result;
  }

  private mergeSources(v: unknown): Record<string, unknown>[] {
    const isMap = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    if (isMap(v)) return [v];
    if (Array.isArray(v) && v.every(isMap)) return [...(v as Record<string, unknown>[])].reverse();
    return bail();
  }

  private keyNode(key: Token | null | undefined, props: Props, start: readonly SourceToken[]): Composed {
    if (key) return this.composeNode(key, props);
    if (start.length === 0 && !props.anchor && !props.tag) bail();
    const value = this.empty(props);
    return { value, keyText: '' };
  }

  /** compose/resolve-block-map.js */
  private blockMap(bm: CST.BlockMap): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    const merges: Record<string, unknown>[][] = [];
    let offset = bm.offset;
    for (const item of bm.items) {
      const { start, key, sep, value } = item;
      const keyProps = resolveProps(start, { indicator: 'explicit-key-ind', next: key ?? sep?.[0], parentIndent: bm.indent, startOnNewline: true }, offset);
      const implicitKey = !keyProps.found;
      if (implicitKey) {
        if (key) {
          if (key.type === 'block-seq') bail();
          else if ('indent' in key && key.indent !== bm.indent) bail();
        }
        if (!keyProps.anchor && !keyProps.tag && !sep) {
          offset = keyProps.end;
          continue;
        }
        if (keyProps.newlineAfterProp || containsNewline(key)) bail();
      } else if (keyProps.found?.indent !== bm.indent) bail();
      if (!implicitKey) bail(); // explicit `? key` entries: left to the full path
      const k = this.keyNode(key, keyProps, start);
      const valueProps = resolveProps(sep ?? [], { indicator: 'map-value-ind', next: value, parentIndent: bm.indent, startOnNewline: !key || key.type === 'block-scalar' }, offset);
      offset = valueProps.end;
      if (!valueProps.found) bail(); // an implicit key needs a value
      if (value?.type === 'block-map' && !valueProps.hasNewline) bail();
      const v = value ? this.node(value, valueProps) : this.empty(valueProps);
      this.define(out, seen, merges, key, k, v, keyProps.end);
    }
    return this.finish(out, merges);
  }

  /** compose/resolve-block-seq.js */
  private blockSeq(bs: CST.BlockSequence): unknown[] {
    const out: unknown[] = [];
    let offset = bs.offset;
    for (const { start, value } of bs.items) {
      const props = resolveProps(start, { indicator: 'seq-item-ind', next: value, parentIndent: bs.indent, startOnNewline: true }, offset);
      if (!props.found) {
        if (props.anchor || props.tag || value) bail();
        offset = props.end;
        continue;
      }
      out.push(value ? this.node(value, props) : this.empty(props));
      offset = props.end;
    }
    return out;
  }

  /** compose/resolve-flow-collection.js */
  private flow(fc: CST.FlowCollection): unknown {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const seq: unknown[] = [];
    const map: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    const merges: Record<string, unknown>[][] = [];
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
      const { start, key, sep, value } = fc.items[i]!;
      const props = resolveProps(start, { flow: fcName, indicator: 'explicit-key-ind', next: key ?? sep?.[0], parentIndent: fc.indent, startOnNewline: false }, offset);
      if (!props.found) {
        if (!props.anchor && !props.tag && !sep && !value) {
          if (i === 0 && props.comma) bail();
          else if (i < fc.items.length - 1) bail();
          offset = props.end;
          continue;
        }
      }
      if (i === 0) {
        if (props.comma) bail();
      } else if (!props.comma) bail();
      if (props.found) bail(); // explicit keys: left to the full path
      if (!isMap && !sep) {
        if (isBlock(value)) bail();
        seq.push(value ? this.node(value, props) : this.empty(props));
        offset = props.end;
        continue;
      }
      if (isBlock(key)) bail();
      const k = this.keyNode(key, props, start);
      const valueProps = resolveProps(sep ?? [], { flow: fcName, indicator: 'map-value-ind', next: value, parentIndent: fc.indent, startOnNewline: false }, offset);
      if (!valueProps.found && value) bail();
      if (isBlock(value)) bail();
      const v = value ? this.node(value, valueProps) : valueProps.found ? this.empty(valueProps) : null;
      if (isMap) this.define(map, seen, merges, key, k, v, props.end);
      else {
        // A `key: value` pair in a flow sequence is a one-entry map.
        const one: Record<string, unknown> = {};
        this.define(one, new Map(), [], key, k, v, props.end);
        seq.push(one);
      }
      offset = valueProps.end;
    }
    const expected = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    if (ce?.source !== expected) bail();
    if (ee.length > 0) resolveEnd(ee, false);
    return isMap ? this.finish(map, merges) : seq;
  }
}

/**
 * The first document of `text` as a value, null when there is none, or BAIL when the fast
 * path does not handle it. `duplicates` gets yaml.v3's repeated-key complaints.
 */
export function fastDecode(text: string, hooks: FastHooks, duplicates: string[]): unknown {
  try {
    let doc: CST.Document | undefined;
    for (const token of new Parser().parse(text)) {
      switch (token.type) {
        case 'document':
          if (doc) return BAIL;
          doc = token;
          break;
        case 'space':
        case 'comment':
        case 'newline':
          break;
        default:
          return BAIL;
      }
    }
    if (!doc) return null;
    const c = new FastComposer(text, hooks);
    const v = c.doc(doc);
    duplicates.push(...c.duplicates);
    return v;
  } catch (e) {
    if (e instanceof Bail) return BAIL;
    throw e;
  }
}
