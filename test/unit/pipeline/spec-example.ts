// The full slipway.yaml example of the format description (every field once), shared by the
// spec and schema tests.
export const FULL_EXAMPLE = `apiVersion: slipway.dev/v1alpha1
kind: Pipeline
metadata:
  name: myapp                   # required, lowercase DNS label
spec:
  executor: local               # local | kubernetes (default local)
  timeout: 30m                  # durations are Go style: 90s, 5m, 1h30m, 500ms
  params:
    - name: TARGET              # env-var style name [A-Za-z_][A-Za-z0-9_]*
      default: staging
      choices: [staging, production]   # present => type choice
      description: where to deploy
    - name: DRY_RUN
      type: boolean             # string (default) | boolean | choice
      default: "false"
  env:                          # values are strings (numbers/bools are stringified); may use \${...}
    IMAGE: localhost:5000/myapp
  secrets:                      # each becomes an env var, masked in every log
    - name: REGISTRY_PASSWORD
      fromEnv: REGISTRY_PASSWORD        # exactly one of fromEnv | fromFile | secretKeyRef
    - name: TOKEN
      fromFile: .secrets/token
    - name: DB_PASSWORD
      secretKeyRef: {name: db, key: password, namespace: ci}
  kubernetes:                   # defaults for the kubernetes executor
    image: golang:1.23
    serviceAccountName: builder
    nodeSelector: {kubernetes.io/os: linux}
    resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 512Mi}}
    workspace: {type: pvc, size: 1Gi, storageClassName: standard}   # or {type: git, url: ..., revision: main}
    namespace: ci-runs
  caches:
    - key: go-\${hashFiles:go.sum}
      paths: [.cache/go]
  stages:
    - name: build               # unique among all stages (including parallel children)
      needs: [lint]             # optional; omitted = after the previous stage; [] = at once
      when:                     # all given conditions must hold
        branch: main            # glob
        changes: ["src/**", go.mod]
        expression: "\${params.TARGET} == 'production' && \${BUILD_NUMBER} != '1'"
      env: {GOFLAGS: -mod=mod}
      timeout: 10m
      retries: 1
      artifacts: [bin/*]
      kubernetes: {image: golang:1.23}
      steps:
        - run: make build       # shorthand; or run: {script: "...", shell: bash, dir: src, image: golang:1.23}
          name: compile         # optional; default is derived ("run: make build")
          env: {CGO_ENABLED: "0"}
          timeout: 2m
          retries: 2
          continueOnError: true
          when: {branch: main}
        - echo: "built \${BUILD_NUMBER}"
        - image:
            context: .
            dockerfile: Dockerfile          # relative to context, default Dockerfile
            destination: localhost:5000/myapp:\${BUILD_NUMBER}   # or destinations: [a, b]
            buildArgs: {VERSION: "\${BUILD_NUMBER}"}
            builder: auto                   # auto | kaniko | buildkit | buildah | podman | docker
            pushSecret: regcred
            insecure: true
            target: runtime
        - deploy:                           # a release (helm upgrade --install)
            release: myapp
            chart: chart
            namespace: myapp-staging
            values: [chart/values-staging.yaml]
            set: {image.tag: "\${BUILD_NUMBER}"}
            wait: true
            timeout: 5m
            createNamespace: true
        - deploy:                           # or manifests: exactly one of release | kustomize | apply
            kustomize: k8s/overlays/staging   # or apply: k8s/base (file or directory)
            namespace: myapp-staging
            wait: true
            prune: false
        - job:                              # a container test Job in the cluster
            image: curlimages/curl:8.10.1
            command: [sh, -c, "curl -fsS http://myapp/healthz"]
            args: []
            namespace: myapp-staging        # default: the stage's env namespace, else the run namespace
            junit: reports/it.xml
            backoffLimit: 0
            files: {seed.sql: testdata/seed.sql}   # mounted from a ConfigMap at /data
            resources: {limits: {cpu: 500m}}
        - env:                              # ephemeral test environment for the steps after it in this stage
            namespace: test-myapp-\${BUILD_NUMBER}   # default test-<pipeline>-<BUILD_NUMBER>
            ttl: 1h
            keep: on-failure                # never | on-failure | always (default never)
            labels: {team: payments}
            release: {name: myapp, chart: chart, values: [chart/values-test.yaml], set: {}, wait: true}
            initJobs:
              - {name: load-data, image: postgres:16, command: [psql, -f, /data/seed.sql], files: {seed.sql: testdata/seed.sql}}
        - gate:
            coverage: coverage.out          # Go coverprofile, lcov, Cobertura, Istanbul json-summary, JaCoCo
            minCoverage: 80
            junit: report.xml
            maxFailures: 0
            vulns: trivy.json               # Trivy, Grype, SARIF
            maxCritical: 0
            maxHigh: 5
            maxMedium: 20
            coverageHtml: reports/coverage.html
      post:
        always: [ {run: "make clean"} ]
        success: []
        failure: [ {echo: "build failed"} ]
    - name: tests
      parallel:                 # instead of steps: child stages run at the same time
        - name: unit
          steps: [ {run: make test} ]
        - name: lint
          steps: [ {run: make lint} ]
      failFast: true
  post: {always: [], success: [], failure: []}
`;
