import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadPipeline } from '../../../src/pipeline/spec/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test('a Jenkinsfile construct that is accepted but ignored reaches onNote with its file, line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-load-'));
  dirs.push(dir);
  const file = join(dir, 'Jenkinsfile');
  writeFileSync(file, "pipeline {\n  agent any\n  stages {\n    stage('Build') {\n      steps {\n        checkout scm\n        sh 'make'\n      }\n    }\n  }\n}\n");
  const notes: string[] = [];
  const pipeline = await loadPipeline(file, (n) => notes.push(n));
  expect(pipeline.stages[0]!.steps.map((s) => s.type)).toEqual(['run']);
  expect(notes).toHaveLength(1);
  expect(notes[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:9: .*checkout`));
});
