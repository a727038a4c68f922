import { readFile, readdir } from 'node:fs/promises';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/core/index.js';

const testdata = new URL('./testdata/', import.meta.url);

/** One live object from `testdata/<kind>-<state>.yaml`. */
export async function loadFixture(file: string): Promise<KubeObject> {
  return parse(await readFile(new URL(file, testdata), 'utf8')) as KubeObject;
}

/** Every fixture file name, so a test can check that each one is used. */
export async function listFixtures(): Promise<string[]> {
  return (await readdir(testdata)).filter((f) => f.endsWith('.yaml')).sort();
}
