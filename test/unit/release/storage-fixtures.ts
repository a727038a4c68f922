import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeRelease, type Release, type ReleaseRecord } from '../../../src/release/index.js';

// The records and outputs of storage-testdata/, written by the real helm 3.22
// (storage-testdata/generate.sh): release `shop` in namespace `storage-fixture`,
// revision 1 installed and tested, 2 upgraded, 3 a failed upgrade, 4 a rollback to 2.

const DIR = new URL('./storage-testdata/', import.meta.url);

export const FIXTURE_CHART = new URL('chart', DIR).pathname;

/** The Secret's `release` value helm wrote for a revision of `shop`. */
export function recordData(version: number): string {
  return readFileSync(new URL(`records/shop.v${version}.release`, DIR), 'utf8');
}

/** The JSON text helm marshalled for a revision (the record, un-base64'd and gunzipped). */
export function recordJson(version: number): string {
  return gunzipSync(Buffer.from(recordData(version), 'base64')).toString('utf8');
}

/** The Secret labels of a revision. */
export function recordLabels(version: number): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`records/shop.v${version}.labels.json`, DIR), 'utf8')) as Record<string, string>;
}

export const VERSIONS = [1, 2, 3, 4];

/** Every revision decoded, with its labels, as ReleaseStore.records gives them. */
export function fixtureRecords(): ReleaseRecord[] {
  return VERSIONS.map((v) => {
    const release: Release = decodeRelease(recordData(v));
    return { release, secretLabels: recordLabels(v) };
  });
}

/** What helm printed for one of generate.sh's commands. */
export function helmOutput(name: string): string {
  return readFileSync(new URL(`outputs/${name}.txt`, DIR), 'utf8');
}
