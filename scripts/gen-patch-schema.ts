/**
 * Writes src/engines/kustomize/smp/patch-schema.generated.ts: the strategic-merge metadata of
 * every Kubernetes definition (which lists merge, and by which keys), plus the GVK -> definition
 * table, in the compact form smp/schema.ts reads.
 *
 *   npx tsx scripts/gen-patch-schema.ts                      # kustomize's built-in schema (default)
 *   npx tsx scripts/gen-patch-schema.ts --source apiserver   # /openapi/v2 of the local control plane
 *   npx tsx scripts/gen-patch-schema.ts --compare            # what the two disagree on; writes nothing
 *
 * Why kyaml's schema is the default: `kubectl kustomize` (kustomize v5.8, kyaml v0.21.1) never
 * asks a cluster. It merges with the OpenAPI document compiled into kyaml
 * (kyaml/openapi/kubernetesapi/v1_21_2/swagger.pb, read by openapi.go initSchema), so a field or
 * kind that came after Kubernetes 1.21 (PodSpec.schedulingGates, autoscaling/v2 ...) has no merge
 * key there and its lists are replaced, not merged. A table taken from a 1.37 apiserver would
 * merge them, which `kubectl kustomize` does not; `--compare` lists every such place.
 *
 * Inputs:
 *   --pb PATH         kyaml's swagger.pb [$GOMODCACHE or ~/go/pkg/mod + /sigs.k8s.io/kustomize/
 *                     kyaml@v0.21.1/openapi/kubernetesapi/v1_21_2/swagger.pb]; the Kustomization
 *                     definitions come from ../../kustomizationapi/swagger.json beside it
 *   --kubeconfig PATH for --source apiserver / --compare [.slipway/cluster/kubeconfig]; runs
 *                     `kubectl get --raw /openapi/v2` with the toolchain's kubectl (scripts/cluster env)
 *   --out PATH        [src/engines/kustomize/smp/patch-schema.generated.ts]
 *
 * The table keeps only what can change a merge: a property is kept when its list has
 * x-kubernetes-patch-strategy, or when it leads to a definition that has one. Keys are what kyaml's
 * ResourceSchema.PatchStrategyAndKeyList returns: x-kubernetes-list-map-keys when the field also
 * has a patch strategy, else x-kubernetes-patch-merge-key.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { PatchSchemaTable, SchemaDesc } from '../src/engines/kustomize/smp/schema.js';

/** The part of an OpenAPI v2 schema object this script reads (JSON form; the proto is decoded into it). */
interface OpenApiSchema {
  $ref?: string;
  type?: string[] | string;
  items?: OpenApiSchema | OpenApiSchema[];
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  [extension: `x-${string}`]: unknown;
}

interface OpenApiDocument {
  definitions: Record<string, OpenApiSchema>;
}

// ---------------------------------------------------------------------------------------------
// A minimal protobuf reader for gnostic's openapi_v2.Document (github.com/google/gnostic-models
// openapiv2/OpenAPIv2.proto): only the messages and field numbers below are decoded.

class ProtoReader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}

  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  }

  /** Each field as [number, sub-reader or scalar]; skips fixed-width fields. */
  *fields(): Generator<[number, ProtoReader | number]> {
    while (this.pos < this.end) {
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      switch (tag & 7) {
        case 0:
          yield [field, this.varint()];
          break;
        case 1:
          this.pos += 8;
          break;
        case 2: {
          const len = this.varint();
          yield [field, new ProtoReader(this.buf.subarray(this.pos, this.pos + len))];
          this.pos += len;
          break;
        }
        case 5:
          this.pos += 4;
          break;
        default:
          throw new Error(`unsupported protobuf wire type ${tag & 7} at byte ${this.pos}`);
      }
    }
  }

  text(): string {
    return new TextDecoder().decode(this.buf.subarray(this.pos, this.end));
  }
}

const sub = (v: ProtoReader | number): ProtoReader => {
  if (typeof v === 'number') throw new Error('expected a length-delimited field');
  return v;
};

/** NamedSchema { name = 1; value = 2 } lists, as in Definitions and Properties. */
function namedSchemas(r: ProtoReader): Record<string, OpenApiSchema> {
  const out: Record<string, OpenApiSchema> = {};
  for (const [f, v] of r.fields()) {
    if (f !== 1) continue;
    let name = '';
    let schema: OpenApiSchema = {};
    for (const [g, w] of sub(v).fields()) {
      if (g === 1) name = sub(w).text();
      else if (g === 2) schema = decodeSchema(sub(w));
    }
    out[name] = schema;
  }
  return out;
}

/** Schema: _ref 1, additional_properties 21, type 22, items 23, properties 25, vendor_extension 31. */
function decodeSchema(r: ProtoReader): OpenApiSchema {
  const s: OpenApiSchema = {};
  const items: OpenApiSchema[] = [];
  for (const [f, v] of r.fields()) {
    switch (f) {
      case 1:
        s.$ref = sub(v).text();
        break;
      case 21: // AdditionalPropertiesItem { schema = 1; boolean = 2 }
        for (const [g, w] of sub(v).fields()) s.additionalProperties = g === 1 ? decodeSchema(sub(w)) : w === 1;
        break;
      case 22: // TypeItem { repeated string value = 1 }
        for (const [g, w] of sub(v).fields()) if (g === 1) ((s.type ??= []) as string[]).push(sub(w).text());
        break;
      case 23: // ItemsItem { repeated Schema schema = 1 }
        for (const [g, w] of sub(v).fields()) if (g === 1) items.push(decodeSchema(sub(w)));
        break;
      case 25:
        s.properties = namedSchemas(sub(v));
        break;
      case 31: {
        // NamedAny { name = 1; Any value = 2 { yaml = 2 } }
        let name = '';
        let value: unknown;
        for (const [g, w] of sub(v).fields()) {
          if (g === 1) name = sub(w).text();
          else if (g === 2) for (const [h, x] of sub(w).fields()) if (h === 2) value = parseYaml(sub(x).text());
        }
        s[name as `x-${string}`] = value;
        break;
      }
    }
  }
  // swagger.FromGnostic: one items schema is Items.Schema, several are Items.Schemas
  if (items.length > 0) s.items = items.length === 1 ? items[0] : items;
  return s;
}

/**
 * kyaml's global schema: the Kubernetes swagger.pb, then kustomizationapi/swagger.json on top
 * (openapi.go initSchema parses both into one set of definitions).
 */
function readKyamlSchema(path: string): OpenApiDocument {
  const doc = new ProtoReader(readFileSync(path));
  let definitions: Record<string, OpenApiSchema> | undefined;
  for (const [f, v] of doc.fields()) if (f === 9) definitions = namedSchemas(sub(v));
  if (!definitions) throw new Error(`${path}: no definitions in this openapi_v2.Document`);
  const kustomization = JSON.parse(readFileSync(join(dirname(path), '../../kustomizationapi/swagger.json'), 'utf8')) as OpenApiDocument;
  return { definitions: { ...definitions, ...kustomization.definitions } };
}

function readApiserverSchema(kubeconfig: string): OpenApiDocument {
  const kubectl = process.env.KUBECTL ?? join(toolchainBin(), 'kubectl');
  const raw = execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', '/openapi/v2'], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return JSON.parse(raw) as OpenApiDocument;
}

function toolchainBin(): string {
  const env = execFileSync(resolve('scripts/cluster'), ['env'], { encoding: 'utf8' });
  const bin = /export PATH=(.*):"\$PATH"/.exec(env)?.[1]?.replace(/^'|'$/g, '');
  if (!bin) throw new Error(`cannot read the toolchain path from scripts/cluster env:\n${env}`);
  return bin;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI -> compact table

const REF_PREFIX = '#/definitions/';

function refName(ref: string): string {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

/** kyaml ResourceSchema.PatchStrategyAndKeyList. */
function strategyAndKeys(s: OpenApiSchema): { s?: string; k?: string[] } {
  const strategy = s['x-kubernetes-patch-strategy'];
  if (typeof strategy !== 'string') return {};
  const mapKeys = s['x-kubernetes-list-map-keys'];
  if (Array.isArray(mapKeys)) return { s: strategy, k: mapKeys.map(String) };
  const mergeKey = s['x-kubernetes-patch-merge-key'];
  return typeof mergeKey === 'string' ? { s: strategy, k: [mergeKey] } : { s: strategy };
}

function buildTable(doc: OpenApiDocument, source: string): PatchSchemaTable {
  const defs = doc.definitions;
  // A definition matters when some property below it (through refs) carries a patch strategy;
  // found as a fixed point, since definitions refer to each other in cycles (JSONSchemaProps).
  const interesting = new Set<string>();
  const schemaMatters = (s: OpenApiSchema): boolean => {
    if (s.$ref) return interesting.has(refName(s.$ref));
    if (typeof s['x-kubernetes-patch-strategy'] === 'string') return true;
    if (s.items && !Array.isArray(s.items) && schemaMatters(s.items)) return true;
    if (typeof s.additionalProperties === 'object' && schemaMatters(s.additionalProperties)) return true;
    return Object.values(s.properties ?? {}).some(schemaMatters);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, def] of Object.entries(defs)) {
      if (!interesting.has(name) && schemaMatters(def)) {
        interesting.add(name);
        changed = true;
      }
    }
  }

  // The descriptor mirrors what kyaml's Field/Elements read: properties, additionalProperties,
  // and items only on `type: [array]` (ResourceSchema.Elements insists on exactly that).
  const describe = (s: OpenApiSchema): SchemaDesc | undefined => {
    if (s.$ref) {
      const name = refName(s.$ref);
      return interesting.has(name) ? name : undefined;
    }
    const out: Exclude<SchemaDesc, string> = { ...strategyAndKeys(s) };
    const type = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
    if (type.length === 1 && type[0] === 'array' && s.items && !Array.isArray(s.items)) {
      const items = describe(s.items);
      if (items !== undefined) out.i = items;
    }
    if (typeof s.additionalProperties === 'object') {
      const values = describe(s.additionalProperties);
      if (values !== undefined) out.a = values;
    }
    // ResourceSchema.Field prefers properties over additionalProperties: when both exist, keep
    // every property name, so that a property without merge metadata still hides the map's values.
    const props = describeProperties(s.properties, out.a !== undefined);
    if (props) out.p = props;
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const describeProperties = (props: Record<string, OpenApiSchema> | undefined, keepAll: boolean) => {
    let out: Record<string, SchemaDesc> | undefined;
    for (const name of Object.keys(props ?? {}).sort()) {
      const d = describe(props![name]!) ?? (keepAll ? {} : undefined);
      if (d !== undefined) (out ??= {})[name] = d;
    }
    return out;
  };

  const table: PatchSchemaTable = { source, gvk: {}, defs: {} };
  for (const name of Object.keys(defs).sort()) {
    const def = defs[name]!;
    const gvks = def['x-kubernetes-group-version-kind'];
    if (Array.isArray(gvks)) {
      // kyaml openapi.go toTypeMeta: apiVersion is group/version, or version for the core group
      for (const g of gvks as { group?: string; version: string; kind: string }[]) {
        const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
        table.gvk[`${apiVersion}/${g.kind}`] = name;
      }
    }
    if (interesting.has(name) || Array.isArray(gvks)) {
      const d = describe({ ...def, $ref: undefined });
      table.defs[name] = typeof d === 'object' ? d : {};
    }
  }
  table.gvk = Object.fromEntries(Object.entries(table.gvk).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return table;
}

function render(table: PatchSchemaTable, command: string): string {
  const lines = [
    '// GENERATED by scripts/gen-patch-schema.ts; do not edit. Regenerate with:',
    `//   ${command}`,
    `// Source: ${table.source}`,
    '// Read by smp/schema.ts (see the format there and how it is generated in the script header).',
    "import type { PatchSchemaTable } from './schema.js';",
    '',
    'export const PATCH_SCHEMA_TABLE: PatchSchemaTable = {',
    `  source: ${JSON.stringify(table.source)},`,
    '  gvk: {',
    ...Object.entries(table.gvk).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
    '  },',
    '  defs: {',
    ...Object.entries(table.defs).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
    '  },',
    '};',
    '',
  ];
  return lines.join('\n');
}

/** Every field path where the two tables merge differently, e.g. `PodSpec.schedulingGates`. */
function compareTables(a: PatchSchemaTable, b: PatchSchemaTable): string[] {
  const out: string[] = [];
  const names = new Set([...Object.keys(a.defs), ...Object.keys(b.defs)]);
  const walk = (path: string, x: SchemaDesc | undefined, y: SchemaDesc | undefined) => {
    if (x === undefined && y === undefined) return;
    if (typeof x === 'string' || typeof y === 'string') {
      if (x !== y) out.push(`${path}: ${JSON.stringify(x) ?? 'none'} vs ${JSON.stringify(y) ?? 'none'}`);
      return;
    }
    if ((x?.s ?? '') !== (y?.s ?? '') || JSON.stringify(x?.k ?? []) !== JSON.stringify(y?.k ?? [])) {
      out.push(`${path}: strategy ${x?.s ?? 'none'} ${JSON.stringify(x?.k ?? [])} vs ${y?.s ?? 'none'} ${JSON.stringify(y?.k ?? [])}`);
    }
    walk(`${path}[]`, x?.i, y?.i);
    walk(`${path}{}`, x?.a, y?.a);
    for (const p of new Set([...Object.keys(x?.p ?? {}), ...Object.keys(y?.p ?? {})])) walk(`${path}.${p}`, x?.p?.[p], y?.p?.[p]);
  };
  for (const n of [...names].sort()) {
    if (!(n in a.defs)) out.push(`${n}: only in ${b.source}`);
    else if (!(n in b.defs)) out.push(`${n}: only in ${a.source}`);
    else walk(n, a.defs[n], b.defs[n]);
  }
  for (const g of new Set([...Object.keys(a.gvk), ...Object.keys(b.gvk)])) {
    if (a.gvk[g] !== b.gvk[g]) out.push(`kind ${g}: ${a.gvk[g] ?? 'unknown'} vs ${b.gvk[g] ?? 'unknown'}`);
  }
  return out;
}

function main(argv: string[]): void {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const modCache = process.env.GOMODCACHE ?? join(homedir(), 'go/pkg/mod');
  const pb = opt('--pb') ?? join(modCache, 'sigs.k8s.io/kustomize/kyaml@v0.21.1/openapi/kubernetesapi/v1_21_2/swagger.pb');
  const kubeconfig = opt('--kubeconfig') ?? resolve('.slipway/cluster/kubeconfig');
  const out = opt('--out') ?? resolve('src/engines/kustomize/smp/patch-schema.generated.ts');
  const source = opt('--source') ?? 'kyaml';

  const kyaml = () => buildTable(readKyamlSchema(pb), 'kyaml v0.21.1 built-in OpenAPI (Kubernetes v1.21.2), as kubectl kustomize v5.8 uses it');
  const apiserver = () => buildTable(readApiserverSchema(kubeconfig), `/openapi/v2 of the apiserver in ${kubeconfig}`);

  if (argv.includes('--compare')) {
    const diff = compareTables(kyaml(), apiserver());
    console.log(diff.join('\n'));
    console.log(`${diff.length} differences (left: kustomize's built-in schema, right: the apiserver)`);
    return;
  }
  if (source !== 'kyaml' && source !== 'apiserver') throw new Error(`--source must be kyaml or apiserver, not ${source}`);
  const table = source === 'kyaml' ? kyaml() : apiserver();
  const command = `npx tsx scripts/gen-patch-schema.ts${source === 'apiserver' ? ' --source apiserver' : ''}`;
  writeFileSync(out, render(table, command));
  console.log(`${out}: ${Object.keys(table.gvk).length} kinds, ${Object.keys(table.defs).length} definitions`);
}

main(process.argv.slice(2));
