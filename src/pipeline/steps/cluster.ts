/** The cluster-side steps (deploy, job, env) and Secret reads, bound to one client for a run. */
import { InputError } from '../../core/index.js';
import type { KubeClient } from '../../kube/index.js';
import type { ClusterSteps } from '../run/runner.js';
import { runDeployStep } from './deploy.js';
import { createTestEnv, teardownTestEnv } from './env.js';
import { runJobStep } from './job.js';

export function clusterSteps(client: KubeClient): ClusterSteps {
  return {
    deploy: (step, ctx) => runDeployStep(client, step, ctx.workspace, ctx.io, { namespace: ctx.envNamespace }),
    job: (step, namespace, ctx) => runJobStep(client, step, namespace, ctx.run, ctx.io),
    async createEnv(step, ctx) {
      const env = await createTestEnv(client, step, ctx.run, ctx.io);
      return {
        namespace: env.namespace,
        teardown: async (outcome, io) => {
          await teardownTestEnv(client, env, outcome, step.keep, io);
        },
      };
    },
    async readSecret({ name, key, namespace }) {
      const ns = namespace ?? client.namespace;
      const secret = await client.request<{ data?: Record<string, string> }>(
        'GET',
        `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}`,
      );
      const value = secret.data?.[key];
      if (value === undefined) throw new InputError(`Secret ${ns}/${name} has no key "${key}"`);
      return Buffer.from(value, 'base64').toString('utf8');
    },
  };
}
