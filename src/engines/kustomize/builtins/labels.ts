/**
 * LabelTransformer and AnnotationsTransformer (api/internal/builtins/LabelTransformer.go,
 * AnnotationsTransformer.go, api/filters/labels, api/filters/annotations): each key, in
 * sorted order, set as a string at every field spec, creating the maps where the spec says so.
 */
import { applyFieldSpecs, setEntry } from '../internal/fieldspec.js';
import type { FieldSpec } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import type { Transformer } from './types.js';

/** labels.Filter / annotations.Filter on one object. */
export function setMapEntries(obj: Record<string, unknown>, entries: Record<string, string>, fieldSpecs: readonly FieldSpec[]): void {
  for (const k of Object.keys(entries).sort()) {
    applyFieldSpecs(obj, fieldSpecs, setEntry(k, entries[k]!), { createKind: 'map', createTag: 'map' });
  }
}

function mapTransformer(id: string, entries: Record<string, string> | undefined, fieldSpecs: readonly FieldSpec[], entry?: string): Transformer {
  return {
    id,
    entry,
    transform(m: ResMap) {
      if (!entries || Object.keys(entries).length === 0) return;
      for (const r of m.resources()) setMapEntries(r.obj, entries, fieldSpecs);
    },
  };
}

export function labelTransformer(labels: Record<string, string> | undefined, fieldSpecs: readonly FieldSpec[], entry?: string): Transformer {
  return mapTransformer('LabelTransformer', labels, fieldSpecs, entry);
}

export function annotationsTransformer(annotations: Record<string, string> | undefined, fieldSpecs: readonly FieldSpec[]): Transformer {
  return mapTransformer('AnnotationsTransformer', annotations, fieldSpecs);
}
