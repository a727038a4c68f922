import type { Command } from 'commander';
import type { ValueOptions } from '../engines/chart/index.js';
import { collect } from './context.js';

/** helm's values.Options flags, as commander hands them over: -f and the --set family. */
export interface ValuesFlags {
  values: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
}

/**
 * Adds helm's values flags (-f/--values, --set, --set-string, --set-json, --set-file,
 * --set-literal), each repeatable. `setHelp` is the help line of --set.
 */
export function addValuesFlags(cmd: Command, setHelp = 'set values (a.b=1,c[0]=x); repeatable'): Command {
  return cmd
    .option('-f, --values <file>', 'values file; repeatable, later files win', collect, [])
    .option('--set <key=value>', setHelp, collect, [])
    .option('--set-string <key=value>', 'set STRING values; repeatable', collect, [])
    .option('--set-json <key=json>', 'set JSON values; repeatable', collect, [])
    .option('--set-file <key=path>', 'set values from files; repeatable', collect, [])
    .option('--set-literal <key=value>', 'set a literal STRING value; repeatable', collect, []);
}

/** The chart engine's ValueOptions of the values flags. */
export function valueOptions(flags: ValuesFlags): ValueOptions {
  return {
    valueFiles: flags.values,
    values: flags.set,
    stringValues: flags.setString,
    jsonValues: flags.setJson,
    fileValues: flags.setFile,
    literalValues: flags.setLiteral,
  };
}
