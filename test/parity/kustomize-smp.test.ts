import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { createTwoFilesPatch } from 'diff';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { applyJson6902, decodeJson6902, patchSchemaFor, strategicMerge } from '../../src/engines/kustomize/smp/index.js';

// Strategic-merge and JSON 6902 parity: every case is one kustomization root (a base resource
// and one patch, written in one of the five ways a kustomization can carry a patch), built by the
// real `kubectl kustomize` (kustomize v5.8.1) and by smp's strategicMerge / applyJson6902 with
// what api/resource and the patch builtins do around them. Outputs are compared as parsed YAML;
// where kubectl fails, slipway must fail too.

type SmpForm = 'patches-path' | 'patches-inline' | 'patches-target' | 'psm-path' | 'psm-inline';
type JsonForm = 'json-path' | 'json-inline' | 'pj6902-path' | 'pj6902-inline';

interface Target {
  kind: string;
  name?: string;
  group?: string;
  version?: string;
}

interface Case {
  name: string;
  base: string;
  /** A strategic merge patch (YAML, maybe several documents) … */
  smp?: string;
  /** … or the text of a JSON 6902 patch (JSON or YAML). */
  json?: string;
  form: SmpForm | JsonForm;
  target?: Target;
}

// --- base resources -------------------------------------------------------------------------

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
  annotations: {note: base}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      imagePullSecrets:
      - name: regcred
      initContainers:
      - name: init
        image: busybox:1.36
        command: [sh, -c, echo init]
      containers:
      - name: app
        image: nginx:1.25
        args: [--port=8080, --verbose]
        ports:
        - containerPort: 8080
          name: http
        - containerPort: 9090
          name: metrics
          protocol: TCP
        env:
        - name: LOG_LEVEL
          value: info
        - name: MODE
          value: prod
        - name: POD_NAME
          valueFrom:
            fieldRef: {fieldPath: metadata.name}
        volumeMounts:
        - name: config
          mountPath: /etc/app
        - name: cache
          mountPath: /var/cache
        resources:
          limits: {cpu: 500m, memory: 256Mi}
          requests: {cpu: 100m}
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
      - name: sidecar
        image: envoy:1.29
        ports:
        - containerPort: 15000
      volumes:
      - name: config
        configMap: {name: web-config}
      - name: cache
        emptyDir: {}
      tolerations:
      - key: dedicated
        operator: Equal
        value: web
        effect: NoSchedule
      nodeSelector: {disk: ssd}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels: {app: web}
`;

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: https
    port: 443
    targetPort: 8443
    protocol: TCP
  - name: dns
    port: 53
    protocol: UDP
`;

const CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
data:
  app.properties: |
    a=1
    b=2
  LOG: info
  EMPTY: ""
`;

const ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: [pods, services]
  verbs: [get, list]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get]
`;

const CLUSTER_ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: agg
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate: "true"}
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get]
`;

const ROLE_BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- kind: ServiceAccount
  name: web
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  labels: {app: w}
  finalizers: [example.com/a]
spec:
  size: 3
  enabled: true
  tags: [a, b]
  items:
  - name: one
    value: 1
  - name: two
    value: 2
  nested:
    deep: {x: 1, y: [1, 2]}
    other: keep
`;

const WRAPPER = `apiVersion: example.com/v1
kind: PodWrapper
metadata:
  name: pw
spec:
  pod:
    apiVersion: v1
    kind: Pod
    metadata: {name: inner}
    spec:
      containers:
      - name: c1
        image: i1
      - name: c2
        image: i2
  plain:
    containers:
    - name: c1
      image: i1
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, shortNames: [wd]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
`;

const CRON = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox
            args: [date]
            env:
            - name: TZ
              value: UTC
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 80}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
`;

const SA = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
secrets:
- name: token-a
imagePullSecrets:
- name: regcred
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
  finalizers: [a.example.com/x, b.example.com/y]
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    name: rs
    uid: "1111"
spec:
  hostAliases:
  - ip: 10.0.0.1
    hostnames: [a.local]
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: zone
    whenUnsatisfiable: DoNotSchedule
    labelSelector: {matchLabels: {app: p}}
  readinessGates:
  - conditionType: example.com/ready
  containers:
  - name: main
    image: alpine
    ports:
    - containerPort: 53
      protocol: UDP
    - containerPort: 53
      protocol: TCP
`;

const NETPOL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: client}}
    ports:
    - port: 80
`;

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  updateStrategy: {type: RollingUpdate}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: agent:1
`;

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: once
        image: busybox
`;

const TWO_DEPLOYS = `${DEPLOY}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
      - name: api
        image: api:1
`;

const DEPLOY_AND_SVC = `${DEPLOY}---
${SVC}`;

// --- cases ------------------------------------------------------------------------------------

const SMP_FORMS: SmpForm[] = ['patches-path', 'patches-inline', 'psm-path', 'psm-inline', 'patches-target'];
const JSON_FORMS: JsonForm[] = ['json-path', 'json-inline', 'pj6902-path', 'pj6902-inline'];

const cases: Case[] = [];

/** A strategic merge case; the patch gets `apiVersion`, `kind` and `metadata.name` of `head`. */
function smp(name: string, base: string, body: string, opts: { form?: SmpForm; head?: string; raw?: boolean } = {}): void {
  const head = opts.head ?? headOf(base);
  const patch = opts.raw ? body : `${head}${body}`;
  cases.push({ name, base, smp: patch, form: opts.form ?? SMP_FORMS[cases.length % SMP_FORMS.length]! });
}

/** The identifying lines of the first resource of `base`. */
function headOf(base: string): string {
  const doc = parse(base.split(/^---$/m)[0]!) as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
  const ns = doc.metadata.namespace ? `  namespace: ${doc.metadata.namespace}\n` : '';
  return `apiVersion: ${doc.apiVersion}\nkind: ${doc.kind}\nmetadata:\n  name: ${doc.metadata.name}\n${ns}`;
}

function json(name: string, base: string, ops: string, opts: { form?: JsonForm; target?: Target } = {}): void {
  const doc = parse(base.split(/^---$/m)[0]!) as { apiVersion: string; kind: string; metadata: { name: string } };
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : ['', doc.apiVersion];
  const target = opts.target ?? { group: group || undefined, version, kind: doc.kind, name: doc.metadata.name };
  cases.push({ name, base, json: ops, target, form: opts.form ?? JSON_FORMS[cases.length % JSON_FORMS.length]! });
}

const POD_SPEC = `spec:
  template:
    spec:
`;
const ind = (text: string, n: number) => text.replace(/^(?=.)/gm, ' '.repeat(n));
/** A Deployment patch under spec.template.spec. */
const podSpec = (body: string) => POD_SPEC + ind(body, 6);
/** A Deployment patch of the container `app` (or another one). */
const container = (body: string, name = 'app') => podSpec(`containers:\n- name: ${name}\n${ind(body, 2)}`);

// Deployment: scalars, maps, containers
smp('deployment: replicas', DEPLOY, 'spec:\n  replicas: 5\n');
smp('deployment: replicas as a string', DEPLOY, 'spec:\n  replicas: "3"\n');
smp('deployment: container image', DEPLOY, container('image: nginx:1.27\n'));
smp('deployment: new container goes first', DEPLOY, podSpec('containers:\n- name: logger\n  image: fluentbit:3\n'));
smp('deployment: patching the sidecar moves it first', DEPLOY, container('image: envoy:1.30\n', 'sidecar'));
smp('deployment: two containers in patch order', DEPLOY, podSpec('containers:\n- name: sidecar\n  image: envoy:2\n- name: app\n  image: nginx:2\n'));
smp('deployment: delete a container', DEPLOY, container('$patch: delete\n', 'sidecar'));
smp('deployment: delete a container that is not there', DEPLOY, container('$patch: delete\n', 'ghost'));
smp('deployment: replace a container element (kyaml keeps the old one)', DEPLOY, container('$patch: replace\nimage: only\n'));
smp('deployment: merge directive on an element', DEPLOY, container('$patch: merge\nimage: merged\n'));
smp('deployment: replace the container list', DEPLOY, podSpec('containers:\n- $patch: replace\n- name: solo\n  image: solo:1\n'));
smp('deployment: delete the container list', DEPLOY, podSpec('containers:\n- $patch: delete\n'));
smp('deployment: unknown list directive', DEPLOY, podSpec('containers:\n- $patch: squash\n'));
smp('deployment: empty container list', DEPLOY, podSpec('containers: []\n'));
smp('deployment: null container list', DEPLOY, podSpec('containers: null\n'));
smp('deployment: container without a name', DEPLOY, podSpec('containers:\n- image: anonymous\n'));
smp('deployment: container image null', DEPLOY, container('image: null\n'));
smp('deployment: container args replaced', DEPLOY, container('args: [--port=9000]\n'));
smp('deployment: container command added', DEPLOY, container('command: [/bin/app]\n'));
smp('deployment: container securityContext', DEPLOY, container('securityContext:\n  runAsNonRoot: true\n  capabilities: {drop: [ALL]}\n'));
smp('deployment: probe handlers merge', DEPLOY, container('livenessProbe:\n  exec: {command: [true]}\n'));
smp('deployment: probe replaced', DEPLOY, container('livenessProbe:\n  $patch: replace\n  exec: {command: [true]}\n'));
smp('deployment: resources limits', DEPLOY, container('resources:\n  limits: {cpu: "1"}\n'));
smp('deployment: resources null', DEPLOY, container('resources: null\n'));
smp('deployment: resources requests replaced', DEPLOY, container('resources:\n  requests:\n    $patch: replace\n    memory: 64Mi\n'));
smp('deployment: resources deleted', DEPLOY, container('resources:\n  $patch: delete\n'));
smp('deployment: map directive merge', DEPLOY, container('resources:\n  $patch: merge\n  limits: {memory: 1Gi}\n'));
smp('deployment: unknown map directive', DEPLOY, container('resources:\n  $patch: nope\n'));
// env
smp('deployment: add env', DEPLOY, container('env:\n- name: NEW\n  value: "1"\n'));
smp('deployment: change env value', DEPLOY, container('env:\n- name: MODE\n  value: staging\n'));
smp('deployment: env value to valueFrom', DEPLOY, container('env:\n- name: MODE\n  valueFrom:\n    configMapKeyRef: {name: web-config, key: LOG}\n'));
smp('deployment: env valueFrom to value', DEPLOY, container('env:\n- name: POD_NAME\n  value: fixed\n  valueFrom: null\n'));
smp('deployment: delete env', DEPLOY, container('env:\n- name: LOG_LEVEL\n  $patch: delete\n'));
smp('deployment: env value null', DEPLOY, container('env:\n- name: MODE\n  value: null\n'));
smp('deployment: replace env list', DEPLOY, container('env:\n- $patch: replace\n- name: ONLY\n  value: x\n'));
smp('deployment: env null', DEPLOY, container('env: null\n'));
smp('deployment: env on a container without env', DEPLOY, container('env:\n- name: A\n  value: a\n', 'sidecar'));
smp('deployment: duplicate env names in the patch', DEPLOY, container('env:\n- name: D\n  value: "1"\n- name: D\n  value: "2"\n'));
smp('deployment: env without a name', DEPLOY, container('env:\n- value: nameless\n'));
smp('deployment: env list-level delete', DEPLOY, container('env:\n- $patch: delete\n'));
// ports
smp('deployment: add a port', DEPLOY, container('ports:\n- containerPort: 7070\n  name: admin\n'));
smp('deployment: rename port 8080', DEPLOY, container('ports:\n- containerPort: 8080\n  name: web\n'));
smp('deployment: port 9090 without protocol', DEPLOY, container('ports:\n- containerPort: 9090\n  name: prom\n'));
smp('deployment: port 8080 with protocol TCP', DEPLOY, container('ports:\n- containerPort: 8080\n  protocol: TCP\n  name: tcp\n'));
smp('deployment: port 8080 UDP', DEPLOY, container('ports:\n- containerPort: 8080\n  protocol: UDP\n'));
smp('deployment: delete port 9090', DEPLOY, container('ports:\n- containerPort: 9090\n  protocol: TCP\n  $patch: delete\n'));
smp('deployment: delete port 9090 without protocol', DEPLOY, container('ports:\n- containerPort: 9090\n  $patch: delete\n'));
smp('deployment: port as a string', DEPLOY, container('ports:\n- containerPort: "8080"\n  name: str\n'));
smp('deployment: replace ports', DEPLOY, container('ports:\n- $patch: replace\n- containerPort: 1\n'));
smp('deployment: ports on the sidecar', DEPLOY, container('ports:\n- containerPort: 15001\n  name: admin\n', 'sidecar'));
// volumes and mounts
smp('deployment: add a volumeMount', DEPLOY, container('volumeMounts:\n- name: tmp\n  mountPath: /tmp\n'));
smp('deployment: volumeMount readOnly', DEPLOY, container('volumeMounts:\n- mountPath: /etc/app\n  readOnly: true\n'));
smp('deployment: volumeMount renamed at same path', DEPLOY, container('volumeMounts:\n- mountPath: /var/cache\n  name: other\n'));
smp('deployment: delete a volumeMount', DEPLOY, container('volumeMounts:\n- mountPath: /var/cache\n  $patch: delete\n'));
smp('deployment: add a volume', DEPLOY, podSpec('volumes:\n- name: tmp\n  emptyDir: {medium: Memory}\n'));
smp('deployment: volume source switched', DEPLOY, podSpec('volumes:\n- name: config\n  secret: {secretName: web-secret}\n'));
smp('deployment: volume source switched with null', DEPLOY, podSpec('volumes:\n- name: config\n  configMap: null\n  secret: {secretName: s}\n'));
smp('deployment: delete a volume', DEPLOY, podSpec('volumes:\n- name: cache\n  $patch: delete\n'));
smp('deployment: $retainKeys in a volume', DEPLOY, podSpec('volumes:\n- name: config\n  $retainKeys: [name, secret]\n  secret: {secretName: s}\n'));
smp('deployment: emptyDir sizeLimit', DEPLOY, podSpec('volumes:\n- name: cache\n  emptyDir: {sizeLimit: 1Gi}\n'));
// pod spec lists and maps
smp('deployment: add an initContainer', DEPLOY, podSpec('initContainers:\n- name: migrate\n  image: migrate:1\n'));
smp('deployment: change the initContainer', DEPLOY, podSpec('initContainers:\n- name: init\n  image: busybox:1.37\n'));
smp('deployment: delete the initContainer', DEPLOY, podSpec('initContainers:\n- name: init\n  $patch: delete\n'));
smp('deployment: tolerations replaced', DEPLOY, podSpec('tolerations:\n- key: gpu\n  operator: Exists\n'));
smp('deployment: tolerations emptied', DEPLOY, podSpec('tolerations: []\n'));
smp('deployment: tolerations with a replace element', DEPLOY, podSpec('tolerations:\n- $patch: replace\n- key: a\n  operator: Exists\n'));
smp('deployment: imagePullSecrets merge', DEPLOY, podSpec('imagePullSecrets:\n- name: other\n'));
smp('deployment: imagePullSecrets same name', DEPLOY, podSpec('imagePullSecrets:\n- name: regcred\n'));
smp('deployment: imagePullSecrets delete', DEPLOY, podSpec('imagePullSecrets:\n- name: regcred\n  $patch: delete\n'));
smp('deployment: nodeSelector add', DEPLOY, podSpec('nodeSelector: {zone: a}\n'));
smp('deployment: nodeSelector key null', DEPLOY, podSpec('nodeSelector: {disk: null}\n'));
smp('deployment: nodeSelector replaced', DEPLOY, podSpec('nodeSelector:\n  $patch: replace\n  zone: b\n'));
smp('deployment: affinity term list replaced', DEPLOY, podSpec('affinity:\n  podAntiAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 1\n      podAffinityTerm: {topologyKey: zone}\n'));
smp('deployment: nodeAffinity added', DEPLOY, podSpec('affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - {key: disk, operator: In, values: [ssd]}\n'));
smp('deployment: topologySpreadConstraints added', DEPLOY, podSpec('topologySpreadConstraints:\n- maxSkew: 1\n  topologyKey: zone\n  whenUnsatisfiable: ScheduleAnyway\n'));
smp('deployment: hostAliases added', DEPLOY, podSpec('hostAliases:\n- ip: 127.0.0.2\n  hostnames: [local]\n'));
smp('deployment: pod securityContext', DEPLOY, podSpec('securityContext: {fsGroup: 2000}\n'));
smp('deployment: readinessGates added', DEPLOY, podSpec('readinessGates:\n- conditionType: ready\n'));
smp('deployment: dnsConfig options', DEPLOY, podSpec('dnsConfig:\n  options:\n  - name: ndots\n    value: "2"\n'));
smp('deployment: hostNetwork true', DEPLOY, podSpec('hostNetwork: true\n'));
smp('deployment: $setElementOrder stays a field', DEPLOY, podSpec('$setElementOrder/containers:\n- name: sidecar\n- name: app\ncontainers:\n- name: app\n  image: x\n'));
// metadata and the rest
smp('deployment: labels added and changed', DEPLOY, '  labels: {tier: back, team: a}\n');
smp('deployment: label null', DEPLOY, '  labels: {tier: null}\n');
smp('deployment: labels replaced', DEPLOY, '  labels:\n    $patch: replace\n    only: one\n');
smp('deployment: annotations added', DEPLOY, '  annotations: {a.example.com/x: "1"}\n');
smp('deployment: annotations deleted', DEPLOY, '  annotations: null\n');
smp('deployment: finalizers added', DEPLOY, '  finalizers: [example.com/f]\n');
smp('deployment: $deleteFromPrimitiveList stays a field', DEPLOY, '  $deleteFromPrimitiveList/finalizers: [x]\n');
smp('deployment: ownerReferences merge by uid', DEPLOY, '  ownerReferences:\n  - {apiVersion: v1, kind: ConfigMap, name: owner, uid: abc}\n');
smp('deployment: template labels', DEPLOY, 'spec:\n  template:\n    metadata:\n      labels: {version: v2}\n');
smp('deployment: strategy Recreate', DEPLOY, 'spec:\n  strategy:\n    type: Recreate\n    rollingUpdate: null\n');
smp('deployment: strategy $retainKeys stays a field', DEPLOY, 'spec:\n  strategy:\n    $retainKeys: [type]\n    type: Recreate\n');
smp('deployment: selector matchExpressions', DEPLOY, 'spec:\n  selector:\n    matchExpressions:\n    - {key: app, operator: Exists}\n');
smp('deployment: status added', DEPLOY, 'status:\n  replicas: 1\n');
smp('deployment: only the head', DEPLOY, '');
smp('deployment: empty spec', DEPLOY, 'spec: {}\n');
smp('deployment: spec null', DEPLOY, 'spec: null\n');
smp('deployment: delete the object', DEPLOY, '$patch: delete\n');
smp('deployment: replace the object', DEPLOY, '$patch: replace\nspec:\n  replicas: 1\n');
smp('deployment: merge the object explicitly', DEPLOY, '$patch: merge\nspec:\n  replicas: 4\n');
smp('deployment: wrong kind, map for a scalar', DEPLOY, 'spec:\n  replicas: {n: 1}\n');
smp('deployment: wrong kind, map for a list', DEPLOY, podSpec('containers: {name: app}\n'));
smp('deployment: wrong kind, list for a map', DEPLOY, 'spec: [1]\n');
smp('deployment: wrong kind, scalar for a map', DEPLOY, 'spec:\n  template: x\n');
smp('deployment: kind change is undone', DEPLOY, 'spec:\n  replicas: 7\n', { form: 'patches-target', head: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other-name\n' });
smp('deployment: patch in two documents', DEPLOY_AND_SVC, `${headOf(DEPLOY)}spec:\n  replicas: 9\n---\n${headOf(SVC)}spec:\n  type: NodePort\n`, { raw: true, form: 'patches-path' });
smp('deployment: psm patch in two documents', DEPLOY_AND_SVC, `${headOf(SVC)}spec:\n  ports:\n  - port: 80\n    nodePort: 30080\n---\n${headOf(DEPLOY)}spec:\n  paused: true\n`, { raw: true, form: 'psm-path' });
smp('deployment: target selects two deployments', TWO_DEPLOYS, 'spec:\n  template:\n    spec:\n      containers:\n      - name: shared\n        image: shared:1\n', { form: 'patches-target', head: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\n' });

// Service ports merge by port (+protocol)
smp('service: add a port', SVC, 'spec:\n  ports:\n  - name: grpc\n    port: 9000\n');
smp('service: change port 80', SVC, 'spec:\n  ports:\n  - port: 80\n    targetPort: 8081\n');
smp('service: port 443 without protocol', SVC, 'spec:\n  ports:\n  - port: 443\n    targetPort: 9443\n');
smp('service: port 53 TCP next to UDP', SVC, 'spec:\n  ports:\n  - port: 53\n    protocol: TCP\n    name: dns-tcp\n');
smp('service: port 53 without protocol', SVC, 'spec:\n  ports:\n  - port: 53\n    name: dns2\n');
smp('service: delete port 80', SVC, 'spec:\n  ports:\n  - port: 80\n    $patch: delete\n');
smp('service: delete port 443 without protocol', SVC, 'spec:\n  ports:\n  - port: 443\n    $patch: delete\n');
smp('service: replace ports', SVC, 'spec:\n  ports:\n  - $patch: replace\n  - port: 1\n');
smp('service: NodePort with nodePort', SVC, 'spec:\n  type: NodePort\n  ports:\n  - port: 80\n    protocol: TCP\n    nodePort: 30080\n');
smp('service: selector merged', SVC, 'spec:\n  selector: {version: v2}\n');
smp('service: selector replaced', SVC, 'spec:\n  selector:\n    $patch: replace\n    app: api\n');
smp('service: port without port', SVC, 'spec:\n  ports:\n  - name: nameonly\n    targetPort: 1\n');
smp('service: ports null', SVC, 'spec:\n  ports: null\n');
smp('service: externalIPs', SVC, 'spec:\n  externalIPs: [1.2.3.4]\n');

// ConfigMap
smp('configmap: add a key', CM, 'data:\n  NEW: "1"\n');
smp('configmap: change a key', CM, 'data:\n  LOG: debug\n');
smp('configmap: delete a key', CM, 'data:\n  LOG: null\n');
smp('configmap: replace data', CM, 'data:\n  $patch: replace\n  ONLY: x\n');
smp('configmap: delete data', CM, 'data:\n  $patch: delete\n');
smp('configmap: data null', CM, 'data: null\n');
smp('configmap: empty data', CM, 'data: {}\n');
smp('configmap: binaryData', CM, 'binaryData:\n  b: aGVsbG8=\n');
smp('configmap: immutable', CM, 'immutable: true\n');
// from a file: an inline patch is trimmed by kustomize, and a block scalar that then ends the
// text has no line break in go-yaml but keeps one in the `yaml` package (the loader's business)
smp('configmap: multi-line value', CM, 'data:\n  app.properties: |\n    c=3\n', { form: 'patches-path' });
smp('configmap: numbers and booleans as values', CM, 'data:\n  N: "10"\n  B: "true"\n');
smp('configmap: label added', CM, '  labels: {extra: "yes"}\n');

// RBAC: lists without merge keys are replaced
smp('role: rules replaced', ROLE, 'rules:\n- apiGroups: [""]\n  resources: [secrets]\n  verbs: [get]\n');
smp('role: rules emptied', ROLE, 'rules: []\n');
smp('role: rules with a delete element stay data', ROLE, 'rules:\n- $patch: delete\n');
smp('role: rules null', ROLE, 'rules: null\n');
smp('clusterrole: aggregation selectors replaced', CLUSTER_ROLE, 'aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {other: "true"}\n');
smp('clusterrole: rules replaced', CLUSTER_ROLE, 'rules:\n- apiGroups: [""]\n  resources: [namespaces]\n  verbs: [list]\n');
smp('rolebinding: subjects replaced', ROLE_BINDING, 'subjects:\n- kind: ServiceAccount\n  name: api\n');
smp('rolebinding: roleRef merged', ROLE_BINDING, 'roleRef:\n  name: writer\n');

// Custom resources: no schema, so maps merge and lists are replaced
smp('custom resource: scalar', WIDGET, 'spec:\n  size: 5\n');
smp('custom resource: primitive list replaced', WIDGET, 'spec:\n  tags: [c]\n');
smp('custom resource: named list replaced', WIDGET, 'spec:\n  items:\n  - name: one\n    value: 10\n');
smp('custom resource: nested map merged', WIDGET, 'spec:\n  nested:\n    deep: {z: 3}\n');
smp('custom resource: nested null', WIDGET, 'spec:\n  nested:\n    other: null\n');
smp('custom resource: nested replace', WIDGET, 'spec:\n  nested:\n    $patch: replace\n    fresh: true\n');
smp('custom resource: nested delete', WIDGET, 'spec:\n  nested:\n    $patch: delete\n');
smp('custom resource: replace element stays data', WIDGET, 'spec:\n  items:\n  - $patch: replace\n  - name: three\n');
smp('custom resource: finalizers replaced', WIDGET, '  finalizers: [example.com/b]\n');
smp('custom resource: new top-level field', WIDGET, 'status:\n  phase: Ready\n');
smp('custom resource: boolean flipped', WIDGET, 'spec:\n  enabled: false\n');
smp('custom resource: delete', WIDGET, '$patch: delete\n');
smp('custom resource: embedded Pod merges its containers', WRAPPER, 'spec:\n  pod:\n    apiVersion: v1\n    kind: Pod\n    spec:\n      containers:\n      - name: c2\n        image: i2b\n');
smp('custom resource: embedded Pod by the target alone', WRAPPER, 'spec:\n  pod:\n    spec:\n      containers:\n      - name: c3\n        image: i3\n');
smp('custom resource: untyped containers are replaced', WRAPPER, 'spec:\n  plain:\n    containers:\n    - name: c2\n      image: i2\n');
smp('crd: versions replaced', CRD, 'spec:\n  versions:\n  - name: v2\n    served: true\n    storage: false\n');
smp('crd: shortNames replaced', CRD, 'spec:\n  names:\n    shortNames: [w]\n');

// other built-in kinds
smp('statefulset: volumeClaimTemplates replaced', STS, 'spec:\n  volumeClaimTemplates:\n  - metadata: {name: logs}\n    spec: {accessModes: [ReadWriteOnce]}\n');
smp('statefulset: container mount added', STS, 'spec:\n  template:\n    spec:\n      containers:\n      - name: db\n        volumeMounts:\n        - name: logs\n          mountPath: /logs\n');
smp('statefulset: podManagementPolicy', STS, 'spec:\n  podManagementPolicy: Parallel\n');
smp('cronjob: container env added', CRON, 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: tick\n            env:\n            - name: DEBUG\n              value: "1"\n');
smp('cronjob: new container', CRON, 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: sidecar\n            image: s\n');
smp('cronjob: schedule', CRON, 'spec:\n  schedule: "0 * * * *"\n  suspend: true\n');
smp('hpa v2 (no schema in kustomize): metrics replaced', HPA, 'spec:\n  metrics:\n  - type: Resource\n    resource:\n      name: memory\n      target: {type: Utilization, averageUtilization: 70}\n');
smp('hpa v2: behavior merged', HPA, 'spec:\n  behavior:\n    scaleUp: {stabilizationWindowSeconds: 0}\n');
smp('serviceaccount: secrets merge by name', SA, 'secrets:\n- name: token-b\n');
smp('serviceaccount: imagePullSecrets replaced', SA, 'imagePullSecrets:\n- name: other\n');
smp('pod: hostAliases merge by ip', POD, 'spec:\n  hostAliases:\n  - ip: 10.0.0.1\n    hostnames: [b.local]\n  - ip: 10.0.0.2\n    hostnames: [c.local]\n');
smp('pod: topology constraint with the same key', POD, 'spec:\n  topologySpreadConstraints:\n  - maxSkew: 2\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n');
smp('pod: topology constraint with another whenUnsatisfiable', POD, 'spec:\n  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: ScheduleAnyway\n');
smp('pod: readinessGates replaced', POD, 'spec:\n  readinessGates:\n  - conditionType: other\n');
smp('pod: finalizers as a set', POD, '  finalizers: [c.example.com/z, a.example.com/x]\n');
smp('pod: finalizers replaced', POD, '  finalizers:\n  - $patch: replace\n  - only\n');
smp('pod: ownerReferences merged by uid', POD, '  ownerReferences:\n  - uid: "1111"\n    controller: true\n  - apiVersion: v1\n    kind: Node\n    name: n\n    uid: "2222"\n');
smp('pod: UDP and TCP ports', POD, 'spec:\n  containers:\n  - name: main\n    ports:\n    - containerPort: 53\n      protocol: UDP\n      name: dns\n');
smp('pod: ephemeral container', POD, 'spec:\n  ephemeralContainers:\n  - name: debug\n    image: busybox\n');
smp('networkpolicy: ingress replaced', NETPOL, 'spec:\n  ingress:\n  - from:\n    - namespaceSelector: {}\n');
smp('networkpolicy: podSelector merged', NETPOL, 'spec:\n  podSelector:\n    matchLabels: {tier: front}\n');
smp('daemonset: updateStrategy', DS, 'spec:\n  updateStrategy:\n    type: OnDelete\n');
smp('daemonset: container merged', DS, 'spec:\n  template:\n    spec:\n      containers:\n      - name: agent\n        image: agent:2\n');
smp('job: container and backoffLimit', JOB, 'spec:\n  backoffLimit: 3\n  template:\n    spec:\n      containers:\n      - name: once\n        args: [run]\n');

// kyaml's quirks with odd targets
const NAMELESS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: odd
spec:
  template:
    spec:
      containers:
      - name: a
        image: a
      - image: no-name
      - name: b
        image: b
`;
const DUPLICATES = `apiVersion: v1
kind: Pod
metadata:
  name: dup
  finalizers: [f, f, g]
spec:
  containers:
  - name: a
    image: first
  - name: a
    image: second
  - {}
  - name: c
    image: c
    env:
    - name: ""
      value: empty-name
    - name: X
      value: x
`;
const NULLS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: nulls
  namespace: ns1
data:
  a: null
  b: ~
  c: x
`;
smp('quirk: an unnamed container wipes the list even when the patch does not touch it', NAMELESS, 'spec:\n  replicas: 2\n');
smp('quirk: an unnamed container and a patched one', NAMELESS, 'spec:\n  template:\n    spec:\n      containers:\n      - name: b\n        image: b2\n');
smp('quirk: duplicate names collapse', DUPLICATES, 'spec:\n  activeDeadlineSeconds: 5\n');
smp('quirk: duplicate finalizers collapse', DUPLICATES, '  finalizers: [h]\n');
smp('quirk: env with an empty name', DUPLICATES, 'spec:\n  containers:\n  - name: c\n    env:\n    - name: ""\n      value: changed\n');
smp('quirk: explicit nulls in the target stay', NULLS, 'data:\n  c: y\n');
smp('quirk: null patched over null', NULLS, 'data:\n  a: null\n');
smp('quirk: namespace in a targeted patch is undone', NULLS, 'data:\n  d: "1"\n', { form: 'patches-target', head: headOf(NULLS).replace('ns1', 'other') });
smp('quirk: namespace added by a targeted patch is undone', CM, '  namespace: other\n', { form: 'patches-target' });
smp('quirk: list directive on a list the target lacks', DEPLOY, podSpec('hostAliases:\n- $patch: replace\n- ip: 1.1.1.1\n  hostnames: [one]\n'));
smp('quirk: element delete in a list the target lacks', DEPLOY, podSpec('hostAliases:\n- ip: 1.1.1.1\n  $patch: delete\n- ip: 2.2.2.2\n'));
smp('quirk: map delete inside a new container', DEPLOY, podSpec('containers:\n- name: new\n  image: n\n  securityContext:\n    $patch: delete\n'));
smp('quirk: map delete where the target has no map', DEPLOY, container('securityContext:\n  $patch: delete\n'));
smp('quirk: unknown directive where the target has no map', DEPLOY, container('securityContext:\n  $patch: bogus\n  privileged: true\n'));
smp('quirk: empty element in a merged list', DEPLOY, container('env:\n- {}\n- name: E\n  value: e\n'));
smp('quirk: null element in a merged list', DEPLOY, container('env:\n- null\n- name: E\n  value: e\n'));
smp('quirk: finalizers with a null', POD, '  finalizers: [null, z]\n');

// inputs of kustomize's own tests (api/krusty/multiplepatch_test.go, patchdelete_test.go)
const CONSUL = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: myapp
spec:
  template:
    spec:
      containers:
        - name: consul
          image: "dashicorp/consul:1.9.1"
          ports:
            - {containerPort: 8500, name: http}
            - {containerPort: 8501, name: https}
            - {containerPort: 8301, protocol: "TCP", name: serflan-tcp}
            - {containerPort: 8301, protocol: "UDP", name: serflan-udp}
            - {containerPort: 8302, name: serfwan}
            - {containerPort: 8300, name: server}
            - {containerPort: 8600, name: dns-tcp, protocol: "TCP"}
            - {containerPort: 8600, name: dns-udp, protocol: "UDP"}
`;
const NODEPORT = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 30900
      targetPort: 30900
      protocol: TCP
  type: NodePort
`;
const WHATEVER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: whatever
spec:
  template:
    spec:
      containers:
      - env:
        - name: EXISTING
          value: EXISTING_VALUE
        - name: FOR_REMOVAL
          value: FOR_REMOVAL_VALUE
        name: whatever
        image: helloworld
      volumes:
      - name: fancyDisk
        emptyDir: {}
`;
smp('krusty: ports with and without protocols (TestSmpWithDifferentKeysOnDifferentPorts)', CONSUL, 'kind: StatefulSet\nmetadata:\n  name: myapp\n  labels:\n    test: label\n', { raw: true, form: 'patches-target' });
smp('krusty: ports with and without protocols, patched', CONSUL, 'spec:\n  template:\n    spec:\n      containers:\n      - name: consul\n        ports:\n        - {containerPort: 8301, name: serf}\n        - {containerPort: 8600, protocol: UDP, name: dns}\n');
smp('krusty: port without protocol (TestPatchPortHasNoProtocol)', NODEPORT, '  labels:\n    service: web\nspec:\n  ports:\n    - port: 30900\n      targetPort: 30900\n  selector:\n    service: web\n', { form: 'psm-path' });
smp('krusty: new service port (TestPatchAddNewServicePort)', NODEPORT, '  labels:\n    service: web\nspec:\n  ports:\n    - port: 30901\n      targetPort: 30901\n  selector:\n    service: web\n', { form: 'psm-path' });
smp('krusty: deleting missing env (TestPatchDeleteOfNotExistingAttributes…)', WHATEVER, 'spec:\n  template:\n    spec:\n      containers:\n      - name: whatever\n        env:\n        - name: FOR_REMOVAL\n          $patch: delete\n        - name: NOT_EXISTING_FOR_REMOVAL\n          $patch: delete\n', { form: 'patches-target' });
smp('krusty: emptyDir null (TestRemoveEmptyDirWithNullFieldInSmp)', WHATEVER, 'spec:\n  template:\n    spec:\n      volumes:\n      - name: fancyDisk\n        emptyDir: null\n', { form: 'psm-path' });
smp('krusty: emptyDir swapped for a disk (TestRemoveEmptyDirAddPersistentDisk)', WHATEVER, 'spec:\n  template:\n    spec:\n      volumes:\n      - name: fancyDisk\n        emptyDir: null\n        gcePersistentDisk: {pdName: fancyDisk}\n', { form: 'patches-path' });

// JSON 6902
json('json: add a field', DEPLOY, '- op: add\n  path: /spec/paused\n  value: true\n');
json('json: add a container at 0', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/0\n  value: {name: first, image: f}\n');
json('json: add a container at -', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/-\n  value: {name: last, image: l}\n');
json('json: add at the length', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/2\n  value: {name: end, image: e}\n');
json('json: add past the length', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/3\n  value: {name: far}\n');
json('json: add at -1', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/-1\n  value: {name: neg}\n');
json('json: add at -4', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/-4\n  value: {name: neg}\n');
json('json: add at a bad index', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/x\n  value: {name: bad}\n');
json('json: add under a missing parent', DEPLOY, '- op: add\n  path: /spec/missing/field\n  value: 1\n');
json('json: add through a scalar', DEPLOY, '- op: add\n  path: /spec/replicas/x\n  value: 1\n');
json('json: add without a value', DEPLOY, '- op: add\n  path: /spec/paused\n');
json('json: add an env var', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: X, value: "1"}\n');
json('json: add an object', DEPLOY, '- op: add\n  path: /metadata/labels\n  value: {only: one}\n');
json('json: remove a field', DEPLOY, '- op: remove\n  path: /spec/replicas\n');
json('json: remove a missing key', DEPLOY, '- op: remove\n  path: /spec/nothing\n');
json('json: remove a list element', DEPLOY, '- op: remove\n  path: /spec/template/spec/containers/1\n');
json('json: remove at -1', DEPLOY, '- op: remove\n  path: /spec/template/spec/containers/-1\n');
json('json: remove out of range', DEPLOY, '- op: remove\n  path: /spec/template/spec/containers/5\n');
json('json: remove labels', DEPLOY, '- op: remove\n  path: /metadata/labels\n');
json('json: replace a field', DEPLOY, '- op: replace\n  path: /spec/replicas\n  value: 10\n');
json('json: replace a missing key adds it', DEPLOY, '- op: replace\n  path: /spec/paused\n  value: true\n');
json('json: replace out of range', DEPLOY, '- op: replace\n  path: /spec/template/spec/containers/9/image\n  value: x\n');
json('json: replace an element out of range', DEPLOY, '- op: replace\n  path: /spec/template/spec/containers/9\n  value: {}\n');
json('json: replace an image by index', DEPLOY, '- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: nginx:1.27\n');
json('json: replace the whole document', CM, '- op: replace\n  path: ""\n  value: {apiVersion: v1, kind: ConfigMap, metadata: {name: web-config}, data: {X: "1"}}\n');
json('json: replace the document with a scalar', CM, '- op: replace\n  path: ""\n  value: 1\n');
json('json: replace the document with a list', CM, '- op: replace\n  path: ""\n  value: [1]\n');
json('json: move a field', CM, '- op: move\n  from: /data/LOG\n  path: /data/LEVEL\n');
json('json: move a missing field', CM, '- op: move\n  from: /data/NOPE\n  path: /data/LEVEL\n');
json('json: move into a list', DEPLOY, '- op: move\n  from: /spec/template/spec/containers/1\n  path: /spec/template/spec/initContainers/-\n');
json('json: copy a field', CM, '- op: copy\n  from: /data/LOG\n  path: /data/LOG2\n');
json('json: copy a missing field adds null', CM, '- op: copy\n  from: /data/NOPE\n  path: /data/COPY\n');
json('json: copy a list element', DEPLOY, '- op: copy\n  from: /spec/template/spec/containers/0\n  path: /spec/template/spec/containers/-\n');
json('json: test passes', CM, '- op: test\n  path: /data/LOG\n  value: info\n- op: replace\n  path: /data/LOG\n  value: warn\n');
json('json: test fails', CM, '- op: test\n  path: /data/LOG\n  value: debug\n');
json('json: test an object', DEPLOY, '- op: test\n  path: /spec/selector\n  value: {matchLabels: {app: web}}\n- op: add\n  path: /spec/paused\n  value: true\n');
json('json: test a missing key against null', CM, '- op: test\n  path: /data/NOPE\n  value: null\n- op: add\n  path: /data/OK\n  value: "1"\n');
json('json: test a number against a string', DEPLOY, '- op: test\n  path: /spec/replicas\n  value: "2"\n');
json('json: test at -', DEPLOY, '- op: test\n  path: /spec/template/spec/containers/-\n  value: {}\n');
json('json: escaped slash', DEPLOY, '- op: add\n  path: /metadata/annotations/example.com~1team\n  value: a\n');
json('json: escaped tilde', DEPLOY, '- op: add\n  path: /metadata/annotations/a~0b~01\n  value: t\n');
json('json: unknown op', CM, '- op: frobnicate\n  path: /data/LOG\n');
json('json: op is not a string', CM, '- op: 1\n  path: /data/LOG\n');
json('json: missing path', CM, '- op: add\n  value: 1\n');
json('json: missing path for replace', CM, '- op: replace\n  value: 1\n');
json('json: missing from', CM, '- op: move\n  path: /data/X\n');
json('json: path without a slash', CM, '- op: add\n  path: data/X\n  value: top\n');
json('json: path "/"', CM, '- op: add\n  path: /\n  value: root\n');
json('json: YAML 1.1 boolean value', CM, '- op: add\n  path: /data/B\n  value: yes\n');
json('json: JSON text', CM, '[{"op": "add", "path": "/data/J", "value": "json"}, {"op": "remove", "path": "/data/EMPTY"}]');
json('json: big number', DEPLOY, '- op: add\n  path: /spec/progressDeadlineSeconds\n  value: 1000000\n');
json('json: several ops in order', DEPLOY, '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --extra\n- op: remove\n  path: /spec/template/spec/containers/0/args/0\n- op: replace\n  path: /spec/template/spec/containers/0/args/0\n  value: --quiet\n');
json('json: custom resource list', WIDGET, '- op: add\n  path: /spec/items/1\n  value: {name: mid, value: 9}\n');
json('json: rename through metadata', CM, '- op: replace\n  path: /metadata/name\n  value: renamed\n');
json('json: env var by index', DEPLOY, '- op: replace\n  path: /spec/template/spec/containers/0/env/1/value\n  value: test\n');
json('json: rules of a role', ROLE, '- op: add\n  path: /rules/0/verbs/-\n  value: watch\n');
json('json: service port', SVC, '- op: replace\n  path: /spec/ports/0/port\n  value: 8000\n');
json('json: target selects two deployments', TWO_DEPLOYS, '- op: add\n  path: /metadata/labels\n  value: {all: "yes"}\n', { form: 'json-inline', target: { kind: 'Deployment' } });
json('json: test 2.0 against 2', DEPLOY, '- op: test\n  path: /spec/replicas\n  value: 2.0\n- op: add\n  path: /spec/paused\n  value: false\n');
json('json: null in the target survives', NULLS, '- op: add\n  path: /data/d\n  value: null\n');
json('json: empty op list', CM, '[]', { form: 'json-inline' });
json('json: second op fails', CM, '- op: add\n  path: /data/A\n  value: a\n- op: remove\n  path: /data/NOPE\n');

// --- running both sides -------------------------------------------------------------------------

type Outcome = { ok: true; docs: unknown[] } | { ok: false; error: string };

function toolchainBin(): string {
  const env = execFileSync(resolve('scripts/cluster'), ['env'], { encoding: 'utf8' });
  const bin = /export PATH=(.*):"\$PATH"/.exec(env)?.[1]?.replace(/^'|'$/g, '');
  if (!bin) throw new Error(`cannot read the toolchain path from scripts/cluster env:\n${env}`);
  return bin;
}

const block = (text: string, n: number) => `|\n${ind(text.replace(/\n*$/, '\n'), n)}`;

function targetYaml(t: Target): string {
  return `{${Object.entries(t)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/** kustomization.yaml and the files of one case. */
function writeCase(dir: string, c: Case): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'base.yaml'), c.base);
  const patch = c.smp ?? c.json!;
  const t = c.target ?? targetOf(c);
  let k: string;
  switch (c.form) {
    case 'patches-path':
    case 'json-path':
      writeFileSync(join(dir, 'patch.yaml'), patch);
      k = `patches:\n- path: patch.yaml${c.json ? `\n  target: ${targetYaml(t)}` : ''}\n`;
      break;
    case 'patches-inline':
    case 'json-inline':
      k = `patches:\n- patch: ${block(patch, 4)}${c.json ? `  target: ${targetYaml(t)}\n` : ''}`;
      break;
    case 'patches-target':
      k = `patches:\n- target: ${targetYaml(t)}\n  patch: ${block(patch, 4)}`;
      break;
    case 'psm-path':
      writeFileSync(join(dir, 'patch.yaml'), patch);
      k = 'patchesStrategicMerge:\n- patch.yaml\n';
      break;
    case 'psm-inline':
      k = `patchesStrategicMerge:\n- ${block(patch, 2)}`;
      break;
    case 'pj6902-path':
      writeFileSync(join(dir, 'patch.yaml'), patch);
      k = `patchesJson6902:\n- target: ${targetYaml(t)}\n  path: patch.yaml\n`;
      break;
    case 'pj6902-inline':
      k = `patchesJson6902:\n- target: ${targetYaml(t)}\n  patch: ${block(patch, 4)}`;
      break;
  }
  writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n- base.yaml\n${k}`);
}

/** The selector of `patches-target` cases: the base's first resource by kind. */
function targetOf(c: Case): Target {
  const doc = parse(c.base.split(/^---$/m)[0]!) as { kind: string; metadata: { name: string } };
  return c.name.includes('two deployments') ? { kind: doc.kind } : { kind: doc.kind, name: doc.metadata.name };
}

function runKubectl(kubectl: string, dir: string): Promise<Outcome> {
  return new Promise((done) => {
    const p = spawn(kubectl, ['kustomize', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      if (code !== 0) done({ ok: false, error: err.replace(/^# Warning:.*\n/gm, '').replace(/^error: /, '').trim() });
      else done({ ok: true, docs: parseAllDocuments(out).map((d) => d.toJS()).filter((d) => d !== null) });
    });
  });
}

type Obj = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> };

const metaOf = (o: Obj) => (o.metadata ?? {}) as { name?: string; namespace?: string };

/** RNode.GetLabels/SetLabels: a string map of each value's YAML text; gone when empty. */
function asStringMap(meta: Record<string, unknown>, field: 'labels' | 'annotations'): void {
  const m = meta[field];
  const out: Record<string, string> = {};
  if (m && typeof m === 'object' && !Array.isArray(m)) {
    for (const [k, v] of Object.entries(m)) out[k] = v === null ? 'null' : typeof v === 'object' ? '' : String(v);
  }
  if (Object.keys(out).length > 0) meta[field] = out;
  else delete meta[field];
}

/**
 * What kustomize does around the merge: api/resource ApplySmPatch, and for patchesStrategicMerge
 * and targeted `patches` resWrangler.ApplySmPatch first (copy, target's apiVersion,
 * CopyMergeMetaDataFieldsFrom).
 */
function applySmPatch(res: Obj, patch: Obj, viaResMap: boolean): Obj | undefined {
  const copy: Obj = structuredClone(patch);
  if (viaResMap) {
    copy.apiVersion = res.apiVersion;
    const meta = (copy.metadata ??= {}) as Record<string, unknown>;
    asStringMap(meta, 'labels');
    asStringMap(meta, 'annotations');
  }
  const { name, namespace } = metaOf(res);
  const kind = res.kind;
  const merged = strategicMerge(res, copy, patchSchemaFor(String(res.apiVersion), String(res.kind))) as Obj | undefined;
  if (merged === undefined) return undefined;
  merged.kind = kind;
  const meta = (merged.metadata ??= {}) as Record<string, unknown>;
  meta.name = name;
  if (namespace) meta.namespace = namespace;
  else delete meta.namespace;
  return merged;
}

function selects(t: Target, o: Obj): boolean {
  const [group, version] = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/') : ['', String(o.apiVersion)];
  return o.kind === t.kind && (t.name === undefined || metaOf(o).name === t.name) && (t.group === undefined || t.group === group) && (t.version === undefined || t.version === version);
}

/** Slipway's side of one case. */
function runSlipway(c: Case): Outcome {
  try {
    let resources: (Obj | undefined)[] = parseAllDocuments(c.base).map((d) => d.toJS() as Obj);
    if (c.smp !== undefined) {
      // PatchTransformer trims an inline patch
      const text = c.form === 'patches-inline' || c.form === 'patches-target' ? c.smp.trim() : c.smp;
      const patches = parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((d) => d !== null);
      for (const patch of patches) {
        const targeted = c.form === 'patches-target';
        const t = targeted ? targetOf(c) : { kind: String(patch.kind), name: metaOf(patch).name };
        const sameNs = (r: Obj) => targeted || (metaOf(r).namespace ?? '') === (metaOf(patch).namespace ?? '');
        const hits = resources.map((r, i) => (r && selects(t, r) && sameNs(r) ? i : -1)).filter((i) => i >= 0);
        if (hits.length === 0 || (!targeted && hits.length > 1)) return { ok: false, error: 'no resource matches the patch' };
        for (const i of hits) resources[i] = applySmPatch(resources[i]!, patch, c.form !== 'patches-path' && c.form !== 'patches-inline');
      }
    } else {
      const text = c.form === 'json-inline' ? c.json!.trim() : c.json!;
      const ops = decodeJson6902(text);
      const t = c.target!;
      resources = resources.map((r) => (r && selects(t, r) ? (applyJson6902(r, ops) as Obj) : r));
    }
    return { ok: true, docs: resources.filter((r) => r !== undefined) };
  } catch (e) {
    return { ok: false, error: (e as Error).message.trimEnd() };
  }
}

const idOf = (o: unknown) => {
  const r = o as Obj;
  return `${r.apiVersion}/${r.kind}/${metaOf(r).namespace ?? ''}/${metaOf(r).name}`;
};
const byId = (a: unknown, b: unknown) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);

const results: { c: Case; verdict: 'identical' | 'both fail' | 'different'; detail?: string; sameMessage?: boolean; theirs?: string; ours?: string }[] = [];

afterAll(() => {
  const identical = results.filter((r) => r.verdict !== 'different').length;
  const failing = results.filter((r) => r.verdict === 'both fail');
  console.log(`kustomize smp parity: ${identical}/${results.length} identical (${failing.length} fail in both; same message in ${failing.filter((r) => r.sameMessage).length})`);
  for (const r of failing.filter((f) => !f.sameMessage)) console.log(`  message differs: ${r.c.name}\n    kubectl: ${r.theirs}\n    slipway: ${r.ours}`);
});

test(`strategic merge and JSON 6902 patches give what kubectl kustomize gives (${cases.length} cases)`, async () => {
  expect(cases.length).toBeGreaterThanOrEqual(150);
  const kubectl = join(toolchainBin(), 'kubectl');
  const root = mkdtempSync(join(tmpdir(), 'slipway-smp-parity-'));
  try {
    const dirs = cases.map((c, i) => {
      const dir = join(root, `case-${String(i).padStart(3, '0')}`);
      writeCase(dir, c);
      return dir;
    });
    const theirs: Outcome[] = new Array<Outcome>(cases.length);
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        theirs[i] = await runKubectl(kubectl, dirs[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));

    cases.forEach((c, i) => {
      const want = theirs[i]!;
      const got = runSlipway(c);
      // the order of resources in the output is the resource map's business, not the patch's
      if (want.ok) want.docs.sort(byId);
      if (got.ok) got.docs.sort(byId);
      if (!want.ok && !got.ok) {
        results.push({ c, verdict: 'both fail', sameMessage: want.error.includes(got.error), theirs: want.error, ours: got.error });
      } else if (want.ok && got.ok && isDeepStrictEqual(want.docs, got.docs)) {
        results.push({ c, verdict: 'identical' });
      } else {
        const show = (o: Outcome) => (o.ok ? stringify(o.docs, { sortMapEntries: true }) : `error: ${o.error}\n`);
        const diff = createTwoFilesPatch('kubectl kustomize', 'slipway', show(want), show(got), '', '', { context: 3 });
        results.push({ c, verdict: 'different', detail: diff.split('\n').slice(2).join('\n') });
      }
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const different = results.filter((r) => r.verdict === 'different');
  const report = different.map((r) => `--- ${r.c.name} (${r.c.form})\n${r.detail}`).join('\n');
  expect(different.length, `${different.length} cases differ:\n${report}`).toBe(0);
});
