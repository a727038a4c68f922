/**
 * What `slipway run` shows while it works: on a terminal, a live stage/step
 * tree with timers redrawn in place; otherwise plain lines, one per state
 * change and one per log line, prefixed with the step.
 */
import type { LogStream } from '../executor.js';
import type { Pipeline } from '../model.js';
import type { NodeRecord, RunRecord } from '../store/types.js';
import { formatMs, type RunReporter } from './runner.js';

const ICONS: Record<NodeRecord['status'], string> = {
  queued: '·',
  running: '▸',
  succeeded: '✓',
  failed: '✗',
  cancelled: '⊘',
  skipped: '-',
};

function elapsed(node: NodeRecord, now: number): string {
  if (node.durationMs !== undefined) return formatMs(node.durationMs);
  if (node.startedAt) return formatMs(Math.max(0, now - Date.parse(node.startedAt)));
  return '';
}

function describeRun(run: RunRecord): string {
  return `${run.pipeline} #${run.number}`;
}

function summary(run: RunRecord): string {
  const took = run.durationMs !== undefined ? ` in ${formatMs(run.durationMs)}` : '';
  const why = run.error && run.status !== 'succeeded' ? `\n  ${run.error.split('\n')[0]}` : '';
  return `run ${describeRun(run)} ${run.status}${took}${why}\n  logs: slipway runs logs ${run.pipeline}#${run.number}\n`;
}

/** Plain lines for logs, pipes and CI consoles. */
export class PlainReporter implements RunReporter {
  private readonly names = new Map<string, string>();

  constructor(private readonly out: (text: string) => void) {}

  runStarted(run: RunRecord, pipeline: Pipeline): void {
    this.out(`run ${describeRun(run)} (${pipeline.file}, executor ${run.executor})\n`);
  }

  nodeChanged(node: NodeRecord): void {
    this.names.set(node.path, node.name);
    if (node.status === 'queued') return;
    const label = `[${node.path}]`;
    if (node.status === 'running') {
      if (node.attempts <= 1) this.out(`${label} ${ICONS.running} ${node.name}\n`);
      return;
    }
    const detail = node.status === 'failed' || node.status === 'skipped' || node.status === 'cancelled' ? (node.error ? `: ${node.error}` : '') : '';
    const time = node.durationMs !== undefined ? ` (${formatMs(node.durationMs)})` : '';
    this.out(`${label} ${ICONS[node.status]} ${node.name} ${node.status}${time}${detail}\n`);
  }

  log(node: string, _stream: LogStream, text: string): void {
    for (const line of text.replace(/\n$/, '').split('\n')) this.out(`[${node}] ${line}\n`);
  }

  runFinished(run: RunRecord): void {
    this.out(summary(run));
  }
}

/** The live tree for terminals; the tail of a failed step's log is printed under the tree at the end. */
export class TtyReporter implements RunReporter {
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly lastLine = new Map<string, string>();
  private readonly tails = new Map<string, string[]>();
  private drawn = 0;
  private timer?: NodeJS.Timeout;
  private header = '';

  constructor(
    private readonly out: (text: string) => void,
    private readonly width = process.stdout.columns || 100,
    private readonly now: () => number = Date.now,
  ) {}

  runStarted(run: RunRecord, pipeline: Pipeline): void {
    this.header = `run ${describeRun(run)} (${pipeline.file}, executor ${run.executor})`;
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
    this.draw();
  }

  nodeChanged(node: NodeRecord): void {
    this.nodes.set(node.path, node);
    this.draw();
  }

  log(node: string, _stream: LogStream, text: string): void {
    const lines = text.replace(/\n$/, '').split('\n');
    const tail = [...(this.tails.get(node) ?? []), ...lines].slice(-20);
    this.tails.set(node, tail);
    this.lastLine.set(node, lines.at(-1) ?? '');
  }

  runFinished(run: RunRecord): void {
    clearInterval(this.timer);
    this.draw();
    let text = '';
    for (const node of this.ordered()) {
      if (node.status !== 'failed' || node.kind === 'stage') continue;
      const tail = this.tails.get(node.path);
      if (!tail?.length) continue;
      text += `\n── ${node.path} (${node.name}): last ${tail.length} lines ──\n${tail.join('\n')}\n`;
    }
    this.out(`${text}\n${summary(run)}`);
  }

  private ordered(): NodeRecord[] {
    return [...this.nodes.values()].sort((a, b) => a.seq - b.seq);
  }

  private draw(): void {
    const now = this.now();
    const lines = [this.header];
    for (const node of this.ordered()) {
      let depth = 0;
      for (let p = node.parent; p !== undefined; p = this.nodes.get(p)?.parent) depth++;
      const indent = '  '.repeat(depth);
      const time = elapsed(node, now);
      let line = `${indent}${ICONS[node.status]} ${node.name}${time ? `  ${time}` : ''}`;
      if (node.status === 'running' && node.kind !== 'stage') {
        const last = this.lastLine.get(node.path);
        if (last) line += `  \x1b[2m${last}\x1b[22m`;
      } else if ((node.status === 'skipped' || node.status === 'failed') && node.error) line += `  (${node.error.split('\n')[0]})`;
      lines.push(truncate(line, this.width));
    }
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[0J` : '';
    this.out(up + lines.join('\n') + '\n');
    this.drawn = lines.length;
  }
}

/** Cuts a line to the terminal width, not counting the escape sequences in it. */
function truncate(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width - 1) return out + '\x1b[0m';
    out += line[i];
    visible++;
  }
  return out;
}
