/**
 * go-yaml v2's Marshal (encode.go) for decoded values: maps in keyList order as block
 * mappings, slices as block sequences, and each scalar with the style encode.go asks for
 * (plain when it would read back as the same string, a literal block when it has a line
 * break, else double-quoted); the emitter may still override that style.
 */
import { Emitter } from './emitter.js';
import { makeEvent, type YamlEvent } from './parser.js';
import { isBase60Float, resolve, STR_TAG } from './resolve.js';
import type { Mark, ScalarStyle } from './scanner.js';
import { sortKeys } from './sorter.js';
import { formatFloatG } from '../../goruntime/index.js';
import { GoFloat, GoInt, GoUint, GoYamlMap, type GoYamlValue } from './values.js';

const NO_MARK: Mark = { index: 0, line: 0, column: 0 };

function scalarEvent(value: string, style: ScalarStyle): YamlEvent {
  return makeEvent('SCALAR', NO_MARK, NO_MARK, { value, implicit: true, quotedImplicit: true, scalarStyle: style });
}

function marshal(v: GoYamlValue, out: YamlEvent[]): void {
  if (v === null) {
    out.push(scalarEvent('null', 'plain'));
  } else if (typeof v === 'boolean') {
    out.push(scalarEvent(v ? 'true' : 'false', 'plain'));
  } else if (typeof v === 'string') {
    out.push(stringEvent(v));
  } else if (v instanceof GoInt || v instanceof GoUint) {
    out.push(scalarEvent(v.value.toString(), 'plain'));
  } else if (v instanceof GoFloat) {
    let s = formatFloatG(v.value);
    if (s === '+Inf') s = '.inf';
    else if (s === '-Inf') s = '-.inf';
    else if (s === 'NaN') s = '.nan';
    out.push(scalarEvent(s, 'plain'));
  } else if (Array.isArray(v)) {
    out.push(makeEvent('SEQUENCE_START', NO_MARK, NO_MARK, { implicit: true, collectionStyle: 'block' }));
    for (const item of v) marshal(item, out);
    out.push(makeEvent('SEQUENCE_END', NO_MARK, NO_MARK));
  } else if (v instanceof GoYamlMap) {
    out.push(makeEvent('MAPPING_START', NO_MARK, NO_MARK, { implicit: true, collectionStyle: 'block' }));
    for (const { key, value } of sortKeys(v.entries(), (e) => e.key)) {
      marshal(key, out);
      marshal(value, out);
    }
    out.push(makeEvent('MAPPING_END', NO_MARK, NO_MARK));
  }
}

/** encode.go stringv for an untagged string. */
function stringEvent(s: string): YamlEvent {
  const canUsePlain = resolve('', s).tag === STR_TAG && !isBase60Float(s);
  const style: ScalarStyle = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
  return scalarEvent(s, style);
}

/** yaml.Marshal(v) of go-yaml v2: one implicit document, text ending in a newline. */
export function marshalYaml(v: GoYamlValue): string {
  const events: YamlEvent[] = [makeEvent('STREAM_START', NO_MARK, NO_MARK), makeEvent('DOCUMENT_START', NO_MARK, NO_MARK, { implicit: true })];
  marshal(v, events);
  events.push(makeEvent('DOCUMENT_END', NO_MARK, NO_MARK, { implicit: true }));
  events.push(makeEvent('STREAM_END', NO_MARK, NO_MARK));
  return new Emitter().emit(events);
}
