import { ApiError } from '../../core/index.js';
import { GoFuncError } from '../../engines/gotemplate/index.js';
import {
  renderLoadedChart,
  type CapabilitiesOptions,
  type Chart,
  type GoMap,
  type RenderedHook,
  type RenderResult,
} from '../../engines/chart/index.js';
import type { HelmHook } from '../storage/index.js';
import { LookupError } from './errors.js';

/** Answers one `lookup` from the cluster; {} when the object does not exist. */
export type AsyncLookup = (apiVersion: string, kind: string, namespace: string, name: string) => Promise<GoMap>;

/** Options of {@link renderRelease}. */
export interface ReleaseRenderOptions {
  name: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  capabilities: CapabilitiesOptions;
  /** Answers `lookup`; without it lookup returns {} (helm's --dry-run=client and `helm template`). */
  lookup?: AsyncLookup;
  /** --render-subchart-notes @default false */
  subNotes?: boolean;
  /** --skip-schema-validation @default false */
  skipSchemaValidation?: boolean;
  /** helm's warnings of the render that counted (the last pass). */
  warn?: (message: string) => void;
}

/** A chart rendered for a release: what helm's renderResources stores. */
export interface RenderedRelease {
  /** The release manifest: `---\n# Source: PATH\nDOC\n` per manifest, in install order (helm's exact text). */
  manifest: string;
  hooks: HelmHook[];
  notes: string;
  /** crds/ files, for install. */
  crds: { name: string; content: string }[];
  /** How many passes rendering took: 1 without lookups that needed the cluster. */
  passes: number;
}

/** Rounds of lookups after which rendering gives up (a template whose lookups never settle). */
export const MAX_LOOKUP_PASSES = 16;

/**
 * Renders a chart for install/upgrade as helm's renderResources does, answering `lookup`
 * from the live cluster although the template executor is synchronous:
 *
 * Each pass renders with a synchronous lookup that answers from a cache and records every
 * question it could not answer (returning `{}` for it, as for a missing object). When a pass
 * asked nothing new, its output is the result: every lookup it made was answered with the
 * cluster's reply, so it is the output helm would give. Otherwise the new questions are
 * fetched (concurrently) and the chart is rendered again. A pass that fails is retried the
 * same way when it asked something new, since the error may come from a placeholder answer
 * (`{{ if not (lookup …) }}{{ fail … }}`). Charts without lookup render once; a chart whose
 * lookups depend on earlier lookups takes one pass per level. Random functions and the
 * clock are called again in each pass; only the last pass is kept.
 *
 * Why not block on a worker thread (Atomics.wait)? The CLI ships as one esbuild bundle, so a
 * worker needs a second entry file or the bundle run in worker mode, and the worker would hold
 * a second API client; the passes give the same answers with neither.
 */
export async function renderRelease(chart: Chart, userValues: GoMap, options: ReleaseRenderOptions): Promise<RenderedRelease> {
  const answers = new Map<string, { value?: GoMap; error?: string }>();
  for (let pass = 1; ; pass++) {
    const asked = new Map<string, [string, string, string, string]>();
    const warnings: string[] = [];
    const lookup = options.lookup
      ? (apiVersion: string, kind: string, namespace: string, name: string): GoMap => {
          const key = JSON.stringify([apiVersion, kind, namespace, name]);
          const known = answers.get(key);
          if (!known) {
            asked.set(key, [apiVersion, kind, namespace, name]);
            return {};
          }
          if (known.error !== undefined) throw new GoFuncError(known.error);
          // templates may change what they are given (set, unset); every pass gets a fresh copy
          return structuredClone(known.value!);
        }
      : undefined;
    let result: RenderResult | undefined;
    let failure: unknown;
    try {
      result = renderLoadedChart(chart, userValues, {
        releaseName: options.name,
        namespace: options.namespace,
        revision: options.revision,
        isUpgrade: options.isUpgrade,
        capabilities: options.capabilities,
        subNotes: options.subNotes,
        skipSchemaValidation: options.skipSchemaValidation,
        lookup,
        warn: (m) => warnings.push(m),
      });
    } catch (e) {
      failure = e;
    }
    if (asked.size === 0) {
      for (const w of warnings) options.warn?.(w);
      if (failure !== undefined) throw failure;
      return { ...releaseContent(result!), passes: pass };
    }
    if (pass >= MAX_LOOKUP_PASSES) {
      throw new LookupError(`lookup: the chart's lookups did not settle after ${MAX_LOOKUP_PASSES} rendering passes`);
    }
    await Promise.all(
      [...asked].map(async ([key, args]) => {
        try {
          answers.set(key, { value: await options.lookup!(...args) });
        } catch (e) {
          // helm's lookup returns the client's error to the template, which fails with it
          if (e instanceof LookupError || e instanceof ApiError) answers.set(key, { error: e.message });
          else throw e;
        }
      }),
    );
  }
}

/** renderResources' output: the manifest text, helm's release hooks and the notes. */
export function releaseContent(result: RenderResult): Omit<RenderedRelease, 'passes'> {
  let manifest = '';
  for (const m of result.manifests) manifest += `---\n# Source: ${m.name}\n${m.content}\n`;
  return { manifest, hooks: result.hooks.map(toHelmHook), notes: result.notes, crds: result.crds };
}

/** releaseutil.SortManifests' release.Hook: `test-success` is helm 2's name for `test`. */
export function toHelmHook(h: RenderedHook): HelmHook {
  return {
    name: h.name,
    kind: h.kind,
    path: h.path,
    manifest: h.manifest,
    events: h.events.map((e) => (e === 'test-success' ? 'test' : e)),
    last_run: { started_at: '', completed_at: '', phase: '' },
    weight: h.weight,
    delete_policies: [...h.deletePolicies],
    output_log_policies: [...h.outputLogPolicies],
  } as HelmHook;
}
