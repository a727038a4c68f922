/**
 * `slipway runs list|show|logs`: the runs kept in the local run store (`.slipway/runs.db`).
 *
 * Tables are printed as kubectl prints them (uppercase headers, columns padded by 3, AGE as
 * kubectl's HumanDuration). A run is named `pipeline#number`, `pipeline/number` or by its
 * numeric id. Exit status: 0; 1 when the run (or node) is not found; 2 for usage errors.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { InputError, UsageError } from '../../core/index.js';
import { toYaml } from '../../engines/yaml/index.js';
import { openRunStore, type NodeRecord, type RunRecord, type RunStore } from '../../pipeline/index.js';
import type { CliContext } from '../context.js';

type Store = ReturnType<typeof openRunStore>;
type LogChunk = ReturnType<RunStore['readLogs']>[number];
type ArtifactRecord = ReturnType<RunStore['listArtifacts']>[number];
type ReportRecord = ReturnType<RunStore['listReports']>[number];
type Output = 'table' | 'json' | 'yaml';

/** A run that `runs show` and `runs logs` could not find: exit 1. */
export class RunNotFoundError extends InputError {}

/** How a run is named on the command line. */
export type RunRef = { id: number } | { pipeline: string; number: number };

/** `web#12`, `web/12` or `34` (a store id). Pipeline names may contain `/` and `#`: the last one splits. */
export function parseRunRef(text: string): RunRef {
  if (/^[0-9]+$/.test(text)) return { id: Number(text) };
  const at = Math.max(text.lastIndexOf('#'), text.lastIndexOf('/'));
  const pipeline = text.slice(0, at);
  const num = text.slice(at + 1);
  if (at <= 0 || !/^[0-9]+$/.test(num) || Number(num) < 1) {
    throw new UsageError(`invalid run "${text}": use PIPELINE#NUMBER (as web#12), PIPELINE/NUMBER or a run id`);
  }
  return { pipeline, number: Number(num) };
}

export const runName = (r: Pick<RunRecord, 'pipeline' | 'number'>): string => `${r.pipeline}#${r.number}`;

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration): "45s", "3m20s", "2d5h", "3y". */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** A step's duration: tenths of a second under a minute ("0.4s", "12.0s"), else as kubectl's ages. */
export function formatElapsed(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  return humanDuration(ms);
}

/** kubectl's table layout (cli-runtime's tabwriter: min width 6, padding 3); the last column is not padded. */
export function kubectlTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 6, c.length + 3)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('').trimEnd() + '\n').join('');
}

/** "succeeded" → "Succeeded", as kubectl prints phases. */
const phase = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const shortCommit = (c: string | undefined): string => (c ? c.slice(0, 7) : '');

function runDuration(r: RunRecord, now: number): string {
  if (r.durationMs !== undefined) return formatElapsed(r.durationMs);
  if (r.status === 'running' || r.status === 'queued') return formatElapsed(now - Date.parse(r.startedAt));
  return '';
}

/** `runs list`'s table. */
export function formatRunList(runs: readonly RunRecord[], now: number): string {
  const head = ['NAME', 'ID', 'STATUS', 'EXECUTOR', 'BRANCH', 'COMMIT', 'DURATION', 'AGE'];
  return kubectlTable([
    head,
    ...runs.map((r) => [runName(r), String(r.id), phase(r.status), r.executor, r.gitBranch ?? '', shortCommit(r.gitCommit), runDuration(r, now), humanDuration(now - Date.parse(r.startedAt))]),
  ]);
}

/** Nodes in tree order (each after its parent, siblings by seq), with their depth. */
export function nodeTree(nodes: readonly NodeRecord[]): { node: NodeRecord; depth: number }[] {
  const paths = new Set(nodes.map((n) => n.path));
  const children = new Map<string | undefined, NodeRecord[]>();
  for (const n of [...nodes].sort((a, b) => a.seq - b.seq || (a.path < b.path ? -1 : 1))) {
    const parent = n.parent !== undefined && paths.has(n.parent) && n.parent !== n.path ? n.parent : undefined;
    const list = children.get(parent) ?? [];
    list.push(n);
    children.set(parent, list);
  }
  const out: { node: NodeRecord; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | undefined, depth: number): void => {
    for (const n of children.get(parent) ?? []) {
      if (seen.has(n.path)) continue;
      seen.add(n.path);
      out.push({ node: n, depth });
      walk(n.path, depth + 1);
    }
  };
  walk(undefined, 0);
  // a parent cycle (A's parent B, B's parent A) leaves nodes unreached: list them at the top level
  for (const n of nodes) if (!seen.has(n.path)) out.push({ node: n, depth: 0 });
  return out;
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One line about a stored report: the coverage figure, the test counts, the vulnerability counts, the gate verdict. */
export function reportSummary(r: ReportRecord): string {
  const d = r.data;
  if (!isRecord(d)) return '';
  switch (r.kind) {
    case 'coverage': {
      const t = isRecord(d.total) ? d.total : undefined;
      const lines = t && isRecord(t.lines) ? t.lines : undefined;
      const what = r.format === 'go-coverprofile' ? 'statements' : 'lines';
      const pct = typeof t?.percentText === 'string' ? t.percentText : num(t?.percent) !== undefined ? `${num(t?.percent)!.toFixed(1)}%` : '?';
      return lines && num(lines.covered) !== undefined ? `${pct} of ${what} (${num(lines.covered)}/${num(lines.total)})` : `${pct} of ${what}`;
    }
    case 'junit':
      return `${num(d.tests) ?? 0} tests, ${num(d.failures) ?? 0} failed, ${num(d.errors) ?? 0} errors, ${num(d.skipped) ?? 0} skipped`;
    case 'vulns': {
      const c = isRecord(d.counts) ? d.counts : {};
      return ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((s) => `${num(c[s]) ?? 0} ${s.toLowerCase()}`).join(', ');
    }
    case 'gate': {
      const checks = Array.isArray(d.checks) ? d.checks.filter(isRecord) : [];
      const failed = checks.filter((c) => c.passed === false);
      if (d.passed === true) return `passed (${checks.length} ${checks.length === 1 ? 'check' : 'checks'})`;
      return `failed: ${failed.map((c) => `${String(c.name)} ${String(c.actualText ?? c.actual)} (${String(c.op)} ${String(c.limit)})`).join(', ')}`;
    }
    case 'coverage-html':
      return typeof d.index === 'string' ? d.index : (r.file ?? '');
    default:
      return '';
  }
}

export interface RunDetails {
  run: RunRecord;
  nodes: NodeRecord[];
  reports: ReportRecord[];
  artifacts: ArtifactRecord[];
}

/** `runs show`'s text: the run header, the stage/step tree, the reports and the artifacts. */
export function formatRunShow(d: RunDetails, now: number): string {
  const r = d.run;
  const field = (name: string, value: string): string => `${`${name}:`.padEnd(12)}${value}\n`;
  let out = '';
  out += field('Run', `${runName(r)} (id ${r.id})`);
  out += field('Pipeline', `${r.pipeline} (${r.file})`);
  out += field('Status', phase(r.status));
  out += field('Executor', r.executor);
  if (r.gitBranch !== undefined || r.gitCommit !== undefined) out += field('Git', [r.gitBranch, r.gitCommit && `commit ${shortCommit(r.gitCommit)}`].filter(Boolean).join(', '));
  const params = Object.entries(r.params);
  if (params.length > 0) out += field('Params', params.map(([k, v]) => `${k}=${v}`).join(' '));
  out += field('Started', `${r.startedAt} (${humanDuration(now - Date.parse(r.startedAt))} ago)`);
  if (r.finishedAt !== undefined) out += field('Finished', r.finishedAt);
  const dur = runDuration(r, now);
  if (dur) out += field('Duration', dur);
  if (r.error !== undefined) out += field('Error', r.error);

  out += '\n';
  if (d.nodes.length === 0) out += 'No stages recorded.\n';
  else {
    const rows = nodeTree(d.nodes).map(({ node: n, depth }) => [
      `${'  '.repeat(depth)}${n.name}`,
      n.kind,
      phase(n.status),
      formatElapsed(n.durationMs),
      n.exitCode === undefined ? '' : String(n.exitCode),
      n.attempts > 1 ? String(n.attempts) : '',
      n.error ?? '',
    ]);
    out += kubectlTable([['STAGE/STEP', 'KIND', 'STATUS', 'DURATION', 'EXIT', 'ATTEMPTS', 'ERROR'], ...rows]);
  }
  if (d.reports.length > 0) {
    out += '\nReports:\n';
    out += indent(kubectlTable([['KIND', 'NODE', 'FORMAT', 'FILE', 'SUMMARY'], ...d.reports.map((p) => [p.kind, p.node, p.format, p.file ?? '', reportSummary(p)])]));
  }
  if (d.artifacts.length > 0) {
    out += '\nArtifacts:\n';
    out += indent(kubectlTable([['PATH', 'NODE', 'SIZE', 'SHA256'], ...d.artifacts.map((a) => [a.path, a.node, humanSize(a.size), a.sha256.slice(0, 12)])]));
  }
  return out;
}

const indent = (text: string): string => text.replace(/^(?=.)/gm, '  ');

function outputFlag(value: string): Output {
  if (value === 'table' || value === 'json' || value === 'yaml') return value;
  throw new UsageError(`unknown output format "${value}": use table, json or yaml`);
}

function limitFlag(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`invalid --limit "${value}": use a whole number (0 for no limit)`);
  return Number(value);
}

function serialize(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(value, null, 2) + '\n' : toYaml(value);
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/**
 * Opens the store, or returns undefined when there is none yet (a read command does not
 * create `.slipway/`). Runs left `running` by a process that is gone are marked failed first,
 * so that they are not shown as running.
 */
function openExisting(dir: string): Store | undefined {
  if (!existsSync(join(dir, 'runs.db'))) return undefined;
  const store = openRunStore(dir);
  try {
    store.recoverAbandoned();
  } catch (e) {
    store.close();
    throw e;
  }
  return store;
}

function findRun(store: Store | undefined, ref: string, dir: string): RunRecord {
  const parsed = parseRunRef(ref);
  const run = store === undefined ? undefined : 'id' in parsed ? store.getRun(parsed.id) : store.findRun(parsed.pipeline, parsed.number);
  if (!run) throw new RunNotFoundError(`run ${ref} not found in ${join(dir, 'runs.db')}${store === undefined ? ' (there is no run store there yet)' : ''}`);
  return run;
}

const isActive = (r: RunRecord): boolean => r.status === 'running' || r.status === 'queued';

/** The runs command and its list, show and logs subcommands. */
export function runsCommand(ctx: CliContext): Command {
  const storeOption = (c: Command): Command => c.option('--store <dir>', 'run store directory', '.slipway');
  /** Usage errors exit 2, a run that is not there exits 1. */
  const wrap =
    <A extends unknown[]>(fn: (...args: A) => Promise<void> | void) =>
    async (...args: A): Promise<void> => {
      ctx.errorExitCode = 2;
      try {
        await fn(...args);
      } catch (e) {
        if (e instanceof InputError) ctx.errorExitCode = 1;
        throw e;
      }
    };

  const list = storeOption(
    new Command('list')
      .alias('ls')
      .description('List runs, newest first')
      .option('--pipeline <name>', 'only the runs of this pipeline')
      .option('--limit <n>', 'at most this many runs (0: all)', '20')
      .option('-o, --output <format>', 'table, json or yaml', 'table'),
  ).action(
    wrap((flags: { pipeline?: string; limit: string; output: string; store: string }) => {
      const output = outputFlag(flags.output);
      const limit = limitFlag(flags.limit);
      const store = openExisting(flags.store);
      try {
        const runs = store?.listRuns({ ...(flags.pipeline !== undefined && { pipeline: flags.pipeline }), ...(limit > 0 && { limit }) }) ?? [];
        if (output !== 'table') ctx.out(serialize(runs, output));
        else if (runs.length === 0) ctx.err(flags.pipeline !== undefined ? `No runs found for pipeline ${flags.pipeline}.\n` : 'No runs found.\n');
        else ctx.out(formatRunList(runs, Date.now()));
      } finally {
        store?.close();
      }
    }),
  );

  const show = storeOption(
    new Command('show')
      .description('Show a run: its header, stage/step tree, reports and artifacts')
      .argument('<run>', 'PIPELINE#NUMBER, PIPELINE/NUMBER or a run id')
      .option('-o, --output <format>', 'table, json or yaml', 'table'),
  ).action(
    wrap((ref: string, flags: { output: string; store: string }) => {
      const output = outputFlag(flags.output);
      const store = openExisting(flags.store);
      try {
        const run = findRun(store, ref, flags.store);
        const s = store!;
        const details: RunDetails = { run, nodes: s.listNodes(run.id), reports: s.listReports(run.id), artifacts: s.listArtifacts(run.id) };
        ctx.out(output === 'table' ? formatRunShow(details, Date.now()) : serialize(details, output));
      } finally {
        store?.close();
      }
    }),
  );

  const logs = storeOption(
    new Command('logs')
      .description("Print a run's log")
      .argument('<run>', 'PIPELINE#NUMBER, PIPELINE/NUMBER or a run id')
      .option('--node <path>', 'only this stage or step (a stage includes its steps): build, build/0, deploy/post.failure/0')
      .option('-f, --follow', 'keep printing until the run has finished'),
  ).action(
    wrap(async (ref: string, flags: { node?: string; follow?: boolean; store: string }) => {
      const store = openExisting(flags.store);
      try {
        const run = findRun(store, ref, flags.store);
        const s = store!;
        const node = flags.node?.replace(/\/+$/, '');
        const known = (): boolean => node === undefined || s.listNodes(run.id).some((n) => n.path === node || n.path.startsWith(`${node}/`));
        if (node !== undefined && !known() && !(flags.follow && isActive(run))) {
          const paths = s.listNodes(run.id).map((n) => n.path);
          throw new RunNotFoundError(`run ${runName(run)} has no stage or step "${node}"${paths.length > 0 ? ` (it has ${paths.join(', ')})` : ''}`);
        }
        let after = 0;
        const print = (chunks: LogChunk[]): void => {
          for (const c of chunks) {
            ctx.out(c.text);
            after = c.seq;
          }
        };
        print(s.readLogs(run.id, { ...(node !== undefined && { node }), afterSeq: after }));
        if (!flags.follow) return;
        let polls = 0;
        for (;;) {
          let current = s.getRun(run.id);
          if (current && isActive(current) && ++polls % 10 === 0) {
            // a run whose process died would be followed forever: mark it failed (as every store user may)
            if (s.recoverAbandoned() > 0) current = s.getRun(run.id);
          }
          // status first, then the log: finishRun writes the last chunks before the status
          print(s.readLogs(run.id, { ...(node !== undefined && { node }), afterSeq: after }));
          if (!current || !isActive(current)) {
            print(s.readLogs(run.id, { ...(node !== undefined && { node }), afterSeq: after }));
            return;
          }
          await sleep(200);
        }
      } finally {
        store?.close();
      }
    }),
  );

  // addCommand copies no settings: each subcommand throws instead of exiting, writes to the
  // context's streams, and reports commander's usage errors (unknown option, missing argument) as 2
  for (const sub of [list, show, logs]) {
    sub.configureOutput({ writeOut: ctx.out, writeErr: ctx.err }).exitOverride((err) => {
      throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
    });
  }
  return new Command('runs')
    .description('List pipeline runs and show their steps and logs (from the local run store)')
    .addHelpText(
      'after',
      `
A run is named PIPELINE#NUMBER (web#12), PIPELINE/NUMBER or by its numeric id. The store is
.slipway/runs.db in the current directory unless --store says otherwise.

Exit status: 0; 1 the run or node was not found; 2 a usage error.`,
    )
    .addCommand(list)
    .addCommand(show)
    .addCommand(logs)
    // reached only without a known subcommand: a usage error (2), not commander's help exit (1)
    .usage('<list|show|logs> [options]')
    .argument('[command]')
    .allowExcessArguments(true)
    .action((sub: string | undefined, _flags: unknown, cmd: Command) => {
      ctx.errorExitCode = 2;
      if (sub === undefined) {
        ctx.err(cmd.helpInformation());
        throw new UsageError('slipway runs needs a command: list, show or logs');
      }
      throw new UsageError(`unknown command "runs ${sub}": use list, show or logs`);
    });
}
