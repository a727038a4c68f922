/**
 * PrefixTransformer and SuffixTransformer (api/internal/builtins/PrefixTransformer.go,
 * SuffixTransformer.go, api/filters/prefix, api/filters/suffix): `namePrefix` and
 * `nameSuffix` on the name field specs, skipping CRDs, APIServices and Namespaces, with the
 * old id and the prefix or suffix recorded for name references.
 */
import { applyFieldSpec } from '../internal/fieldspec.js';
import type { FieldSpec } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import { gvkIsSelected, type Gvk } from '../resid.js';
import { scalarText, untaggedScalar } from '../resource.js';
import { fsGvk } from '../internal/transformer-config.js';
import { KustomizeError } from '../errors.js';
import type { Transformer } from './types.js';

const SKIP: Gvk[] = [
  { group: '', version: '', kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', version: '', kind: 'APIService' },
  { group: '', version: '', kind: 'Namespace' },
];

function affix(kind: 'prefix' | 'suffix', value: string, fieldSpecs: readonly FieldSpec[]): Transformer {
  return {
    id: kind === 'prefix' ? 'PrefixTransformer' : 'SuffixTransformer',
    transform(m: ResMap) {
      for (const r of m.resources()) {
        const org = r.orgId();
        if (SKIP.some((g) => gvkIsSelected(org.gvk, g))) continue;
        for (const fs of fieldSpecs) {
          if (!gvkIsSelected(r.orgId().gvk, fsGvk(fs))) continue;
          if (fs.path === 'metadata/name') {
            if (kind === 'prefix') r.addNamePrefix(value);
            else r.addNameSuffix(value);
            if (value !== '') r.storePreviousId();
          }
          applyFieldSpec(
            r.obj,
            fs,
            (ref) => {
              const old = ref.get();
              if (Array.isArray(old) || (typeof old === 'object' && old !== null)) {
                throw new KustomizeError(`wrong node kind: expected ScalarNode`);
              }
              const text = scalarText(old);
              ref.set(untaggedScalar(old, kind === 'prefix' ? `${value}${text}` : `${text}${value}`));
            },
            { createKind: 'scalar', createTag: 'str' },
          );
        }
      }
      m.invalidate();
    },
  };
}

export function prefixTransformer(prefix: string, fieldSpecs: readonly FieldSpec[]): Transformer {
  return affix('prefix', prefix, fieldSpecs);
}

export function suffixTransformer(suffix: string, fieldSpecs: readonly FieldSpec[]): Transformer {
  return affix('suffix', suffix, fieldSpecs);
}
