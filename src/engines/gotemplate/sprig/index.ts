/**
 * sprig — the template functions of github.com/Masterminds/sprig/v3 v3.3.0 (the version helm
 * v3.22.0 pins), as Helm sees them: sprig.TxtFuncMap() without `env` and `expandenv`, which
 * helm's pkg/engine/funcs.go deletes. Helm's own functions (toYaml, include, tpl, required,
 * lookup, and its toJson/fromJson) are layered on top by the chart engine.
 *
 * Copies the behaviour of sprig's functions.go and the files it calls into (strings.go,
 * list.go, dict.go, numeric.go, defaults.go, reflect.go, regex.go, url.go, crypto.go,
 * date.go, semver.go, network.go) and of their dependencies: spf13/cast v1.7.0, goutils
 * v1.1.1, huandu/xstrings v1.5.0, dario.cat/mergo v1.0.1, shopspring/decimal v1.4.0 and Go
 * 1.26's strings, strconv, regexp, encoding/json, encoding/base64, net/url and path.
 *
 * Pure: randomness and the current time are injected. Imports only its parent module's value
 * model, fmt (with strconv's Quote and time's String) and strconv's parsing
 * (goruntime/strconv.ts); helpers live in ./internal.
 */
import type { FuncMap, GoFunc } from '../values.js';
import { conversionFuncs } from './conversion.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs } from './dates.js';
import { defaultFuncs } from './defaults.js';
import { dictFuncs } from './dicts.js';
import { encodingFuncs } from './encoding.js';
import { listFuncs } from './lists.js';
import { mathFuncs } from './math.js';
import { networkFuncs } from './network.js';
import { pathFuncs } from './paths.js';
import { cryptoRandom, randomFuncs, type RandomSource } from './random.js';
import { reflectionFuncs } from './reflection.js';
import { regexFuncs } from './regex.js';
import { semverFuncs } from './semver.js';
import { stringFuncs } from './strings.js';
import { urlFuncs } from './urls.js';

export { marshalGoJson, marshalGoJsonIndent, unmarshalGoJson } from './defaults.js';
export { strval, strslice, toFloat64, toInt64 } from './conversion.js';
export { compileRegexp, type GoRegexp } from '../../goruntime/index.js';
export type { RandomSource } from './random.js';
export {
  conversionFuncs,
  defaultFuncs,
  dictFuncs,
  encodingFuncs,
  listFuncs,
  mathFuncs,
  pathFuncs,
  randomFuncs,
  reflectionFuncs,
  regexFuncs,
  stringFuncs,
  urlFuncs,
};

/** Options of {@link sprigFunctions}. */
export interface SprigOptions {
  /**
   * Uniform random numbers in [0, 1) for randAlpha…, randInt, shuffle and the crypto group.
   * @default a cryptographically strong source (crypto.getRandomValues)
   */
  random?: () => number;
  /**
   * The current time, for `now`, `date`, `ago`…
   * @default () => new Date()
   */
  clock?: () => Date;
}

/** The functions sprig's TxtFuncMap() defines that helm deletes (pkg/engine/funcs.go). */
export const HELM_REMOVED_SPRIG_FUNCTIONS: readonly string[] = ['env', 'expandenv'];

/**
 * Every name in sprig v3.3.0's TxtFuncMap() (functions.go genericMap) except the ones helm
 * removes, in functions.go order.
 */
export const SPRIG_FUNCTION_NAMES: readonly string[] = [
  'hello',
  // dates
  'ago', 'date', 'date_in_zone', 'date_modify', 'dateInZone', 'dateModify', 'duration', 'durationRound', 'htmlDate',
  'htmlDateInZone', 'must_date_modify', 'mustDateModify', 'mustToDate', 'now', 'toDate', 'unixEpoch',
  // strings
  'abbrev', 'abbrevboth', 'trunc', 'trim', 'upper', 'lower', 'title', 'untitle', 'substr', 'repeat', 'trimall', 'trimAll',
  'trimSuffix', 'trimPrefix', 'nospace', 'initials', 'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'swapcase',
  'shuffle', 'snakecase', 'camelcase', 'kebabcase', 'wrap', 'wrapWith', 'contains', 'hasPrefix', 'hasSuffix', 'quote',
  'squote', 'cat', 'indent', 'nindent', 'replace', 'plural', 'sha1sum', 'sha256sum', 'sha512sum', 'adler32sum', 'toString',
  'atoi', 'int64', 'int', 'float64', 'seq', 'toDecimal', 'split', 'splitList', 'splitn', 'toStrings', 'until', 'untilStep',
  // arithmetic
  'add1', 'add', 'sub', 'div', 'mod', 'mul', 'randInt', 'add1f', 'addf', 'subf', 'divf', 'mulf', 'biggest', 'max', 'min',
  'maxf', 'minf', 'ceil', 'floor', 'round',
  // string slices
  'join', 'sortAlpha',
  // defaults
  'default', 'empty', 'coalesce', 'all', 'any', 'compact', 'mustCompact', 'fromJson', 'toJson', 'toPrettyJson', 'toRawJson',
  'mustFromJson', 'mustToJson', 'mustToPrettyJson', 'mustToRawJson', 'ternary', 'deepCopy', 'mustDeepCopy',
  // reflection
  'typeOf', 'typeIs', 'typeIsLike', 'kindOf', 'kindIs', 'deepEqual',
  // network
  'getHostByName',
  // paths
  'base', 'dir', 'clean', 'ext', 'isAbs', 'osBase', 'osClean', 'osDir', 'osExt', 'osIsAbs',
  // encoding
  'b64enc', 'b64dec', 'b32enc', 'b32dec',
  // data structures
  'tuple', 'list', 'dict', 'get', 'set', 'unset', 'hasKey', 'pluck', 'keys', 'pick', 'omit', 'merge', 'mergeOverwrite',
  'mustMerge', 'mustMergeOverwrite', 'values', 'append', 'push', 'mustAppend', 'mustPush', 'prepend', 'mustPrepend', 'first',
  'mustFirst', 'rest', 'mustRest', 'last', 'mustLast', 'initial', 'mustInitial', 'reverse', 'mustReverse', 'uniq', 'mustUniq',
  'without', 'mustWithout', 'has', 'mustHas', 'slice', 'mustSlice', 'concat', 'dig', 'chunk', 'mustChunk',
  // crypto
  'bcrypt', 'htpasswd', 'genPrivateKey', 'derivePassword', 'buildCustomCert', 'genCA', 'genCAWithKey', 'genSelfSignedCert',
  'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'encryptAES', 'decryptAES', 'randBytes', 'uuidv4',
  // semver
  'semver', 'semverCompare',
  // flow control
  'fail',
  // regex
  'regexMatch', 'mustRegexMatch', 'regexFindAll', 'mustRegexFindAll', 'regexFind', 'mustRegexFind', 'regexReplaceAll',
  'mustRegexReplaceAll', 'regexReplaceAllLiteral', 'mustRegexReplaceAllLiteral', 'regexSplit', 'mustRegexSplit',
  'regexQuoteMeta',
  // urls
  'urlParse', 'urlJoin',
];

/** The groups implemented in this folder's own files (all but dates, semver, crypto, network). */
export function coreSprigGroups(random: RandomSource): GoFunc[] {
  return [
    ...stringFuncs(),
    ...conversionFuncs(),
    ...mathFuncs(),
    ...listFuncs(),
    ...dictFuncs(),
    ...defaultFuncs(),
    ...reflectionFuncs(),
    ...encodingFuncs(),
    ...pathFuncs(),
    ...urlFuncs(),
    ...regexFuncs(),
    ...randomFuncs(random),
  ];
}

/**
 * The complete sprig FuncMap as Helm sees it: every name of {@link SPRIG_FUNCTION_NAMES}.
 * Each call returns a new map, so callers may add or delete functions.
 */
export function sprigFunctions(options: SprigOptions = {}): FuncMap {
  const random = options.random ?? cryptoRandom;
  const clock = options.clock ?? (() => new Date());
  const funcs: FuncMap = new Map();
  for (const f of [...coreSprigGroups(random), ...dateFuncs(clock), ...semverFuncs(), ...cryptoFuncs(random), ...networkFuncs()]) {
    if (!funcs.has(f.name)) funcs.set(f.name, f);
  }
  return funcs;
}
