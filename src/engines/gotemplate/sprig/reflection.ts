/**
 * sprig's reflect.go: typeOf (fmt's %T), typeIs, typeIsLike, kindOf, kindIs, and deepEqual
 * (reflect.DeepEqual). Go's int and int64 are one type here (bigint), named "int64".
 */
import { defineFunc, goTypeName, type GoFunc } from '../values.js';
import { deepEqual, kindName } from './internal/reflect.js';

/** The reflection functions. */
export function reflectionFuncs(): GoFunc[] {
  return [
    defineFunc('typeOf', ['any'], (src: unknown) => goTypeName(src)),
    defineFunc('typeIs', ['string', 'any'], (target: string, src: unknown) => target === goTypeName(src)),
    defineFunc('typeIsLike', ['string', 'any'], (target: string, src: unknown) => {
      const t = goTypeName(src);
      return target === t || '*' + target === t;
    }),
    defineFunc('kindOf', ['any'], (src: unknown) => kindName(src)),
    defineFunc('kindIs', ['string', 'any'], (target: string, src: unknown) => target === kindName(src)),
    defineFunc('deepEqual', ['any', 'any'], deepEqual),
  ];
}
