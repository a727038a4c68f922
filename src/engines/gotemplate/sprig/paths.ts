/**
 * sprig's path functions: base, dir, clean, ext, isAbs from Go's path package, and the os*
 * variants from path/filepath, which on Linux (where Helm runs) behave the same.
 */
import { defineFunc, type GoFunc } from '../values.js';
import { base, clean, dir, ext, isAbs } from './internal/go-path.js';

/** The path functions. */
export function pathFuncs(): GoFunc[] {
  const fns: [string, (p: string) => unknown][] = [
    ['base', base],
    ['dir', dir],
    ['clean', clean],
    ['ext', ext],
    ['isAbs', isAbs],
  ];
  return fns.flatMap(([name, f]) => [
    defineFunc(name, ['string'], f),
    defineFunc('os' + name[0]!.toUpperCase() + name.slice(1), ['string'], f),
  ]);
}
