import { readFile, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

// The dependency direction of DESIGN.md "Layers" and STYLE.md section 2, checked on every
// import in src/. A violation prints as `src/engines/health/x.ts:3 -> kube`.

type Layer = 'core' | 'engine' | 'observe' | 'kube' | 'orchestration' | 'pipeline' | 'surface';

/** Layers each layer may import, besides its own module. */
const LAYER_IMPORTS: Record<Layer, readonly Layer[]> = {
  core: [],
  engine: ['core'], // other engines only through ENGINE_IMPORTS
  observe: ['core'], // STYLE.md: observe is importable from kube upward
  kube: ['core', 'engine', 'observe'],
  orchestration: ['core', 'engine', 'kube', 'observe'], // release and gitops do not import each other
  pipeline: ['core', 'engine', 'kube', 'observe', 'orchestration'],
  surface: ['core', 'engine', 'kube', 'observe', 'orchestration', 'pipeline'], // never another surface
};

/** The other engines an engine may import; an engine missing here may import none. */
const ENGINE_IMPORTS: Record<string, readonly string[]> = {
  diff: ['yaml'],
  chart: ['gotemplate', 'yaml', 'goruntime'],
  kustomize: ['yaml', 'goruntime'],
  policy: ['yaml', 'goruntime'],
  health: [],
  yaml: ['goruntime'],
  gotemplate: ['goruntime'],
  gates: [],
  goruntime: [], // Go's runtime primitives (utf8, strconv, regexp) for the Go-compatible engines: imports only core
};

/** Packages that would make a layer impure: processes, sockets, HTTP, the cluster client. */
const IMPURE = ['node:child_process', 'node:net', 'node:http', 'node:https', '@kubernetes/client-node'];
const CLUSTER_CLIENT = '@kubernetes/client-node';

interface Module {
  /** "core", "engine:yaml", "kube", "release", "surface:cli" … */
  name: string;
  layer: Layer;
  /** Folder of the module; other modules import `<root>/index.js`. */
  root: string;
}

/** The module a path under src/ belongs to; undefined outside every known layer. */
function moduleOf(path: string): Module | undefined {
  const [src, top, sub, ...rest] = path.split('/');
  if (src !== 'src' || top === undefined || sub === undefined) return undefined;
  const at = (name: string, layer: Layer, root = `src/${top}`): Module => ({ name, layer, root });
  switch (top) {
    case 'core':
    case 'kube':
    case 'observe':
    case 'pipeline':
      return at(top, top);
    case 'release':
    case 'gitops':
      return at(top, 'orchestration');
    case 'server':
    case 'ui':
    case 'cli':
      return at(`surface:${top}`, 'surface');
    case 'engines':
      return rest.length > 0 ? at(`engine:${sub}`, 'engine', `src/engines/${sub}`) : undefined;
    default:
      return undefined;
  }
}

function importAllowed(from: Module, to: Module): boolean {
  if (from.name === to.name) return true;
  // `slipway controller` is the process that hosts the HTTP server: the CLI may start it.
  // The server never imports the CLI.
  if (from.name === 'surface:cli' && to.name === 'surface:server') return true;
  if (from.layer === 'engine' && to.layer === 'engine') {
    return (ENGINE_IMPORTS[from.name.slice('engine:'.length)] ?? []).includes(to.name.slice('engine:'.length));
  }
  return LAYER_IMPORTS[from.layer].includes(to.layer);
}

/** One source file: its path from the repository root (posix) and its text. */
interface SourceFile {
  path: string;
  text: string;
}

/** Every import that breaks the layering, as "file:line -> target" (plus a reason where the target alone does not say it). */
function checkImports(files: readonly SourceFile[]): string[] {
  const out: string[] = [];
  for (const { path, text } of files) {
    const from = moduleOf(path);
    // preProcessFile reads static, type-only, re-export and dynamic imports, and skips comments and strings.
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const where = `${path}:${text.slice(0, ref.pos).split('\n').length}`;
      const spec = ref.fileName;
      if (!from) {
        out.push(`${where} -> ${spec} (file is in no known layer)`);
        continue;
      }
      if (!spec.startsWith('.')) {
        const pkg = /^(child_process|net|http|https)(\/|$)/.test(spec) ? `node:${spec}` : spec; // builtins without node:
        const matches = (p: string) => pkg === p || pkg.startsWith(`${p}/`);
        if ((from.layer === 'engine' || from.layer === 'core') && IMPURE.some(matches)) out.push(`${where} -> ${spec} (${from.layer}s are pure)`);
        else if (from.name !== 'kube' && matches(CLUSTER_CLIENT)) out.push(`${where} -> ${spec} (only src/kube talks to the cluster)`);
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(path), spec));
      const to = moduleOf(target.replace(/\.js$/, '.ts'));
      if (!to) out.push(`${where} -> ${target} (not in a known layer)`);
      else if (!importAllowed(from, to)) out.push(`${where} -> ${to.name}`);
      else if (to.name !== from.name && target !== `${to.root}/index.js`) out.push(`${where} -> ${target} (import ${to.root}/index.js instead)`);
    }
  }
  return out;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function readSources(): Promise<SourceFile[]> {
  const names = (await readdir(join(repoRoot, 'src'), { recursive: true })).filter((n) => /\.(ts|tsx|mts|cts)$/.test(n)).sort();
  return Promise.all(names.map(async (n) => ({ path: `src/${n.split('\\').join('/')}`, text: await readFile(join(repoRoot, 'src', n), 'utf8') })));
}

describe('architecture', () => {
  test('every import in src/ follows the layer table', async () => {
    const files = await readSources();
    expect(files.length).toBeGreaterThan(10);
    const violations = checkImports(files);
    if (violations.length > 0) console.log(violations.join('\n'));
    expect(violations).toEqual([]);
  });

  test('every file in src/ belongs to a known layer', async () => {
    const unknown = (await readSources()).map((f) => f.path).filter((p) => !moduleOf(p));
    expect(unknown).toEqual([]);
  });

  test('the checker reports each kind of violation, and nothing that is allowed', () => {
    const lines = (...l: string[]) => l.join('\n');
    const files: SourceFile[] = [
      // Not allowed.
      { path: 'src/engines/health/x.ts', text: lines("import { a } from '../../core/index.js';", '', "import { getObject } from '../../kube/index.js';") },
      { path: 'src/engines/health/y.ts', text: "import { toYaml } from '../yaml/index.js';" },
      { path: 'src/engines/health/z.ts', text: lines('// a comment about ../../kube/index.js', "import type { KubeClient } from '../../kube/index.js';") },
      { path: 'src/engines/yaml/run.ts', text: lines("import { execFile } from 'node:child_process';", "import http from 'http';", "import { get } from 'node:https';") },
      { path: 'src/engines/chart/k.ts', text: "import { KubeConfig } from '@kubernetes/client-node';" },
      { path: 'src/core/bad.ts', text: lines("export { toYaml } from '../engines/yaml/index.js';", "import net from 'node:net';") },
      { path: 'src/release/r.ts', text: lines('async function f() {', "  const m = await import('@kubernetes/client-node');", '}', "import { reconcile } from '../gitops/index.js';") },
      { path: 'src/cli/apply.ts', text: lines("import { applyManifests } from '../kube/apply.js';", "import { x } from '../engines/yaml/parse.js';") },
      { path: 'src/server/s.ts', text: lines("import { main } from '../cli/index.js';", "import { page } from '../ui/index.js';") },
      { path: 'src/engines/diff/d.ts', text: "import pkg from '../../../package.json';" },
      { path: 'src/helpers.ts', text: "import { a } from './core/index.js';" },
      // Allowed.
      { path: 'src/engines/diff/ok.ts', text: lines("import { structuredPatch } from 'diff';", "import { toYaml } from '../yaml/index.js';", "import type { KubeObject } from '../../core/index.js';") },
      { path: 'src/engines/chart/ok.ts', text: lines("import { render } from '../gotemplate/index.js';", "import { parseYamlStream } from '../yaml/index.js';") },
      { path: 'src/engines/health/kinds/pod.ts', text: lines("import { x } from '../internal/fields.js';", "import type { KubeObject } from '../../../core/index.js';") },
      { path: 'src/core/fs.ts', text: lines("import { readFileSync } from 'node:fs';", "import type { ResourceKey } from './types.js';") },
      { path: 'src/kube/client.ts', text: lines("import https from 'node:https';", "const { KubeConfig } = await import('@kubernetes/client-node');", "import { assessHealth } from '../engines/health/index.js';") },
      { path: 'src/kube/wait.ts', text: lines("import { sleep } from './internal/async.js';", "import { getObject } from './objects.js';") },
      { path: 'src/gitops/g.ts', text: lines("import { applyManifests } from '../kube/index.js';", "import { diffObjects } from '../engines/diff/index.js';") },
      { path: 'src/pipeline/p.ts', text: lines("import { install } from '../release/index.js';", "import { reconcile } from '../gitops/index.js';") },
      { path: 'src/cli/main.ts', text: lines("import { Command } from 'commander';", "import { run } from '../pipeline/index.js';", "import { x } from './commands/apply.js';") },
      { path: 'src/kube/observe-use.ts', text: "import { logger } from '../observe/index.js';" },
    ];
    expect(checkImports(files)).toEqual([
      'src/engines/health/x.ts:3 -> kube',
      'src/engines/health/y.ts:1 -> engine:yaml',
      'src/engines/health/z.ts:2 -> kube',
      'src/engines/yaml/run.ts:1 -> node:child_process (engines are pure)',
      'src/engines/yaml/run.ts:2 -> http (engines are pure)',
      'src/engines/yaml/run.ts:3 -> node:https (engines are pure)',
      'src/engines/chart/k.ts:1 -> @kubernetes/client-node (engines are pure)',
      'src/core/bad.ts:1 -> engine:yaml',
      'src/core/bad.ts:2 -> node:net (cores are pure)',
      'src/release/r.ts:2 -> @kubernetes/client-node (only src/kube talks to the cluster)',
      'src/release/r.ts:4 -> gitops',
      'src/cli/apply.ts:1 -> src/kube/apply.js (import src/kube/index.js instead)',
      'src/cli/apply.ts:2 -> src/engines/yaml/parse.js (import src/engines/yaml/index.js instead)',
      'src/server/s.ts:1 -> surface:cli',
      'src/server/s.ts:2 -> surface:ui',
      'src/engines/diff/d.ts:1 -> package.json (not in a known layer)',
      'src/helpers.ts:1 -> ./core/index.js (file is in no known layer)',
    ]);
  });

  test.each([
    ['src/core/types.ts', 'core'],
    ['src/engines/health/kinds/pod.ts', 'engine:health'],
    ['src/kube/internal/async.ts', 'kube'],
    ['src/release/install.ts', 'release'],
    ['src/gitops/reconcile.ts', 'gitops'],
    ['src/pipeline/dag.ts', 'pipeline'],
    ['src/ui/app.tsx', 'surface:ui'],
    ['src/cli/commands/apply.ts', 'surface:cli'],
  ])('%s belongs to %s', (path, name) => {
    expect(moduleOf(path)?.name).toBe(name);
  });
});
