/**
 * Step output on its way to the store and the terminal: cut into whole lines
 * (so a secret split across two reads is still seen whole) and masked.
 */
import type { LogStream } from '../executor.js';

export const MASK = '****';

/** Replaces every occurrence of a secret value with `****`. Values shorter than 3 characters are not masked (they would mask everything). */
export class Masker {
  private readonly values: string[] = [];

  add(value: string): void {
    for (const v of new Set([value, ...value.split(/\r?\n/)])) {
      if (v.trim().length >= 3 && !this.values.includes(v)) this.values.push(v);
    }
    // Longest first, so a secret containing another is masked whole.
    this.values.sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }
}

export type LineHandler = (node: string, stream: LogStream, text: string) => void;

/** Buffers partial lines per node and stream; `emit` receives masked text ending in a newline (or the last partial line at flush). */
export class LogSink {
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly masker: Masker,
    private readonly emit: LineHandler,
  ) {}

  write(node: string, stream: LogStream, text: string): void {
    const key = `${stream}\0${node}`;
    const buffered = (this.partial.get(key) ?? '') + text;
    const cut = buffered.lastIndexOf('\n');
    if (cut < 0) {
      this.partial.set(key, buffered);
      return;
    }
    this.partial.set(key, buffered.slice(cut + 1));
    this.emit(node, stream, this.masker.mask(buffered.slice(0, cut + 1)));
  }

  /** Emits what is left of a node's lines (output that did not end in a newline). */
  flush(node: string): void {
    for (const [key, rest] of this.partial) {
      const [stream, n] = key.split('\0') as [LogStream, string];
      if (n !== node || rest === '') continue;
      this.partial.delete(key);
      this.emit(node, stream, this.masker.mask(rest) + '\n');
    }
  }
}
