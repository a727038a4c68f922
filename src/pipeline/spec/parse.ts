// slipway.yaml (apiVersion slipway.dev/v1alpha1, kind Pipeline) into the pipeline model.
// Every error is an InputError at the offending node's file:line:column whose message starts
// with the field path, e.g. `spec.stages[0].steps[1].imagee: unknown field (did you mean image?)`.
import { LineCounter, isScalar, parseDocument, type Node } from 'yaml';
import { InputError, type SourceLocation } from '../../core/index.js';
import type {
  CacheSpec,
  DeployStep,
  EnvStep,
  GateStep,
  ImageStep,
  JobStep,
  KubernetesDefaults,
  ParamSpec,
  Pipeline,
  PolicyStep,
  PostSpec,
  Resources,
  SecretSpec,
  Stage,
  Step,
  WhenSpec,
} from '../model.js';
import { parseExpression, type Expr } from './expression.js';
import { fieldPath, scanTemplate } from './interpolate.js';
import { Reader, type Obj, type Val } from './reader.js';
import { suggest } from './suggest.js';

/** The apiVersion of slipway.yaml. */
export const PIPELINE_API_VERSION = 'slipway.dev/v1alpha1';

/** Step type keys; a step has exactly one. */
export const STEP_TYPES = ['run', 'echo', 'image', 'deploy', 'job', 'env', 'gate', 'policy'] as const;
/** Keys every step may have besides its type key. */
export const STEP_COMMON = ['name', 'env', 'timeout', 'retries', 'continueOnError', 'when'] as const;

const TOP_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'];
const SPEC_FIELDS = ['executor', 'timeout', 'params', 'env', 'secrets', 'kubernetes', 'caches', 'stages', 'post'];
const STAGE_FIELDS = ['name', 'needs', 'when', 'env', 'timeout', 'retries', 'artifacts', 'kubernetes', 'steps', 'parallel', 'failFast', 'post'];
const WHEN_FIELDS = ['branch', 'changes', 'expression', 'environment', 'not', 'allOf', 'anyOf'];
const KUBE_FIELDS = ['image', 'serviceAccountName', 'nodeSelector', 'annotations', 'resources', 'workspace', 'namespace'];
const JOB_FIELDS = ['image', 'command', 'args', 'namespace', 'junit', 'backoffLimit', 'files', 'resources'];
const RELEASE_ONLY = ['chart', 'values', 'set', 'createNamespace'];
const DEPLOY_FIELDS = ['release', 'kustomize', 'apply', ...RELEASE_ONLY, 'namespace', 'wait', 'timeout', 'prune', 'policies'];
const GATE_FIELDS = ['coverage', 'minCoverage', 'junit', 'maxFailures', 'vulns', 'maxCritical', 'maxHigh', 'maxMedium', 'coverageHtml'];
const POLICY_CHART_ONLY = ['release', 'namespace', 'values', 'set'];
const POLICY_FIELDS = ['policies', 'resources', 'chart', 'kustomize', ...POLICY_CHART_ONLY, 'failOn'];
const BUILDERS = ['auto', 'kaniko', 'buildkit', 'buildah', 'podman', 'docker'] as const;

/** Environment variable, parameter and secret names. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Default TTL of an `env` step's namespace. */
export const DEFAULT_ENV_TTL_MS = 3_600_000;
const NAME_MAX = 60;

/** A step type's own fields (what is left of a step without the common ones). */
type Body<S> = S extends unknown ? Omit<S, 'name' | 'env' | 'retries' | 'at'> : never;

/**
 * Parses a slipway.yaml document. Throws InputError (with `at`) on the first problem: YAML
 * syntax, unknown or missing fields, wrong types, bad durations or names, exactly-one-of
 * violations, duplicate stage names, `needs` naming no stage, and dependency cycles.
 */
export function parsePipelineYaml(text: string, file: string): Pipeline {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = lines.linePos(err.pos[0]);
    const msg = err.code === 'DUPLICATE_KEY' ? 'a field is written twice in the same mapping' : err.message.split('\n')[0]!;
    throw new InputError(`invalid YAML: ${msg}`, { file, line: pos.line, column: pos.col });
  }
  const r = new Reader(file, text, lines, doc);
  const root = r.root();
  if (!root) throw new InputError(`empty file: expected a Pipeline (apiVersion: ${PIPELINE_API_VERSION}, kind: Pipeline)`, { file, line: 1, column: 1 });
  return new SpecParser(r).pipeline(root);
}

class SpecParser {
  private params = new Set<string>();
  /** Every stage name (parallel children included) and where it is written. */
  private stageNames = new Map<string, { node: Node; parent?: string }>();

  constructor(private readonly r: Reader) {}

  pipeline(root: Val): Pipeline {
    const r = this.r;
    const o = r.map(root, TOP_FIELDS, `a Pipeline mapping (apiVersion, kind, metadata, spec)`);
    const apiVersion = r.str(r.need(o, 'apiVersion'));
    if (apiVersion !== PIPELINE_API_VERSION) r.fail(r.get(o, 'apiVersion')!.node, 'apiVersion', `must be ${PIPELINE_API_VERSION}, got "${apiVersion}"`);
    const kind = r.str(r.need(o, 'kind'));
    if (kind !== 'Pipeline') r.fail(r.get(o, 'kind')!.node, 'kind', `must be Pipeline, got "${kind}"`);
    const meta = r.map(r.need(o, 'metadata'), ['name']);
    const nameV = r.need(meta, 'name');
    const name = r.str(nameV);
    if (name.length > 63 || !DNS_LABEL.test(name)) {
      r.fail(nameV.node, nameV.path, `"${name}" is not a valid name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
    }
    const spec = r.map(r.need(o, 'spec'), SPEC_FIELDS);

    // Params first: templates anywhere may name them.
    const params = this.list(spec, 'params', (v) => this.param(v));
    const secrets = this.list(spec, 'secrets', (v) => this.secret(v));
    const pipeline: Pipeline = {
      name,
      file: r.file,
      format: 'slipway',
      params,
      env: this.envMap(spec, 'env'),
      secrets,
      caches: this.list(spec, 'caches', (v) => this.cache(v)),
      stages: [],
      post: this.post(spec),
      at: r.loc(root.node),
    };
    const executor = r.get(spec, 'executor');
    if (executor) pipeline.executor = r.choice(executor, ['local', 'kubernetes'] as const);
    const timeout = r.get(spec, 'timeout');
    if (timeout) pipeline.timeoutMs = r.duration(timeout);
    const kube = r.get(spec, 'kubernetes');
    if (kube) pipeline.kubernetes = this.kubernetes(kube);

    const stagesV = r.need(spec, 'stages');
    const stageVals = r.list(stagesV);
    if (stageVals.length === 0) r.fail(stagesV.node, stagesV.path, 'must list at least one stage');
    pipeline.stages = stageVals.map((v) => this.stage(v, undefined));
    this.checkNeeds(pipeline.stages, stageVals);
    return pipeline;
  }

  // ---- pieces of spec ----

  private param(v: Val): ParamSpec {
    const r = this.r;
    const o = r.map(v, ['name', 'type', 'default', 'choices', 'description']);
    const name = this.varName(r.need(o, 'name'), 'parameter');
    if (this.params.has(name)) r.fail(r.get(o, 'name')!.node, fieldPath(o.path, 'name'), `duplicate parameter "${name}"`);
    this.params.add(name);
    const p: ParamSpec = { name, type: 'string', at: r.loc(v.node) };
    const choicesV = r.get(o, 'choices');
    const typeV = r.get(o, 'type');
    if (typeV) p.type = r.choice(typeV, ['string', 'boolean', 'choice'] as const);
    if (choicesV) {
      if (typeV && p.type !== 'choice') r.fail(typeV.node, typeV.path, `must be choice (or left out) when choices are given, got "${p.type}"`);
      p.type = 'choice';
      p.choices = r.list(choicesV).map((c) => r.scalarStr(c));
      if (p.choices.length === 0) r.fail(choicesV.node, choicesV.path, 'must list at least one choice');
    } else if (p.type === 'choice') {
      r.need(o, 'choices', 'a choice parameter lists its choices');
    }
    const defV = r.get(o, 'default');
    if (defV) {
      const d = r.scalarStr(defV);
      if (p.type === 'boolean' && d !== 'true' && d !== 'false') r.fail(defV.node, defV.path, `a boolean parameter's default must be true or false, got "${d}"`);
      if (p.type === 'choice' && !p.choices!.includes(d)) r.fail(defV.node, defV.path, `"${d}" is not one of the choices (${p.choices!.join(', ')})`);
      p.default = d;
    } else if (p.type === 'boolean') {
      p.default = 'false';
    } else if (p.type === 'choice') {
      p.default = p.choices![0];
    }
    const desc = r.get(o, 'description');
    if (desc) p.description = r.str(desc);
    return p;
  }

  private secret(v: Val): SecretSpec {
    const r = this.r;
    const o = r.map(v, ['name', 'fromEnv', 'fromFile', 'secretKeyRef']);
    const name = this.varName(r.need(o, 'name'), 'secret');
    const source = this.exactlyOne(o, ['fromEnv', 'fromFile', 'secretKeyRef'], 'a secret');
    const sv = r.get(o, source)!;
    let from: SecretSpec['from'];
    if (source === 'fromEnv') from = { env: this.varName(sv, 'environment variable') };
    else if (source === 'fromFile') from = { file: r.str(sv) };
    else {
      const ref = r.map(sv, ['name', 'key', 'namespace']);
      const secret: { name: string; key: string; namespace?: string } = { name: r.str(r.need(ref, 'name')), key: r.str(r.need(ref, 'key')) };
      const ns = r.get(ref, 'namespace');
      if (ns) secret.namespace = r.str(ns);
      from = { secret };
    }
    return { name, from, at: r.loc(v.node) };
  }

  private cache(v: Val): CacheSpec {
    const r = this.r;
    const o = r.map(v, ['key', 'paths']);
    const key = this.tmpl(r.need(o, 'key'), true);
    const pathsV = r.need(o, 'paths');
    const paths = r.strList(pathsV);
    if (paths.length === 0) r.fail(pathsV.node, pathsV.path, 'must list at least one path');
    return { key, paths, at: r.loc(v.node) };
  }

  private kubernetes(v: Val): KubernetesDefaults {
    const r = this.r;
    const o = r.map(v, KUBE_FIELDS);
    const k: KubernetesDefaults = {};
    this.optStr(o, 'image', (s) => (k.image = s));
    this.optStr(o, 'serviceAccountName', (s) => (k.serviceAccountName = s));
    this.optStr(o, 'namespace', (s) => (k.namespace = s));
    const sel = r.get(o, 'nodeSelector');
    if (sel) k.nodeSelector = r.strMap(sel);
    const annotations = r.get(o, 'annotations');
    if (annotations) k.annotations = r.strMap(annotations);
    const res = r.get(o, 'resources');
    if (res) k.resources = this.resources(res);
    const wsV = r.get(o, 'workspace');
    if (wsV) {
      const ws = r.map(wsV, ['type', 'size', 'storageClassName', 'url', 'revision']);
      const type = r.choice(r.need(ws, 'type'), ['pvc', 'git'] as const);
      const only = (keys: string[], forType: string) => {
        for (const key of keys) if (ws.fields.has(key)) r.fail(r.keyNode(ws, key), fieldPath(ws.path, key), `only applies to a workspace of type ${forType}`);
      };
      if (type === 'pvc') {
        only(['url', 'revision'], 'git');
        const pvc: { type: 'pvc'; storageClassName?: string; size?: string } = { type };
        this.optStr(ws, 'size', (s) => (pvc.size = s));
        this.optStr(ws, 'storageClassName', (s) => (pvc.storageClassName = s));
        k.workspace = pvc;
      } else {
        only(['size', 'storageClassName'], 'pvc');
        const git: { type: 'git'; url: string; revision?: string } = { type, url: this.tmpl(r.need(ws, 'url')) };
        this.optStr(ws, 'revision', (s) => (git.revision = s));
        k.workspace = git;
      }
    }
    return k;
  }

  private resources(v: Val): Resources {
    const r = this.r;
    const o = r.map(v, ['requests', 'limits']);
    const out: Resources = {};
    const req = r.get(o, 'requests');
    if (req) out.requests = r.strMap(req);
    const lim = r.get(o, 'limits');
    if (lim) out.limits = r.strMap(lim);
    return out;
  }

  // ---- stages ----

  private stage(v: Val, parent: string | undefined): Stage {
    const r = this.r;
    const o = r.map(v, STAGE_FIELDS, 'a stage (a mapping with name and steps or parallel)');
    const nameV = r.need(o, 'name');
    const name = r.str(nameV);
    if (name.trim() === '') r.fail(nameV.node, nameV.path, 'must not be empty');
    const seen = this.stageNames.get(name);
    if (seen) r.fail(nameV.node, nameV.path, `duplicate stage name "${name}" (also at line ${r.loc(seen.node).line}); stage names are unique across the pipeline, parallel stages included`);
    this.stageNames.set(name, { node: nameV.node, ...(parent !== undefined ? { parent } : {}) });

    const stage: Stage = { name, env: this.envMap(o, 'env'), retries: 0, steps: [], post: this.post(o), artifacts: [], at: r.loc(v.node) };
    const needsV = r.get(o, 'needs');
    if (needsV) {
      if (parent !== undefined) r.fail(r.keyNode(o, 'needs'), needsV.path, `not allowed inside parallel: the stages of "${parent}" start together`);
      stage.needs = r.strList(needsV);
    } else if (o.fields.has('needs') && parent === undefined) {
      // `needs:` written empty reads as "no needs" in YAML; only `needs: []` means "at once".
      r.fail(r.keyNode(o, 'needs'), fieldPath(o.path, 'needs'), 'must be a list of stage names ([] to start at once)');
    }
    const whenV = r.get(o, 'when');
    if (whenV) stage.when = this.when(whenV);
    const timeout = r.get(o, 'timeout');
    if (timeout) stage.timeoutMs = r.duration(timeout);
    const retries = r.get(o, 'retries');
    if (retries) stage.retries = r.int(retries, 0);
    const artifacts = r.get(o, 'artifacts');
    if (artifacts) stage.artifacts = r.list(artifacts).map((a) => this.tmpl(a));
    const kube = r.get(o, 'kubernetes');
    if (kube) stage.kubernetes = this.kubernetes(kube);

    const stepsV = r.get(o, 'steps');
    const parallelV = r.get(o, 'parallel');
    if (stepsV && parallelV) r.fail(r.keyNode(o, 'parallel'), parallelV.path, 'a stage has steps or parallel, not both');
    if (!stepsV && !parallelV) {
      const empty = o.fields.get('steps') ?? o.fields.get('parallel');
      if (empty) r.fail(empty.key, fieldPath(o.path, String(empty.key.value)), 'must not be empty');
      r.fail(v.node, v.path, `stage "${name}" needs steps or parallel`);
    }
    if (stepsV) {
      const steps = r.list(stepsV);
      if (steps.length === 0) r.fail(stepsV.node, stepsV.path, 'must list at least one step');
      stage.steps = steps.map((s) => this.step(s));
    }
    if (parallelV) {
      if (parent !== undefined) r.fail(r.keyNode(o, 'parallel'), parallelV.path, `parallel stages cannot nest another parallel (inside "${parent}")`);
      const children = r.list(parallelV);
      if (children.length === 0) r.fail(parallelV.node, parallelV.path, 'must list at least one stage');
      stage.parallel = children.map((c) => this.stage(c, name));
    }
    const ff = r.get(o, 'failFast');
    if (ff) {
      if (!parallelV) r.fail(r.keyNode(o, 'failFast'), ff.path, 'only applies to a stage with parallel');
      stage.failFast = r.bool(ff);
    }
    return stage;
  }

  /** `needs` must name top-level stages, and the stages' order must have no cycle. */
  private checkNeeds(stages: Stage[], vals: Val[]): void {
    const r = this.r;
    const index = new Map(stages.map((s, i) => [s.name, i]));
    stages.forEach((s, i) => {
      if (!s.needs) return;
      const o = r.map(vals[i]!, STAGE_FIELDS);
      const needVals = r.list(r.get(o, 'needs')!);
      const listed = new Set<string>();
      s.needs.forEach((n, j) => {
        const nv = needVals[j]!;
        if (listed.has(n)) r.fail(nv.node, nv.path, `"${n}" is listed twice`);
        listed.add(n);
        if (index.has(n)) return;
        const known = this.stageNames.get(n);
        if (known?.parent !== undefined) r.fail(nv.node, nv.path, `"${n}" is inside parallel stage "${known.parent}"; name "${known.parent}" instead`);
        const hint = suggest(n, [...index.keys()]);
        r.fail(nv.node, nv.path, `no stage named "${n}"${hint ? ` (did you mean ${hint}?)` : ''}`);
      });
    });
    // Each stage waits for its needs, or for the stage before it when it has none.
    const deps = stages.map((s, i) => (s.needs ? s.needs.map((n) => index.get(n)!) : i > 0 ? [i - 1] : []));
    const state = new Array<0 | 1 | 2>(stages.length).fill(0);
    const stack: number[] = [];
    const visit = (i: number): void => {
      state[i] = 1;
      stack.push(i);
      for (const d of deps[i]!) {
        if (state[d] === 1) this.cycle(stages, vals, stack.slice(stack.indexOf(d)));
        if (state[d] === 0) visit(d);
      }
      stack.pop();
      state[i] = 2;
    };
    stages.forEach((_, i) => state[i] === 0 && visit(i));
  }

  private cycle(stages: Stage[], vals: Val[], members: number[]): never {
    const r = this.r;
    const names = [...members, members[0]!].map((i) => stages[i]!.name);
    const implicit = members.filter((i) => !stages[i]!.needs).map((i) => `"${stages[i]!.name}" has no needs, so it waits for "${stages[i - 1]!.name}"`);
    // Report at the first explicit needs of the cycle in file order.
    const first = [...members].sort((a, b) => a - b).find((i) => stages[i]!.needs) ?? members[0]!;
    const o = r.map(vals[first]!, STAGE_FIELDS);
    const at = r.get(o, 'needs') ?? vals[first]!;
    const path = r.get(o, 'needs') ? at.path : vals[first]!.path;
    return r.fail(at.node, path, `dependency cycle: ${names.join(' -> ')} (each waits for the next${implicit.length ? `; ${implicit.join('; ')}` : ''})`);
  }

  private post(o: Obj): PostSpec {
    const r = this.r;
    const post: PostSpec = { always: [], success: [], failure: [] };
    const v = r.get(o, 'post');
    if (!v) return post;
    const p = r.map(v, ['always', 'success', 'failure']);
    for (const k of ['always', 'success', 'failure'] as const) {
      const l = r.get(p, k);
      if (l) post[k] = r.list(l).map((s) => this.step(s));
    }
    return post;
  }

  private when(v: Val): WhenSpec {
    const r = this.r;
    const o = r.map(v, WHEN_FIELDS);
    const w: WhenSpec = {};
    if (![...o.fields.keys()].some((k) => r.has(o, k))) r.fail(v.node, v.path, `give at least one condition (${WHEN_FIELDS.join(', ')})`);
    const branch = r.get(o, 'branch');
    if (branch) w.branch = this.tmpl(branch);
    const changes = r.get(o, 'changes');
    if (changes) {
      w.changes = r.strList(changes);
      if (w.changes.length === 0) r.fail(changes.node, changes.path, 'must list at least one glob');
    }
    const expr = r.get(o, 'expression');
    if (expr) {
      w.expression = r.str(expr);
      const loc = r.loc(expr.node);
      const parsed = parseExpression(w.expression, { field: expr.path, at: loc, ...exprColumn(expr.node, w.expression, loc) });
      this.checkExprParams(parsed, expr);
    }
    const env = r.get(o, 'environment');
    if (env) {
      const e = r.map(env, ['name', 'value']);
      w.environment = { name: this.varName(r.need(e, 'name'), 'variable'), value: r.scalarStr(r.need(e, 'value')) };
    }
    const not = r.get(o, 'not');
    if (not) w.not = this.when(not);
    for (const k of ['allOf', 'anyOf'] as const) {
      const l = r.get(o, k);
      if (!l) continue;
      const items = r.list(l);
      if (items.length === 0) r.fail(l.node, l.path, 'must list at least one condition');
      w[k] = items.map((i) => this.when(i));
    }
    return w;
  }

  private checkExprParams(e: Expr, v: Val): void {
    switch (e.kind) {
      case 'ref':
        if (e.ref.scope === 'params' && !this.params.has(e.ref.name)) this.unknownParam(v, e.ref.name, e.ref.raw);
        return;
      case 'not':
        return this.checkExprParams(e.operand, v);
      case 'literal':
        return;
      default:
        this.checkExprParams(e.left, v);
        this.checkExprParams(e.right, v);
    }
  }

  // ---- steps ----

  private step(v: Val): Step {
    const r = this.r;
    const o = r.map(v, [...STEP_TYPES, ...STEP_COMMON], `a step (a mapping with one of ${STEP_TYPES.join(', ')})`);
    let types = STEP_TYPES.filter((t) => o.fields.has(t));
    // `env` is the step type only when no other type key is there; otherwise it is the step's variables.
    if (types.length > 1 && types.includes('env')) types = types.filter((t) => t !== 'env');
    if (types.length === 0) r.fail(v.node, v.path, `a step needs exactly one of ${STEP_TYPES.join(', ')}`);
    if (types.length > 1) r.fail(r.keyNode(o, types[1]!), fieldPath(o.path, types[1]!), `a step has exactly one type, but this one has both ${types[0]} and ${types[1]}`);
    const type = types[0]!;
    const body = r.need(o, type);

    const base = {
      name: '',
      env: type === 'env' ? {} : this.envMap(o, 'env'),
      retries: 0,
      at: r.loc(v.node),
    } as Step;
    const timeout = r.get(o, 'timeout');
    if (timeout) base.timeoutMs = r.duration(timeout);
    const retries = r.get(o, 'retries');
    if (retries) base.retries = r.int(retries, 0);
    const coe = r.get(o, 'continueOnError');
    if (coe) base.continueOnError = r.bool(coe);
    const when = r.get(o, 'when');
    if (when) base.when = this.when(when);

    let step: Step;
    let label: string;
    switch (type) {
      case 'run': {
        const run = isScalar(body.node) ? { script: r.str(body) } : this.runMap(body);
        step = { ...base, type: 'run', ...run } as Step;
        label = run.script;
        break;
      }
      case 'echo': {
        const message = this.tmplScalar(body);
        step = { ...base, type: 'echo', message } as Step;
        label = message;
        break;
      }
      case 'image': {
        const img = this.image(body);
        step = { ...base, ...img } as Step;
        label = img.destinations[0] ?? img.context;
        break;
      }
      case 'deploy': {
        const d = this.deploy(body);
        step = { ...base, ...d } as Step;
        label = d.mode === 'release' ? d.release : d.path;
        break;
      }
      case 'job': {
        const j = this.job(r.map(body, JOB_FIELDS));
        step = { ...base, ...j } as Step;
        label = j.image;
        break;
      }
      case 'env': {
        const e = this.envStep(body);
        step = { ...base, ...e } as Step;
        label = e.namespace ?? 'test environment';
        break;
      }
      case 'gate': {
        const g = this.gate(body);
        step = { ...base, ...g } as Step;
        label = [g.coverage, g.junit, g.vulns].filter((x) => x !== undefined).join(', ');
        break;
      }
      case 'policy': {
        const p = this.policy(body);
        step = { ...base, ...p } as Step;
        label = [...(p.resources ?? []), p.chart?.chart, p.kustomize].filter((x) => x !== undefined).join(', ');
        break;
      }
    }
    const nameV = r.get(o, 'name');
    step.name = nameV ? this.tmpl(nameV) : stepName(type, label);
    return step;
  }

  private runMap(v: Val): { script: string; shell?: string; dir?: string; image?: string } {
    const r = this.r;
    const o = r.map(v, ['script', 'shell', 'dir', 'image'], 'a script string or a mapping (script, shell, dir, image)');
    const run: { script: string; shell?: string; dir?: string; image?: string } = { script: r.str(r.need(o, 'script')) };
    const shell = r.get(o, 'shell');
    if (shell) run.shell = r.str(shell);
    this.optStr(o, 'dir', (s) => (run.dir = s));
    this.optStr(o, 'image', (s) => (run.image = s));
    return run;
  }

  private image(v: Val): Omit<ImageStep, 'name' | 'env' | 'retries' | 'at'> {
    const r = this.r;
    const o = r.map(v, ['context', 'dockerfile', 'destination', 'destinations', 'buildArgs', 'builder', 'push', 'pushSecret', 'insecure', 'target']);
    const img: Omit<ImageStep, 'name' | 'env' | 'retries' | 'at'> = { type: 'image', context: '.', dockerfile: 'Dockerfile', destinations: [], buildArgs: {}, builder: 'auto', push: true };
    this.optStr(o, 'context', (s) => (img.context = s));
    this.optStr(o, 'dockerfile', (s) => (img.dockerfile = s));
    const one = r.get(o, 'destination');
    const many = r.get(o, 'destinations');
    if (one && many) r.fail(r.keyNode(o, 'destinations'), many.path, 'give destination or destinations, not both');
    if (one) img.destinations = [this.tmpl(one)];
    if (many) img.destinations = r.list(many).map((d) => this.tmpl(d));
    const args = r.get(o, 'buildArgs');
    if (args) img.buildArgs = this.tmplMap(args);
    const builder = r.get(o, 'builder');
    if (builder) img.builder = r.choice(builder, BUILDERS);
    const push = r.get(o, 'push');
    if (push) img.push = r.bool(push);
    this.optStr(o, 'pushSecret', (s) => (img.pushSecret = s));
    const insecure = r.get(o, 'insecure');
    if (insecure) img.insecure = r.bool(insecure);
    this.optStr(o, 'target', (s) => (img.target = s));
    return img;
  }

  private deploy(v: Val): Body<DeployStep> {
    const r = this.r;
    const o = r.map(v, DEPLOY_FIELDS);
    const mode = this.exactlyOne(o, ['release', 'kustomize', 'apply'], 'deploy');
    const wait = r.get(o, 'wait');
    const timeout = r.get(o, 'timeout');
    const common: { namespace?: string; wait: boolean; deployTimeoutMs?: number; policies?: string[] } = { wait: wait ? r.bool(wait) : false };
    this.optStr(o, 'namespace', (s) => (common.namespace = s));
    if (timeout) common.deployTimeoutMs = r.duration(timeout);
    const policies = r.get(o, 'policies');
    if (policies) common.policies = this.pathList(policies);
    if (mode === 'release') {
      if (o.fields.has('prune')) r.fail(r.keyNode(o, 'prune'), fieldPath(o.path, 'prune'), 'only applies to kustomize and apply deploys, not to a release');
      const values = r.get(o, 'values');
      const set = r.get(o, 'set');
      const cn = r.get(o, 'createNamespace');
      return {
        type: 'deploy',
        mode,
        release: this.tmpl(r.get(o, 'release')!),
        chart: this.tmpl(r.need(o, 'chart', 'a release deploy installs a chart')),
        valuesFiles: values ? r.list(values).map((x) => this.tmpl(x)) : [],
        set: set ? this.tmplMap(set) : {},
        createNamespace: cn ? r.bool(cn) : false,
        ...common,
      };
    }
    for (const key of RELEASE_ONLY) {
      if (o.fields.has(key)) r.fail(r.keyNode(o, key), fieldPath(o.path, key), `only applies to a release deploy, not to ${mode}`);
    }
    const prune = r.get(o, 'prune');
    return { type: 'deploy', mode, path: this.tmpl(r.get(o, mode)!), prune: prune ? r.bool(prune) : false, ...common };
  }

  /** `policy:` policies (files/dirs) and what to check: resources, a chart (with release, namespace, values, set) and/or a kustomization. */
  private policy(v: Val): Body<PolicyStep> {
    const r = this.r;
    const o = r.map(v, POLICY_FIELDS);
    const p: Body<PolicyStep> = { type: 'policy', policies: this.pathList(r.need(o, 'policies', 'a policy step names the policy files or directories to apply')), failOn: 'enforce' };
    const resources = r.get(o, 'resources');
    if (resources) p.resources = this.pathList(resources);
    const chart = r.get(o, 'chart');
    if (chart) {
      const values = r.get(o, 'values');
      const set = r.get(o, 'set');
      p.chart = { chart: this.tmpl(chart), valuesFiles: values ? r.list(values).map((x) => this.tmpl(x)) : [], set: set ? this.tmplMap(set) : {} };
      this.optStr(o, 'release', (s) => (p.chart!.release = s));
      this.optStr(o, 'namespace', (s) => (p.chart!.namespace = s));
    } else {
      for (const key of POLICY_CHART_ONLY) if (o.fields.has(key)) r.fail(r.keyNode(o, key), fieldPath(o.path, key), 'only applies with chart');
    }
    this.optStr(o, 'kustomize', (s) => (p.kustomize = s));
    if (!p.resources && !p.chart && !p.kustomize) r.fail(v.node, v.path, 'a policy step checks at least one of resources, chart, kustomize');
    const failOn = r.get(o, 'failOn');
    if (failOn) p.failOn = r.choice(failOn, ['enforce', 'any'] as const);
    return p;
  }

  /** One path or a list of paths (each may use `${...}`); an empty list is an error. */
  private pathList(v: Val): string[] {
    if (isScalar(v.node)) return [this.tmpl(v)];
    const items = this.r.list(v);
    if (items.length === 0) this.r.fail(v.node, v.path, 'must list at least one path');
    return items.map((x) => this.tmpl(x));
  }

  private job(o: Obj): Omit<JobStep, 'name' | 'env' | 'retries' | 'at'> {
    const r = this.r;
    const job: Omit<JobStep, 'name' | 'env' | 'retries' | 'at'> = { type: 'job', image: this.tmpl(r.need(o, 'image', 'a job runs a container image')) };
    const cmd = r.get(o, 'command');
    if (cmd) job.command = r.list(cmd).map((c) => this.tmplScalar(c));
    const args = r.get(o, 'args');
    if (args) job.args = r.list(args).map((c) => this.tmplScalar(c));
    this.optStr(o, 'namespace', (s) => (job.namespace = s));
    this.optStr(o, 'junit', (s) => (job.junit = s));
    const bl = r.get(o, 'backoffLimit');
    if (bl) job.backoffLimit = r.int(bl, 0);
    const files = r.get(o, 'files');
    if (files) job.files = this.tmplMap(files);
    const res = r.get(o, 'resources');
    if (res) job.resources = this.resources(res);
    return job;
  }

  private envStep(v: Val): Omit<EnvStep, 'name' | 'env' | 'retries' | 'at'> {
    const r = this.r;
    const o = r.map(v, ['namespace', 'ttl', 'keep', 'labels', 'release', 'initJobs']);
    const ttl = r.get(o, 'ttl');
    const keep = r.get(o, 'keep');
    const labels = r.get(o, 'labels');
    const e: Omit<EnvStep, 'name' | 'env' | 'retries' | 'at'> = {
      type: 'env',
      ttlMs: ttl ? r.duration(ttl) : DEFAULT_ENV_TTL_MS,
      keep: keep ? r.choice(keep, ['never', 'on-failure', 'always'] as const) : 'never',
      labels: labels ? this.tmplMap(labels) : {},
      initJobs: [],
    };
    this.optStr(o, 'namespace', (s) => (e.namespace = s));
    const rel = r.get(o, 'release');
    if (rel) {
      const ro = r.map(rel, ['name', 'chart', 'values', 'set', 'wait']);
      const values = r.get(ro, 'values');
      const set = r.get(ro, 'set');
      const wait = r.get(ro, 'wait');
      e.release = {
        name: this.tmpl(r.need(ro, 'name')),
        chart: this.tmpl(r.need(ro, 'chart')),
        valuesFiles: values ? r.list(values).map((x) => this.tmpl(x)) : [],
        set: set ? this.tmplMap(set) : {},
        wait: wait ? r.bool(wait) : false,
      };
    }
    const init = r.get(o, 'initJobs');
    if (init) {
      e.initJobs = r.list(init).map((jv) => {
        const jo = r.map(jv, ['name', 'env', 'timeout', ...JOB_FIELDS]);
        const job = this.job(jo);
        const nameV = r.get(jo, 'name');
        const timeout = r.get(jo, 'timeout');
        const step: JobStep = { ...job, name: nameV ? this.tmpl(nameV) : stepName('job', job.image), env: this.envMap(jo, 'env'), retries: 0, at: r.loc(jv.node) };
        if (timeout) step.timeoutMs = r.duration(timeout);
        return step;
      });
    }
    return e;
  }

  private gate(v: Val): Omit<GateStep, 'name' | 'env' | 'retries' | 'at'> {
    const r = this.r;
    const o = r.map(v, GATE_FIELDS);
    const g: Omit<GateStep, 'name' | 'env' | 'retries' | 'at'> = { type: 'gate', thresholds: {} };
    this.optStr(o, 'coverage', (s) => (g.coverage = s));
    this.optStr(o, 'junit', (s) => (g.junit = s));
    this.optStr(o, 'vulns', (s) => (g.vulns = s));
    this.optStr(o, 'coverageHtml', (s) => (g.coverageHtml = s));
    if (!g.coverage && !g.junit && !g.vulns) r.fail(v.node, v.path, 'a gate reads at least one of coverage, junit, vulns');
    const needs = (key: string, report: 'coverage' | 'junit' | 'vulns') => {
      if (o.fields.has(key) && !g[report]) r.fail(r.keyNode(o, key), fieldPath(o.path, key), `needs a ${report} report to check`);
    };
    needs('coverageHtml', 'coverage');
    const min = r.get(o, 'minCoverage');
    if (min) {
      needs('minCoverage', 'coverage');
      g.thresholds.minCoverage = r.num(min, 0, 100);
    }
    const mf = r.get(o, 'maxFailures');
    if (mf) {
      needs('maxFailures', 'junit');
      g.thresholds.maxFailures = r.int(mf, 0);
    }
    for (const k of ['maxCritical', 'maxHigh', 'maxMedium'] as const) {
      const x = r.get(o, k);
      if (!x) continue;
      needs(k, 'vulns');
      g.thresholds[k] = r.int(x, 0);
    }
    return g;
  }

  // ---- helpers ----

  private list<T>(o: Obj, key: string, each: (v: Val) => T): T[] {
    const v = this.r.get(o, key);
    return v ? this.r.list(v).map(each) : [];
  }

  /** A name usable as an environment variable. */
  private varName(v: Val, what: string): string {
    const s = this.r.str(v);
    if (!VARIABLE_NAME.test(s)) this.r.fail(v.node, v.path, `bad ${what} name "${s}": use letters, digits and _, not starting with a digit`);
    return s;
  }

  /** An `env` mapping: variable names to strings (numbers and booleans as written). */
  private envMap(o: Obj, key: string): Record<string, string> {
    const v = this.r.get(o, key);
    if (!v) return {};
    const out = this.r.strMap(v, (k, node, path) => {
      if (!VARIABLE_NAME.test(k)) this.r.fail(node, path, `bad variable name "${k}": use letters, digits and _, not starting with a digit`);
    });
    const m = this.r.anyMap(v);
    for (const [k, f] of m.fields) this.checkTemplate(out[k]!, f.value!, fieldPath(v.path, k), false);
    return out;
  }

  /** A string-to-string mapping whose values may use `${...}`. */
  private tmplMap(v: Val): Record<string, string> {
    const out = this.r.strMap(v);
    const m = this.r.anyMap(v);
    for (const [k, f] of m.fields) this.checkTemplate(out[k]!, f.value!, fieldPath(v.path, k), false);
    return out;
  }

  private optStr(o: Obj, key: string, set: (s: string) => void): void {
    const v = this.r.get(o, key);
    if (v) set(this.tmpl(v));
  }

  /** A string field that is interpolated at run time: its `${...}` references must be well formed. */
  private tmpl(v: Val, hashFiles = false): string {
    const s = this.r.str(v);
    this.checkTemplate(s, v.node, v.path, hashFiles);
    return s;
  }

  private tmplScalar(v: Val): string {
    const s = this.r.scalarStr(v);
    this.checkTemplate(s, v.node, v.path, false);
    return s;
  }

  private checkTemplate(text: string, node: Node, path: string, hashFiles: boolean): void {
    if (!text.includes('${')) return;
    const at = this.r.loc(node);
    for (const p of scanTemplate(text, path, at)) {
      if (typeof p === 'string') continue;
      if (p.scope === 'hashFiles' && !hashFiles) this.r.fail(node, path, `${p.raw}: hashFiles is only allowed in cache keys`);
      if (p.scope === 'params' && !this.params.has(p.name)) this.unknownParam({ node, path }, p.name, p.raw);
    }
  }

  private unknownParam(v: Val, name: string, raw: string): never {
    const hint = suggest(name, [...this.params]);
    return this.r.fail(v.node, v.path, `${raw}: no parameter named "${name}" in spec.params${hint ? ` (did you mean ${hint}?)` : ''}`);
  }

  /** The one key of `keys` present in `o`; none or two are errors. */
  private exactlyOne<K extends string>(o: Obj, keys: readonly K[], what: string): K {
    const present = keys.filter((k) => o.fields.has(k));
    if (present.length === 0) this.r.fail(o.node, o.path, `${what} needs exactly one of ${keys.join(', ')}`);
    if (present.length > 1) this.r.fail(this.r.keyNode(o, present[1]!), fieldPath(o.path, present[1]!), `${what} takes exactly one of ${keys.join(', ')}, but both ${present[0]} and ${present[1]} are given`);
    this.r.need(o, present[0]!);
    return present[0]!;
  }
}

/** `run: make build`: the first line of the step's main value, cut to about 60 characters. */
export function stepName(type: string, label: string): string {
  const lines = label.trim().split('\n');
  let text = `${type}: ${lines[0]!.trim()}`.trimEnd();
  if (!label.trim()) text = type;
  const more = lines.length > 1;
  if (text.length > NAME_MAX || (more && text.length + 4 > NAME_MAX)) return `${text.slice(0, NAME_MAX - 3).trimEnd()}...`;
  return more ? `${text} ...` : text;
}

/** Column of the expression's first character when the scalar is written plainly or quoted without escapes. */
function exprColumn(node: Node, value: string, loc: SourceLocation): { column?: number } {
  if (!isScalar(node) || !node.range || loc.column === undefined) return {};
  if (node.type === 'PLAIN') return { column: loc.column };
  if (node.type === 'QUOTE_SINGLE' && !value.includes("'")) return { column: loc.column + 1 };
  if (node.type === 'QUOTE_DOUBLE' && !/["\\]/.test(value)) return { column: loc.column + 1 };
  return {};
}
