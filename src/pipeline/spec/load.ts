import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../../core/index.js';
import { parseJenkinsfileWithNotes } from '../jenkinsfile/index.js';
import type { Pipeline } from '../model.js';
import { parsePipelineYaml } from './parse.js';

/** Whether `path` names a Jenkinsfile: `Jenkinsfile`, `*.jenkinsfile` or `*.groovy`. */
export function isJenkinsfile(path: string): boolean {
  const name = basename(path);
  return name === 'Jenkinsfile' || /\.(jenkinsfile|groovy)$/i.test(name);
}

/**
 * Reads a pipeline file: a Jenkinsfile (by name, see {@link isJenkinsfile}) goes to the
 * declarative Jenkinsfile parser, anything else is read as slipway.yaml. The pipeline's
 * `file` is `path` as given. What a Jenkinsfile says that Slipway accepts but ignores or maps
 * approximately goes to `onNote` as `file:line:column: message`.
 */
export async function loadPipeline(path: string, onNote?: (note: string) => void): Promise<Pipeline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new InputError(`cannot read pipeline file: ${why}`, { file: path }, { cause: e });
  }
  if (!isJenkinsfile(path)) return parsePipelineYaml(text, path);
  const { pipeline, notes } = parseJenkinsfileWithNotes(text, path);
  for (const n of notes) onNote?.(`${n.at.file}:${n.at.line ?? 0}:${n.at.column ?? 0}: ${n.message}`);
  return pipeline;
}
