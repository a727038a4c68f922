/**
 * kustomize — builds kustomizations natively, as `kubectl kustomize` (kustomize v5.8,
 * sigs.k8s.io/kustomize/api v0.21.1, kyaml v0.21.1) does: the same objects, in the same
 * order, printed the same way.
 *
 * The build (build.ts <- krusty/kustomizer.go) loads the root kustomization
 * (kustomization.ts <- api/types), accumulates it (target.ts <- internal/target/kusttarget.go,
 * internal/accumulator): resources, bases and nested kustomizations through the loader
 * (loader.ts <- internal/loader, with its load restrictions and cycle check; no network),
 * `configurations` and `crds`, generators (configMapGenerator, secretGenerator, helmCharts),
 * components, then the builtin transformers in kustomize's fixed order
 * (builtins/*.ts <- internal/builtins, filters/*: patchesStrategicMerge, patches, namespace,
 * namePrefix, nameSuffix, labels + commonLabels, commonAnnotations, patchesJson6902,
 * replicas, images, replacements) and vars. At the top it adds name hashes, fixes name
 * references, resolves vars, drops local-config objects, sorts (sortOptions, else the
 * legacy order) and applies buildMetadata. The resource list (resmap.ts) is indexed by id.
 * Field specs are data (internal/default-config.ts <- konfig/builtinpluginconsts).
 *
 * Parts built by other modules, with these contracts:
 * - ./smp: `strategicMerge(target, patch, schema)` (kyaml merge2; undefined when the patch
 *   deletes the object), `applyJson6902(target, ops)` and `decodeJson6902(text)`
 *   (evanphx/json-patch semantics, Json6902Error), `patchSchemaFor(apiVersion, kind)`.
 * - ./generators: `generateConfigMap` / `generateSecret(args, files)` -> { object,
 *   behavior, hashSuffix } (no hash yet), `kustomizeHash(object)`, `mergeGenerated(existing,
 *   generated, behavior)`, `mergeGeneratorOptions(local, global)`, GeneratorError.
 * Values passed between the parts are plain JSON-like values as kyaml reads YAML (yaml.v3
 * scalars: `017` is 15, unquoted timestamps become RFC 3339 strings; bigints beyond 2^53).
 *
 * Must not import: other engines than yaml (the chart renderer for helmCharts is passed in
 * as a callback), the cluster, the network, child processes. Reads files only through
 * core's FileSystem. Kustomize's build bookkeeping (previous ids, prefixes, generator
 * behavior) lives on each Resource, never in the objects' annotations (STYLE §8).
 */
export { kustomize, KUSTOMIZE_VERSION, type KustomizeOptions, type KustomizeResult } from './build.js';
export { toKustomizeYaml, objectToYaml, individualFiles } from './output.js';
export { KustomizeError } from './errors.js';
export type { LoadRestrictor } from './loader.js';
export type { HelmChartRenderArgs, HelmRenderer } from './builtins/helm-charts.js';
export { KUSTOMIZATION_FILE_NAMES } from './target.js';
