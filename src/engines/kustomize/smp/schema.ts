import { PATCH_SCHEMA_TABLE } from './patch-schema.generated.js';

/**
 * One schema in the compact table: a definition name (a `$ref`), or an inline schema with
 * - `s`: x-kubernetes-patch-strategy ("merge", "merge,retainKeys", "retainKeys" …),
 * - `k`: the merge keys, as kyaml's ResourceSchema.PatchStrategyAndKeyList gives them,
 * - `i`: the items schema (only for `type: [array]`), `a`: additionalProperties, `p`: properties.
 * Parts that cannot change a merge are left out (see scripts/gen-patch-schema.ts).
 */
export type SchemaDesc = string | SchemaObject;

/** An inline schema of the compact table; see {@link SchemaDesc}. */
export interface SchemaObject {
  s?: string;
  k?: string[];
  i?: SchemaDesc;
  a?: SchemaDesc;
  p?: Record<string, SchemaDesc>;
}

/** The generated table: where it came from, "apiVersion/Kind" -> definition, and the definitions. */
export interface PatchSchemaTable {
  source: string;
  gvk: Record<string, string>;
  defs: Record<string, SchemaObject>;
}

const cache = new WeakMap<SchemaObject, PatchSchema>();

/**
 * Strategic-merge metadata for one node of a resource, the part of kyaml's
 * openapi.ResourceSchema that merge2 reads (openapi.go Field, Elements, PatchStrategyAndKeyList).
 */
export class PatchSchema {
  private constructor(private readonly desc: SchemaObject) {}

  /** @internal */
  static of(desc: SchemaDesc | undefined, table: PatchSchemaTable = PATCH_SCHEMA_TABLE): PatchSchema | undefined {
    if (desc === undefined) return undefined;
    const obj = typeof desc === 'string' ? table.defs[desc] : desc;
    if (obj === undefined) return undefined;
    let s = cache.get(obj);
    if (!s) {
      s = new PatchSchema(obj);
      cache.set(obj, s);
    }
    return s;
  }

  /** Schema of a field: a property, else the map's value schema (ResourceSchema.Field). */
  field(name: string): PatchSchema | undefined {
    const p = this.desc.p;
    if (p && Object.hasOwn(p, name)) return PatchSchema.of(p[name]);
    return PatchSchema.of(this.desc.a);
  }

  /** Schema of a list's elements (ResourceSchema.Elements). */
  elements(): PatchSchema | undefined {
    return PatchSchema.of(this.desc.i);
  }

  /** x-kubernetes-patch-strategy, "" when absent. */
  get strategy(): string {
    return this.desc.s ?? '';
  }

  /** The merge keys (ResourceSchema.PatchStrategyAndKeyList); empty for a list of primitives. */
  get keys(): readonly string[] {
    return this.desc.k ?? [];
  }
}

/** Schema for "apiVersion" + "kind" from the generated table (kyaml openapi.SchemaForResourceType). */
export function lookupSchema(apiVersion: string, kind: string): PatchSchema | undefined {
  const def = PATCH_SCHEMA_TABLE.gvk[`${apiVersion}/${kind}`];
  return def === undefined ? undefined : PatchSchema.of(def);
}
