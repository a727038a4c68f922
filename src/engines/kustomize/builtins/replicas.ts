/**
 * ReplicaCountTransformer (api/internal/builtins/ReplicaCountTransformer.go,
 * api/filters/replicacount): `replicas` entries, matched by current or previous name and
 * the replica field specs' gvks; an entry matching nothing is an error.
 */
import { KustomizeError } from '../errors.js';
import { applyFieldSpec, setEntry } from '../internal/fieldspec.js';
import { fsGvk } from '../internal/transformer-config.js';
import type { FieldSpec, ReplicaSpec } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import { gvkIsSelected, gvkString } from '../resid.js';
import type { Transformer } from './types.js';

export function replicaCountTransformer(replica: ReplicaSpec, fieldSpecs: readonly FieldSpec[], entry?: string): Transformer {
  return {
    id: 'ReplicaCountTransformer',
    entry,
    transform(m: ResMap) {
      let found = false;
      const name = replica.name ?? '';
      for (const fs of fieldSpecs) {
        const g = fsGvk(fs);
        const list = m.getMatchingResourcesByAnyId((id) => id.name === name && gvkIsSelected(id.gvk, g));
        if (list.length === 0) continue;
        found = true;
        for (const r of list) applyFieldSpec(r.obj, fs, setEntry('', replica.count ?? 0), { createKind: 'scalar', createTag: 'int' });
      }
      if (!found) {
        const gvks = fieldSpecs.map((fs) => gvkString(fsGvk(fs)));
        throw new KustomizeError(`resource with name ${name} does not match a config with the following GVK [${gvks.join(' ')}]`);
      }
    },
  };
}
