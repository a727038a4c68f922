import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `slipway runs list|show|logs`: the runs in the local run store. */
export function runsCommand(_ctx: CliContext): Command {
  return new Command('runs').description('List pipeline runs and show their steps and logs (from the local run store)');
}
