/**
 * The steps of `steps { }`, `script { }` and `post { … }` blocks mapped to model steps.
 * Wrappers (`dir`, `withEnv`, `timeout`, `retry`, `catchError`, `container`,
 * `docker.withRegistry`, `if` in script) do not become steps: they set fields on every step
 * inside them. `docker.build` becomes an image step that only builds and tags (push: false);
 * a later `img.push()` turns on its push and gives its destinations (Slipway builds and pushes
 * in one step, so the push happens when the image is built).
 */
import path from 'node:path';
import { InputError, type SourceLocation } from '../../core/index.js';
import type { GateStep, ImageStep, ParamSpec, RunStep, Step, WhenSpec } from '../model.js';
import { stepName } from '../spec/parse.js';
import { argsOf, asCall, boolArg, closureOf, durationOf, noClosure, numberArg, requireArg, type NamedCall } from './args.js';
import { translateCondition } from './condition.js';
import type { Node, Stmt } from './parser.js';
import { describeNode, dotted, literalString, NAME_RE, partsToShell, runnerString, shellString, stringParts } from './strings.js';

export interface Note {
  message: string;
  at: SourceLocation;
}

/** What the wrappers around a step say about it. */
export interface StepContext {
  dir?: string;
  env: Record<string, string>;
  timeoutMs?: number;
  retries?: number;
  continueOnError?: boolean;
  when?: WhenSpec;
  /** `docker.withRegistry(url, credentialsId)`. */
  registry?: { host: string; credentialsId?: string };
  /** Image of `container('name')`. */
  image?: string;
  /** Container name → image of the nearest `agent { kubernetes { yaml … } }`. */
  containers: Map<string, string>;
  inScript: boolean;
  /** Where `archiveArtifacts` patterns go (the stage's artifacts). */
  artifacts: string[];
  /** Set in the pipeline's post, where the patterns go to this (the last) stage. */
  artifactsStage?: string;
}

/** The fields every step type has. */
type Base = Pick<RunStep, 'name' | 'env' | 'timeoutMs' | 'retries' | 'continueOnError' | 'when' | 'at'>;

interface BuiltImage {
  step: ImageStep;
  /** Destinations of `push()` calls; when there are any, they replace the build tag. */
  pushes: string[];
  /** The image name as built (`myapp:${BUILD_NUMBER}`). */
  tag: string;
}

/** Steps accepted and dropped, each with the reason given in the note. */
const IGNORED_STEPS: Record<string, string> = {
  checkout: 'the workspace already is the checkout',
  cleanWs: 'Slipway does not delete the workspace (locally it is your checkout)',
  deleteDir: 'Slipway does not delete the workspace (locally it is your checkout)',
};

export class StepMapper {
  private readonly images = new Map<string, BuiltImage>();
  private readonly allImages: BuiltImage[] = [];

  constructor(
    private readonly notes: Note[],
    private readonly params: ParamSpec[],
  ) {}

  /** Maps a block of step statements, appending to `out`. */
  mapSteps(body: Stmt[], ctx: StepContext, out: Step[]): void {
    for (const stmt of body) this.mapStatement(stmt, ctx, out);
  }

  /** Fills in image step destinations and names once every `push()` has been seen. */
  finish(): void {
    for (const img of this.allImages) {
      // Jenkins' docker.build only tags the image; push() sends it, under the registry's name
      const dests = img.pushes.length ? img.pushes : [img.tag, ...img.step.destinations];
      img.step.destinations = [...new Set(dests)];
      img.step.push = img.pushes.length > 0;
      img.step.name = stepName('image', img.step.destinations[0]!);
    }
  }

  private mapStatement(stmt: Stmt, ctx: StepContext, out: Step[]): void {
    if (stmt.kind === 'if') {
      if (!ctx.inScript) throw new InputError('"if" is only allowed inside script { }', stmt.at);
      const cond = translateCondition(stmt.cond, { params: this.params });
      this.mapSteps(stmt.then, { ...ctx, when: andWhen(ctx.when, { expression: cond }) }, out);
      if (stmt.else) {
        const negated = translateCondition({ kind: 'unary', op: '!', operand: stmt.cond, at: stmt.cond.at }, { params: this.params });
        this.mapSteps(stmt.else, { ...ctx, when: andWhen(ctx.when, { expression: negated }) }, out);
      }
      return;
    }
    if (stmt.kind === 'def' || stmt.kind === 'assign') {
      const name = stmt.kind === 'def' ? stmt.name : dotted(stmt.target);
      const value = stmt.value;
      if (!ctx.inScript) throw new InputError('assignments are only allowed inside script { }', stmt.at);
      if (name && NAME_RE.test(name) && value?.kind === 'call' && dotted(value.callee) === 'docker.build') {
        const img = this.dockerBuild({ name: 'docker.build', call: value }, ctx, out);
        this.images.set(name, img);
        return;
      }
      throw new InputError(
        `unsupported ${stmt.kind === 'def' ? `def ${stmt.name}` : 'assignment'}: inside script { } only "def img = docker.build(…)" is supported`,
        stmt.at,
      );
    }
    const nc = asCall(stmt, 'in steps');
    this.mapCall(nc, ctx, out);
  }

  private mapCall(nc: NamedCall, ctx: StepContext, out: Step[]): void {
    const { name, call } = nc;
    switch (name) {
      case 'sh':
        return this.sh(nc, ctx, out);
      case 'echo': {
        noClosure(nc);
        const args = argsOf(nc, ['message'], ['message']);
        const message = runnerString(requireArg(args, 'message', nc), 'echo message');
        out.push({ ...this.base(ctx, stepName('echo', message), call.at), type: 'echo', message });
        return;
      }
      case 'error': {
        noClosure(nc);
        const args = argsOf(nc, ['message'], ['message']);
        const msg = requireArg(args, 'message', nc);
        const script = `printf '%s\\n' ${shellQuote(stringParts(msg, 'error message'))} >&2\nexit 1`;
        const step: RunStep = { ...this.base(ctx, stepName('error', literalish(msg)), call.at), type: 'run', script };
        this.placeRun(step, ctx);
        out.push(step);
        return;
      }
      case 'sleep': {
        noClosure(nc);
        const ms = durationOf(nc, 'SECONDS');
        const step: RunStep = { ...this.base(ctx, `sleep ${ms / 1000}s`, call.at), type: 'run', script: `sleep ${ms / 1000}` };
        this.placeRun(step, ctx);
        out.push(step);
        return;
      }
      case 'dir': {
        const args = argsOf(nc, ['path'], ['path']);
        const p = runnerString(requireArg(args, 'path', nc), 'dir path');
        if (path.posix.isAbsolute(p)) throw new InputError(`dir path "${p}" must be relative to the workspace`, call.args[0]!.at);
        const joined = path.posix.normalize(ctx.dir ? path.posix.join(ctx.dir, p) : p);
        if (joined.startsWith('..')) throw new InputError(`dir path "${p}" leaves the workspace`, call.args[0]!.at);
        return this.mapSteps(closureOf(nc, true), { ...ctx, dir: joined === '.' ? undefined : joined }, out);
      }
      case 'withEnv': {
        const args = argsOf(nc, ['overrides'], ['overrides']);
        const list = requireArg(args, 'overrides', nc);
        if (list.kind !== 'list') throw new InputError(`withEnv takes a list of "NAME=value" strings, found ${describeNode(list)}`, list.at);
        const env = { ...ctx.env };
        for (const item of list.items) {
          const text = runnerString(item, 'withEnv entry');
          const eq = text.indexOf('=');
          const key = text.slice(0, eq);
          if (eq <= 0 || !NAME_RE.test(key)) throw new InputError(`withEnv entry "${text}" must be NAME=value`, item.at);
          env[key] = text.slice(eq + 1);
        }
        return this.mapSteps(closureOf(nc, true), { ...ctx, env }, out);
      }
      case 'timeout': {
        const ms = durationOf(nc, 'MINUTES');
        const timeoutMs = ctx.timeoutMs === undefined ? ms : Math.min(ctx.timeoutMs, ms);
        return this.mapSteps(closureOf(nc, true), { ...ctx, timeoutMs }, out);
      }
      case 'retry': {
        const args = argsOf(nc, ['count', 'conditions'], ['count']);
        if (args.has('conditions')) throw new InputError('retry conditions are not supported', args.get('conditions')!.at);
        const count = numberArg(requireArg(args, 'count', nc), 'retry count');
        if (count < 1) throw new InputError('retry count must be at least 1', call.args[0]!.at);
        // Jenkins counts attempts; the model counts extra attempts after the first
        return this.mapSteps(closureOf(nc, true), { ...ctx, retries: Math.max(ctx.retries ?? 0, count - 1) }, out);
      }
      case 'catchError':
      case 'warnError': {
        argsOf(nc, ['buildResult', 'stageResult', 'message', 'catchInterruptions'], name === 'warnError' ? ['message'] : []);
        return this.mapSteps(closureOf(nc, true), { ...ctx, continueOnError: true }, out);
      }
      case 'script':
        return this.mapSteps(closureOf(nc), { ...ctx, inScript: true }, out);
      case 'container': {
        const args = argsOf(nc, ['name', 'shell'], ['name']);
        const cname = literalString(requireArg(args, 'name', nc), 'container name');
        const image = ctx.containers.get(cname);
        if (!image) {
          throw new InputError(
            `container "${cname}" is not defined by the yaml of an agent { kubernetes { } } of this stage or the pipeline`,
            call.args[0]!.at,
          );
        }
        return this.mapSteps(closureOf(nc, true), { ...ctx, image }, out);
      }
      case 'archiveArtifacts': {
        noClosure(nc);
        const args = argsOf(
          nc,
          ['artifacts', 'fingerprint', 'allowEmptyArchive', 'onlyIfSuccessful', 'excludes', 'caseSensitive', 'defaultExcludes', 'followSymlinks'],
          ['artifacts'],
        );
        if (args.has('excludes')) throw new InputError('archiveArtifacts excludes is not supported', args.get('excludes')!.at);
        const patterns = runnerString(requireArg(args, 'artifacts', nc), 'archiveArtifacts artifacts');
        for (const p of patterns.split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!ctx.artifacts.includes(p)) ctx.artifacts.push(p);
        }
        if (ctx.artifactsStage !== undefined) this.note(`archiveArtifacts in the pipeline's post are stored with the last stage, "${ctx.artifactsStage}"`, call.at);
        if (ctx.when || ctx.timeoutMs !== undefined) this.note('archiveArtifacts inside if/when or timeout: the patterns are stored after the stage whatever the condition', call.at);
        return;
      }
      case 'junit': {
        noClosure(nc);
        const args = argsOf(
          nc,
          ['testResults', 'allowEmptyResults', 'keepLongStdio', 'skipPublishingChecks', 'skipMarkingBuildUnstable', 'healthScaleFactor', 'keepProperties', 'checksName'],
          ['testResults'],
        );
        const junit = runnerString(requireArg(args, 'testResults', nc), 'junit testResults');
        // Jenkins marks a build with failed tests UNSTABLE and goes on; the gate step fails on
        // failed tests by default, so its failure is recorded without failing the stage
        const step: GateStep = { ...this.base(ctx, stepName('junit', junit), call.at), type: 'gate', junit, thresholds: {}, continueOnError: true };
        out.push(step);
        if (/[*?[{]/.test(junit)) this.note(`junit "${junit}": the gate step reads one report file, not a pattern`, call.at);
        return;
      }
      case 'docker.build': {
        if (!ctx.inScript) throw new InputError('docker.build must be inside script { }', call.at);
        this.dockerBuild(nc, ctx, out);
        return;
      }
      case 'docker.withRegistry': {
        if (!ctx.inScript) throw new InputError('docker.withRegistry must be inside script { }', call.at);
        const args = argsOf(nc, ['url', 'credentialsId'], ['url', 'credentialsId']);
        const url = runnerString(requireArg(args, 'url', nc), 'registry url');
        const cred = args.get('credentialsId');
        const registry = { host: registryHost(url), ...(cred ? { credentialsId: literalString(cred, 'credentials id') } : {}) };
        return this.mapSteps(closureOf(nc, true), { ...ctx, registry }, out);
      }
      default:
        break;
    }
    if (name in IGNORED_STEPS) {
      this.note(`${name} is ignored: ${IGNORED_STEPS[name]}`, call.at);
      return;
    }
    // img.push(), img.push('latest'), docker.build(…).push()
    if (call.callee.kind === 'prop' && call.callee.name === 'push') {
      const target = call.callee.object;
      let img: BuiltImage | undefined;
      if (target.kind === 'ident') {
        img = this.images.get(target.name);
        if (!img) throw new InputError(`"${target.name}" is not an image from "def ${target.name} = docker.build(…)"`, target.at);
      } else if (target.kind === 'call' && dotted(target.callee) === 'docker.build') {
        if (!ctx.inScript) throw new InputError('docker.build must be inside script { }', target.at);
        img = this.dockerBuild({ name: 'docker.build', call: target }, ctx, out);
      } else {
        throw new InputError(`unsupported push: only img.push() of an image from docker.build(…) is supported`, call.at);
      }
      noClosure(nc);
      const args = argsOf(nc, ['tagName', 'force'], ['tagName', 'force']);
      const tagNode = args.get('tagName');
      const { repo, tag } = splitTag(img.tag);
      const pushTag = tagNode ? runnerString(tagNode, 'push tag') : tag;
      img.pushes.push(`${qualify(repo, ctx.registry?.host)}:${pushTag}`);
      if (ctx.registry?.credentialsId && !img.step.pushSecret) img.step.pushSecret = ctx.registry.credentialsId;
      return;
    }
    if (name.startsWith('docker.') || name.startsWith('docker(')) throw new InputError(`unsupported step "${name}": only docker.build, docker.withRegistry and img.push are supported`, call.at);
    throw new InputError(`unsupported step "${name}"`, call.at);
  }

  private sh(nc: NamedCall, ctx: StepContext, out: Step[]): void {
    noClosure(nc);
    const args = argsOf(nc, ['script', 'returnStatus', 'returnStdout', 'label', 'encoding'], ['script']);
    const script = shellString(requireArg(args, 'script', nc), 'sh script');
    const label = args.get('label');
    const returnStatus = args.get('returnStatus');
    const step: RunStep = {
      ...this.base(ctx, label ? literalString(label, 'sh label') : stepName('run', script), nc.call.at),
      type: 'run',
      script,
    };
    // returnStatus: true makes sh return the exit code instead of failing
    if (returnStatus && boolArg(returnStatus, 'sh returnStatus')) step.continueOnError = true;
    this.placeRun(step, ctx);
    out.push(step);
  }

  private placeRun(step: RunStep, ctx: StepContext): void {
    if (ctx.dir) step.dir = ctx.dir;
    if (ctx.image) step.image = ctx.image;
  }

  private dockerBuild(nc: NamedCall, ctx: StepContext, out: Step[]): BuiltImage {
    noClosure(nc);
    const args = argsOf(nc, ['image', 'args'], ['image', 'args']);
    const tag = runnerString(requireArg(args, 'image', nc), 'docker.build image name');
    const argNode = args.get('args');
    const words = argNode ? splitWords(runnerString(argNode, 'docker.build arguments'), argNode.at) : ['.'];
    const built = parseBuildArgs(words, argNode?.at ?? nc.call.at, this.notes);
    const base = ctx.dir ?? '.';
    const context = path.posix.normalize(path.posix.join(base, built.context));
    const dockerfile = built.file === undefined ? 'Dockerfile' : path.posix.relative(context, path.posix.join(base, built.file)) || 'Dockerfile';
    const step: ImageStep = {
      ...this.base(ctx, stepName('image', tag), nc.call.at),
      type: 'image',
      context,
      dockerfile,
      destinations: built.tags,
      buildArgs: built.buildArgs,
      builder: 'auto',
      push: false,
    };
    if (built.target) step.target = built.target;
    out.push(step);
    const img: BuiltImage = { step, pushes: [], tag };
    this.allImages.push(img);
    return img;
  }

  private base(ctx: StepContext, name: string, at: SourceLocation): Base {
    const b: Base = { name, env: { ...ctx.env }, retries: ctx.retries ?? 0, at };
    if (ctx.timeoutMs !== undefined) b.timeoutMs = ctx.timeoutMs;
    if (ctx.continueOnError) b.continueOnError = true;
    if (ctx.when) b.when = ctx.when;
    return b;
  }

  private note(message: string, at: SourceLocation): void {
    this.notes.push({ message, at });
  }
}

/** Both conditions must hold. */
export function andWhen(a: WhenSpec | undefined, b: WhenSpec): WhenSpec {
  return a ? { allOf: [a, b] } : b;
}

function literalish(node: Node): string {
  return stringParts(node, 'message')
    .map((p) => (p.kind === 'text' ? p.text : `\${${p.code}}`))
    .join('');
}

/** A shell word that prints the parts: text single-quoted, references as "${NAME}". */
function shellQuote(parts: ReturnType<typeof stringParts>): string {
  const shellParts = parts.map((p) => (p.kind === 'text' ? `'${p.text.replaceAll("'", `'\\''`)}'` : `"${partsToShell([p])}"`));
  const word = shellParts.join('');
  return word || "''";
}

/** Splits docker build arguments as a shell would (quotes, no expansion). */
function splitWords(text: string, at: SourceLocation): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new InputError('unterminated quote in docker.build arguments', at);
  if (inWord) words.push(cur);
  return words;
}

interface BuildArgs {
  context: string;
  file?: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
}

const IGNORED_BUILD_FLAGS = new Set(['--pull', '--no-cache', '--rm', '--force-rm', '-q', '--quiet']);

/** The options of `docker build` that an image step can express. */
function parseBuildArgs(words: string[], at: SourceLocation, notes: Note[]): BuildArgs {
  const out: BuildArgs = { context: '.', tags: [], buildArgs: {} };
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const flag = eq > 0 ? w.slice(0, eq) : w;
    const value = (): string => {
      if (eq > 0) return w.slice(eq + 1);
      const v = words[++i];
      if (v === undefined) throw new InputError(`docker.build option ${flag} needs a value`, at);
      return v;
    };
    if (!flag.startsWith('-') || flag === '-') {
      positional.push(w);
    } else if (flag === '-f' || flag === '--file') {
      out.file = value();
    } else if (flag === '-t' || flag === '--tag') {
      out.tags.push(value());
    } else if (flag === '--build-arg') {
      const kv = value();
      const k = kv.indexOf('=');
      if (k <= 0) throw new InputError(`docker.build --build-arg "${kv}" must be NAME=value`, at);
      out.buildArgs[kv.slice(0, k)] = kv.slice(k + 1);
    } else if (flag === '--target') {
      out.target = value();
    } else if (IGNORED_BUILD_FLAGS.has(flag)) {
      notes.push({ message: `docker.build option ${flag} is ignored`, at });
    } else {
      throw new InputError(`unsupported docker.build option "${flag}" (supported: -f, -t, --build-arg, --target)`, at);
    }
  }
  if (positional.length > 1) throw new InputError(`docker.build arguments name more than one context: ${positional.join(', ')}`, at);
  if (positional.length === 1) out.context = positional[0]!;
  if (positional[0] === '-') throw new InputError('docker.build with a Dockerfile on stdin (-) is not supported', at);
  return out;
}

/** The registry host of a `docker.withRegistry` URL; empty for Docker Hub. */
function registryHost(url: string): string {
  const host = url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  if (host === '' || host === 'index.docker.io/v1' || host === 'index.docker.io' || host === 'registry.hub.docker.com') return '';
  return host;
}

/** `repo:tag` split at the tag's colon (a colon after the last slash). */
export function splitTag(image: string): { repo: string; tag: string } {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { repo: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repo: image, tag: 'latest' };
}

/** The image name as pushed through a registry: the registry host in front unless already there. */
function qualify(repo: string, host: string | undefined): string {
  if (!host || repo.startsWith(`${host}/`)) return repo;
  return `${host}/${repo}`;
}
