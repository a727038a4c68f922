/**
 * pipeline/spec — slipway.yaml (kind Pipeline) read into the pipeline model with every error
 * at file:line:column and a field path; the published JSON Schema of the format; `when`
 * conditions; `${...}` interpolation and cache keys (`${hashFiles:GLOB}` reads files).
 * The loader sends Jenkinsfiles to ../jenkinsfile. Imports core and the pipeline model only.
 */
export { parsePipelineYaml, stepName, PIPELINE_API_VERSION, STEP_TYPES, STEP_COMMON, VARIABLE_NAME, DEFAULT_ENV_TTL_MS } from './parse.js';
export { loadPipeline, isJenkinsfile } from './load.js';
export { pipelineSchema } from './schema.js';
export { evaluateWhen, type WhenContext, type WhenResult } from './when.js';
export { parseExpression, evaluateExpression, truthy, type Expr, type ExprSource } from './expression.js';
export {
  interpolate,
  interpolateDeep,
  cacheKey,
  hashFiles,
  scanTemplate,
  resolveReference,
  type Lookup,
  type Reference,
  type TemplatePart,
  type InterpolateDeepOptions,
} from './interpolate.js';
export { matchGlob, globToRegExp } from './glob.js';
