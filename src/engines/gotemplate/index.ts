/**
 * gotemplate — Go's text/template in TypeScript, with Go's semantics and Go's error text, so
 * that charts render exactly as `helm template` renders them. A {@link TemplateSet} parses
 * named templates (lex.ts, parse.ts -> nodes.ts) and executes them (exec.ts, with the
 * predefined functions of builtins.ts) over the value model of values.ts, printing through
 * Go's fmt (fmt.ts).
 *
 * The function library of sprig (sprig/) is re-exported here for the chart engine.
 *
 * Copies the behaviour of go/src/text/template (Go 1.26): parse/lex.go, parse/parse.go,
 * parse/node.go, exec.go, funcs.go, option.go and template.go; helm's use of it is
 * pkg/engine/engine.go (include, tpl, missingkey=zero).
 *
 * Imports only src/core and its own folder; no I/O, no clock. This file is the module's
 * whole public surface.
 */
export { TemplateSet, type TemplateSetOptions, type MissingKeyMode } from './template.js';
export { TemplateExecError, TemplateParseError } from './errors.js';
export { builtinFuncs, htmlEscapeString, jsEscapeString, urlQueryEscape } from './builtins.js';
export * from './values.js';
export * from './fmt.js';
export * from './sprig/index.js';
export { parseSemver, semverConstraintCheck } from './sprig/semver.js';
