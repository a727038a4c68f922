// Argo CD's Application and AppProject (argoproj.io/v1alpha1), for clusters without Argo CD.
// The fields Slipway reads are typed as in argo-cd's manifests/crds; every object keeps the
// fields it does not list, so manifests written for any Argo CD version apply unchanged.
// Differences from the upstream CRDs: the status subresource is on (upstream Applications have
// none; status is then written with the object), and the schemas are far smaller.
import type { KubeObject } from '../../core/index.js';
import { anyObject, bool, column, crd, type CrdOptions, helmSkipFields, helmValuesFields, int, kustomizeOptionFields, kustomizePatches, kustomizeReplicas, list, obj, openObj, resource, resourceRefFields, resourceStatus, revisionHistoryFields, str, strList, strMap, time, type Schema } from './schema.js';

const directory = (): Schema =>
  openObj({ recurse: bool(), include: str(), exclude: str(), jsonnet: anyObject(), disableExtensionFilter: bool() });

const kustomize = (): Schema =>
  openObj({
    ...kustomizeOptionFields(),
    labelWithoutSelector: bool(),
    forceCommonLabels: bool(),
    forceCommonAnnotations: bool(),
    version: str(),
    patches: kustomizePatches(openObj),
    replicas: kustomizeReplicas(),
  });

const helm = (): Schema =>
  openObj({
    ...helmValuesFields(),
    parameters: list(obj({ name: str(), value: str(), forceString: bool() })),
    fileParameters: list(obj({ name: str(), path: str() })),
    ignoreMissingValueFiles: bool(),
    passCredentials: bool(),
    ...helmSkipFields(),
    version: str(),
    kubeVersion: str(),
    apiVersions: strList(),
  });

const applicationSource = (): Schema =>
  openObj(
    {
      repoURL: str(),
      targetRevision: str(),
      path: str(),
      chart: str(),
      ref: str(),
      name: str(),
      directory: directory(),
      kustomize: kustomize(),
      helm: helm(),
      plugin: anyObject(),
    },
    ['repoURL'],
  );

const retry = (): Schema => obj({ limit: int(), refresh: bool(), backoff: obj({ duration: str(), factor: int(), maxDuration: str() }) });

const applicationSpec = (): Schema =>
  openObj(
    {
      project: str(),
      source: applicationSource(),
      sources: list(applicationSource()),
      destination: obj({ server: str(), name: str(), namespace: str() }),
      syncPolicy: openObj({
        automated: obj({ enabled: bool(), prune: bool(), selfHeal: bool(), allowEmpty: bool() }),
        syncOptions: strList(),
        retry: retry(),
        managedNamespaceMetadata: obj({ labels: strMap(), annotations: strMap() }),
      }),
      ignoreDifferences: list(
        obj(
          {
            group: str(),
            kind: str(),
            name: str(),
            namespace: str(),
            jsonPointers: strList(),
            jqPathExpressions: strList(),
            managedFieldsManagers: strList(),
          },
          ['kind'],
        ),
      ),
      info: list(obj({ name: str(), value: str() }, ['name', 'value'])),
      revisionHistoryLimit: int(),
      sourceHydrator: anyObject(),
    },
    ['destination', 'project'],
  );

const health = (): Schema => obj({ status: str(), message: str(), lastTransitionTime: time() });

const applicationStatus = (): Schema =>
  openObj({
    sync: openObj({ status: str(), revision: str(), revisions: strList(), comparedTo: anyObject() }, ['status']),
    health: health(),
    resources: list(resourceStatus(openObj, health())),
    history: list(openObj(revisionHistoryFields(), ['deployedAt', 'id'])),
    operationState: openObj(
      {
        operation: anyObject(),
        phase: str(),
        message: str(),
        startedAt: time(),
        finishedAt: time(),
        retryCount: int(),
        syncResult: openObj(
          {
            revision: str(),
            revisions: strList(),
            source: anyObject(),
            sources: list(anyObject()),
            resources: list(
              openObj(
                {
                  ...resourceRefFields(),
                  message: str(),
                  hookType: str(),
                  hookPhase: str(),
                  syncPhase: str(),
                },
                ['group', 'kind', 'name', 'namespace', 'version'],
              ),
            ),
          },
          ['revision'],
        ),
      },
      ['operation', 'phase', 'startedAt'],
    ),
    conditions: list(obj({ type: str(), message: str(), lastTransitionTime: time() }, ['message', 'type'])),
    reconciledAt: time(),
    observedAt: time(),
    sourceType: str(),
    sourceTypes: strList(),
    summary: openObj({ images: strList(), externalURLs: strList() }),
    resourceHealthSource: str(),
    controllerNamespace: str(),
  });

/** An argoproj.io CRD with its one version, v1alpha1. */
const argoCrd = (names: Pick<CrdOptions, 'kind' | 'plural' | 'singular' | 'shortNames'>, version: Omit<CrdOptions['versions'][number], 'name'>): KubeObject =>
  crd({ group: 'argoproj.io', ...names, versions: [{ name: 'v1alpha1', ...version }] });

/** applications.argoproj.io */
export function argoApplicationCrd(): KubeObject {
  return argoCrd(
    { kind: 'Application', plural: 'applications', singular: 'application', shortNames: ['app', 'apps'] },
    {
      // `operation` is where a sync is asked for (what `argocd app sync` writes).
      schema: resource(applicationSpec(), applicationStatus(), { operation: anyObject() }, ['metadata', 'spec']),
      columns: [
        column('Sync Status', '.status.sync.status'),
        column('Health Status', '.status.health.status'),
        column('Revision', '.status.sync.revision', 'string', 10),
        column('Project', '.spec.project', 'string', 10),
      ],
    },
  );
}

/** appprojects.argoproj.io */
export function argoAppProjectCrd(): KubeObject {
  const resourceRef = () => obj({ group: str(), kind: str() }, ['group', 'kind']);
  return argoCrd(
    { kind: 'AppProject', plural: 'appprojects', singular: 'appproject', shortNames: ['appproj', 'appprojs'] },
    {
      schema: resource(
        openObj({
          description: str(),
          sourceRepos: strList(),
          sourceNamespaces: strList(),
          destinations: list(openObj({ server: str(), name: str(), namespace: str() })),
          clusterResourceWhitelist: list(resourceRef()),
          clusterResourceBlacklist: list(resourceRef()),
          namespaceResourceWhitelist: list(resourceRef()),
          namespaceResourceBlacklist: list(resourceRef()),
        }),
        anyObject(),
        {},
        ['metadata', 'spec'],
      ),
    },
  );
}
