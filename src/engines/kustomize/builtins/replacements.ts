/**
 * ReplacementTransformer (api/internal/builtins/ReplacementTransformer.go,
 * api/filters/replacement): `replacements`, inline or from files. A source value (a field
 * of one selected resource, or a literal) is copied into target fields chosen by
 * select/reject selectors and dotted field paths, with the delimiter/index and create
 * options. A scalar target keeps its YAML tag, as in kustomize: the value's text is put in.
 */
import { KustomizeError, asKustomizeError } from '../errors.js';
import { goJsonString } from '../../yaml/index.js';
import { Ref, rootRef } from '../internal/fieldspec.js';
import { CREATED_SCALAR, lookupRef, pathMatch, smarterPathSplitter } from '../internal/paths.js';
import { isScalar, type Document } from 'yaml';
import { isPlainObject, parseYamlDocument, resolvePlain } from '../internal/yaml-read.js';
import { REPLACEMENT_TYPE, decodeGo, sliceOf, yamlToJsonable, type ReplacementFieldSpec, type ReplacementSpec, type SelectorSpec, type SourceSelectorSpec, type TargetSelectorSpec } from '../kustomization.js';
import { SelectorRegex, matchesSelectors, type ResMap } from '../resmap.js';
import { resIdIsSelectedBy, resIdString, parseGroupVersion, type ResId } from '../resid.js';
import { deepCopyValue, scalarText, type Resource } from '../resource.js';
import { configError } from './patches.js';
import type { BuiltinContext, Transformer } from './types.js';

interface SourceValue {
  /** The node copied when a target is a map or a list. */
  node: unknown;
  /** The scalar text put into scalar targets. */
  text: string;
}

function specResId(s: SelectorSpec | SourceSelectorSpec | undefined): ResId {
  return {
    gvk: { group: s?.group ?? '', version: s?.version ?? '', kind: s?.kind ?? '' },
    name: s?.name ?? '',
    namespace: s?.namespace ?? '',
  };
}

/** FieldOptions.String(). */
function optionsString(o: SourceSelectorSpec['options']): string {
  if (!o || (!o.delimiter && !o.create)) return '';
  return `${o.delimiter ?? ''}(${o.index ?? 0}), create=${o.create ? 'true' : 'false'}`;
}

/** SourceSelector.String(). */
function sourceString(s: SourceSelectorSpec): string {
  const parts = [resIdString(specResId(s))];
  if (s.fieldPath) parts.push(s.fieldPath);
  const o = optionsString(s.options);
  if (o) parts.push(o);
  return parts.join(':');
}

/** utils.MakeResIds: the current id (no cluster scope) and the previous ones. */
function makeResIds(r: Resource): ResId[] {
  const { group, version } = parseGroupVersion(r.apiVersion);
  return [{ gvk: { group, version, kind: r.kind }, name: r.name, namespace: r.namespace }, ...r.prevIds()];
}

/**
 * The value a scalar gets when only its text changes (kyaml keeps the node's tag): a
 * string stays a string, a number, boolean or null must read as one.
 */
export function retag(old: unknown, text: string): unknown {
  if (old === CREATED_SCALAR || old === undefined) return resolvePlain(text);
  if (typeof old === 'string') return text;
  const tag = old === null ? 'null' : typeof old === 'boolean' ? 'bool' : typeof old === 'number' && !Number.isInteger(old) ? 'float' : 'int';
  try {
    const v = resolvePlain(text, tag === 'int' && /\./.test(text) ? 'float' : tag);
    return v;
  } catch (e) {
    throw new KustomizeError(`map[string]interface {}(nil): ${(e as Error).message}`);
  }
}

function getReplacement(list: readonly Resource[], r: ReplacementSpec): SourceValue {
  if (r.sourceValue !== undefined && r.source !== undefined) throw new KustomizeError('value and resource selectors are mutually exclusive');
  if (r.sourceValue !== undefined) return { node: resolvePlain(r.sourceValue), text: r.sourceValue };
  const sel = r.source!;
  const selId = specResId(sel);
  let match: Resource | undefined;
  for (const res of list) {
    if (makeResIds(res).some((id) => resIdIsSelectedBy(id, selId))) {
      if (match) throw new KustomizeError(`multiple matches for selector ${sourceString(sel)}`);
      match = res;
    }
  }
  if (!match) throw new KustomizeError(`nothing selected by ${sourceString(sel)}`);
  const fieldPath = sel.fieldPath || 'metadata.name';
  let ref: Ref | undefined;
  try {
    ref = lookupRef(rootRef(match.obj), smarterPathSplitter(fieldPath, '.'));
  } catch (e) {
    throw new KustomizeError(`error looking up replacement source: ${asKustomizeError(e).kustomizeMessage}`);
  }
  const v = ref?.get();
  const empty = v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
  if (empty) throw new KustomizeError(`fieldPath \`${fieldPath}\` is missing for replacement source ${resIdString(selId)}`);
  const opts = sel.options;
  if (!opts?.delimiter) return { node: deepCopyValue(v), text: scalarText(v) };
  if (Array.isArray(v) || isPlainObject(v)) throw new KustomizeError('delimiter option can only be used with scalar nodes');
  const parts = scalarText(v).split(opts.delimiter);
  const index = opts.index ?? 0;
  if (index >= parts.length || index < 0) throw new KustomizeError(`options.index ${index} is out of bounds for value ${scalarText(v)}`);
  const part = parts[index]!;
  return { node: retag(v, part), text: part };
}

function setFieldValue(options: TargetSelectorSpec['options'], target: Ref, value: SourceValue): void {
  const old = target.get();
  let text = value.text;
  const isScalar = !Array.isArray(old) && !isPlainObject(old);
  if (options?.delimiter) {
    if (!isScalar) throw new KustomizeError('delimiter option can only be used with scalar nodes');
    const tv = (old === CREATED_SCALAR ? '' : scalarText(old)).split(options.delimiter);
    const index = options.index ?? 0;
    if (index < 0) tv.unshift(value.text);
    else if (index >= tv.length) tv.push(value.text);
    else tv[index] = value.text;
    text = tv.join(options.delimiter);
  }
  if (isScalar) target.set(retag(old, text));
  else target.set(options?.delimiter ? resolvePlain(text) : deepCopyValue(value.node));
}

/** setValueInStructuredData: a path that runs into a scalar holding YAML or JSON is followed inside it. */
function setInStructuredData(obj: Record<string, unknown>, value: SourceValue, fieldPath: string, create: boolean): boolean {
  const parts = smarterPathSplitter(fieldPath, '.');
  if (parts.length < 2) return false;
  for (let i = 1; i < parts.length; i++) {
    let ref: Ref | undefined;
    try {
      ref = lookupRef(rootRef(obj), parts.slice(0, i));
    } catch {
      continue;
    }
    const v = ref?.get();
    if (ref === undefined || v === undefined || v === null || Array.isArray(v) || isPlainObject(v)) continue;
    const original = scalarText(v);
    let parsed: { doc: Document; value: unknown };
    try {
      parsed = parseYamlDocument(original);
    } catch {
      continue;
    }
    const holder = { doc: parsed.value };
    let targets: Ref[];
    try {
      targets = pathMatch(new Ref(holder, 'doc'), parts.slice(i), create ? nodeKindOf(value.node) : undefined);
    } catch {
      return false;
    }
    if (targets.length === 0) return false;
    const doc = parsed.doc;
    for (const t of targets) {
      const old = t.get();
      const keys = t.path;
      if (!Array.isArray(old) && !isPlainObject(old)) {
        const next = retag(old, value.text);
        t.set(next);
        // yaml.v3 changes only the scalar's text: its style and comments stay.
        const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
        if (isScalar(node)) node.value = scalarText(next);
        else if (keys.length === 0) doc.contents = doc.createNode(next) as never;
        else doc.setIn(keys, doc.createNode(next));
      } else {
        const copy = deepCopyValue(value.node);
        t.set(copy);
        if (keys.length === 0) doc.contents = doc.createNode(copy) as never;
        else doc.setIn(keys, doc.createNode(copy));
      }
    }
    const first = original.trim()[0];
    ref.set(first === '{' || first === '[' ? serializeJson(holder.doc, original) : doc.toString({ indent: 2, indentSeq: false, lineWidth: 0 }).trim());
    return true;
  }
  return false;
}

function serializeJson(v: unknown, original: string): string {
  const pretty = original.includes('\n') && original.includes('  ');
  return goJson(v, pretty ? '' : undefined);
}

/** encoding/json Marshal (or MarshalIndent with two spaces) of a decoded YAML value. */
function goJson(v: unknown, indent: string | undefined): string {
  const nl = indent === undefined ? '' : `\n${indent}`;
  const inner = indent === undefined ? undefined : `${indent}  `;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => goJson(x, inner));
    return indent === undefined ? `[${items.join(',')}]` : `[\n${inner}${items.join(`,\n${inner}`)}${nl}]`;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  if (keys.length === 0) return '{}';
  const items = keys.map((k) => `${goJsonString(k)}:${indent === undefined ? '' : ' '}${goJson(obj[k], inner)}`);
  return indent === undefined ? `{${items.join(',')}}` : `{\n${inner}${items.join(`,\n${inner}`)}${nl}}`;
}

function nodeKindOf(v: unknown): 'scalar' | 'map' | 'seq' {
  return Array.isArray(v) ? 'seq' : isPlainObject(v) ? 'map' : 'scalar';
}

function copyValueToTarget(r: Resource, value: SourceValue, selector: TargetSelectorSpec): void {
  const create = !!selector.options?.create;
  for (const fp of selector.fieldPaths ?? []) {
    if (setInStructuredData(r.obj, value, fp, create)) continue;
    const retrieval = create ? `unable to find or create field ${JSON.stringify(fp)} in replacement target` : `unable to find field ${JSON.stringify(fp)} in replacement target`;
    let targets: Ref[];
    try {
      targets = pathMatch(rootRef(r.obj), smarterPathSplitter(fp, '.'), create ? nodeKindOf(value.node) : undefined);
    } catch (e) {
      throw asKustomizeError(e).wrap(retrieval);
    }
    if (targets.length === 0) throw new KustomizeError(retrieval);
    for (const t of targets) setFieldValue(selector.options, t, value);
  }
}

function applyReplacement(list: readonly Resource[], value: SourceValue, targets: readonly TargetSelectorSpec[]): void {
  for (const selector of targets) {
    if (!selector.select) throw new KustomizeError('target must specify resources to select');
    const fieldPaths = selector.fieldPaths && selector.fieldPaths.length > 0 ? selector.fieldPaths : ['metadata.name'];
    const sel = { ...selector, fieldPaths };
    const selectRegex = new SelectorRegex(selector.select);
    const rejects = (selector.reject ?? []).filter((r): r is SelectorSpec => !!r);
    const rejectRegexes = rejects
      .filter((r) => [r.group, r.version, r.kind, r.name, r.namespace].some((x) => !!x))
      .map((r) => new SelectorRegex(r));
    for (const res of list) {
      const ids = makeResIds(res);
      if (!matchesSelectors(res, selector.select.labelSelector, selector.select.annotationSelector)) continue;
      let rejected = false;
      for (const rj of rejects) {
        if (!rj.annotationSelector && !rj.labelSelector) continue;
        if (matchesSelectors(res, rj.labelSelector, rj.annotationSelector)) rejected = true;
      }
      if (rejected) continue;
      if (rejectRegexes.some((rr) => ids.some((id) => rr.matchGvk(id.gvk) && rr.matchName(id.name) && rr.matchNamespace(id.namespace)))) continue;
      if (ids.some((id) => selectRegex.matchGvk(id.gvk) && selectRegex.matchName(id.name) && selectRegex.matchNamespace(id.namespace))) {
        copyValueToTarget(res, value, sel);
      }
    }
  }
}

/** The ReplacementTransformer builtin for the `replacements` list. */
export function replacementTransformer(fields: readonly ReplacementFieldSpec[], ctx: BuiltinContext): Transformer {
  const replacements: ReplacementSpec[] = [];
  try {
    for (const r of fields) {
      if (r.path && (r.source !== undefined || (r.targets?.length ?? 0) !== 0)) throw new KustomizeError('cannot specify both path and inline replacement');
      if (r.path) {
        const json = yamlToJsonable(ctx.ldr.load(r.path));
        if (Array.isArray(json)) {
          replacements.push(...((decodeGo(json, sliceOf(REPLACEMENT_TYPE), { disallowUnknownFields: false, coerceStrings: true }) as ReplacementSpec[] | undefined) ?? []));
        } else if (json instanceof Map) {
          replacements.push((decodeGo(json, REPLACEMENT_TYPE, { disallowUnknownFields: false, coerceStrings: true }) as ReplacementSpec | undefined) ?? {});
        } else {
          const kind = json === null ? 'invalid' : typeof json === 'string' ? 'string' : typeof json === 'boolean' ? 'bool' : 'int';
          throw new KustomizeError(`unsupported replacement type encountered within replacement path: ${kind}`);
        }
      } else {
        replacements.push({ source: r.source, targets: r.targets, sourceValue: r.sourceValue });
      }
    }
  } catch (e) {
    throw configError(e, 'ReplacementTransformer', { replacements: fields });
  }
  return {
    id: 'ReplacementTransformer',
    entry: 'replacements',
    transform(m: ResMap) {
      const list = m.resources();
      replacements.forEach((r, i) => {
        try {
          if ((r.sourceValue === undefined && r.source === undefined) || r.targets === undefined) {
            throw new KustomizeError('replacements must specify a source and at least one target');
          }
          const value = getReplacement(list, r);
          applyReplacement(list, value, r.targets.filter((t): t is TargetSelectorSpec => !!t));
        } catch (e) {
          throw asKustomizeError(e).withEntry(`replacements[${i}]`);
        }
      });
      m.invalidate();
    },
  };
}

