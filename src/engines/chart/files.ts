import { defineFunc, stringSlice, withMethods, type GoMap } from '../gotemplate/index.js';
import type { ChartFile } from './types.js';
import { compileGlob } from './glob.js';

/** Renders a Go map[string]string as helm's toYAML does; given by the caller (it needs the YAML engine). */
export type MapToYaml = (m: Record<string, string>) => string;

/**
 * `.Files` as helm's engine/files.go builds it: a map of file name to bytes with the methods
 * Get, GetBytes, Glob, Lines, AsConfig and AsSecrets.
 */
export function newFiles(files: readonly ChartFile[], toYaml: MapToYaml): GoMap {
  const map: Record<string, Uint8Array> = {};
  for (const f of files) map[f.name] = f.data;
  return attach(map, toYaml);
}

function attach(map: Record<string, Uint8Array>, toYaml: MapToYaml): GoMap {
  const decoder = new TextDecoder();
  const getBytes = (name: string) => map[name] ?? new Uint8Array();
  return withMethods(
    map,
    {
      GetBytes: defineFunc('GetBytes', ['string'], getBytes),
      Get: defineFunc('Get', ['string'], (name: string) => decoder.decode(getBytes(name))),
      Glob: defineFunc('Glob', ['string'], (pattern: string) => {
        const re = compileGlob(pattern) ?? /^.*$/s;
        const out: Record<string, Uint8Array> = {};
        for (const [name, data] of Object.entries(map)) if (re.test(name)) out[name] = data;
        return attach(out, toYaml);
      }),
      AsConfig: defineFunc('AsConfig', [], () => {
        const m: Record<string, string> = {};
        for (const [name, data] of Object.entries(map)) m[basename(name)] = decoder.decode(data);
        return toYaml(m);
      }),
      AsSecrets: defineFunc('AsSecrets', [], () => {
        const m: Record<string, string> = {};
        for (const [name, data] of Object.entries(map)) m[basename(name)] = Buffer.from(data).toString('base64');
        return toYaml(m);
      }),
      Lines: defineFunc('Lines', ['string'], (name: string) => {
        const data = map[name];
        if (!data || data.length === 0) return stringSlice([]);
        let s = decoder.decode(data);
        if (s.endsWith('\n')) s = s.slice(0, -1);
        return stringSlice(s.split('\n'));
      }),
    },
    'engine.files',
  );
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
