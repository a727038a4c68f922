/**
 * sprig's regex.go with Go's regexp semantics (goruntime/regexp.ts): RE2 syntax and errors,
 * leftmost-first matching, Go's FindAll/Split/ReplaceAll and `$1`/`${name}` expansion. The
 * plain variants panic on a bad pattern (regexp.MustCompile), regexMatch returns false, the
 * must* variants return the error.
 */
import { GoFuncError, defineFunc, stringSlice, type GoFunc } from '../values.js';
import { compileRegexp, mustCompileRegexp, quoteMeta, type GoRegexp } from '../../goruntime/index.js';

function compileOrError(regex: string): GoRegexp {
  try {
    return compileRegexp(regex);
  } catch (e) {
    throw new GoFuncError((e as Error).message);
  }
}

/** The regex functions. */
export function regexFuncs(): GoFunc[] {
  return [
    defineFunc('regexMatch', ['string', 'string'], (regex: string, s: string) => {
      try {
        return compileRegexp(regex).matchString(s);
      } catch {
        return false;
      }
    }),
    defineFunc('mustRegexMatch', ['string', 'string'], (regex: string, s: string) => compileOrError(regex).matchString(s)),
    defineFunc('regexFindAll', ['string', 'string', 'int'], (regex: string, s: string, n: bigint) =>
      stringSlice(mustCompileRegexp(regex).findAllString(s, Number(n))),
    ),
    defineFunc('mustRegexFindAll', ['string', 'string', 'int'], (regex: string, s: string, n: bigint) =>
      stringSlice(compileOrError(regex).findAllString(s, Number(n))),
    ),
    defineFunc('regexFind', ['string', 'string'], (regex: string, s: string) => mustCompileRegexp(regex).findString(s)),
    defineFunc('mustRegexFind', ['string', 'string'], (regex: string, s: string) => compileOrError(regex).findString(s)),
    defineFunc('regexReplaceAll', ['string', 'string', 'string'], (regex: string, s: string, repl: string) =>
      mustCompileRegexp(regex).replaceAllString(s, repl),
    ),
    defineFunc('mustRegexReplaceAll', ['string', 'string', 'string'], (regex: string, s: string, repl: string) =>
      compileOrError(regex).replaceAllString(s, repl),
    ),
    defineFunc('regexReplaceAllLiteral', ['string', 'string', 'string'], (regex: string, s: string, repl: string) =>
      mustCompileRegexp(regex).replaceAllLiteralString(s, repl),
    ),
    defineFunc('mustRegexReplaceAllLiteral', ['string', 'string', 'string'], (regex: string, s: string, repl: string) =>
      compileOrError(regex).replaceAllLiteralString(s, repl),
    ),
    defineFunc('regexSplit', ['string', 'string', 'int'], (regex: string, s: string, n: bigint) =>
      stringSlice(mustCompileRegexp(regex).split(s, Number(n))),
    ),
    defineFunc('mustRegexSplit', ['string', 'string', 'int'], (regex: string, s: string, n: bigint) =>
      stringSlice(compileOrError(regex).split(s, Number(n))),
    ),
    defineFunc('regexQuoteMeta', ['string'], quoteMeta),
  ];
}
