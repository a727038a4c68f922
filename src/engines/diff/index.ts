/**
 * diff — compares a live object with the object a change would produce, as `kubectl diff`
 * shows it: both sides normalised (managedFields dropped, Secret values masked), printed as
 * YAML, and compared line by line into a unified diff.
 * Pure: imports core, the yaml engine and the `diff` library; never the cluster.
 * Behaviour follows kubectl's pkg/cmd/diff (masking in Masker, `diff -u -N` output).
 */
import { structuredPatch } from 'diff';
import { splitApiVersion, type KubeObject } from '../../core/index.js';
import { toYaml } from '../yaml/index.js';

/** Drops what is bookkeeping, not content: managedFields. */
export function normalizeForDiff(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

/**
 * Masks Secret `data`/`stringData` values as kubectl's diff Masker does: a key on both sides
 * with different values becomes `*** (before)` / `*** (after)`, every other key `***`, so that
 * a diff says that a secret changed without printing it.
 */
export function maskSecrets(live: KubeObject | undefined, merged: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  const isSecret = (o?: KubeObject) => o?.kind === 'Secret' && splitApiVersion(o.apiVersion).group === '';
  if (!isSecret(live) && !isSecret(merged)) return [live, merged];
  const a = live ? { ...live } : undefined;
  const b = merged ? { ...merged } : undefined;
  for (const field of ['data', 'stringData']) {
    const av = (a?.[field] ?? undefined) as Record<string, string> | undefined;
    const bv = (b?.[field] ?? undefined) as Record<string, string> | undefined;
    const am: Record<string, string> = {};
    const bm: Record<string, string> = {};
    for (const k of Object.keys(av ?? {})) am[k] = '***';
    for (const k of Object.keys(bv ?? {})) bm[k] = '***';
    for (const k of Object.keys(am)) {
      if (k in bm && av![k] !== bv![k]) {
        am[k] = '*** (before)';
        bm[k] = '*** (after)';
      }
    }
    if (a && av) a[field] = am;
    if (b && bv) b[field] = bm;
  }
  return [a, b];
}

/** Options of {@link diffObjects}. */
export interface DiffOptions {
  /** Lines of context around each change. @default 3 */
  context?: number;
}

/**
 * A unified diff from `live` to `merged` (either may be absent: creation or deletion),
 * headed like `diff -u -N live/<name> merged/<name>`; '' when they are equal.
 */
export function diffObjects(live: KubeObject | undefined, merged: KubeObject | undefined, name: string, options: DiffOptions = {}): string {
  const [a, b] = maskSecrets(live && normalizeForDiff(live), merged && normalizeForDiff(merged));
  const before = a ? toYaml(a) : '';
  const after = b ? toYaml(b) : '';
  if (before === after) return '';
  const patch = structuredPatch(`live/${name}`, `merged/${name}`, before, after, undefined, undefined, {
    context: options.context ?? 3,
  });
  const out = [`diff -u -N live/${name} merged/${name}`, `--- live/${name}`, `+++ merged/${name}`];
  for (const h of patch.hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    out.push(...h.lines);
  }
  return out.join('\n') + '\n';
}

// GNU diff names the line before an empty range ("-0,0" for a new file) and writes a
// one-line range without its count.
function range(start: number, lines: number): string {
  if (lines === 0) return `${start - 1},0`;
  return lines === 1 ? `${start}` : `${start},${lines}`;
}

/**
 * kubectl diff's file name for an object (InfoObject.Name in kubectl pkg/cmd/diff):
 * "apps.v1.Deployment.shop.web", and "v1.Namespace..demo" with the empty namespace kept.
 */
export function diffName(obj: KubeObject): string {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return `${group ? `${group}.` : ''}${version}.${obj.kind}.${obj.metadata.namespace ?? ''}.${obj.metadata.name ?? ''}`;
}
