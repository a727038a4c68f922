import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { KubeClient } from '../../src/kube/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
  }
}

const LOCAL_KUBECONFIG = resolve('.slipway/cluster/kubeconfig');

/**
 * Integration tests run against a real kube-apiserver: the local control plane of
 * `scripts/cluster` (started here when it is not running, and left running for the next
 * run; `scripts/cluster down` stops it), or the cluster of $SLIPWAY_TEST_KUBECONFIG.
 * $KUBECONFIG is ignored on purpose, so that tests never touch a cluster someone happens
 * to be logged in to.
 */
export default async function setup(project: TestProject): Promise<void> {
  const explicit = process.env.SLIPWAY_TEST_KUBECONFIG;
  const kubeconfig = explicit || LOCAL_KUBECONFIG;
  if (!explicit && !(await reachable(kubeconfig))) {
    console.error('integration: local control plane not running; starting it with scripts/cluster up');
    execFileSync(resolve('scripts/cluster'), ['up'], { stdio: 'inherit' });
  }
  if (!(await reachable(kubeconfig))) {
    throw new Error(`integration tests need a cluster; none answers with ${kubeconfig} (try "scripts/cluster up")`);
  }
  project.provide('kubeconfig', kubeconfig);
}

async function reachable(kubeconfig: string): Promise<boolean> {
  if (!existsSync(kubeconfig)) return false;
  const client = await KubeClient.load({ kubeconfig });
  try {
    await client.request('GET', '/version');
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}
