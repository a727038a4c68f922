/**
 * SortOrderTransformer (api/internal/builtins/SortOrderTransformer.go): `sortOptions`, and
 * the legacy order kustomize applies when there are none: kinds in kyaml's orderFirst list
 * first, orderLast last, the rest by group, version and kind, then by namespace and name.
 */
import { KustomizeError } from '../errors.js';
import type { SortOptionsSpec } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import { ORDER_FIRST, ORDER_LAST, gvkEquals, gvkString, typeOrders, type Gvk, type ResId } from '../resid.js';
import type { Resource } from '../resource.js';
import type { Transformer } from './types.js';

function legacyGvkSortString(g: Gvk): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

function legacyResIdSortString(id: ResId): string {
  return `${gvkString(id.gvk)}|${id.namespace || '~X'}|${id.name || '~N'}`;
}

function goLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The legacy comparator (legacyIDSorter.Less), as a sort comparator. */
export function legacyCompare(orders: Map<string, number>): (a: ResId, b: ResId) => number {
  return (a, b) => {
    if (!gvkEquals(a.gvk, b.gvk)) {
      const i = orders.get(a.gvk.kind) ?? 0;
      const j = orders.get(b.gvk.kind) ?? 0;
      if (i !== j) return i < j ? -1 : 1;
      if (a.gvk.kind === 'Namespace' && b.gvk.kind === 'Namespace' && (a.gvk.group === '' || b.gvk.group === '')) {
        return -goLess(legacyGvkSortString(a.gvk), legacyGvkSortString(b.gvk));
      }
      return goLess(legacyGvkSortString(a.gvk), legacyGvkSortString(b.gvk));
    }
    return goLess(legacyResIdSortString(a), legacyResIdSortString(b));
  };
}

export function sortOrderTransformer(options: SortOptionsSpec | undefined): Transformer {
  return {
    id: 'SortOrderTransformer',
    transform(m: ResMap) {
      const opts: SortOptionsSpec = options ?? { order: 'fifo' };
      let legacy = opts.legacySortOptions;
      if (opts.order === 'legacy' && !legacy) legacy = { orderFirst: [...ORDER_FIRST], orderLast: [...ORDER_LAST] };
      if (opts.order !== 'fifo' && opts.order !== 'legacy') throw new KustomizeError("the field 'sortOptions.order' must be one of [fifo, legacy]");
      if (opts.order === 'fifo' && opts.legacySortOptions) {
        throw new KustomizeError(`the field 'sortOptions.legacySortOptions' is set but the selected sort order is '${opts.order}', not 'legacy'`);
      }
      if (opts.order !== 'legacy') return;
      const cmp = legacyCompare(typeOrders(legacy?.orderFirst ?? [], legacy?.orderLast ?? []));
      const entries: { r: Resource; id: ResId }[] = m.resources().map((r) => ({ r, id: r.curId() }));
      entries.sort((a, b) => cmp(a.id, b.id));
      try {
        m.setAll(entries.map((e) => e.r));
      } catch (e) {
        throw (e as KustomizeError).wrap('SortOrderTransformer: Failed to append to resources');
      }
    },
  };
}
