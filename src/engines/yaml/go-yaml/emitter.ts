/**
 * The YAML emitter of go-yaml v2 (emitterc.go, from libyaml): events in, text out. The
 * parts that decide what Helm's toYaml prints are all here: scalar analysis and style
 * choice, plain/single/double-quoted/literal writers with their line folding at width 80,
 * the escapes of double-quoted scalars, block scalar indicators, indentation, and the
 * "simple key" limit of 128 bytes. Columns count characters, as libyaml's do.
 */
import type { ScalarStyle } from './scanner.js';
import { isAlpha } from './scanner.js';
import type { TagDirective, YamlEvent } from './parser.js';

type EmitState =
  | 'STREAM_START'
  | 'FIRST_DOCUMENT_START'
  | 'DOCUMENT_START'
  | 'DOCUMENT_CONTENT'
  | 'DOCUMENT_END'
  | 'FLOW_SEQUENCE_FIRST_ITEM'
  | 'FLOW_SEQUENCE_ITEM'
  | 'FLOW_MAPPING_FIRST_KEY'
  | 'FLOW_MAPPING_KEY'
  | 'FLOW_MAPPING_SIMPLE_VALUE'
  | 'FLOW_MAPPING_VALUE'
  | 'BLOCK_SEQUENCE_FIRST_ITEM'
  | 'BLOCK_SEQUENCE_ITEM'
  | 'BLOCK_MAPPING_FIRST_KEY'
  | 'BLOCK_MAPPING_KEY'
  | 'BLOCK_MAPPING_SIMPLE_VALUE'
  | 'BLOCK_MAPPING_VALUE'
  | 'END';

/** Thrown with the emitter's problem text. */
export class EmitterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmitterError';
  }
}

const LF = 0x0a;
const SP = 0x20;

const DEFAULT_TAG_DIRECTIVES: TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

function cpsOf(s: string): number[] {
  return Array.from(s, (c) => c.codePointAt(0)!);
}

function utf8Length(cps: number[]): number {
  let n = 0;
  for (const c of cps) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  return n;
}

/** yamlprivateh.go is_printable, which works on UTF-8 bytes: no tab, no C1, nothing above U+FFFF. */
function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}
function isBreak(c: number | undefined): boolean {
  return c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
}
function isSpace(c: number | undefined): boolean {
  return c === SP;
}
function isBlank(c: number | undefined): boolean {
  return c === SP || c === 0x09;
}
function isBlankZ(c: number | undefined): boolean {
  return isBlank(c) || isBreak(c) || c === 0;
}

interface ScalarData {
  value: number[];
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
  style: ScalarStyle;
}

/** Options of the emitter (go-yaml's Marshal uses the defaults). */
export interface EmitterOptions {
  /** @default 2 */
  indent?: number;
  /** @default 80 */
  width?: number;
  /**
   * Clear the open-ended flag before STREAM-END, as go-yaml's encoder.finish does, so no
   * "..." follows a last plain or keep-chomped scalar. @default true
   */
  finish?: boolean;
}

/** yaml_emitter_t: emits a complete list of events. */
export class Emitter {
  private out: string[] = [];
  private events: YamlEvent[] = [];
  private head = 0;

  private bestIndent: number;
  private bestWidth: number;
  private readonly unicode = true;
  private readonly canonical = false;

  private state: EmitState = 'STREAM_START';
  private states: EmitState[] = [];
  private indents: number[] = [];
  private tagDirectives: TagDirective[] = [];
  private indent = -1;
  private flowLevel = 0;

  private rootContext = false;
  private sequenceContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;

  private line = 0;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;

  private anchorData: { anchor: string; alias: boolean } | undefined;
  private tagData = { handle: '', suffix: '' };
  private scalarData: ScalarData = emptyScalarData();

  private readonly finish: boolean;

  constructor(options: EmitterOptions = {}) {
    this.bestIndent = options.indent ?? 2;
    this.bestWidth = options.width ?? 80;
    this.finish = options.finish ?? true;
  }

  /** Emits the events (a whole stream) and returns the text. */
  emit(events: YamlEvent[]): string {
    this.events = events;
    for (this.head = 0; this.head < events.length; this.head++) {
      const event = events[this.head]!;
      if (event.type === 'STREAM_END' && this.finish) this.openEnded = false;
      this.analyzeEvent(event);
      this.stateMachine(event);
    }
    return this.out.join('');
  }

  private error(problem: string): never {
    throw new EmitterError(problem);
  }

  // ---- writer ----

  private put(c: number): void {
    this.out.push(String.fromCodePoint(c));
    this.column++;
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
    this.line++;
  }

  private writeChar(c: number): void {
    this.out.push(String.fromCodePoint(c));
    this.column++;
  }

  private writeAll(s: string): void {
    for (const c of cpsOf(s)) this.writeChar(c);
  }

  private writeBreak(c: number): void {
    if (c === LF) {
      this.putBreak();
    } else {
      this.writeChar(c);
      this.column = 0;
      this.line++;
    }
  }

  // ---- state machine ----

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) {
      this.indent = flow ? this.bestIndent : 0;
    } else if (!indentless) {
      this.indent += this.bestIndent;
    }
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private stateMachine(event: YamlEvent): void {
    switch (this.state) {
      case 'STREAM_START':
        return this.emitStreamStart(event);
      case 'FIRST_DOCUMENT_START':
        return this.emitDocumentStart(event, true);
      case 'DOCUMENT_START':
        return this.emitDocumentStart(event, false);
      case 'DOCUMENT_CONTENT':
        return this.emitDocumentContent(event);
      case 'DOCUMENT_END':
        return this.emitDocumentEnd(event);
      case 'FLOW_SEQUENCE_FIRST_ITEM':
        return this.emitFlowSequenceItem(event, true);
      case 'FLOW_SEQUENCE_ITEM':
        return this.emitFlowSequenceItem(event, false);
      case 'FLOW_MAPPING_FIRST_KEY':
        return this.emitFlowMappingKey(event, true);
      case 'FLOW_MAPPING_KEY':
        return this.emitFlowMappingKey(event, false);
      case 'FLOW_MAPPING_SIMPLE_VALUE':
        return this.emitFlowMappingValue(event, true);
      case 'FLOW_MAPPING_VALUE':
        return this.emitFlowMappingValue(event, false);
      case 'BLOCK_SEQUENCE_FIRST_ITEM':
        return this.emitBlockSequenceItem(event, true);
      case 'BLOCK_SEQUENCE_ITEM':
        return this.emitBlockSequenceItem(event, false);
      case 'BLOCK_MAPPING_FIRST_KEY':
        return this.emitBlockMappingKey(event, true);
      case 'BLOCK_MAPPING_KEY':
        return this.emitBlockMappingKey(event, false);
      case 'BLOCK_MAPPING_SIMPLE_VALUE':
        return this.emitBlockMappingValue(event, true);
      case 'BLOCK_MAPPING_VALUE':
        return this.emitBlockMappingValue(event, false);
      case 'END':
        this.error('expected nothing after STREAM-END');
    }
  }

  private emitStreamStart(event: YamlEvent): void {
    if (event.type !== 'STREAM_START') this.error('expected STREAM-START');
    if (this.bestIndent < 2 || this.bestIndent > 9) this.bestIndent = 2;
    if (this.bestWidth >= 0 && this.bestWidth <= this.bestIndent * 2) this.bestWidth = 80;
    if (this.bestWidth < 0) this.bestWidth = 2 ** 31 - 1;
    this.indent = -1;
    this.line = 0;
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
    this.state = 'FIRST_DOCUMENT_START';
  }

  private emitDocumentStart(event: YamlEvent, first: boolean): void {
    if (event.type === 'DOCUMENT_START') {
      for (const d of event.tagDirectives ?? []) {
        this.analyzeTagDirective(d);
        this.appendTagDirective(d, false);
      }
      for (const d of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(d, true);
      let implicit = event.implicit;
      if (!first || this.canonical) implicit = false;
      const tagDirectives = event.tagDirectives ?? [];
      if (this.openEnded && (event.versionDirective || tagDirectives.length > 0)) {
        this.writeIndicator('...', true, false, false);
        this.writeIndent();
      }
      if (event.versionDirective) {
        implicit = false;
        this.writeIndicator('%YAML', true, false, false);
        this.writeIndicator('1.1', true, false, false);
        this.writeIndent();
      }
      if (tagDirectives.length > 0) {
        implicit = false;
        for (const d of tagDirectives) {
          this.writeIndicator('%TAG', true, false, false);
          this.writeTagHandle(d.handle);
          this.writeTagContent(d.prefix, true);
          this.writeIndent();
        }
      }
      if (!implicit) {
        this.writeIndent();
        this.writeIndicator('---', true, false, false);
      }
      this.state = 'DOCUMENT_CONTENT';
      return;
    }
    if (event.type === 'STREAM_END') {
      if (this.openEnded) {
        this.writeIndicator('...', true, false, false);
        this.writeIndent();
      }
      this.state = 'END';
      return;
    }
    this.error('expected DOCUMENT-START or STREAM-END');
  }

  private emitDocumentContent(event: YamlEvent): void {
    this.states.push('DOCUMENT_END');
    this.emitNode(event, true, false, false, false);
  }

  private emitDocumentEnd(event: YamlEvent): void {
    if (event.type !== 'DOCUMENT_END') this.error('expected DOCUMENT-END');
    this.writeIndent();
    if (!event.implicit) {
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
    this.state = 'DOCUMENT_START';
    this.tagDirectives = [];
  }

  private emitFlowSequenceItem(event: YamlEvent, first: boolean): void {
    if (first) {
      this.writeIndicator('[', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (event.type === 'SEQUENCE_END') {
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator(']', false, false, false);
      this.popState();
      return;
    }
    if (!first) this.writeIndicator(',', false, false, false);
    if (this.column > this.bestWidth) this.writeIndent();
    this.states.push('FLOW_SEQUENCE_ITEM');
    this.emitNode(event, false, true, false, false);
  }

  private emitFlowMappingKey(event: YamlEvent, first: boolean): void {
    if (first) {
      this.writeIndicator('{', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (event.type === 'MAPPING_END') {
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator('}', false, false, false);
      this.popState();
      return;
    }
    if (!first) this.writeIndicator(',', false, false, false);
    if (this.column > this.bestWidth) this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push('FLOW_MAPPING_SIMPLE_VALUE');
      this.emitNode(event, false, false, true, true);
      return;
    }
    this.writeIndicator('?', true, false, false);
    this.states.push('FLOW_MAPPING_VALUE');
    this.emitNode(event, false, false, true, false);
  }

  private emitFlowMappingValue(event: YamlEvent, simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      if (this.column > this.bestWidth) this.writeIndent();
      this.writeIndicator(':', true, false, false);
    }
    this.states.push('FLOW_MAPPING_KEY');
    this.emitNode(event, false, false, true, false);
  }

  private emitBlockSequenceItem(event: YamlEvent, first: boolean): void {
    if (first) this.increaseIndent(false, this.mappingContext && !this.indention);
    if (event.type === 'SEQUENCE_END') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.states.push('BLOCK_SEQUENCE_ITEM');
    this.emitNode(event, false, true, false, false);
  }

  private emitBlockMappingKey(event: YamlEvent, first: boolean): void {
    if (first) this.increaseIndent(false, false);
    if (event.type === 'MAPPING_END') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push('BLOCK_MAPPING_SIMPLE_VALUE');
      this.emitNode(event, false, false, true, true);
      return;
    }
    this.writeIndicator('?', true, false, true);
    this.states.push('BLOCK_MAPPING_VALUE');
    this.emitNode(event, false, false, true, false);
  }

  private emitBlockMappingValue(event: YamlEvent, simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      this.writeIndent();
      this.writeIndicator(':', true, false, true);
    }
    this.states.push('BLOCK_MAPPING_KEY');
    this.emitNode(event, false, false, true, false);
  }

  private emitNode(event: YamlEvent, root: boolean, sequence: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.sequenceContext = sequence;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    switch (event.type) {
      case 'ALIAS':
        this.processAnchor();
        this.popState();
        return;
      case 'SCALAR':
        return this.emitScalar(event);
      case 'SEQUENCE_START':
        this.processAnchor();
        this.processTag();
        this.state =
          this.flowLevel > 0 || event.collectionStyle === 'flow' || this.checkEmptySequence() ? 'FLOW_SEQUENCE_FIRST_ITEM' : 'BLOCK_SEQUENCE_FIRST_ITEM';
        return;
      case 'MAPPING_START':
        this.processAnchor();
        this.processTag();
        this.state =
          this.flowLevel > 0 || event.collectionStyle === 'flow' || this.checkEmptyMapping() ? 'FLOW_MAPPING_FIRST_KEY' : 'BLOCK_MAPPING_FIRST_KEY';
        return;
      default:
        this.error(`expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS, but got ${event.type}`);
    }
  }

  private emitScalar(event: YamlEvent): void {
    this.selectScalarStyle(event);
    this.processAnchor();
    this.processTag();
    this.increaseIndent(true, false);
    this.processScalar();
    this.popIndent();
    this.popState();
  }

  private checkEmptySequence(): boolean {
    return this.events[this.head]?.type === 'SEQUENCE_START' && this.events[this.head + 1]?.type === 'SEQUENCE_END';
  }

  private checkEmptyMapping(): boolean {
    return this.events[this.head]?.type === 'MAPPING_START' && this.events[this.head + 1]?.type === 'MAPPING_END';
  }

  /** A key fits on one line ("key: value") when short: at most 128 UTF-8 bytes. */
  private checkSimpleKey(): boolean {
    const event = this.events[this.head]!;
    let length = 0;
    const anchor = this.anchorData?.anchor.length ?? 0;
    const tag = utf8Length(cpsOf(this.tagData.handle)) + utf8Length(cpsOf(this.tagData.suffix));
    switch (event.type) {
      case 'ALIAS':
        length += anchor;
        break;
      case 'SCALAR':
        if (this.scalarData.multiline) return false;
        length += anchor + tag + utf8Length(this.scalarData.value);
        break;
      case 'SEQUENCE_START':
        if (!this.checkEmptySequence()) return false;
        length += anchor + tag;
        break;
      case 'MAPPING_START':
        if (!this.checkEmptyMapping()) return false;
        length += anchor + tag;
        break;
      default:
        return false;
    }
    return length <= 128;
  }

  private selectScalarStyle(event: YamlEvent): void {
    const noTag = this.tagData.handle.length === 0 && this.tagData.suffix.length === 0;
    if (noTag && !event.implicit && !event.quotedImplicit) this.error('neither tag nor implicit flags are specified');
    let style = event.scalarStyle;
    if (style === 'any') style = 'plain';
    if (this.simpleKeyContext && this.scalarData.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !this.scalarData.flowPlainAllowed) || (this.flowLevel === 0 && !this.scalarData.blockPlainAllowed)) {
        style = 'single';
      }
      if (this.scalarData.value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
      if (noTag && !event.implicit) style = 'single';
    }
    if (style === 'single' && !this.scalarData.singleQuotedAllowed) style = 'double';
    if (style === 'literal' || style === 'folded') {
      if (!this.scalarData.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext) style = 'double';
    }
    if (noTag && !event.quotedImplicit && style !== 'plain') this.tagData.handle = '!';
    this.scalarData.style = style;
  }

  private processAnchor(): void {
    if (!this.anchorData) return;
    this.writeIndicator(this.anchorData.alias ? '*' : '&', true, false, false);
    this.writeAll(this.anchorData.anchor);
    this.whitespace = false;
    this.indention = false;
  }

  private processTag(): void {
    const { handle, suffix } = this.tagData;
    if (handle.length === 0 && suffix.length === 0) return;
    if (handle.length > 0) {
      this.writeTagHandle(handle);
      if (suffix.length > 0) this.writeTagContent(suffix, false);
    } else {
      this.writeIndicator('!<', true, false, false);
      this.writeTagContent(suffix, false);
      this.writeIndicator('>', false, false, false);
    }
  }

  private processScalar(): void {
    const value = this.scalarData.value;
    switch (this.scalarData.style) {
      case 'plain':
        return this.writePlainScalar(value, !this.simpleKeyContext);
      case 'single':
        return this.writeSingleQuotedScalar(value, !this.simpleKeyContext);
      case 'double':
        return this.writeDoubleQuotedScalar(value, !this.simpleKeyContext);
      case 'literal':
        return this.writeLiteralScalar(value);
      case 'folded':
        return this.writeFoldedScalar(value);
      default:
        throw new Error('unknown scalar style');
    }
  }

  // ---- analysis ----

  private analyzeTagDirective(d: TagDirective): void {
    const handle = d.handle;
    if (handle.length === 0) this.error('tag handle must not be empty');
    if (handle[0] !== '!') this.error("tag handle must start with '!'");
    if (handle[handle.length - 1] !== '!') this.error("tag handle must end with '!'");
    for (const c of cpsOf(handle.slice(1, -1))) {
      if (!isAlpha(c)) this.error('tag handle must contain alphanumerical characters only');
    }
    if (d.prefix.length === 0) this.error('tag prefix must not be empty');
  }

  private appendTagDirective(d: TagDirective, allowDuplicates: boolean): void {
    if (this.tagDirectives.some((t) => t.handle === d.handle)) {
      if (allowDuplicates) return;
      this.error('duplicate %TAG directive');
    }
    this.tagDirectives.push({ ...d });
  }

  private analyzeAnchor(anchor: string, alias: boolean): void {
    if (anchor.length === 0) this.error(alias ? 'alias value must not be empty' : 'anchor value must not be empty');
    for (const c of cpsOf(anchor)) {
      if (!isAlpha(c)) {
        this.error(alias ? 'alias value must contain alphanumerical characters only' : 'anchor value must contain alphanumerical characters only');
      }
    }
    this.anchorData = { anchor, alias };
  }

  private analyzeTag(tag: string): void {
    if (tag.length === 0) this.error('tag value must not be empty');
    for (const d of this.tagDirectives) {
      if (tag.startsWith(d.prefix)) {
        this.tagData = { handle: d.handle, suffix: tag.slice(d.prefix.length) };
        return;
      }
    }
    this.tagData = { handle: '', suffix: tag };
  }

  private analyzeEvent(event: YamlEvent): void {
    this.anchorData = undefined;
    this.tagData = { handle: '', suffix: '' };
    this.scalarData = emptyScalarData();
    switch (event.type) {
      case 'ALIAS':
        this.analyzeAnchor(event.anchor, true);
        break;
      case 'SCALAR':
        if (event.anchor.length > 0) this.analyzeAnchor(event.anchor, false);
        if (event.tag.length > 0 && (this.canonical || (!event.implicit && !event.quotedImplicit))) this.analyzeTag(event.tag);
        this.analyzeScalar(cpsOf(event.value));
        break;
      case 'SEQUENCE_START':
      case 'MAPPING_START':
        if (event.anchor.length > 0) this.analyzeAnchor(event.anchor, false);
        if (event.tag.length > 0 && (this.canonical || !event.implicit)) this.analyzeTag(event.tag);
        break;
      default:
        break;
    }
  }

  private analyzeScalar(value: number[]): void {
    const data = this.scalarData;
    data.value = value;
    if (value.length === 0) {
      data.multiline = false;
      data.flowPlainAllowed = false;
      data.blockPlainAllowed = true;
      data.singleQuotedAllowed = true;
      data.blockAllowed = false;
      return;
    }
    let blockIndicators = false;
    let flowIndicators = false;
    let lineBreaks = false;
    let specialCharacters = false;
    let leadingSpace = false;
    let leadingBreak = false;
    let trailingSpace = false;
    let trailingBreak = false;
    let breakSpace = false;
    let spaceBreak = false;
    let previousSpace = false;
    let previousBreak = false;

    if (
      value.length >= 3 &&
      ((value[0] === 0x2d && value[1] === 0x2d && value[2] === 0x2d) || (value[0] === 0x2e && value[1] === 0x2e && value[2] === 0x2e))
    ) {
      blockIndicators = true;
      flowIndicators = true;
    }
    let precededByWhitespace = true;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      const followedByWhitespace = i + 1 >= value.length || isBlank(value[i + 1]);
      const s = String.fromCodePoint(c);
      if (i === 0) {
        if ('#,[]{}&*!|>\'"%@`'.includes(s)) {
          flowIndicators = true;
          blockIndicators = true;
        } else if (s === '?' || s === ':') {
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
        } else if (s === '-') {
          if (followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
        }
      } else if (',?[]{}'.includes(s)) {
        flowIndicators = true;
      } else if (s === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (s === '#') {
        if (precededByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }

      if (!isPrintable(c) || (c > 0x7f && !this.unicode)) specialCharacters = true;
      if (isSpace(c)) {
        if (i === 0) leadingSpace = true;
        if (i + 1 === value.length) trailingSpace = true;
        if (previousBreak) breakSpace = true;
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        if (i === 0) leadingBreak = true;
        if (i + 1 === value.length) trailingBreak = true;
        if (previousSpace) spaceBreak = true;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = isBlankZ(c);
    }

    data.multiline = lineBreaks;
    data.flowPlainAllowed = true;
    data.blockPlainAllowed = true;
    data.singleQuotedAllowed = true;
    data.blockAllowed = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      data.flowPlainAllowed = false;
      data.blockPlainAllowed = false;
    }
    if (trailingSpace) data.blockAllowed = false;
    if (breakSpace) {
      data.flowPlainAllowed = false;
      data.blockPlainAllowed = false;
      data.singleQuotedAllowed = false;
    }
    if (spaceBreak || specialCharacters) {
      data.flowPlainAllowed = false;
      data.blockPlainAllowed = false;
      data.singleQuotedAllowed = false;
      data.blockAllowed = false;
    }
    if (lineBreaks) {
      data.flowPlainAllowed = false;
      data.blockPlainAllowed = false;
    }
    if (flowIndicators) data.flowPlainAllowed = false;
    if (blockIndicators) data.blockPlainAllowed = false;
  }

  // ---- writers ----

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(SP);
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(SP);
    this.writeAll(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  private writeTagHandle(value: string): void {
    if (!this.whitespace) this.put(SP);
    this.writeAll(value);
    this.whitespace = false;
    this.indention = false;
  }

  private writeTagContent(value: string, needWhitespace: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(SP);
    for (const c of cpsOf(value)) {
      if (isAlpha(c) || ";/?:@&=+$,_.~*'()[]".includes(String.fromCodePoint(c))) {
        this.writeChar(c);
      } else {
        for (const octet of new TextEncoder().encode(String.fromCodePoint(c))) {
          this.put(0x25);
          this.put('0123456789ABCDEF'.charCodeAt(octet >> 4));
          this.put('0123456789ABCDEF'.charCodeAt(octet & 0x0f));
        }
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writePlainScalar(value: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(SP);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && !isSpace(value[i + 1])) {
          this.writeIndent();
        } else {
          this.writeChar(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === LF) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
    if (this.rootContext) this.openEnded = true;
  }

  private writeSingleQuotedScalar(value: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < value.length - 1 && !isSpace(value[i + 1])) {
          this.writeIndent();
        } else {
          this.writeChar(c);
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === LF) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put(0x27);
        this.writeChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuotedScalar(value: number[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    // is_bom in go-yaml looks at the first bytes of the value, not at position i: a value
    // that starts with a BOM has every character escaped.
    const bom = value[0] === 0xfeff;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (!isPrintable(c) || (!this.unicode && c > 0x7f) || bom || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put(0x5c);
        const simple = DOUBLE_QUOTED_ESCAPES.get(c);
        if (simple !== undefined) {
          this.put(simple.charCodeAt(0));
        } else {
          let w: number;
          if (c <= 0xff) {
            this.put(0x78);
            w = 2;
          } else if (c <= 0xffff) {
            this.put(0x75);
            w = 4;
          } else {
            this.put(0x55);
            w = 8;
          }
          const hex = c.toString(16).toUpperCase().padStart(w, '0');
          for (const h of hex) this.put(h.charCodeAt(0));
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (isSpace(value[i + 1])) this.put(0x5c);
        } else {
          this.writeChar(c);
        }
        spaces = true;
      } else {
        this.writeChar(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeBlockScalarHints(value: number[]): void {
    if (isSpace(value[0]) || isBreak(value[0])) {
      this.writeIndicator(String(this.bestIndent), false, false, false);
    }
    this.openEnded = false;
    let chompHint = '';
    if (value.length === 0) {
      chompHint = '-';
    } else {
      const i = value.length - 1;
      if (!isBreak(value[i])) {
        chompHint = '-';
      } else if (i === 0) {
        chompHint = '+';
        this.openEnded = true;
      } else if (isBreak(value[i - 1])) {
        chompHint = '+';
        this.openEnded = true;
      }
    }
    if (chompHint) this.writeIndicator(chompHint, false, false, false);
  }

  private writeLiteralScalar(value: number[]): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of value) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeChar(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private writeFoldedScalar(value: number[]): void {
    this.writeIndicator('>', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    let leadingSpaces = true;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isBreak(c)) {
        if (!breaks && !leadingSpaces && c === LF) {
          // go-yaml scans from the start of the value here (k := 0), not from i.
          let k = 0;
          while (isBreak(value[k])) k++;
          if (!isBlankZ(value[k] ?? 0)) this.putBreak();
        }
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          leadingSpaces = isBlank(c);
        }
        if (!breaks && isSpace(c) && !isSpace(value[i + 1]) && this.column > this.bestWidth) {
          this.writeIndent();
        } else {
          this.writeChar(c);
        }
        this.indention = false;
        breaks = false;
      }
    }
  }
}

const DOUBLE_QUOTED_ESCAPES = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

function emptyScalarData(): ScalarData {
  return {
    value: [],
    multiline: false,
    flowPlainAllowed: false,
    blockPlainAllowed: false,
    singleQuotedAllowed: false,
    blockAllowed: false,
    style: 'any',
  };
}
