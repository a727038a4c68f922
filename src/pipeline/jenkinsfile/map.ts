/**
 * The sections of `pipeline { }` and `stage { }` mapped to the pipeline model: agent,
 * environment (with credentials()), parameters, options, when, stages, parallel, nested
 * stages and post. Steps are mapped by steps.ts.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError, type SourceLocation } from '../../core/index.js';
import type { KubernetesDefaults, ParamSpec, Pipeline, PostSpec, SecretSpec, Stage, Step, WhenSpec } from '../model.js';
import { argsOf, asCall, boolArg, closureOf, durationOf, noClosure, numberArg, requireArg, type NamedCall } from './args.js';
import { translateExpressionBlock } from './condition.js';
import type { Node, Stmt } from './parser.js';
import { StepMapper, type Note, type StepContext } from './steps.js';
import { describeNode, dotted, literalString, NAME_RE, runnerString, withKnownParams } from './strings.js';

export interface MapOptions {
  /** Pipeline name; default: the name of the directory holding the file. */
  name?: string;
}

export interface MapResult {
  pipeline: Pipeline;
  /** Constructs accepted but ignored or approximated, each with where it was. */
  notes: Note[];
}

interface AgentInfo {
  kubernetes?: KubernetesDefaults;
  containers: Map<string, string>;
  usesKubernetes: boolean;
}

/** Options accepted and ignored, with the reason in the note. */
const IGNORED_OPTIONS: Record<string, string> = {
  disableConcurrentBuilds: 'Slipway does not serialise runs of one pipeline',
  timestamps: 'Slipway timestamps every log line anyway',
  buildDiscarder: 'run history is kept by the run store',
  skipDefaultCheckout: 'there is no checkout step: the workspace is the checkout',
  ansiColor: 'logs are stored as written',
  disableResume: 'runs are not resumed',
  durabilityHint: 'not applicable',
  preserveStashes: 'stash is not supported',
  quietPeriod: 'runs start when asked',
  overrideIndexTriggers: 'not applicable',
  newContainerPerStage: 'each step runs in its own process or Pod anyway',
  skipStagesAfterUnstable: 'Slipway has no unstable result',
};

const IGNORED_STAGE_OPTIONS = new Set(['skipDefaultCheckout', 'timestamps', 'ansiColor', 'quietPeriod']);

const POST_CONDITIONS = ['always', 'success', 'failure', 'unstable', 'unsuccessful', 'cleanup', 'changed', 'fixed', 'regression', 'aborted', 'notBuilt'];

export class JenkinsMapper {
  private readonly notes: Note[] = [];
  private readonly params: ParamSpec[] = [];
  private readonly secrets: SecretSpec[] = [];
  private readonly stageNames = new Map<string, SourceLocation>();
  private readonly steps: StepMapper;
  private pipelineRetries = 0;
  private failFastAll = false;
  private usesKubernetes = false;

  constructor(
    private readonly file: string,
    private readonly options: MapOptions,
  ) {
    this.steps = new StepMapper(this.notes, this.params);
  }

  map(stmts: Stmt[]): MapResult {
    const pipelines = stmts.filter((s) => s.kind === 'expr' && s.expr.kind === 'call' && dotted(s.expr.callee) === 'pipeline');
    for (const stmt of stmts) {
      if (pipelines.includes(stmt)) continue;
      const found = stmt.kind === 'expr' ? describeNode(stmt.expr) : stmt.kind === 'def' ? `def ${stmt.name}` : `"${stmt.kind}"`;
      throw new InputError(`only a declarative pipeline { } block is supported at the top level, found ${found}`, stmt.at);
    }
    if (pipelines.length === 0) throw new InputError('no pipeline { } block: only declarative Jenkinsfiles are supported', { file: this.file, line: 1, column: 1 });
    if (pipelines.length > 1) throw new InputError('a second pipeline { } block', pipelines[1]!.at);
    const nc = asCall(pipelines[0]!, 'at the top level');
    const sections = this.sections(closureOf(nc), 'pipeline', [
      'agent', 'environment', 'parameters', 'options', 'stages', 'post', 'tools', 'triggers',
    ]);

    const pipeline: Pipeline = {
      name: this.options.name ?? defaultName(this.file),
      file: this.file,
      format: 'jenkinsfile',
      params: this.params,
      env: {},
      secrets: this.secrets,
      caches: [],
      stages: [],
      post: emptyPost(),
      at: nc.call.at,
    };

    const params = sections.get('parameters');
    if (params) this.parameters(params);
    return withKnownParams(
      this.params.map((p) => p.name),
      () => this.mapSections(nc, sections, pipeline),
    );
  }

  private mapSections(nc: NamedCall, sections: Map<string, NamedCall>, pipeline: Pipeline): MapResult {
    const env = sections.get('environment');
    if (env) pipeline.env = this.environment(env, true);
    const agent = sections.get('agent') ? this.agent(sections.get('agent')!) : { containers: new Map<string, string>(), usesKubernetes: false };
    if (agent.kubernetes) pipeline.kubernetes = agent.kubernetes;
    const opts = sections.get('options');
    if (opts) {
      const t = this.pipelineOptions(opts);
      if (t !== undefined) pipeline.timeoutMs = t;
    }
    for (const name of ['tools', 'triggers'] as const) {
      const s = sections.get(name);
      if (s) this.note(`${name} { } is ignored: ${name === 'tools' ? 'tools must be on the PATH (or in the step image)' : 'runs are started by slipway run or a webhook'}`, s.call.at);
    }
    const stages = sections.get('stages');
    if (!stages) throw new InputError('pipeline has no stages { } section', nc.call.at);
    pipeline.stages = this.stageList(stages, agent, false);
    const post = sections.get('post');
    if (post) {
      // the model stores artifacts per stage: those of the pipeline's post go with the last stage
      const last = pipeline.stages[pipeline.stages.length - 1]!;
      pipeline.post = this.post(post, { env: {}, containers: agent.containers, inScript: false, artifacts: last.artifacts, artifactsStage: last.name });
    }
    this.steps.finish();
    if (this.usesKubernetes || agent.usesKubernetes) pipeline.executor = 'kubernetes';
    // in file order, whatever order the sections were read in
    this.notes.sort((a, b) => (a.at.line ?? 0) - (b.at.line ?? 0) || (a.at.column ?? 0) - (b.at.column ?? 0));
    return { pipeline, notes: this.notes };
  }

  /** Reads a block of sections (`name { … }` or `name arg`), rejecting unknown and repeated ones. */
  private sections(body: Stmt[], where: string, allowed: string[]): Map<string, NamedCall> {
    const out = new Map<string, NamedCall>();
    for (const stmt of body) {
      const nc = asCall(stmt, `in ${where}`);
      if (!allowed.includes(nc.name)) {
        const hint = nc.name === 'steps' && where === 'pipeline' ? ' (steps belong in a stage)' : nc.name === 'stage' && where === 'pipeline' ? ' (stages belong in stages { })' : '';
        throw new InputError(`unsupported section "${nc.name}" in ${where}${hint}`, nc.call.at);
      }
      if (out.has(nc.name)) throw new InputError(`duplicate section "${nc.name}" in ${where}`, nc.call.at);
      out.set(nc.name, nc);
    }
    return out;
  }

  private note(message: string, at: SourceLocation): void {
    this.notes.push({ message, at });
  }

  // ---- parameters, environment, options, agent ----

  private parameters(nc: NamedCall): void {
    for (const stmt of closureOf(nc)) {
      const p = asCall(stmt, 'in parameters');
      noClosure(p);
      let type: ParamSpec['type'];
      switch (p.name) {
        case 'string':
        case 'text':
          type = 'string';
          break;
        case 'booleanParam':
          type = 'boolean';
          break;
        case 'choice':
          type = 'choice';
          break;
        default:
          throw new InputError(`unsupported parameter type "${p.name}" (supported: string, text, booleanParam, choice)`, p.call.at);
      }
      const args = argsOf(p, type === 'choice' ? ['name', 'choices', 'description'] : ['name', 'defaultValue', 'description', 'trim']);
      const name = literalString(requireArg(args, 'name', p), 'parameter name');
      if (!NAME_RE.test(name)) throw new InputError(`parameter name "${name}" must be a variable name ([A-Za-z_][A-Za-z0-9_]*)`, args.get('name')!.at);
      if (this.params.some((q) => q.name === name)) throw new InputError(`duplicate parameter "${name}"`, p.call.at);
      const spec: ParamSpec = { name, type, at: p.call.at };
      const desc = args.get('description');
      if (desc) spec.description = literalString(desc, 'parameter description');
      if (type === 'choice') {
        const choices = requireArg(args, 'choices', p);
        const list =
          choices.kind === 'list' ? choices.items.map((i) => literalString(i, 'choice')) : literalString(choices, 'choices').split('\n');
        if (list.length === 0) throw new InputError(`choice parameter "${name}" has no choices`, choices.at);
        spec.choices = list;
        // Jenkins offers the first choice by default
        spec.default = list[0]!;
      } else if (type === 'boolean') {
        const d = args.get('defaultValue');
        spec.default = d ? String(boolArg(d, 'booleanParam defaultValue')) : 'false';
      } else {
        const d = args.get('defaultValue');
        spec.default = d ? literalString(d, 'parameter defaultValue') : '';
      }
      this.params.push(spec);
    }
  }

  /** `K = 'v'`, `K = "x${env.Y}"`, `K = credentials('id')`. Credentials become pipeline secrets. */
  private environment(nc: NamedCall, pipelineLevel: boolean): Record<string, string> {
    const env: Record<string, string> = {};
    for (const stmt of closureOf(nc)) {
      if (stmt.kind !== 'assign' || stmt.target.kind !== 'ident') {
        const found = stmt.kind === 'expr' ? describeNode(stmt.expr) : stmt.kind;
        throw new InputError(`environment { } holds only NAME = value lines, found ${found}`, stmt.at);
      }
      const key = stmt.target.name;
      const value = stmt.value;
      if (value.kind === 'call' && dotted(value.callee) === 'credentials') {
        const cnc: NamedCall = { name: 'credentials', call: value };
        const id = literalString(requireArg(argsOf(cnc, ['id'], ['id']), 'id', cnc), 'credentials id');
        this.credential(key, id, value.at, pipelineLevel);
        continue;
      }
      if (value.kind === 'call') throw new InputError(`unsupported value ${describeNode(value)} for ${key}: only strings and credentials('id')`, value.at);
      if (key in env) throw new InputError(`${key} is set twice in environment`, stmt.at);
      env[key] = runnerString(value, `environment ${key}`);
    }
    return env;
  }

  /**
   * `K = credentials('my-id')`: a secret named K whose value is read, where slipway runs,
   * from the environment variable MY_ID (the id upper-cased, other characters as `_`).
   */
  private credential(key: string, id: string, at: SourceLocation, pipelineLevel: boolean): void {
    const from = id.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
    const existing = this.secrets.find((s) => s.name === key);
    if (existing) {
      if ('env' in existing.from && existing.from.env === from) return;
      throw new InputError(`${key} is bound to two different credentials`, at);
    }
    this.secrets.push({ name: key, from: { env: from }, at });
    if (!pipelineLevel) this.note(`credentials of a stage are secrets of the whole pipeline in Slipway (${key})`, at);
  }

  /** Pipeline options; returns the pipeline timeout. */
  private pipelineOptions(nc: NamedCall): number | undefined {
    let timeout: number | undefined;
    for (const stmt of closureOf(nc)) {
      const o = asCall(stmt, 'in options');
      switch (o.name) {
        case 'timeout':
          noClosure(o);
          timeout = durationOf(o, 'MINUTES');
          break;
        case 'retry': {
          noClosure(o);
          const count = numberArg(requireArg(argsOf(o, ['count'], ['count']), 'count', o), 'retry count');
          this.pipelineRetries = Math.max(0, count - 1);
          this.note('retry in the pipeline options retries each failing top-level stage (Jenkins reruns the whole pipeline)', o.call.at);
          break;
        }
        case 'parallelsAlwaysFailFast':
          noClosure(o);
          this.failFastAll = true;
          break;
        default:
          if (!(o.name in IGNORED_OPTIONS)) throw new InputError(`unsupported option "${o.name}"`, o.call.at);
          this.note(`option ${o.name} is ignored: ${IGNORED_OPTIONS[o.name]}`, o.call.at);
      }
    }
    return timeout;
  }

  private agent(nc: NamedCall): AgentInfo {
    const info: AgentInfo = { containers: new Map(), usesKubernetes: false };
    if (!nc.call.closure) {
      const arg = nc.call.args[0];
      if (nc.call.args.length === 1 && arg?.name === undefined && arg?.value.kind === 'ident' && (arg.value.name === 'any' || arg.value.name === 'none')) {
        return info;
      }
      throw new InputError('agent must be any, none or a { } block', nc.call.at);
    }
    const body = closureOf(nc);
    if (body.length !== 1) throw new InputError(`agent { } must hold one agent type (label, node, docker, kubernetes), found ${body.length}`, nc.call.at);
    const a = asCall(body[0]!, 'in agent');
    switch (a.name) {
      case 'any':
      case 'none':
        return info;
      case 'label':
        this.note('agent label is ignored: steps run where the executor runs them', a.call.at);
        return info;
      case 'node':
        this.note('agent node { } is ignored: steps run where the executor runs them', a.call.at);
        return info;
      case 'docker': {
        let image: string;
        if (a.call.closure) {
          let img: Node | undefined;
          for (const stmt of closureOf(a)) {
            const d = asCall(stmt, 'in agent docker');
            if (d.name === 'image') img = requireArg(argsOf(d, [], ['image']), 'image', d);
            else if (['args', 'label', 'reuseNode', 'registryUrl', 'registryCredentialsId', 'alwaysPull', 'customWorkspace', 'containerPerStageRoot'].includes(d.name)) {
              this.note(`agent docker ${d.name} is ignored`, d.call.at);
            } else throw new InputError(`unsupported agent docker setting "${d.name}"`, d.call.at);
          }
          if (!img) throw new InputError('agent docker { } needs an image', a.call.at);
          image = runnerString(img, 'docker image');
        } else {
          image = runnerString(requireArg(argsOf(a, [], ['image']), 'image', a), 'docker image');
        }
        info.kubernetes = { image };
        return info;
      }
      case 'kubernetes':
        return this.kubernetesAgent(a);
      default:
        throw new InputError(`unsupported agent "${a.name}" (supported: any, none, label, node, docker, kubernetes)`, a.call.at);
    }
  }

  /** `agent { kubernetes { yaml '''…'''; defaultContainer 'x' } }`: the default container's image and the pod's basics. */
  private kubernetesAgent(a: NamedCall): AgentInfo {
    const info: AgentInfo = { containers: new Map(), usesKubernetes: true };
    const k: KubernetesDefaults = {};
    let yamlNode: Node | undefined;
    let defaultContainer: string | undefined;
    for (const stmt of closureOf(a)) {
      const s = asCall(stmt, 'in agent kubernetes');
      const value = (): Node => requireArg(argsOf(s, [], ['value']), 'value', s);
      switch (s.name) {
        case 'yaml':
          yamlNode = value();
          break;
        case 'defaultContainer':
          defaultContainer = literalString(value(), 'defaultContainer');
          break;
        case 'namespace':
          k.namespace = literalString(value(), 'namespace');
          break;
        case 'serviceAccount':
          k.serviceAccountName = literalString(value(), 'serviceAccount');
          break;
        case 'nodeSelector': {
          // 'a=b,c=d'
          const text = literalString(value(), 'nodeSelector');
          k.nodeSelector = Object.fromEntries(text.split(',').filter(Boolean).map((kv) => kv.split('=', 2).map((x) => x.trim()) as [string, string]));
          break;
        }
        case 'yamlFile':
        case 'inheritFrom':
        case 'cloud':
        case 'label':
        case 'idleMinutes':
        case 'podRetention':
        case 'showRawYaml':
        case 'workspaceVolume':
        case 'yamlMergeStrategy':
        case 'instanceCap':
        case 'activeDeadlineSeconds':
        case 'slaveConnectTimeout':
        case 'agentConnectTimeout':
        case 'retries':
        case 'containerTemplate':
        case 'containerTemplates':
          this.note(`agent kubernetes ${s.name} is ignored`, s.call.at);
          break;
        default:
          throw new InputError(`unsupported agent kubernetes setting "${s.name}"`, s.call.at);
      }
    }
    if (yamlNode) {
      const text = literalString(yamlNode, 'agent kubernetes yaml');
      let pod: unknown;
      try {
        pod = parseYaml(text);
      } catch (e) {
        throw new InputError(`agent kubernetes yaml does not parse: ${(e as Error).message.split('\n')[0]}`, yamlNode.at);
      }
      const spec = (pod as { spec?: Record<string, unknown> } | null)?.spec ?? {};
      const containers = Array.isArray(spec.containers) ? (spec.containers as Array<Record<string, unknown>>) : [];
      for (const c of containers) {
        if (typeof c.name === 'string' && typeof c.image === 'string') info.containers.set(c.name, c.image);
      }
      if (typeof spec.serviceAccountName === 'string') k.serviceAccountName = spec.serviceAccountName;
      if (spec.nodeSelector && typeof spec.nodeSelector === 'object') k.nodeSelector = spec.nodeSelector as Record<string, string>;
      const main = containers.find((c) => c.name === defaultContainer);
      if (main?.resources && typeof main.resources === 'object') k.resources = stringResources(main.resources as Record<string, unknown>);
    }
    if (defaultContainer === undefined && yamlNode) {
      this.note('agent kubernetes has no defaultContainer: steps outside container(…) use the executor\'s default image', a.call.at);
    }
    if (defaultContainer !== undefined) {
      const image = info.containers.get(defaultContainer);
      if (!image) throw new InputError(`defaultContainer "${defaultContainer}" is not a container of the agent's yaml`, a.call.at);
      k.image = image;
    }
    if (Object.keys(k).length) info.kubernetes = k;
    this.usesKubernetes = true;
    return info;
  }

  // ---- stages ----

  private stageList(nc: NamedCall, parent: AgentInfo, nested: boolean): Stage[] {
    const out: Stage[] = [];
    const body = closureOf(nc);
    if (body.length === 0) throw new InputError('stages { } has no stage', nc.call.at);
    for (const stmt of body) {
      const s = asCall(stmt, 'in stages');
      if (s.name !== 'stage') throw new InputError(`expected stage('name') { } in stages, found "${s.name}"`, s.call.at);
      out.push(...this.stage(s, parent, nested ? 'nested' : 'top'));
    }
    return out;
  }

  /** One stage; a stage with nested `stages { }` becomes its children, in order. */
  private stage(nc: NamedCall, parent: AgentInfo, level: 'top' | 'nested' | 'parallel'): Stage[] {
    const args = argsOf(nc, ['name'], ['name']);
    const nameNode = requireArg(args, 'name', nc);
    const name = literalString(nameNode, 'stage name');
    const sections = this.sections(closureOf(nc, true), `stage "${name}"`, [
      'agent', 'environment', 'options', 'when', 'steps', 'parallel', 'stages', 'post', 'failFast', 'tools', 'input', 'matrix',
    ]);
    for (const bad of ['input', 'matrix'] as const) {
      const s = sections.get(bad);
      if (s) throw new InputError(`${bad} in a stage is not supported`, s.call.at);
    }
    const kinds = (['steps', 'parallel', 'stages'] as const).filter((k) => sections.has(k));
    if (kinds.length !== 1) {
      throw new InputError(`stage "${name}" must have exactly one of steps, parallel or stages${kinds.length ? ` (has ${kinds.join(' and ')})` : ''}`, nc.call.at);
    }

    const stage: Stage = { name, env: {}, retries: level === 'parallel' ? 0 : this.pipelineRetries, steps: [], post: emptyPost(), artifacts: [], at: nc.call.at };
    const agentNc = sections.get('agent');
    const agent = agentNc ? this.agent(agentNc) : parent;
    if (agentNc && agent.kubernetes) stage.kubernetes = agent.kubernetes;
    const envNc = sections.get('environment');
    if (envNc) stage.env = this.environment(envNc, false);
    const optNc = sections.get('options');
    if (optNc) this.stageOptions(optNc, stage);
    const whenNc = sections.get('when');
    if (whenNc) stage.when = this.when(whenNc);
    const tools = sections.get('tools');
    if (tools) this.note('tools { } is ignored: tools must be on the PATH (or in the step image)', tools.call.at);

    const failFast = sections.get('failFast');
    if (failFast && !sections.has('parallel')) throw new InputError('failFast is only allowed in a stage with parallel', failFast.call.at);

    const nestedNc = sections.get('stages');
    if (nestedNc) {
      if (level === 'parallel') throw new InputError('nested stages { } inside parallel are not supported', nestedNc.call.at);
      if (optNc || sections.has('post')) {
        throw new InputError(`options and post on a stage with nested stages are not supported (stage "${name}")`, (optNc ?? sections.get('post')!).call.at);
      }
      // the children run in sequence in place of the parent, each inheriting its env, when and agent
      this.note(`the nested stages of "${name}" run as top-level stages in its place`, nestedNc.call.at);
      return this.stageList(nestedNc, agent, true).map((child) => {
        const merged: Stage = { ...child, env: { ...stage.env, ...child.env } };
        if (stage.when) merged.when = child.when ? { allOf: [stage.when, child.when] } : stage.when;
        if (stage.kubernetes && !child.kubernetes) merged.kubernetes = stage.kubernetes;
        return merged;
      });
    }
    this.claimName(name, nameNode.at);

    const ctx = (): StepContext => ({ env: {}, containers: agent.containers, inScript: false, artifacts: stage.artifacts });
    const parallelNc = sections.get('parallel');
    if (parallelNc) {
      if (level === 'parallel') throw new InputError('parallel inside a parallel branch is not supported', parallelNc.call.at);
      const children: Stage[] = [];
      for (const stmt of closureOf(parallelNc)) {
        const s = asCall(stmt, 'in parallel');
        if (s.name !== 'stage') throw new InputError(`expected stage('name') { } in parallel, found "${s.name}"`, s.call.at);
        children.push(...this.stage(s, agent, 'parallel'));
      }
      if (children.length === 0) throw new InputError('parallel { } has no stage', parallelNc.call.at);
      stage.parallel = children;
      const ff = failFast ? boolArg(requireArg(argsOf(failFast, [], ['value']), 'value', failFast), 'failFast') : this.failFastAll;
      if (ff || failFast) stage.failFast = ff;
    } else {
      this.steps.mapSteps(closureOf(sections.get('steps')!), ctx(), stage.steps);
      if (stage.steps.length === 0 && stage.artifacts.length === 0) this.note(`stage "${name}" has no steps`, nc.call.at);
    }
    const postNc = sections.get('post');
    if (postNc) stage.post = this.post(postNc, ctx());
    return [stage];
  }

  private claimName(name: string, at: SourceLocation): void {
    const prev = this.stageNames.get(name);
    if (prev) throw new InputError(`duplicate stage name "${name}" (first at line ${prev.line})`, at);
    this.stageNames.set(name, at);
  }

  private stageOptions(nc: NamedCall, stage: Stage): void {
    for (const stmt of closureOf(nc)) {
      const o = asCall(stmt, 'in stage options');
      noClosure(o);
      if (o.name === 'timeout') stage.timeoutMs = durationOf(o, 'MINUTES');
      else if (o.name === 'retry') {
        const count = numberArg(requireArg(argsOf(o, ['count'], ['count']), 'count', o), 'retry count');
        if (count < 1) throw new InputError('retry count must be at least 1', o.call.at);
        stage.retries = count - 1;
      } else if (IGNORED_STAGE_OPTIONS.has(o.name)) this.note(`option ${o.name} is ignored`, o.call.at);
      else throw new InputError(`unsupported stage option "${o.name}"`, o.call.at);
    }
  }

  private post(nc: NamedCall, ctx: StepContext): PostSpec {
    const post = emptyPost();
    const cleanup: Step[] = [];
    const seen = new Set<string>();
    for (const stmt of closureOf(nc)) {
      const c = asCall(stmt, 'in post');
      if (!POST_CONDITIONS.includes(c.name)) throw new InputError(`unknown post condition "${c.name}"`, c.call.at);
      if (seen.has(c.name)) throw new InputError(`duplicate post condition "${c.name}"`, c.call.at);
      seen.add(c.name);
      const body = closureOf(c);
      switch (c.name) {
        case 'always':
        case 'success':
        case 'failure':
          this.steps.mapSteps(body, ctx, post[c.name]);
          break;
        case 'unsuccessful':
          // not successful: in Slipway that is failed (there is no unstable)
          this.steps.mapSteps(body, ctx, post.failure);
          break;
        case 'cleanup':
          this.steps.mapSteps(body, ctx, cleanup);
          break;
        case 'unstable':
          this.note('post unstable is never run: Slipway has no unstable result', c.call.at);
          this.steps.mapSteps(body, ctx, []);
          break;
        default:
          throw new InputError(
            `post condition "${c.name}" is not supported (supported: always, success, failure, unsuccessful, cleanup, unstable)`,
            c.call.at,
          );
      }
    }
    // cleanup runs after every other condition in Jenkins; always is the closest Slipway has
    post.always.push(...cleanup);
    return post;
  }

  // ---- when ----

  private when(nc: NamedCall): WhenSpec {
    const conds = this.conditions(closureOf(nc), 'in when');
    if (conds.length === 0) throw new InputError('when { } has no condition', nc.call.at);
    return combineAll(conds);
  }

  private conditions(body: Stmt[], where: string): WhenSpec[] {
    const out: WhenSpec[] = [];
    for (const stmt of body) {
      const c = asCall(stmt, where);
      const spec = this.condition(c);
      if (spec) out.push(spec);
    }
    return out;
  }

  private condition(c: NamedCall): WhenSpec | undefined {
    switch (c.name) {
      case 'branch': {
        noClosure(c);
        const args = argsOf(c, ['pattern', 'comparator'], ['pattern']);
        const pattern = literalString(requireArg(args, 'pattern', c), 'branch pattern');
        this.globComparator(args.get('comparator'), pattern);
        return { branch: pattern };
      }
      case 'changeset': {
        noClosure(c);
        const args = argsOf(c, ['pattern', 'comparator', 'caseSensitive'], ['pattern']);
        const pattern = literalString(requireArg(args, 'pattern', c), 'changeset pattern');
        this.globComparator(args.get('comparator'), pattern);
        return { changes: [pattern] };
      }
      case 'environment': {
        noClosure(c);
        const args = argsOf(c, ['name', 'value', 'ignoreCase', 'comparator']);
        if (args.has('ignoreCase') || args.has('comparator')) throw new InputError('when environment ignoreCase and comparator are not supported', c.call.at);
        return {
          environment: {
            name: literalString(requireArg(args, 'name', c), 'environment name'),
            value: literalString(requireArg(args, 'value', c), 'environment value'),
          },
        };
      }
      case 'expression':
        return { expression: translateExpressionBlock(closureOf(c), c.call.at, { params: this.params }) };
      case 'not': {
        const inner = this.conditions(closureOf(c), 'in not');
        if (inner.length !== 1) throw new InputError(`not { } must hold exactly one condition, found ${inner.length}`, c.call.at);
        return { not: inner[0]! };
      }
      case 'allOf':
      case 'anyOf': {
        const inner = this.conditions(closureOf(c), `in ${c.name}`);
        if (inner.length === 0) throw new InputError(`${c.name} { } has no condition`, c.call.at);
        return c.name === 'allOf' ? { allOf: inner } : { anyOf: inner };
      }
      case 'beforeAgent':
      case 'beforeInput':
      case 'beforeOptions':
        // conditions are always checked before the stage starts in Slipway
        noClosure(c);
        return undefined;
      default:
        throw new InputError(`unsupported when condition "${c.name}" (supported: branch, changeset, environment, expression, not, allOf, anyOf)`, c.call.at);
    }
  }

  private globComparator(node: Node | undefined, pattern: string): void {
    if (!node) return;
    const comparator = literalString(node, 'comparator');
    if (comparator === 'GLOB') return;
    if (comparator === 'EQUALS' && !/[*?[\]{}]/.test(pattern)) return;
    throw new InputError(`comparator "${comparator}" is not supported (only GLOB, or EQUALS with a plain name)`, node.at);
  }
}

/** Several conditions that must all hold: one spec when their kinds differ, else allOf. */
function combineAll(conds: WhenSpec[]): WhenSpec {
  if (conds.length === 1) return conds[0]!;
  const keys = conds.flatMap((c) => Object.keys(c));
  if (new Set(keys).size === keys.length) return Object.assign({}, ...conds) as WhenSpec;
  return { allOf: conds };
}

/** Pod resources with every quantity as a string (YAML may give `cpu: 1` as a number). */
function stringResources(r: Record<string, unknown>): KubernetesDefaults['resources'] {
  const out: NonNullable<KubernetesDefaults['resources']> = {};
  for (const key of ['requests', 'limits'] as const) {
    const v = r[key];
    if (v && typeof v === 'object') out[key] = Object.fromEntries(Object.entries(v).map(([k, q]) => [k, String(q)]));
  }
  return out;
}

function emptyPost(): PostSpec {
  return { always: [], success: [], failure: [] };
}

/** The pipeline's default name: the directory holding the Jenkinsfile, as a DNS label. */
export function defaultName(file: string): string {
  const dir = path.basename(path.dirname(path.resolve(file)));
  const label = dir
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'pipeline';
}

