/**
 * jenkinsfile — the declarative Jenkinsfile subset read into the pipeline model
 * (format 'jenkinsfile'), the same model slipway.yaml is read into. docs/jenkinsfile.md lists
 * what is supported, how each construct maps and what is rejected.
 *
 * Layers: lexer.ts (Groovy tokens, GStrings split into text and references), parser.ts (the
 * Groovy statement/expression forms Jenkinsfiles use, no Jenkins knowledge), map.ts (pipeline
 * and stage sections), steps.ts (steps and wrappers), condition.ts (Groovy conditions into
 * the runner's expression language), strings.ts (Groovy strings into runner or shell form).
 *
 * Pure: reads no files (the text is given) and imports only src/core, the model and `yaml`
 * (for an `agent { kubernetes { yaml … } }` pod). Everything outside the subset is an
 * InputError at file:line:column naming what was found.
 */
import type { Pipeline } from '../model.js';
import { JenkinsMapper, type MapOptions, type MapResult } from './map.js';
import { parseGroovy } from './parser.js';

export type { MapOptions as JenkinsfileOptions, MapResult as JenkinsfileResult } from './map.js';
export type { Note as JenkinsfileNote } from './steps.js';

/** Parses a declarative Jenkinsfile into a Pipeline; `file` is used for locations and the default name. */
export function parseJenkinsfile(text: string, file: string, options: MapOptions = {}): Pipeline {
  return parseJenkinsfileWithNotes(text, file, options).pipeline;
}

/** As parseJenkinsfile, plus notes on what was accepted but ignored or approximated (for the CLI to print). */
export function parseJenkinsfileWithNotes(text: string, file: string, options: MapOptions = {}): MapResult {
  return new JenkinsMapper(file, options).map(parseGroovy(text, file));
}
