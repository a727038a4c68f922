import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `slipway webhook`: the Kyverno-compatible validating admission webhook (being written). */
export function webhookCommand(_ctx: CliContext): Command {
  return new Command('webhook').description('Serve a validating admission webhook that enforces Kyverno policies');
}
