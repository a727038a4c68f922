import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../core/index.js';
import { KubeClient, parseDuration } from '../kube/index.js';

/** Options every command accepts (kubectl's names). */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  debug?: boolean;
}

/** What a command needs from the process: the streams and the client factory. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Exit code for a SlipwayError from this command. kubectl diff uses 2, since 1 means "differences". @default 1 */
  errorExitCode: number;
  client(options: GlobalOptions): Promise<KubeClient>;
  stdin(): string;
}

export function defaultContext(): CliContext {
  let client: KubeClient | undefined;
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    errorExitCode: 1,
    async client(options) {
      client ??= await KubeClient.load({ kubeconfig: options.kubeconfig, context: options.context });
      return client;
    },
    stdin: () => readFileSync(0, 'utf8'),
  };
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Commander collector for repeatable options: `-f a -f b`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a --timeout value the way helm and kubectl do ("300s", "5m", "1h"). */
export function timeoutMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`invalid --timeout "${text}": use a duration such as 300s, 5m or 1h`);
  return ms;
}
