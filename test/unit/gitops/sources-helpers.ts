import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Manifest } from '../../../src/core/index.js';

/** Temp trees for the sources tests; `cleanup()` removes every one made. */
export class TempTrees {
  private readonly dirs: string[] = [];

  /** A new temp dir holding `files` (path → text; a value `{ symlink }` makes a symlink). */
  make(files: Record<string, string | { symlink: string }>, prefix = 'slipway-sources-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    writeTree(dir, files);
    return dir;
  }

  cleanup(): void {
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

export function writeTree(dir: string, files: Record<string, string | { symlink: string }>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === 'string') writeFileSync(path, content);
    else symlinkSync(content.symlink, path);
  }
}

/** `Kind/namespace/name` of each manifest, in order. */
export function ids(manifests: readonly Manifest[]): string[] {
  return manifests.map((m) => [m.object.kind, m.object.metadata?.namespace, m.object.metadata?.name].filter(Boolean).join('/'));
}

/** A ConfigMap document. */
export function cm(name: string, data: Record<string, string> = {}, extra = ''): string {
  const dataLines = Object.entries(data)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}${dataLines ? `data:\n${dataLines}\n` : ''}`;
}

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.25
        - name: sidecar
          image: busybox
`;

export const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`;

/** The value at a dotted path (`spec.ports.0.port`) of an object. */
export function pick(o: unknown, path: string): unknown {
  let v = o;
  for (const part of path.split('.')) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[part];
  return v;
}

/** The container images of a workload, in order. */
export function images(o: unknown): string[] {
  return (pick(o, 'spec.template.spec.containers') as { image: string }[]).map((c) => c.image);
}
