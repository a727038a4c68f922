/**
 * ConfigMapGenerator and SecretGenerator (api/internal/builtins/ConfigMapGenerator.go,
 * SecretGenerator.go) wired to ../generators, and how a generated object joins the
 * accumulated ones (resWrangler.AbsorbAll / appendReplaceOrMerge): created, or merged into
 * or replacing the object with its id according to `behavior`.
 */
import { generateConfigMap, generateSecret, mergeGenerated, mergeGeneratorOptions, type GeneratorOptions } from '../generators/index.js';
import { KustomizeError, asKustomizeError } from '../errors.js';
import type { GeneratorArgsSpec, GeneratorOptionsSpec, SecretArgsSpec } from '../kustomization.js';
import type { FileLoader } from '../loader.js';
import type { ResMap } from '../resmap.js';
import { goSyntaxResId, resIdEquals } from '../resid.js';
import { Resource, type Behavior } from '../resource.js';

function behaviorOf(s: string | undefined): Behavior {
  return s === 'create' || s === 'merge' || s === 'replace' ? s : 'unspecified';
}

/** Runs one generator entry: the generated object as a resource with its behavior and hash wish. */
export function runGenerator(kind: 'ConfigMap' | 'Secret', args: GeneratorArgsSpec | SecretArgsSpec, globalOptions: GeneratorOptionsSpec | undefined, ldr: FileLoader): Resource {
  const options = mergeGeneratorOptions(args.options as GeneratorOptions | undefined, globalOptions as GeneratorOptions | undefined);
  const common = {
    name: args.name,
    namespace: args.namespace,
    behavior: behaviorOf(args.behavior) === 'unspecified' ? ('' as const) : (args.behavior as 'create' | 'merge' | 'replace'),
    files: args.files,
    literals: args.literals,
    envs: args.envs,
    options,
  };
  const reader = { read: (path: string) => ldr.loadBytes(path) };
  let g;
  try {
    g = kind === 'ConfigMap' ? generateConfigMap(common, reader) : generateSecret({ ...common, type: (args as SecretArgsSpec).type }, reader);
  } catch (e) {
    throw asKustomizeError(e);
  }
  const r = new Resource(g.object);
  r.needsHash = g.hashSuffix;
  r.behavior = behaviorOf(args.behavior);
  r.source = ldr.root;
  return r;
}

/** resWrangler.appendReplaceOrMerge. */
export function absorb(m: ResMap, res: Resource): void {
  const id = res.curId();
  const matches = m.getMatchingResourcesByAnyId((x) => resIdEquals(id, x));
  if (matches.length === 0) {
    if (res.behavior === 'merge' || res.behavior === 'replace') throw new KustomizeError(`id ${goSyntaxResId(id)} does not exist; cannot merge or replace`);
    m.append(res);
    return;
  }
  if (matches.length > 1) {
    throw new KustomizeError(`found multiple objects [${matches.map((r) => goSyntaxResId(r.curId())).join(' ')}] that could accept merge of ${goSyntaxResId(id)}`);
  }
  const old = matches[0]!;
  const behavior = res.behavior;
  if (behavior !== 'merge' && behavior !== 'replace') {
    throw new KustomizeError(`id ${goSyntaxResId(id)} exists; can not use behavior: '${behavior ?? 'unspecified'}', behavior must be merge or replace`);
  }
  let merged: Record<string, unknown>;
  try {
    merged = mergeGenerated(old.obj, res.obj, behavior);
  } catch (e) {
    throw asKustomizeError(e);
  }
  const needsHash = old.needsHash && res.needsHash;
  res.obj = merged;
  res.copyBookkeepingFrom(old);
  res.needsHash = needsHash;
  if (behavior === 'merge' && old.origin) res.origin = old.origin;
  const index = m.indexOf(old);
  const at = m.replace(res);
  if (at !== index) throw new KustomizeError('unexpected target index in replacement');
}
