// What `slipway install` (no chart) puts in a cluster to run Slipway's GitOps controller: the
// gitops CRDs the cluster lacks, a namespace, a ServiceAccount with the rights of Argo CD's
// application-controller (everything, on every resource, since an app may sync any kind), a
// Deployment running `slipway controller --leader-elect` and a Service for its webhook port.
// Pure: builds objects; the CLI applies them.
import type { KubeObject } from '../core/index.js';
import { gitopsCrds } from './models/index.js';

/** Field manager of `slipway install`. */
export const INSTALL_FIELD_MANAGER = 'slipway-install';
/** The label every installed object carries; a CRD without it belongs to someone else (Argo CD, Flux). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'slipway';
/** Default namespace of the controller. */
export const DEFAULT_INSTALL_NAMESPACE = 'slipway-system';
/** The port of the controller's HTTP server (webhooks, /healthz, /metrics). */
export const WEBHOOK_PORT = 8080;
/** Optional Secret (key `secret`) with the webhook HMAC secret, read by the controller as $SLIPWAY_WEBHOOK_SECRET. */
export const WEBHOOK_SECRET_NAME = 'slipway-webhook';

export interface InstallOptions {
  /** Slipway's version: the image tag when `image` is not given. */
  version: string;
  /** @default DEFAULT_INSTALL_NAMESPACE */
  namespace?: string;
  /** @default `ghcr.io/slipway/slipway:<version>` */
  image?: string;
  /** Controller replicas (they elect a leader). @default 1 */
  replicas?: number;
}

/** The default controller image for a version. */
export function defaultImage(version: string): string {
  return `ghcr.io/slipway/slipway:${version === 'unknown' ? 'latest' : version}`;
}

/**
 * Name of the cluster-scoped RBAC objects: `slipway-controller` for the default namespace,
 * `slipway-controller-<namespace>` otherwise, so that two installs do not share them.
 */
export function clusterRoleName(namespace: string): string {
  return namespace === DEFAULT_INSTALL_NAMESPACE ? 'slipway-controller' : `slipway-controller-${namespace}`;
}

/** The gitops CRDs, labelled as Slipway's (see {@link crdInstallAction} for which to apply). */
export function installCrds(): KubeObject[] {
  return gitopsCrds().map((crd) => withLabels(crd, { [MANAGED_BY_LABEL]: MANAGED_BY }));
}

/**
 * What to do with one CRD: create it when the cluster lacks it, update it when Slipway installed
 * it, and leave it alone otherwise (it belongs to Argo CD or Flux, whose controllers may run
 * with it: overwriting their schema could break them).
 */
export function crdInstallAction(live: KubeObject | undefined): 'create' | 'update' | 'skip' {
  if (!live) return 'create';
  return live.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? 'update' : 'skip';
}

/** The namespace, RBAC, Deployment and Service of the controller (CRDs not included), in apply order. */
export function installObjects(options: InstallOptions): KubeObject[] {
  const ns = options.namespace ?? DEFAULT_INSTALL_NAMESPACE;
  const image = options.image ?? defaultImage(options.version);
  const roleName = clusterRoleName(ns);
  const selector = { 'app.kubernetes.io/name': 'slipway', 'app.kubernetes.io/component': 'controller' };
  const labels = { ...selector, 'app.kubernetes.io/part-of': 'slipway', 'app.kubernetes.io/version': options.version, [MANAGED_BY_LABEL]: MANAGED_BY };
  const meta = (name: string, namespaced: boolean) => ({ name, ...(namespaced ? { namespace: ns } : {}), labels: { ...labels } });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, false) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('slipway-controller', true) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(roleName, false),
      // As Argo CD's argocd-application-controller: an app may sync any kind, and prune it.
      // Leases (leader election) and events are covered; listed for whoever narrows this.
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { nonResourceURLs: ['*'], verbs: ['*'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(roleName, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: 'slipway-controller', namespace: ns }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('slipway-controller', true),
      spec: {
        replicas: options.replicas ?? 1,
        selector: { matchLabels: { ...selector } },
        template: {
          metadata: { labels: { ...selector } },
          spec: {
            serviceAccountName: 'slipway-controller',
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'controller',
                image,
                // Listen on every interface (the default is loopback, unreachable for probes and the
                // Service); the Lease lives next to the controller.
                args: ['controller', '--leader-elect', '--listen', `0.0.0.0:${WEBHOOK_PORT}`, '--lease-namespace', '$(POD_NAMESPACE)'],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'SLIPWAY_CACHE', value: '/var/cache/slipway' },
                  // Webhook HMAC secret: create Secret slipway-webhook with key "secret" to require signed pushes.
                  { name: 'SLIPWAY_WEBHOOK_SECRET', valueFrom: { secretKeyRef: { name: WEBHOOK_SECRET_NAME, key: 'secret', optional: true } } },
                ],
                ports: [{ name: 'http', containerPort: WEBHOOK_PORT, protocol: 'TCP' }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 20 },
                resources: { requests: { cpu: '100m', memory: '256Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [
                  { name: 'cache', mountPath: '/var/cache/slipway' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'cache', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('slipway-controller', true),
      spec: { selector: { ...selector }, ports: [{ name: 'http', port: WEBHOOK_PORT, targetPort: 'http', protocol: 'TCP' }] },
    },
  ];
}

function withLabels(obj: KubeObject, labels: Record<string, string>): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, ...labels } } };
}
