import { UsageError, formatError, formatKubectlRef, type KubeObject } from '../core/index.js';
import { toYaml } from '../engines/yaml/index.js';
import type { Change } from '../kube/index.js';

/** kubectl's line for one change: "deployment.apps/web configured (server dry run)". */
export function changeLine(c: Change, dryRun: boolean, verb: string = c.action): string {
  const suffix = dryRun ? ' (server dry run)' : '';
  const note = c.note && c.action !== 'failed' ? ` (${c.note})` : '';
  return `${formatKubectlRef(c.ref)} ${verb}${note}${suffix}`;
}

/** "error: file:line: message" for a failed change. */
export function failureLine(c: Change): string {
  return `error: ${c.error ? formatError(c.error) : `${formatKubectlRef(c.ref)} failed`}`;
}

/** Objects printed as kubectl -o yaml|json prints several: one v1 List. */
export function formatObjects(objects: KubeObject[], format: 'yaml' | 'json'): string {
  const list = { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
  return format === 'json' ? JSON.stringify(list, null, 4) + '\n' : toYaml(list);
}

export function outputFormat(value: string | undefined): 'yaml' | 'json' | undefined {
  if (value === undefined) return undefined;
  if (value === 'yaml' || value === 'json') return value;
  throw new UsageError(`unknown output format "${value}": use yaml or json`);
}
