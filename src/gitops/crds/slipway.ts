// Slipway's own Application (slipway.dev/v1alpha1): one git source, one destination namespace,
// a few sync switches. The schema is the whole type: unknown fields are pruned, so it lists
// every field models/slipway.ts reads (the render blocks it shares with Argo CD's sources).
import type { KubeObject } from '../../core/index.js';
import { bool, column, condition, crd, goDuration, helmSkipFields, helmValuesFields, int, kustomizeOptionFields, kustomizePatches, kustomizeReplicas, list, obj, resource, resourceStatus, revisionHistoryFields, str, strList, time, type Schema } from './schema.js';

const health = (): Schema => obj({ status: str(), message: str() }, ['status']);

const source = (): Schema =>
  obj(
    {
      repoURL: str({ minLength: 1, description: 'Git repository: https://, http://, ssh:// or scp-like git@host:path.' }),
      revision: str({ description: 'Branch, tag or commit SHA. Defaults to HEAD.' }),
      path: str({ description: 'Directory in the repository. Defaults to the root.' }),
      kind: str({ enum: ['directory', 'kustomize', 'helm'], description: 'How to render the path; detected from its files when absent.' }),
      secretRef: obj({ name: str() }, ['name'], { description: "Secret with git credentials, in the Application's namespace." }),
      directory: obj({ recurse: bool(), include: str(), exclude: str() }),
      kustomize: obj({
        ...kustomizeOptionFields(),
        patches: kustomizePatches(obj),
        replicas: kustomizeReplicas(),
        labelWithoutSelector: bool(),
      }),
      helm: obj({
        ...helmValuesFields(),
        parameters: list(obj({ name: str(), value: str(), forceString: bool() }, ['name'])),
        fileParameters: list(obj({ name: str(), path: str() }, ['name', 'path'])),
        ignoreMissingValueFiles: bool(),
        ...helmSkipFields(),
        kubeVersion: str(),
        apiVersions: strList(),
        version: str({ enum: ['v3'] }),
      }),
    },
    ['repoURL'],
  );

const spec = (): Schema =>
  obj(
    {
      source: source(),
      destination: obj({ namespace: str({ description: "Namespace for objects that name none. Defaults to the Application's namespace." }) }),
      syncPolicy: obj({
        automated: bool({ default: false, description: 'Sync whenever the source or the live objects change.' }),
        prune: bool({ default: false, description: 'Delete objects that are no longer rendered.' }),
        selfHeal: bool({ default: false, description: 'Undo changes made to live objects.' }),
        createNamespace: bool({ default: false, description: 'Create the destination namespace if missing.' }),
      }),
      interval: { ...goDuration(), default: '3m', description: 'Time between refreshes.' },
      suspend: bool({ default: false }),
    },
    ['source'],
  );

const status = (): Schema =>
  obj({
    observedGeneration: int(),
    sync: obj({ status: str({ enum: ['Synced', 'OutOfSync', 'Unknown'] }), revision: str() }, ['status']),
    health: health(),
    conditions: list(condition()),
    resources: list(resourceStatus(obj, health())),
    history: list(obj(revisionHistoryFields(), ['id', 'revision', 'deployedAt'])),
    operation: obj(
      { phase: str({ enum: ['Running', 'Succeeded', 'Failed', 'Error', 'Terminating'] }), message: str(), startedAt: time(), finishedAt: time(), revision: str() },
      ['phase', 'startedAt'],
    ),
    lastAppliedRevision: str(),
    sourceType: str(),
    error: str(),
    reconciledAt: time(),
    lastHandledReconcileAt: str(),
  });

/** applications.slipway.dev */
export function slipwayApplicationCrd(): KubeObject {
  return crd({
    group: 'slipway.dev',
    kind: 'Application',
    plural: 'applications',
    singular: 'application',
    shortNames: ['sapp'],
    categories: ['slipway'],
    versions: [
      {
        name: 'v1alpha1',
        schema: resource(spec(), status()),
        columns: [
          column('Sync', '.status.sync.status'),
          column('Health', '.status.health.status'),
          column('Ready', '.status.conditions[?(@.type=="Ready")].status'),
          column('Revision', '.status.sync.revision', 'string', 10),
          column('Age', '.metadata.creationTimestamp', 'date'),
        ],
      },
    ],
  });
}
