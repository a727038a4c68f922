import { describe, expect, test } from 'vitest';
import { assessHealth, type HealthStatus } from '../../../src/engines/health/index.js';
import { listFixtures, loadFixture } from './fixtures.js';

// [fixture, expected status, a part of the message that shows the right rule fired]
const cases: [file: string, status: HealthStatus, message: string][] = [
  ['deployment-healthy.yaml', 'Healthy', '3 of 3 replicas available'],
  ['deployment-progressing.yaml', 'Progressing', '1 out of 3 new replicas have been updated'],
  ['deployment-old-replicas.yaml', 'Progressing', '1 old replica is pending termination'],
  ['deployment-unavailable.yaml', 'Progressing', '1 of 3 updated replicas are available'],
  ['deployment-generation.yaml', 'Progressing', 'observed deployment generation less than desired generation'],
  ['deployment-new.yaml', 'Progressing', 'observed deployment generation less than desired generation'],
  ['deployment-degraded-deadline.yaml', 'Degraded', 'exceeded its progress deadline: ReplicaSet "web-5f8b9c7d4" has timed out'],
  ['deployment-paused.yaml', 'Suspended', 'Deployment is paused'],
  ['deployment-scaled-zero.yaml', 'Healthy', 'scaled to zero'],

  ['statefulset-healthy.yaml', 'Healthy', '3 of 3 pods ready at revision db-6d5f7b8c9'],
  ['statefulset-unobserved.yaml', 'Progressing', 'observed statefulset generation less than desired'],
  ['statefulset-not-ready.yaml', 'Progressing', 'Waiting for 2 pods to be ready (1 of 3 ready)'],
  ['statefulset-ondelete.yaml', 'Healthy', 'OnDelete'],
  ['statefulset-scaling-down.yaml', 'Progressing', '1 extra pod to terminate'],
  ['statefulset-partition.yaml', 'Progressing', 'partitioned roll out to finish: 1 out of 3 new pods'],
  ['statefulset-partition-done.yaml', 'Healthy', 'Partitioned roll out complete: 3 of 5 pods updated (partition 2)'],
  ['statefulset-rolling.yaml', 'Progressing', '1 out of 3 pods updated at revision db-84c6d9f7b'],
  ['statefulset-revision.yaml', 'Progressing', 'current revision db-6d5f7b8c9, update revision db-84c6d9f7b'],

  ['daemonset-healthy.yaml', 'Healthy', '3 of 3 pods available'],
  ['daemonset-generation.yaml', 'Progressing', 'observed daemon set generation less than desired'],
  ['daemonset-progressing.yaml', 'Progressing', '1 out of 3 new pods have been updated'],
  ['daemonset-unavailable.yaml', 'Progressing', '2 of 3 updated pods are available'],
  ['daemonset-ondelete.yaml', 'Healthy', 'OnDelete'],

  ['replicaset-healthy.yaml', 'Healthy', '3 of 3 replicas available'],
  ['replicaset-progressing.yaml', 'Progressing', '1 out of 3 replicas are available'],
  ['replicaset-failure.yaml', 'Degraded', 'FailedCreate: pods "web-7c9d8f6b5d-x2xkq" is forbidden: exceeded quota'],
  ['replicationcontroller-healthy.yaml', 'Healthy', '2 of 2 replicas available'],

  ['pod-running-ready.yaml', 'Healthy', 'running and ready'],
  ['pod-running-not-ready.yaml', 'Progressing', 'running but not ready (containers with unready status: [web])'],
  ['pod-running-restarted.yaml', 'Progressing', 'container "web" restarted 2 times, last exit code 137'],
  ['pod-crashloop.yaml', 'Degraded', 'container "web" is waiting: CrashLoopBackOff'],
  ['pod-init-crashloop.yaml', 'Degraded', 'container "migrate" is waiting: CrashLoopBackOff'],
  ['pod-imagepullbackoff.yaml', 'Degraded', 'ImagePullBackOff (Back-off pulling image'],
  ['pod-errimagepull.yaml', 'Degraded', 'ErrImagePull'],
  ['pod-invalid-image-name.yaml', 'Degraded', 'InvalidImageName'],
  ['pod-config-error.yaml', 'Degraded', 'CreateContainerConfigError (configmap "web-settings" not found)'],
  ['pod-container-creating.yaml', 'Progressing', 'container "web" is waiting: ContainerCreating'],
  ['pod-unschedulable.yaml', 'Progressing', 'not scheduled yet: 0/3 nodes are available: 3 Insufficient cpu'],
  ['pod-unobserved.yaml', 'Progressing', 'phase'],
  ['pod-succeeded.yaml', 'Healthy', 'completed successfully'],
  ['pod-failed.yaml', 'Degraded', 'container "web" exited with code 3 (Error)'],
  ['pod-failed-message.yaml', 'Degraded', 'relation "orders" already exists'],
  ['pod-evicted.yaml', 'Degraded', 'Evicted: The node was low on resource: memory'],
  ['pod-running-restart-never.yaml', 'Progressing', 'restartPolicy Never'],
  ['pod-imagepullbackoff-restart-never.yaml', 'Progressing', 'ImagePullBackOff'],
  ['pod-deleting.yaml', 'Progressing', 'Pending deletion'],

  ['job-complete.yaml', 'Healthy', 'Reached expected number of succeeded pods'],
  ['job-failed.yaml', 'Degraded', 'BackoffLimitExceeded: Job has reached the specified backoff limit'],
  ['job-failure-target.yaml', 'Degraded', 'pods still terminating'],
  ['job-success-criteria-met.yaml', 'Progressing', 'met its success criteria'],
  ['job-running.yaml', 'Progressing', '1 active, 0 succeeded, 1 failed'],
  ['job-not-started.yaml', 'Progressing', 'not started'],
  ['job-suspended.yaml', 'Suspended', 'Job is suspended'],

  ['cronjob-active.yaml', 'Healthy', '1 active, last scheduled at 2025-03-02T02:30:00Z'],
  ['cronjob-suspended.yaml', 'Suspended', 'CronJob is suspended'],

  ['pvc-bound.yaml', 'Healthy', 'Bound to volume pvc-2c7a4e1b'],
  ['pvc-pending.yaml', 'Progressing', 'WaitForFirstConsumer'],
  ['pvc-lost.yaml', 'Degraded', 'lost its volume'],

  ['service-clusterip.yaml', 'Healthy', 'ClusterIP'],
  ['service-loadbalancer-pending.yaml', 'Progressing', 'load balancer to be given an address'],
  ['service-loadbalancer-ready.yaml', 'Healthy', '203.0.113.24'],

  ['ingress-no-address.yaml', 'Healthy', 'No address assigned yet'],
  ['ingress-address.yaml', 'Healthy', 'elb.amazonaws.com'],

  ['crd-established.yaml', 'Healthy', 'established'],
  ['crd-installing.yaml', 'Progressing', 'Waiting for the CRD to be established'],
  ['crd-names-not-accepted.yaml', 'Degraded', '"wg" is already in use'],

  ['hpa-healthy.yaml', 'Healthy', 'Autoscaler is active'],
  ['hpa-no-conditions.yaml', 'Progressing', 'Waiting for the autoscaler'],
  ['hpa-invalid-selector.yaml', 'Degraded', 'InvalidSelector'],
  ['hpa-failed-get-scale.yaml', 'Degraded', 'FailedGetScale'],
  ['hpa-no-metrics.yaml', 'Healthy', 'not active: FailedGetResourceMetric'],
  ['hpa-v1-annotation.yaml', 'Healthy', 'TooFewReplicas'],

  ['apiservice-available.yaml', 'Healthy', 'Passed: all checks passed'],
  ['apiservice-unavailable.yaml', 'Progressing', 'MissingEndpoints'],

  ['namespace-active.yaml', 'Healthy', 'Namespace is active'],
  ['namespace-terminating.yaml', 'Progressing', 'Pending deletion'],
  ['configmap.yaml', 'Healthy', 'no status'],
  ['secret.yaml', 'Healthy', 'no status'],
  ['serviceaccount.yaml', 'Healthy', 'no status'],
  ['clusterrole.yaml', 'Healthy', 'no status'],

  ['custom-certificate-ready.yaml', 'Healthy', 'Certificate is up to date'],
  ['custom-certificate-issuing.yaml', 'Progressing', 'DoesNotExist'],
  ['custom-kustomization-ready.yaml', 'Healthy', 'ReconciliationSucceeded'],
  ['custom-kustomization-generation.yaml', 'Progressing', 'generation is 3, but the controller has observed only 2'],
  ['custom-kustomization-reconciling.yaml', 'Progressing', 'ProgressingWithRetry'],
  ['custom-kustomization-stalled.yaml', 'Degraded', 'InvalidPath: kustomization path not found'],
  ['custom-helmrelease-failed.yaml', 'Degraded', 'InstallFailed'],
  ['custom-gitrepository-ready-unknown.yaml', 'Progressing', 'Progressing: building artifact'],
  ['custom-widget-no-conditions.yaml', 'Healthy', 'no Ready, Reconciling or Stalled condition'],
];

describe('assessHealth on live objects', () => {
  test.each(cases)('%s is %s', async (file, status, message) => {
    const health = assessHealth(await loadFixture(file));
    expect(health.status).toBe(status);
    expect(health.message).toContain(message);
  });

  test('every fixture in testdata has a case, and every case a fixture', async () => {
    expect(cases.map(([file]) => file).sort()).toEqual(await listFixtures());
  });
});
