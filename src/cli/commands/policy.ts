import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `slipway policy apply|test`: Kyverno's apply and test on Slipway's policy engine (being written). */
export function policyCommand(_ctx: CliContext): Command {
  return new Command('policy').description('Check resources against Kyverno policies and run Kyverno CLI tests, without a cluster');
}
