import { type KubeObject } from '../../core/index.js';
import { Inventory, getObject, serverSideApply, type KubeClient, type ObjectRef } from '../../kube/index.js';
import type { AppSpec, HistoryEntry } from './deps.js';

const INVENTORY_MANAGER = 'slipway-inventory';
const HISTORY_MANAGER = 'slipway-history';

/**
 * What the reconciler keeps on the cluster for one app, in one ConfigMap next to the app
 * object (`slipway-app.<kind>.<name>`): the inventory (kube Inventory entries, cli-utils'
 * key spelling) and the sync history as JSON under `history`. Two field managers write the
 * two parts, so that writing one never drops the other. Flux apps also show the inventory in
 * their status, and Argo CD apps the history, but the ConfigMap is what Slipway reads back:
 * it is there whatever the app's CRD keeps.
 */
export class AppStateStore {
  readonly inventory: Inventory;

  constructor(
    private readonly client: KubeClient,
    app: AppSpec,
  ) {
    this.inventory = new Inventory(client, stateName(app), app.ref.namespace, INVENTORY_MANAGER);
  }

  async readInventory(): Promise<ObjectRef[]> {
    return this.inventory.read();
  }

  async writeInventory(refs: readonly ObjectRef[]): Promise<void> {
    await this.inventory.write(refs);
  }

  /** The stored history; undefined when none was ever written. */
  async readHistory(): Promise<HistoryEntry[] | undefined> {
    const cm = await getObject(this.client, this.ref());
    const text = (cm?.data as Record<string, string> | undefined)?.history;
    if (!text) return undefined;
    try {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? (parsed as HistoryEntry[]) : undefined;
    } catch {
      return undefined;
    }
  }

  async writeHistory(history: readonly HistoryEntry[]): Promise<void> {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.inventory.name, namespace: this.inventory.namespace },
      data: { history: JSON.stringify(history) },
    };
    await serverSideApply(this.client, cm, { fieldManager: HISTORY_MANAGER, force: true });
  }

  private ref(): ObjectRef {
    return { group: '', version: 'v1', kind: 'ConfigMap', namespace: this.inventory.namespace, name: this.inventory.name };
  }
}

/** "slipway-app.application.guestbook". */
export function stateName(app: Pick<AppSpec, 'ref'>): string {
  return `slipway-app.${app.ref.kind.toLowerCase()}.${app.ref.name}`;
}
