import type { LogStream, StepIO } from '../../src/pipeline/executor.js';

/** A StepIO that keeps what a step writes, for assertions; its signal never aborts. */
export function recorder(): { io: StepIO; out: { stream: LogStream; text: string }[]; text: () => string } {
  const out: { stream: LogStream; text: string }[] = [];
  return { io: { write: (stream, text) => out.push({ stream, text }), signal: new AbortController().signal }, out, text: () => out.map((o) => o.text).join('') };
}
