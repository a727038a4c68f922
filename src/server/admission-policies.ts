/**
 * The policies and namespace labels the admission webhook decides with: Kyverno ClusterPolicies
 * and Policies from files (`--policy DIR`) and/or from the cluster through the shared
 * WatchCache (one LIST+WATCH per kind), and Namespaces from the same cache for
 * namespaceSelector. A policy that does not parse is left out and reported, never fatal: one
 * bad policy must not switch enforcement of the others off.
 */
import { InputError, SlipwayError, formatError, joinPath, keyString, nodeFileSystem, type FileSystem, type KubeObject } from '../core/index.js';
import { parseYamlStream } from '../engines/yaml/index.js';
import { parsePolicies, type Policy } from '../engines/policy/index.js';
import { getObject, type CacheEvent, type KubeClient, type WatchCache } from '../kube/index.js';

/** The API versions and kinds of Kyverno policies the webhook reads from the cluster. */
export const POLICY_KINDS = [
  { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' },
  { apiVersion: 'kyverno.io/v1', kind: 'Policy' },
] as const;

/** Options of {@link PolicyStore}. */
export interface PolicyStoreOptions {
  /** Policy objects read from files; they are always in force. */
  filePolicies?: readonly KubeObject[];
  /** Watch ClusterPolicies and Policies in the cluster through this cache. */
  cache?: WatchCache;
  /** Only cluster policies this accepts are enforced (e.g. by label). @default every one */
  select?: (obj: KubeObject) => boolean;
  /** Called for a policy that cannot be read (with where it came from). */
  onInvalid?: (where: string, error: unknown) => void;
}

/**
 * The current policy set: the file policies plus the cluster's, rebuilt from the cache on every
 * ClusterPolicy/Policy event (only the changed object is parsed again).
 */
export class PolicyStore {
  private readonly fromFiles: Policy[];
  private readonly fromCluster = new Map<string, Policy[]>();
  private snapshot: Policy[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;

  constructor(private readonly options: PolicyStoreOptions = {}) {
    this.fromFiles = [];
    for (const obj of options.filePolicies ?? []) this.fromFiles.push(...this.parse(obj, `file policy ${obj.metadata?.name ?? '?'}`));
    this.rebuild();
  }

  /** Starts watching the cluster's policies (when a cache was given) and resolves after their first list. */
  async start(): Promise<void> {
    const cache = this.options.cache;
    if (!cache || this.started) return;
    this.started = true;
    for (const { apiVersion, kind } of POLICY_KINDS) {
      this.unsubscribe.push(cache.subscribeKind('kyverno.io', kind, (e) => this.onEvent(e)));
      await cache.watchKind(apiVersion, kind);
      for (const obj of cache.list('kyverno.io', kind)) if (this.selected(obj)) this.fromCluster.set(idOf(obj), this.parse(obj, describe(obj)));
    }
    this.rebuild();
  }

  /** Every policy in force. */
  policies(): readonly Policy[] {
    return this.snapshot;
  }

  /** Calls `fn` after each change of the policy set; returns the unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Stops listening to the cache (the cache itself is the caller's). */
  stop(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private onEvent(e: CacheEvent): void {
    const id = idOf(e.object);
    if (e.type === 'DELETED' || !this.selected(e.object)) this.fromCluster.delete(id);
    else this.fromCluster.set(id, this.parse(e.object, describe(e.object)));
    this.rebuild();
  }

  private selected(obj: KubeObject): boolean {
    return this.options.select?.(obj) ?? true;
  }

  private parse(obj: KubeObject, where: string): Policy[] {
    try {
      return parsePolicies([obj]);
    } catch (e) {
      this.options.onInvalid?.(where, e);
      return [];
    }
  }

  private rebuild(): void {
    this.snapshot = [...this.fromFiles, ...[...this.fromCluster.values()].flat()];
    for (const fn of this.listeners) fn();
  }
}

function idOf(obj: KubeObject): string {
  return keyString({ group: 'kyverno.io', kind: obj.kind, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' });
}

function describe(obj: KubeObject): string {
  return `${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? '?'}`;
}

/**
 * Reads the Kyverno ClusterPolicy and Policy objects in files and directories (walked in name
 * order, hidden directories such as `.kyverno-test` skipped). Other YAML — resources, test
 * files, Artifact Hub metadata — is passed over, as the Kyverno CLI does with a policy
 * directory; YAML that does not parse is an error naming file and line.
 */
export function loadPolicyFiles(paths: readonly string[], fs: FileSystem = nodeFileSystem): KubeObject[] {
  const out: KubeObject[] = [];
  const walk = (dir: string): string[] =>
    fs
      .readDir(dir)
      .sort()
      .flatMap((name) => {
        const path = joinPath(dir, name);
        if (fs.stat(path)?.isDirectory) return name.startsWith('.') ? [] : walk(path);
        return /\.(ya?ml|json)$/.test(name) ? [path] : [];
      });
  for (const path of paths) {
    const st = fs.stat(path);
    if (!st) throw new InputError('no such file or directory', { file: path });
    for (const file of st.isDirectory ? walk(path) : [path]) {
      for (const doc of parseYamlStream(fs.readFile(file), file)) {
        const v = doc.value as Partial<KubeObject> | null;
        if (!v || typeof v !== 'object' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('kyverno.io/')) continue;
        if (v.kind !== 'ClusterPolicy' && v.kind !== 'Policy') continue;
        if (typeof v.metadata?.name !== 'string' || !v.metadata.name) throw new InputError(`${v.kind} without metadata.name`, doc.locate([]));
        out.push(v as KubeObject);
      }
    }
  }
  return out;
}

/**
 * Namespace labels for namespaceSelector, from the watch cache; a namespace the cache has not
 * seen yet (created a moment ago) is read once from the apiserver.
 */
export class NamespaceLabels {
  constructor(
    private readonly client: KubeClient,
    private readonly cache: WatchCache,
  ) {}

  /** Starts watching Namespaces; resolves after the first list. */
  async start(): Promise<void> {
    await this.cache.watchKind('v1', 'Namespace');
  }

  /** The labels of `namespace`, or undefined when it does not exist. */
  async labels(namespace: string): Promise<Record<string, string> | undefined> {
    const cached = this.cache.get({ group: '', kind: 'Namespace', namespace: '', name: namespace });
    if (cached) return cached.metadata.labels ?? {};
    const live = await getObject(this.client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: namespace });
    return live ? live.metadata.labels ?? {} : undefined;
  }
}

/** One line for a policy that could not be read. */
export function invalidPolicyLine(where: string, error: unknown): string {
  return `${where}: not enforced: ${error instanceof SlipwayError ? formatError(error) : (error as Error).message}`;
}
