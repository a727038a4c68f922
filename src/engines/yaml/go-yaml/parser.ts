/**
 * The YAML parser of go-yaml v2 (parserc.go, from libyaml): tokens in, events out. A state
 * machine with the same states, the same error texts and the same marks as the original.
 */
import { Scanner, YamlSyntaxError, type Mark, type ScalarStyle, type Token } from './scanner.js';

/** The event types of yamlh.go, without the yaml_ prefix and _EVENT suffix. */
export type EventType =
  | 'NO'
  | 'STREAM_START'
  | 'STREAM_END'
  | 'DOCUMENT_START'
  | 'DOCUMENT_END'
  | 'ALIAS'
  | 'SCALAR'
  | 'SEQUENCE_START'
  | 'SEQUENCE_END'
  | 'MAPPING_START'
  | 'MAPPING_END';

/** The names go-yaml prints for event types (yamlh.go eventStrings). */
export const EVENT_NAMES: Record<EventType, string> = {
  NO: 'none',
  STREAM_START: 'stream start',
  STREAM_END: 'stream end',
  DOCUMENT_START: 'document start',
  DOCUMENT_END: 'document end',
  ALIAS: 'alias',
  SCALAR: 'scalar',
  SEQUENCE_START: 'sequence start',
  SEQUENCE_END: 'sequence end',
  MAPPING_START: 'mapping start',
  MAPPING_END: 'mapping end',
};

/** A sequence's or mapping's style. */
export type CollectionStyle = 'any' | 'block' | 'flow';

/** A %TAG directive: handle ("!e!") and the prefix it stands for. */
export interface TagDirective {
  handle: string;
  prefix: string;
}

/** yaml_event_t: what the parser produces and the emitter consumes. */
export interface YamlEvent {
  type: EventType;
  start: Mark;
  end: Mark;
  /** Anchor (or alias target); '' when none. */
  anchor: string;
  /** Resolved tag; '' when none. */
  tag: string;
  value: string;
  /** Plain-implicit for scalars; implicit for collections and document markers. */
  implicit: boolean;
  quotedImplicit: boolean;
  scalarStyle: ScalarStyle;
  collectionStyle: CollectionStyle;
  versionDirective?: { major: number; minor: number };
  tagDirectives?: TagDirective[];
}

type State =
  | 'STREAM_START'
  | 'IMPLICIT_DOCUMENT_START'
  | 'DOCUMENT_START'
  | 'DOCUMENT_CONTENT'
  | 'DOCUMENT_END'
  | 'BLOCK_NODE'
  | 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE'
  | 'FLOW_NODE'
  | 'BLOCK_SEQUENCE_FIRST_ENTRY'
  | 'BLOCK_SEQUENCE_ENTRY'
  | 'INDENTLESS_SEQUENCE_ENTRY'
  | 'BLOCK_MAPPING_FIRST_KEY'
  | 'BLOCK_MAPPING_KEY'
  | 'BLOCK_MAPPING_VALUE'
  | 'FLOW_SEQUENCE_FIRST_ENTRY'
  | 'FLOW_SEQUENCE_ENTRY'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_END'
  | 'FLOW_MAPPING_FIRST_KEY'
  | 'FLOW_MAPPING_KEY'
  | 'FLOW_MAPPING_VALUE'
  | 'FLOW_MAPPING_EMPTY_VALUE'
  | 'END';

const DEFAULT_TAG_DIRECTIVES: TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

/** Builds an event with the given fields; everything else empty. */
export function makeEvent(type: EventType, start: Mark, end: Mark, fields: Partial<YamlEvent> = {}): YamlEvent {
  return {
    type,
    start,
    end,
    anchor: '',
    tag: '',
    value: '',
    implicit: false,
    quotedImplicit: false,
    scalarStyle: 'any',
    collectionStyle: 'any',
    ...fields,
  };
}

/** go-yaml's yaml_parser_t, parser half. */
export class Parser {
  private readonly scanner: Scanner;
  private state: State = 'STREAM_START';
  private states: State[] = [];
  private marks: Mark[] = [];
  private tagDirectives: TagDirective[] = [];

  constructor(input: string) {
    this.scanner = new Scanner(input);
  }

  /** The next event; after STREAM-END, an event of type NO (yaml_parser_parse). */
  parse(): YamlEvent {
    if (this.scanner.streamEndProduced || this.state === 'END') {
      return makeEvent('NO', { index: 0, line: 0, column: 0 }, { index: 0, line: 0, column: 0 });
    }
    return this.stateMachine();
  }

  private peek(): Token {
    return this.scanner.peekToken();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private error(problem: string, problemMark: Mark): never {
    throw new YamlSyntaxError('parser', problem, problemMark, '', { index: 0, line: 0, column: 0 });
  }

  private errorContext(context: string, contextMark: Mark, problem: string, problemMark: Mark): never {
    throw new YamlSyntaxError('parser', problem, problemMark, context, contextMark);
  }

  private stateMachine(): YamlEvent {
    switch (this.state) {
      case 'STREAM_START':
        return this.parseStreamStart();
      case 'IMPLICIT_DOCUMENT_START':
        return this.parseDocumentStart(true);
      case 'DOCUMENT_START':
        return this.parseDocumentStart(false);
      case 'DOCUMENT_CONTENT':
        return this.parseDocumentContent();
      case 'DOCUMENT_END':
        return this.parseDocumentEnd();
      case 'BLOCK_NODE':
        return this.parseNode(true, false);
      case 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE':
        return this.parseNode(true, true);
      case 'FLOW_NODE':
        return this.parseNode(false, false);
      case 'BLOCK_SEQUENCE_FIRST_ENTRY':
        return this.parseBlockSequenceEntry(true);
      case 'BLOCK_SEQUENCE_ENTRY':
        return this.parseBlockSequenceEntry(false);
      case 'INDENTLESS_SEQUENCE_ENTRY':
        return this.parseIndentlessSequenceEntry();
      case 'BLOCK_MAPPING_FIRST_KEY':
        return this.parseBlockMappingKey(true);
      case 'BLOCK_MAPPING_KEY':
        return this.parseBlockMappingKey(false);
      case 'BLOCK_MAPPING_VALUE':
        return this.parseBlockMappingValue();
      case 'FLOW_SEQUENCE_FIRST_ENTRY':
        return this.parseFlowSequenceEntry(true);
      case 'FLOW_SEQUENCE_ENTRY':
        return this.parseFlowSequenceEntry(false);
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY':
        return this.parseFlowSequenceEntryMappingKey();
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE':
        return this.parseFlowSequenceEntryMappingValue();
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_END':
        return this.parseFlowSequenceEntryMappingEnd();
      case 'FLOW_MAPPING_FIRST_KEY':
        return this.parseFlowMappingKey(true);
      case 'FLOW_MAPPING_KEY':
        return this.parseFlowMappingKey(false);
      case 'FLOW_MAPPING_VALUE':
        return this.parseFlowMappingValue(false);
      case 'FLOW_MAPPING_EMPTY_VALUE':
        return this.parseFlowMappingValue(true);
      case 'END':
        throw new Error('invalid parser state');
    }
  }

  private parseStreamStart(): YamlEvent {
    const token = this.peek();
    if (token.type !== 'STREAM_START') this.error('did not find expected <stream-start>', token.start);
    this.state = 'IMPLICIT_DOCUMENT_START';
    const event = makeEvent('STREAM_START', token.start, token.end);
    this.skip();
    return event;
  }

  private parseDocumentStart(implicit: boolean): YamlEvent {
    let token = this.peek();
    if (!implicit) {
      while (token.type === 'DOCUMENT_END') {
        this.skip();
        token = this.peek();
      }
    }
    if (
      implicit &&
      token.type !== 'VERSION_DIRECTIVE' &&
      token.type !== 'TAG_DIRECTIVE' &&
      token.type !== 'DOCUMENT_START' &&
      token.type !== 'STREAM_END'
    ) {
      this.processDirectives();
      this.states.push('DOCUMENT_END');
      this.state = 'BLOCK_NODE';
      return makeEvent('DOCUMENT_START', token.start, token.end);
    }
    if (token.type !== 'STREAM_END') {
      const start = token.start;
      const { version, tags } = this.processDirectives();
      token = this.peek();
      if (token.type !== 'DOCUMENT_START') this.error('did not find expected <document start>', token.start);
      this.states.push('DOCUMENT_END');
      this.state = 'DOCUMENT_CONTENT';
      const event = makeEvent('DOCUMENT_START', start, token.end, { versionDirective: version, tagDirectives: tags, implicit: false });
      this.skip();
      return event;
    }
    this.state = 'END';
    const event = makeEvent('STREAM_END', token.start, token.end);
    this.skip();
    return event;
  }

  private parseDocumentContent(): YamlEvent {
    const token = this.peek();
    if (
      token.type === 'VERSION_DIRECTIVE' ||
      token.type === 'TAG_DIRECTIVE' ||
      token.type === 'DOCUMENT_START' ||
      token.type === 'DOCUMENT_END' ||
      token.type === 'STREAM_END'
    ) {
      this.popState();
      return emptyScalar(token.start);
    }
    return this.parseNode(true, false);
  }

  private parseDocumentEnd(): YamlEvent {
    const token = this.peek();
    const start = token.start;
    let end = token.start;
    let implicit = true;
    if (token.type === 'DOCUMENT_END') {
      end = token.end;
      this.skip();
      implicit = false;
    }
    this.tagDirectives = [];
    this.state = 'DOCUMENT_START';
    return makeEvent('DOCUMENT_END', start, end, { implicit });
  }

  private parseNode(block: boolean, indentlessSequence: boolean): YamlEvent {
    let token = this.peek();
    if (token.type === 'ALIAS') {
      this.popState();
      const event = makeEvent('ALIAS', token.start, token.end, { anchor: token.value });
      this.skip();
      return event;
    }
    let start = token.start;
    let end = token.start;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let anchor = '';
    let tagMark = start;
    if (token.type === 'ANCHOR') {
      anchor = token.value;
      start = token.start;
      end = token.end;
      this.skip();
      token = this.peek();
      if (token.type === 'TAG') {
        tagToken = true;
        tagHandle = token.value;
        tagSuffix = token.suffix;
        tagMark = token.start;
        end = token.end;
        this.skip();
        token = this.peek();
      }
    } else if (token.type === 'TAG') {
      tagToken = true;
      tagHandle = token.value;
      tagSuffix = token.suffix;
      start = token.start;
      tagMark = token.start;
      end = token.end;
      this.skip();
      token = this.peek();
      if (token.type === 'ANCHOR') {
        anchor = token.value;
        end = token.end;
        this.skip();
        token = this.peek();
      }
    }

    let tag = '';
    if (tagToken) {
      if (tagHandle.length === 0) {
        tag = tagSuffix;
      } else {
        const directive = this.tagDirectives.find((d) => d.handle === tagHandle);
        if (directive) tag = directive.prefix + tagSuffix;
        if (tag.length === 0) this.errorContext('while parsing a node', start, 'found undefined tag handle', tagMark);
      }
    }

    const implicit = tag.length === 0;
    if (indentlessSequence && token.type === 'BLOCK_ENTRY') {
      end = token.end;
      this.state = 'INDENTLESS_SEQUENCE_ENTRY';
      return makeEvent('SEQUENCE_START', start, end, { anchor, tag, implicit, collectionStyle: 'block' });
    }
    if (token.type === 'SCALAR') {
      let plainImplicit = false;
      let quotedImplicit = false;
      end = token.end;
      if ((tag.length === 0 && token.style === 'plain') || tag === '!') {
        plainImplicit = true;
      } else if (tag.length === 0) {
        quotedImplicit = true;
      }
      this.popState();
      const event = makeEvent('SCALAR', start, end, {
        anchor,
        tag,
        value: token.value,
        implicit: plainImplicit,
        quotedImplicit,
        scalarStyle: token.style,
      });
      this.skip();
      return event;
    }
    if (token.type === 'FLOW_SEQUENCE_START') {
      end = token.end;
      this.state = 'FLOW_SEQUENCE_FIRST_ENTRY';
      return makeEvent('SEQUENCE_START', start, end, { anchor, tag, implicit, collectionStyle: 'flow' });
    }
    if (token.type === 'FLOW_MAPPING_START') {
      end = token.end;
      this.state = 'FLOW_MAPPING_FIRST_KEY';
      return makeEvent('MAPPING_START', start, end, { anchor, tag, implicit, collectionStyle: 'flow' });
    }
    if (block && token.type === 'BLOCK_SEQUENCE_START') {
      end = token.end;
      this.state = 'BLOCK_SEQUENCE_FIRST_ENTRY';
      return makeEvent('SEQUENCE_START', start, end, { anchor, tag, implicit, collectionStyle: 'block' });
    }
    if (block && token.type === 'BLOCK_MAPPING_START') {
      end = token.end;
      this.state = 'BLOCK_MAPPING_FIRST_KEY';
      return makeEvent('MAPPING_START', start, end, { anchor, tag, implicit, collectionStyle: 'block' });
    }
    if (anchor.length > 0 || tag.length > 0) {
      this.popState();
      return makeEvent('SCALAR', start, end, { anchor, tag, implicit, quotedImplicit: false, scalarStyle: 'plain' });
    }
    this.errorContext(block ? 'while parsing a block node' : 'while parsing a flow node', start, 'did not find expected node content', token.start);
  }

  private parseBlockSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let token = this.peek();
    if (token.type === 'BLOCK_ENTRY') {
      const mark = token.end;
      this.skip();
      token = this.peek();
      if (token.type !== 'BLOCK_ENTRY' && token.type !== 'BLOCK_END') {
        this.states.push('BLOCK_SEQUENCE_ENTRY');
        return this.parseNode(true, false);
      }
      this.state = 'BLOCK_SEQUENCE_ENTRY';
      return emptyScalar(mark);
    }
    if (token.type === 'BLOCK_END') {
      this.popState();
      this.marks.pop();
      const event = makeEvent('SEQUENCE_END', token.start, token.end);
      this.skip();
      return event;
    }
    const contextMark = this.marks.pop()!;
    this.errorContext('while parsing a block collection', contextMark, "did not find expected '-' indicator", token.start);
  }

  private parseIndentlessSequenceEntry(): YamlEvent {
    let token = this.peek();
    if (token.type === 'BLOCK_ENTRY') {
      const mark = token.end;
      this.skip();
      token = this.peek();
      if (token.type !== 'BLOCK_ENTRY' && token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK_END') {
        this.states.push('INDENTLESS_SEQUENCE_ENTRY');
        return this.parseNode(true, false);
      }
      this.state = 'INDENTLESS_SEQUENCE_ENTRY';
      return emptyScalar(mark);
    }
    this.popState();
    return makeEvent('SEQUENCE_END', token.start, token.start);
  }

  private parseBlockMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let token = this.peek();
    if (token.type === 'KEY') {
      const mark = token.end;
      this.skip();
      token = this.peek();
      if (token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK_END') {
        this.states.push('BLOCK_MAPPING_VALUE');
        return this.parseNode(true, true);
      }
      this.state = 'BLOCK_MAPPING_VALUE';
      return emptyScalar(mark);
    }
    if (token.type === 'BLOCK_END') {
      this.popState();
      this.marks.pop();
      const event = makeEvent('MAPPING_END', token.start, token.end);
      this.skip();
      return event;
    }
    const contextMark = this.marks.pop()!;
    this.errorContext('while parsing a block mapping', contextMark, 'did not find expected key', token.start);
  }

  private parseBlockMappingValue(): YamlEvent {
    let token = this.peek();
    if (token.type === 'VALUE') {
      const mark = token.end;
      this.skip();
      token = this.peek();
      if (token.type !== 'KEY' && token.type !== 'VALUE' && token.type !== 'BLOCK_END') {
        this.states.push('BLOCK_MAPPING_KEY');
        return this.parseNode(true, true);
      }
      this.state = 'BLOCK_MAPPING_KEY';
      return emptyScalar(mark);
    }
    this.state = 'BLOCK_MAPPING_KEY';
    return emptyScalar(token.start);
  }

  private parseFlowSequenceEntry(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let token = this.peek();
    if (token.type !== 'FLOW_SEQUENCE_END') {
      if (!first) {
        if (token.type === 'FLOW_ENTRY') {
          this.skip();
          token = this.peek();
        } else {
          const contextMark = this.marks.pop()!;
          this.errorContext('while parsing a flow sequence', contextMark, "did not find expected ',' or ']'", token.start);
        }
      }
      if (token.type === 'KEY') {
        this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY';
        const event = makeEvent('MAPPING_START', token.start, token.end, { implicit: true, collectionStyle: 'flow' });
        this.skip();
        return event;
      } else if (token.type !== 'FLOW_SEQUENCE_END') {
        this.states.push('FLOW_SEQUENCE_ENTRY');
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    const event = makeEvent('SEQUENCE_END', token.start, token.end);
    this.skip();
    return event;
  }

  private parseFlowSequenceEntryMappingKey(): YamlEvent {
    const token = this.peek();
    if (token.type !== 'VALUE' && token.type !== 'FLOW_ENTRY' && token.type !== 'FLOW_SEQUENCE_END') {
      this.states.push('FLOW_SEQUENCE_ENTRY_MAPPING_VALUE');
      return this.parseNode(false, false);
    }
    const mark = token.end;
    this.skip();
    this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE';
    return emptyScalar(mark);
  }

  private parseFlowSequenceEntryMappingValue(): YamlEvent {
    const token = this.peek();
    if (token.type === 'VALUE') {
      this.skip();
      const next = this.peek();
      if (next.type !== 'FLOW_ENTRY' && next.type !== 'FLOW_SEQUENCE_END') {
        this.states.push('FLOW_SEQUENCE_ENTRY_MAPPING_END');
        return this.parseNode(false, false);
      }
    }
    this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_END';
    // go-yaml uses the mark of the token it peeked first (the ':'), as it shadows `token`.
    return emptyScalar(token.start);
  }

  private parseFlowSequenceEntryMappingEnd(): YamlEvent {
    const token = this.peek();
    this.state = 'FLOW_SEQUENCE_ENTRY';
    return makeEvent('MAPPING_END', token.start, token.start);
  }

  private parseFlowMappingKey(first: boolean): YamlEvent {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    let token = this.peek();
    if (token.type !== 'FLOW_MAPPING_END') {
      if (!first) {
        if (token.type === 'FLOW_ENTRY') {
          this.skip();
          token = this.peek();
        } else {
          const contextMark = this.marks.pop()!;
          this.errorContext('while parsing a flow mapping', contextMark, "did not find expected ',' or '}'", token.start);
        }
      }
      if (token.type === 'KEY') {
        this.skip();
        token = this.peek();
        if (token.type !== 'VALUE' && token.type !== 'FLOW_ENTRY' && token.type !== 'FLOW_MAPPING_END') {
          this.states.push('FLOW_MAPPING_VALUE');
          return this.parseNode(false, false);
        }
        this.state = 'FLOW_MAPPING_VALUE';
        return emptyScalar(token.start);
      } else if (token.type !== 'FLOW_MAPPING_END') {
        this.states.push('FLOW_MAPPING_EMPTY_VALUE');
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    const event = makeEvent('MAPPING_END', token.start, token.end);
    this.skip();
    return event;
  }

  private parseFlowMappingValue(empty: boolean): YamlEvent {
    let token = this.peek();
    if (empty) {
      this.state = 'FLOW_MAPPING_KEY';
      return emptyScalar(token.start);
    }
    if (token.type === 'VALUE') {
      this.skip();
      token = this.peek();
      if (token.type !== 'FLOW_ENTRY' && token.type !== 'FLOW_MAPPING_END') {
        this.states.push('FLOW_MAPPING_KEY');
        return this.parseNode(false, false);
      }
    }
    this.state = 'FLOW_MAPPING_KEY';
    return emptyScalar(token.start);
  }

  private processDirectives(): { version?: { major: number; minor: number }; tags: TagDirective[] } {
    let version: { major: number; minor: number } | undefined;
    const tags: TagDirective[] = [];
    let token = this.peek();
    while (token.type === 'VERSION_DIRECTIVE' || token.type === 'TAG_DIRECTIVE') {
      if (token.type === 'VERSION_DIRECTIVE') {
        if (version) this.error('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) this.error('found incompatible YAML document', token.start);
        version = { major: token.major, minor: token.minor };
      } else {
        const value = { handle: token.value, prefix: token.prefix };
        this.appendTagDirective(value, false, token.start);
        tags.push(value);
      }
      this.skip();
      token = this.peek();
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(d, true, token.start);
    return { version, tags };
  }

  private appendTagDirective(value: TagDirective, allowDuplicates: boolean, mark: Mark): void {
    if (this.tagDirectives.some((d) => d.handle === value.handle)) {
      if (allowDuplicates) return;
      this.error('found duplicate %TAG directive', mark);
    }
    this.tagDirectives.push({ ...value });
  }
}

function emptyScalar(mark: Mark): YamlEvent {
  return makeEvent('SCALAR', mark, mark, { implicit: true, scalarStyle: 'plain' });
}
