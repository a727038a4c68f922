/**
 * One kustomization and its accumulation (api/internal/target/kusttarget.go,
 * kusttarget_configplugin.go and api/internal/accumulator/resaccumulator.go): load the
 * kustomization file, then resources (files, directories, nested kustomizations), the
 * transformer configuration, generators, components, the builtin transformers in
 * kustomize's order, and vars. The order of the builtins is written down once, in
 * {@link KustTarget.configureTransformers}.
 */
import { goQuote } from '../goruntime/index.js';
import { posix } from 'node:path';
import type { FileSystem } from '../../core/index.js';
import { annotationsTransformer, labelTransformer } from './builtins/labels.js';
import { absorb, runGenerator } from './builtins/generators.js';
import { helmChartGenerator, type HelmRenderer } from './builtins/helm-charts.js';
import { imageTagTransformer } from './builtins/images.js';
import { namespaceTransformer } from './builtins/namespace.js';
import { patchJson6902Transformer, patchStrategicMergeTransformer, patchTransformer } from './builtins/patches.js';
import { prefixTransformer, suffixTransformer } from './builtins/prefix-suffix.js';
import { replacementTransformer } from './builtins/replacements.js';
import { replicaCountTransformer } from './builtins/replicas.js';
import { pluginGenerator, pluginTransformer } from './builtins/plugins.js';
import type { BuiltinContext, Transformer } from './builtins/types.js';
import { VarSet, mergeVars } from './builtins/vars.js';
import { KustomizeError, asKustomizeError } from './errors.js';
import { resMapFromFile, resourcesFromText } from './factory.js';
import { loadConfigFromCrds } from './internal/crd-config.js';
import {
  emptyTransformerConfig,
  makeDefaultConfig,
  mergeFieldSpecs,
  mergeOneFieldSpec,
  mergeTransformerConfig,
  transformerConfigFrom,
  type TransformerConfigData,
} from './internal/transformer-config.js';
import {
  COMPONENT_KIND,
  decodeTransformerConfig,
  deprecationWarnings,
  enforceFields,
  fixKustomization,
  isEmptyKustomization,
  parseKustomization,
  yamlToJsonable,
  type FieldSpec,
  type Kustomization,
} from './kustomization.js';
import { isRepoUrl, type FileLoader } from './loader.js';
import { ResMap } from './resmap.js';
import { gvkString } from './resid.js';
import type { Resource, ResourceOrigin } from './resource.js';

/** konfig.RecognizedKustomizationFileNames. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** What every target of one build shares. */
export interface BuildContext {
  fs: FileSystem;
  warn: (message: string) => void;
  enableHelm: boolean;
  helmRenderer?: HelmRenderer;
  /** The top kustomization's buildMetadata; every target uses it (kusttarget accumulateDirectory). */
  buildMetadata: string[];
  /** Whether a kustomization already chose the OpenAPI schema (kyaml's global SetSchema). */
  schemaSet: boolean;
}

/**
 * openapi.SetSchema for a kustomization's `openapi` field: the builtin v1.21.2 schema is the
 * only one there is; a custom schema file is refused, since the merge tables are built in.
 */
export function setSchema(kt: KustTarget, reset: boolean): void {
  const field = kt.k.openapi;
  const path = field?.path;
  let bytes: string | undefined;
  if (path !== undefined) {
    try {
      bytes = kt.ldr.load(path);
    } catch (e) {
      throw asKustomizeError(e).locate(kt.file, 'openapi');
    }
  }
  if (kt.ctx.schemaSet && !reset) return;
  const version = field?.version;
  if (bytes !== undefined) {
    if (version !== undefined) throw new KustomizeError('builtin version and custom schema provided, cannot use both', { file: kt.file }, 'openapi');
    throw new KustomizeError(`custom OpenAPI schemas are not supported by slipway (openapi.path ${path}): strategic merges use kustomize's built-in Kubernetes v1.21.2 schema`, { file: kt.file }, 'openapi');
  }
  kt.ctx.schemaSet = !!version;
  if (version && version !== 'v1.21.2') throw new KustomizeError('the specified OpenAPI version is not built in', { file: kt.file }, 'openapi');
}

/** api/internal/accumulator.ResAccumulator. */
export class Accumulator {
  resMap = new ResMap();
  tConfig: TransformerConfigData = emptyTransformerConfig();
  vars = new VarSet();

  mergeConfig(tc: TransformerConfigData): void {
    this.tConfig = mergeTransformerConfig(this.tConfig, tc);
  }

  mergeAccumulator(other: Accumulator): void {
    this.resMap.appendAll(other.resMap);
    this.mergeConfig(other.tConfig);
    this.vars.mergeSet(other.vars);
  }
}

/** Origin.Append: the path of a resource or base, joined to where its kustomization came from. */
function appendOrigin(origin: ResourceOrigin, path: string): ResourceOrigin {
  return { ...origin, path: posix.join(origin.path ?? '', path) };
}

function builtinOrigin(origin: ResourceOrigin, fileName: string, kind: string): ResourceOrigin {
  return {
    repo: origin.repo,
    ref: origin.ref,
    configuredIn: posix.join(origin.path ?? '', fileName),
    configuredBy: { apiVersion: 'builtin', kind },
  };
}

/** resource.OriginFromCustomPlugin: the plugin config's own origin, when origins are tracked. */
function pluginOrigin(res: Resource): ResourceOrigin | undefined {
  const o = res.origin;
  if (!o) return undefined;
  return { repo: o.repo, ref: o.ref, configuredIn: o.path, configuredBy: { apiVersion: res.apiVersion, kind: res.kind, name: res.name, namespace: res.namespace } };
}

function entry(list: string, i: number, what?: string): string {
  return what ? `${list}[${i}] (${what})` : `${list}[${i}]`;
}

export class KustTarget {
  /** The kustomization file, for errors. */
  readonly file: string;
  origin: ResourceOrigin | undefined;
  helmRootNamespace = '';
  /** Labels of `resources` entries after bases were folded in. */
  private readonly resourceEntries: string[];

  private constructor(
    readonly k: Kustomization,
    readonly fileName: string,
    readonly ldr: FileLoader,
    readonly ctx: BuildContext,
    basesFrom: number,
  ) {
    this.file = posix.join(ldr.root, fileName);
    this.resourceEntries = (k.resources ?? []).map((p, i) => (i < basesFrom ? entry('resources', i, p) : entry('bases', i - basesFrom, p)));
  }

  /** KustTarget.Load: find, read and check the kustomization file of the loader's root. */
  static load(ldr: FileLoader, ctx: BuildContext): KustTarget {
    let content: string | undefined;
    let fileName: string | undefined;
    let found = 0;
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      try {
        const c = ldr.load(name);
        found++;
        content = c;
        fileName = name;
      } catch {
        // not this name
      }
    }
    if (found === 0) {
      throw new KustomizeError(
        `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${ldr.root}'`,
        { file: ldr.root },
      );
    }
    if (found > 1) throw new KustomizeError(`Found multiple kustomization files under: ${ldr.root}\n`, { file: ldr.root });
    const file = posix.join(ldr.root, fileName!);
    let k: Kustomization;
    try {
      k = parseKustomization(content!);
    } catch (e) {
      throw asKustomizeError(e).locate(file);
    }
    for (const w of deprecationWarnings(k)) ctx.warn(w);
    const basesFrom = k.resources?.length ?? 0;
    fixKustomization(k);
    if (isEmptyKustomization(k)) throw new KustomizeError('kustomization.yaml is empty', { file });
    const errs = enforceFields(k);
    if (errs.length > 0) throw new KustomizeError(`Failed to read kustomization file under ${ldr.root}:\n${errs.join('\n')}`, { file });
    return new KustTarget(k, fileName!, ldr, ctx, basesFrom);
  }

  private builtinContext(tConfig: TransformerConfigData): BuiltinContext {
    return { ldr: this.ldr, tConfig, warn: this.ctx.warn };
  }

  /** KustTarget.AccumulateTarget. */
  accumulateTarget(ra: Accumulator = new Accumulator()): Accumulator {
    try {
      ra = this.accumulateResources(ra, this.k.resources ?? []);
    } catch (e) {
      throw asKustomizeError(e).wrap('accumulating resources');
    }
    ra.mergeConfig(this.makeTransformerConfig());
    try {
      ra.mergeConfig(loadConfigFromCrds(this.ldr, this.k.crds ?? []));
    } catch (e) {
      throw asKustomizeError(e).wrap(`loading CRDs [${(this.k.crds ?? []).join(' ')}]`).locate(this.file, 'crds');
    }
    this.runGenerators(ra);
    try {
      ra = this.accumulateComponents(ra, this.k.components ?? []);
    } catch (e) {
      throw asKustomizeError(e).wrap('accumulating components');
    }
    this.runTransformers(ra);
    this.runValidators(ra);
    try {
      mergeVars(ra.resMap, ra.vars, this.k.vars ?? []);
    } catch (e) {
      const raw = (this.k.vars ?? []).map((v) => `{${v.name ?? ''} ${gvkString({ group: v.objref?.group ?? '', version: v.objref?.version ?? '', kind: v.objref?.kind ?? '' })} {${v.fieldref?.fieldPath ?? ''}}}`);
      throw asKustomizeError(e).wrap(`merging vars [${raw.join(' ')}]`).locate(this.file, 'vars');
    }
    return ra;
  }

  /** builtinconfig.MakeTransformerConfig: the defaults merged with the `configurations` files. */
  private makeTransformerConfig(): TransformerConfigData {
    const paths = this.k.configurations ?? [];
    const defaults = makeDefaultConfig();
    if (paths.length === 0) return defaults;
    let loaded = emptyTransformerConfig();
    paths.forEach((path, i) => {
      try {
        const json = yamlToJsonable(this.ldr.load(path));
        let decoded: unknown;
        try {
          decoded = decodeTransformerConfig(json);
        } catch (e) {
          throw new KustomizeError(`error unmarshaling JSON: while decoding JSON: ${(e as Error).message}`);
        }
        loaded = mergeTransformerConfig(loaded, transformerConfigFrom(decoded as Partial<TransformerConfigData>));
      } catch (e) {
        throw asKustomizeError(e).locate(this.file, entry('configurations', i, path));
      }
    });
    try {
      return mergeTransformerConfig(defaults, loaded);
    } catch (e) {
      throw asKustomizeError(e).locate(this.file, 'configurations');
    }
  }

  /** KustTarget.accumulateResources: each entry a file of objects, else a directory with a kustomization. */
  private accumulateResources(ra: Accumulator, paths: readonly string[], labelOf?: (i: number, path: string) => string): Accumulator {
    paths.forEach((path, i) => {
      const label = labelOf ? labelOf(i, path) : (this.resourceEntries[i] ?? entry('resources', i, path));
      try {
        this.accumulateFile(ra, path);
        return;
      } catch (e) {
        const errF = asKustomizeError(e);
        let ldr: FileLoader;
        try {
          ldr = this.ldr.child(path);
        } catch (e2) {
          if (/MalformedYAMLError/.test(errF.kustomizeMessage)) throw errF.locate(this.file, label);
          throw asKustomizeError(e2).wrap(`accumulation err='${errF.kustomizeMessage}'`).locate(this.file, label);
        }
        const saved = this.origin;
        try {
          if (this.origin) this.origin = appendOrigin(this.origin, path);
          ra = this.accumulateDirectory(ra, ldr, false);
        } catch (e3) {
          throw asKustomizeError(e3).wrap(`accumulation err='${errF.kustomizeMessage}'`).locate(this.file, label);
        } finally {
          this.origin = saved;
        }
      }
    });
    return ra;
  }

  private accumulateFile(ra: Accumulator, path: string): void {
    if (isRepoUrl(path)) {
      throw new KustomizeError(`accumulating resources from '${path}': remote resource '${path}' cannot be loaded: slipway builds kustomizations offline and does not fetch remote resources`);
    }
    let rm: ResMap;
    try {
      rm = resMapFromFile(this.ldr, path);
    } catch (e) {
      throw asKustomizeError(e).wrap(`accumulating resources from '${path}'`);
    }
    if (this.origin) {
      const origin = appendOrigin(this.origin, path);
      for (const r of rm.resources()) r.origin = origin;
    }
    try {
      ra.resMap.appendAll(rm);
    } catch (e) {
      throw asKustomizeError(e).wrap(`merging resources from '${path}'`);
    }
  }

  private accumulateComponents(ra: Accumulator, paths: readonly string[]): Accumulator {
    paths.forEach((path, i) => {
      const label = entry('components', i, path);
      let ldr: FileLoader;
      try {
        ldr = this.ldr.child(path);
      } catch (e) {
        throw new KustomizeError(`loader.New ${goQuote(asKustomizeError(e).kustomizeMessage)}`, { file: this.file }, label);
      }
      const saved = this.origin;
      try {
        if (this.origin) this.origin = appendOrigin(this.origin, path);
        ra = this.accumulateDirectory(ra, ldr, true);
      } catch (e) {
        const k = asKustomizeError(e);
        throw new KustomizeError(`accumulateDirectory: ${goQuote(k.kustomizeMessage)}`, k.at ?? { file: this.file }, k.at ? k.entry : label, { cause: k });
      } finally {
        this.origin = saved;
      }
    });
    return ra;
  }

  /** KustTarget.accumulateDirectory: a nested kustomization (or component) built into `ra`. */
  private accumulateDirectory(ra: Accumulator, ldr: FileLoader, isComponent: boolean): Accumulator {
    let sub: KustTarget;
    try {
      sub = KustTarget.load(ldr, this.ctx);
    } catch (e) {
      throw asKustomizeError(e).wrap(`couldn't make target for path '${ldr.root}'`);
    }
    sub.k.buildMetadata = this.k.buildMetadata;
    sub.origin = this.origin;
    if (this.k.namespace) sub.helmRootNamespace = this.k.namespace;
    else if (this.helmRootNamespace) sub.helmRootNamespace = this.helmRootNamespace;
    setSchema(sub, false);
    if (isComponent && sub.k.kind !== COMPONENT_KIND) {
      throw new KustomizeError(`expected kind '${COMPONENT_KIND}' for path '${ldr.root}' but got '${sub.k.kind}'`, { file: sub.file });
    }
    if (!isComponent && sub.k.kind === COMPONENT_KIND) {
      throw new KustomizeError(`expected kind != '${COMPONENT_KIND}' for path '${ldr.root}'`, { file: sub.file });
    }
    let subRa: Accumulator;
    try {
      if (isComponent) {
        subRa = sub.accumulateTarget(ra);
        ra = new Accumulator();
      } else {
        subRa = sub.accumulateTarget();
      }
    } catch (e) {
      throw asKustomizeError(e).wrap(`recursed accumulation of path '${ldr.root}'`);
    }
    try {
      ra.mergeAccumulator(subRa);
    } catch (e) {
      throw asKustomizeError(e).wrap(`recursed merging from path '${ldr.root}'`).locate(this.file);
    }
    return ra;
  }

  /** KustTarget.runGenerators: configMapGenerator, secretGenerator, helmCharts, in that order. */
  private runGenerators(ra: Accumulator): void {
    const generators: { entry: string; kind: string; run: () => Resource[]; origin?: ResourceOrigin }[] = [];
    (this.k.configMapGenerator ?? []).forEach((args, i) => {
      generators.push({ entry: entry('configMapGenerator', i, args.name), kind: 'ConfigMapGenerator', run: () => [runGenerator('ConfigMap', args, this.k.generatorOptions, this.ldr)] });
    });
    (this.k.secretGenerator ?? []).forEach((args, i) => {
      generators.push({ entry: entry('secretGenerator', i, args.name), kind: 'SecretGenerator', run: () => [runGenerator('Secret', args, this.k.generatorOptions, this.ldr)] });
    });
    (this.k.helmCharts ?? []).forEach((chart, i) => {
      const c = { ...chart };
      if (!c.namespace) {
        if (this.k.namespace) c.namespace = this.k.namespace;
        else if (this.helmRootNamespace) c.namespace = this.helmRootNamespace;
      }
      const label = entry('helmCharts', i, chart.name);
      let run: () => Resource[];
      try {
        run = helmChartGenerator(c, this.k.helmGlobals, this.ldr, { enableHelm: this.ctx.enableHelm, renderer: this.ctx.helmRenderer });
      } catch (e) {
        throw asKustomizeError(e).locate(this.file, label);
      }
      generators.push({ entry: label, kind: 'HelmChartInflationGenerator', run });
    });
    let plugins: Resource[];
    try {
      plugins = this.loadPluginConfigs(this.k.generators ?? [], 'generators', 'configuring external generator');
    } catch (e) {
      throw asKustomizeError(e).wrap('loading generator plugins').locate(this.file, 'generators');
    }
    for (const res of plugins) {
      let run: () => Resource[];
      const label = `generators (${res.kind}/${res.name})`;
      try {
        run = pluginGenerator(res, this.ldr, { enableHelm: this.ctx.enableHelm, renderer: this.ctx.helmRenderer });
      } catch (e) {
        throw asKustomizeError(e).wrap('failed to load generator').wrap('loading generator plugins').locate(this.file, label);
      }
      generators.push({ entry: label, kind: res.kind, run, origin: pluginOrigin(res) });
    }
    for (const g of generators) {
      let resources: Resource[];
      try {
        resources = g.run();
      } catch (e) {
        throw asKustomizeError(e).locate(this.file, g.entry);
      }
      const origin = g.origin ?? (this.origin && !g.entry.startsWith('generators') ? builtinOrigin(this.origin, this.fileName, g.kind) : undefined);
      if (origin) for (const r of resources) r.origin ??= origin;
      for (const r of resources) {
        try {
          absorb(ra.resMap, r);
        } catch (e) {
          // kustomize prints the generator with %v: a pointer and its origin (nil unless tracked).
          const printed = `&{0xc000010000 ${origin ? '0xc000010010' : '<nil>'}}`;
          throw asKustomizeError(e).wrap(`merging from generator ${printed}`).locate(this.file, g.entry);
        }
      }
    }
  }

  /**
   * configureExternalGenerators / configureExternalTransformers: each entry is inline YAML
   * holding plugin configs, else a file or directory of them.
   */
  private loadPluginConfigs(list: readonly string[], field: string, wrap: string): Resource[] {
    const ra = new Accumulator();
    const paths: string[] = [];
    for (const p of list) {
      let rm: Resource[];
      try {
        rm = resourcesFromText(p);
      } catch {
        paths.push(p);
        continue;
      }
      if (this.origin) {
        const origin = appendOrigin(this.origin, this.fileName);
        for (const r of rm) r.origin = origin;
      }
      try {
        ra.resMap.appendAll(rm);
      } catch (e) {
        throw asKustomizeError(e).wrap(wrap).locate(this.file, field);
      }
    }
    this.accumulateResources(ra, paths, (i, p) => entry(field, list.indexOf(p), p));
    return ra.resMap.resources();
  }

  /** KustTarget.runValidators: builtin transformers named as validators must leave the objects as they are. */
  private runValidators(ra: Accumulator): void {
    const list = this.k.validators ?? [];
    if (list.length === 0) return;
    const ctx = this.builtinContext(ra.tConfig);
    for (const res of this.loadPluginConfigs(list, 'validators', 'configuring external transformer')) {
      const label = `validators (${res.kind}/${res.name})`;
      try {
        const v = pluginTransformer(res, ctx);
        const before = ra.resMap.resources().map((r) => JSON.stringify(r.obj));
        const copy = ra.resMap.deepCopy();
        v.transform(copy);
        const after = copy.resources().map((r) => JSON.stringify(r.obj));
        if (before.length !== after.length || before.some((b, i) => b !== after[i])) {
          throw new KustomizeError(`validator shouldn't modify the resource map: ${res.kind} changed the objects`);
        }
      } catch (e) {
        throw asKustomizeError(e).locate(this.file, label);
      }
    }
  }

  /** kusttarget_configplugin.go configureBuiltinTransformers: the builtins in kustomize's order. */
  private configureTransformers(tc: TransformerConfigData): Transformer[] {
    const k = this.k;
    const ctx = this.builtinContext(tc);
    const out: Transformer[] = [];
    const configure = (label: string, make: () => Transformer | undefined) => {
      let t: Transformer | undefined;
      try {
        t = make();
      } catch (e) {
        throw asKustomizeError(e).locate(this.file, label);
      }
      if (t) out.push(t.entry ? t : { ...t, id: t.id, entry: label, transform: (m) => t.transform(m) });
    };
    const psm = k.patchesStrategicMerge ?? [];
    if (psm.length > 0) {
      configure('patchesStrategicMerge', () => patchStrategicMergeTransformer(psm, ctx, (i) => entry('patchesStrategicMerge', i, psm[i])));
    }
    (k.patches ?? []).forEach((p, i) => {
      const label = entry('patches', i, p.path || undefined);
      configure(label, () => patchTransformer(p, ctx, label));
    });
    if (k.namespace) configure('namespace', () => namespaceTransformer(k.namespace!, tc.namespace));
    if (k.namePrefix) configure('namePrefix', () => prefixTransformer(k.namePrefix!, tc.namePrefix));
    if (k.nameSuffix) configure('nameSuffix', () => suffixTransformer(k.nameSuffix!, tc.nameSuffix));
    const labels = k.labels ?? [];
    const common = k.commonLabels ?? {};
    if (labels.length > 0 || Object.keys(common).length > 0) {
      labels.forEach((label, i) => {
        configure(entry('labels', i), () => {
          let fss: FieldSpec[] = [...(label.fields ?? []).map((f) => f ?? {})];
          try {
            fss = mergeFieldSpecs(fss, tc.labels);
            if (label.includeSelectors) fss = mergeFieldSpecs(fss, tc.commonLabels);
            else {
              if (label.includeTemplates) {
                try {
                  fss = mergeFieldSpecs(fss, tc.templateLabels);
                } catch (e) {
                  throw asKustomizeError(e).wrap('failed to merge template fieldSpec');
                }
              }
              fss = mergeOneFieldSpec(fss, { path: 'metadata/labels', create: true });
            }
          } catch (e) {
            const k2 = asKustomizeError(e);
            throw k2.kustomizeMessage.startsWith('failed to merge template') ? k2 : k2.wrap('failed to merge labels');
          }
          return labelTransformer(label.pairs, fss, entry('labels', i));
        });
      });
      configure('commonLabels', () => labelTransformer(common, tc.commonLabels, 'commonLabels'));
    }
    const annotations = k.commonAnnotations ?? {};
    if (Object.keys(annotations).length > 0) configure('commonAnnotations', () => annotationsTransformer(annotations, tc.commonAnnotations));
    (k.patchesJson6902 ?? []).forEach((p, i) => {
      const label = entry('patchesJson6902', i, p.path || undefined);
      configure(label, () => patchJson6902Transformer(p, ctx, label));
    });
    (k.replicas ?? []).forEach((r, i) => {
      const label = entry('replicas', i, r.name);
      configure(label, () => replicaCountTransformer(r, tc.replicas, label));
    });
    (k.images ?? []).forEach((img, i) => {
      const label = entry('images', i, img.name);
      configure(label, () => imageTagTransformer(img, tc.images, label));
    });
    const replacements = k.replacements ?? [];
    if (replacements.length > 0) configure('replacements', () => replacementTransformer(replacements, ctx));
    for (const res of this.loadPluginConfigs(k.transformers ?? [], 'transformers', 'configuring external transformer')) {
      const label = `transformers (${res.kind}/${res.name})`;
      configure(label, () => ({ ...pluginTransformer(res, ctx), entry: label, origin: pluginOrigin(res) }));
    }
    return out;
  }

  /** KustTarget.runTransformers through multiTransformer: each builtin, then empty objects dropped. */
  private runTransformers(ra: Accumulator): void {
    const transformers = this.configureTransformers(ra.tConfig);
    for (const t of transformers) {
      try {
        t.transform(ra.resMap);
      } catch (e) {
        throw asKustomizeError(e).locate(this.file, t.entry);
      }
      ra.resMap.invalidate();
      const pluginOriginOf = (t as Transformer & { origin?: ResourceOrigin }).origin;
      const isPlugin = (t.entry ?? '').startsWith('transformers (');
      if (this.origin && (!isPlugin || pluginOriginOf)) {
        const origin = isPlugin ? pluginOriginOf! : builtinOrigin(this.origin, this.fileName, t.id);
        for (const r of ra.resMap.resources()) {
          if (!r.origin) r.origin = origin;
          else r.transformations.push(origin);
        }
      }
      ra.resMap.dropEmpties();
    }
  }
}

