/**
 * Resource ids as kyaml's resid package has them (kyaml/resid/gvk.go, resid.go): group,
 * version, kind, name, namespace, whether the kind is certainly cluster-scoped (kyaml's
 * precomputed openapi table), the effective namespace, equality and the printed forms
 * kustomize puts in its messages.
 */

/** Group, version, kind; `clusterScoped` only when built from an object (resid.NewGvk). */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
  clusterScoped?: boolean;
}

export interface ResId {
  gvk: Gvk;
  name: string;
  namespace: string;
}

export const TOTALLY_NOT_A_NAMESPACE = '_non_namespaceable_';
export const DEFAULT_NAMESPACE = 'default';

/**
 * kyaml openapi precomputedIsNamespaceScoped: apiVersion+kind -> namespaced?, for the
 * default built-in schema (kubernetes 1.21.2). Kinds not listed are "not certainly
 * cluster-scoped", so they are treated as namespaced.
 */
const NAMESPACE_SCOPED: Record<string, boolean> = {
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration': false,
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration': false,
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration': false,
  'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration': false,
  'apiextensions.k8s.io/v1 CustomResourceDefinition': false,
  'apiextensions.k8s.io/v1beta1 CustomResourceDefinition': false,
  'apiregistration.k8s.io/v1 APIService': false,
  'apiregistration.k8s.io/v1beta1 APIService': false,
  'apps/v1 ControllerRevision': true,
  'apps/v1 DaemonSet': true,
  'apps/v1 Deployment': true,
  'apps/v1 ReplicaSet': true,
  'apps/v1 StatefulSet': true,
  'autoscaling/v1 HorizontalPodAutoscaler': true,
  'autoscaling/v1 Scale': true,
  'autoscaling/v2beta1 HorizontalPodAutoscaler': true,
  'autoscaling/v2beta2 HorizontalPodAutoscaler': true,
  'batch/v1 CronJob': true,
  'batch/v1 Job': true,
  'batch/v1beta1 CronJob': true,
  'certificates.k8s.io/v1 CertificateSigningRequest': false,
  'certificates.k8s.io/v1beta1 CertificateSigningRequest': false,
  'coordination.k8s.io/v1 Lease': true,
  'coordination.k8s.io/v1beta1 Lease': true,
  'discovery.k8s.io/v1 EndpointSlice': true,
  'discovery.k8s.io/v1beta1 EndpointSlice': true,
  'events.k8s.io/v1 Event': true,
  'events.k8s.io/v1beta1 Event': true,
  'extensions/v1beta1 Ingress': true,
  'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema': false,
  'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration': false,
  'networking.k8s.io/v1 Ingress': true,
  'networking.k8s.io/v1 IngressClass': false,
  'networking.k8s.io/v1 NetworkPolicy': true,
  'networking.k8s.io/v1beta1 Ingress': true,
  'networking.k8s.io/v1beta1 IngressClass': false,
  'node.k8s.io/v1 RuntimeClass': false,
  'node.k8s.io/v1beta1 RuntimeClass': false,
  'policy/v1 PodDisruptionBudget': true,
  'policy/v1beta1 PodDisruptionBudget': true,
  'policy/v1beta1 PodSecurityPolicy': false,
  'rbac.authorization.k8s.io/v1 ClusterRole': false,
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': false,
  'rbac.authorization.k8s.io/v1 Role': true,
  'rbac.authorization.k8s.io/v1 RoleBinding': true,
  'rbac.authorization.k8s.io/v1beta1 ClusterRole': false,
  'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding': false,
  'rbac.authorization.k8s.io/v1beta1 Role': true,
  'rbac.authorization.k8s.io/v1beta1 RoleBinding': true,
  'scheduling.k8s.io/v1 PriorityClass': false,
  'scheduling.k8s.io/v1beta1 PriorityClass': false,
  'storage.k8s.io/v1 CSIDriver': false,
  'storage.k8s.io/v1 CSINode': false,
  'storage.k8s.io/v1 StorageClass': false,
  'storage.k8s.io/v1 VolumeAttachment': false,
  'storage.k8s.io/v1beta1 CSIDriver': false,
  'storage.k8s.io/v1beta1 CSINode': false,
  'storage.k8s.io/v1beta1 CSIStorageCapacity': true,
  'storage.k8s.io/v1beta1 StorageClass': false,
  'storage.k8s.io/v1beta1 VolumeAttachment': false,
  'v1 ComponentStatus': false,
  'v1 ConfigMap': true,
  'v1 Endpoints': true,
  'v1 Event': true,
  'v1 LimitRange': true,
  'v1 Namespace': false,
  'v1 Node': false,
  'v1 NodeProxyOptions': false,
  'v1 PersistentVolume': false,
  'v1 PersistentVolumeClaim': true,
  'v1 Pod': true,
  'v1 PodAttachOptions': true,
  'v1 PodExecOptions': true,
  'v1 PodPortForwardOptions': true,
  'v1 PodProxyOptions': true,
  'v1 PodTemplate': true,
  'v1 ReplicationController': true,
  'v1 ResourceQuota': true,
  'v1 Secret': true,
  'v1 Service': true,
  'v1 ServiceAccount': true,
  'v1 ServiceProxyOptions': true,
};

export function apiVersionOf(gvk: Gvk): string {
  return gvk.group !== '' ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/** openapi.IsCertainlyClusterScoped. */
export function isCertainlyClusterScoped(apiVersion: string, kind: string): boolean {
  return NAMESPACE_SCOPED[`${apiVersion} ${kind}`] === false;
}

/** resid.ParseGroupVersion. */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i > -1 ? { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) } : { group: '', version: apiVersion };
}

/** resid.NewGvk: a gvk with its cluster scope looked up. */
export function newGvk(group: string, version: string, kind: string): Gvk {
  const apiVersion = group !== '' ? `${group}/${version}` : version;
  return { group, version, kind, clusterScoped: isCertainlyClusterScoped(apiVersion, kind) };
}

/** resid.GvkFromNode. */
export function gvkFromApiVersion(apiVersion: string, kind: string): Gvk {
  const { group, version } = parseGroupVersion(apiVersion);
  return newGvk(group, version, kind);
}

/** Gvk.String(): `Kind.version.group` with [noKind]/[noVer]/[noGrp] for empty parts. */
export function gvkString(g: Gvk): string {
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}`;
}

/** ResId.String(): `Kind.version.group/name.namespace`. */
export function resIdString(id: ResId): string {
  return `${gvkString(id.gvk)}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}

/** resid.FromString, the inverse of {@link resIdString}. */
export function resIdFromString(s: string): ResId {
  const slash = s.indexOf('/');
  const gvkPart = slash < 0 ? s : s.slice(0, slash);
  const gv = gvkPart.split('.');
  let gvk: Gvk;
  if (gv.length < 3) gvk = { group: '', version: '', kind: '' };
  else {
    const k = gv[0] === '[noKind]' ? '' : gv[0]!;
    const v = gv[1] === '[noVer]' ? '' : gv[1]!;
    const g = gv.slice(2).join('.');
    gvk = newGvk(g === '[noGrp]' ? '' : g, v, k);
  }
  const rest = (slash < 0 ? '' : s.slice(slash + 1)).split('.');
  const ns = rest[rest.length - 1]!;
  const nm = rest.slice(0, -1).join('.');
  return { gvk, namespace: ns === '[noNs]' ? '' : ns, name: nm === '[noName]' ? '' : nm };
}

/** ResId.EffectiveNamespace. */
export function effectiveNamespace(id: ResId): string {
  if (id.gvk.clusterScoped) return TOTALLY_NOT_A_NAMESPACE;
  if (id.namespace === '' || id.namespace === DEFAULT_NAMESPACE) return DEFAULT_NAMESPACE;
  return id.namespace;
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** ResId.Equals: same gvk, name and effective namespace. */
export function resIdEquals(a: ResId, b: ResId): boolean {
  return a.name === b.name && gvkEquals(a.gvk, b.gvk) && effectiveNamespace(a) === effectiveNamespace(b);
}

/** ResId.GvknEquals. */
export function gvknEquals(a: ResId, b: ResId): boolean {
  return a.name === b.name && gvkEquals(a.gvk, b.gvk);
}

/** A map key equal for ids that {@link resIdEquals} calls equal. */
export function resIdKey(id: ResId): string {
  return `${id.gvk.group}\u0000${id.gvk.version}\u0000${id.gvk.kind}\u0000${id.name}\u0000${effectiveNamespace(id)}`;
}

/** Gvk.IsSelected: every non-empty part of the selector matches. */
export function gvkIsSelected(x: Gvk, selector: Gvk | undefined): boolean {
  if (!selector) return true;
  if (selector.group && x.group !== selector.group) return false;
  if (selector.version && x.version !== selector.version) return false;
  if (selector.kind && x.kind !== selector.kind) return false;
  return true;
}

/** ResId.IsSelectedBy. */
export function resIdIsSelectedBy(id: ResId, selector: ResId): boolean {
  return (
    (selector.name === '' || selector.name === id.name) &&
    (selector.namespace === '' || effectiveNamespace(selector) === effectiveNamespace(id)) &&
    gvkIsSelected(id.gvk, selector.gvk)
  );
}

/** kyaml's default legacy order: these kinds first, in this order ... */
export const ORDER_FIRST: readonly string[] = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
/** ... and these last. */
export const ORDER_LAST: readonly string[] = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/** typeOrders of kyaml/resid/gvk.go (and of SortOrderTransformer with custom lists). */
export function typeOrders(first: readonly string[], last: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  first.forEach((n, i) => m.set(n, -first.length + i));
  last.forEach((n, i) => m.set(n, 1 + i));
  return m;
}

const DEFAULT_TYPE_ORDERS = typeOrders(ORDER_FIRST, ORDER_LAST);

function stableSortString(g: Gvk): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

/** Gvk.IsLessThan: the order field specs and name back-references are sorted in. */
export function gvkIsLessThan(a: Gvk, b: Gvk): boolean {
  const i = DEFAULT_TYPE_ORDERS.get(a.kind) ?? 0;
  const j = DEFAULT_TYPE_ORDERS.get(b.kind) ?? 0;
  if (i !== j) return i < j;
  return stableSortString(a) < stableSortString(b);
}

/** Go's %#v of a resid.ResId, as a few kustomize messages print it. */
export function goSyntaxResId(id: ResId): string {
  const q = (s: string) => JSON.stringify(s);
  return `resid.ResId{Gvk:resid.Gvk{Group:${q(id.gvk.group)}, Version:${q(id.gvk.version)}, Kind:${q(id.gvk.kind)}, isClusterScoped:${id.gvk.clusterScoped ? 'true' : 'false'}}, Name:${q(id.name)}, Namespace:${q(id.namespace)}}`;
}
