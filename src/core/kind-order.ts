/**
 * The one kind-order table. Objects are applied in this order (Helm v3's install order,
 * helm v3.22 pkg/releaseutil/kind_sorter.go; webhook configurations are unknown kinds there,
 * so they sort with the other unknown kinds) and deleted in UNINSTALL_ORDER; kinds not in
 * a table go after every known kind, sorted by name, keeping input order within a kind.
 */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

/**
 * Helm's uninstall order (same file). Not quite the reverse of INSTALL_ORDER: Services go
 * right after Ingresses.
 */
export const UNINSTALL_ORDER: readonly string[] = [
  'APIService',
  'Ingress',
  'IngressClass',
  'Service',
  'CronJob',
  'Job',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'DaemonSet',
  'RoleBindingList',
  'RoleBinding',
  'RoleList',
  'Role',
  'ClusterRoleBindingList',
  'ClusterRoleBinding',
  'ClusterRoleList',
  'ClusterRole',
  'CustomResourceDefinition',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'ConfigMap',
  'SecretList',
  'Secret',
  'ServiceAccount',
  'PodDisruptionBudget',
  'PodSecurityPolicy',
  'LimitRange',
  'ResourceQuota',
  'NetworkPolicy',
  'Namespace',
  'PriorityClass',
];

function comparator(order: readonly string[]): (a: string, b: string) => number {
  const rank = new Map(order.map((k, i) => [k, i]));
  return (a, b) => {
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra === undefined && rb === undefined) return a < b ? -1 : a > b ? 1 : 0;
    if (ra === undefined) return 1; // unknown kinds go last
    if (rb === undefined) return -1;
    return ra - rb;
  };
}

/** Negative when kind `a` installs before kind `b`. */
export const compareKinds = comparator(INSTALL_ORDER);
const compareUninstall = comparator(UNINSTALL_ORDER);

/** A stable sort of items by the install order of their kind. */
export function sortByInstallOrder<T>(items: readonly T[], kindOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareKinds(kindOf(x), kindOf(y)));
}

/** A stable sort by Helm's uninstall order. */
export function sortByUninstallOrder<T>(items: readonly T[], kindOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareUninstall(kindOf(x), kindOf(y)));
}
