/**
 * What the builtin transformers and generators share: the context they are configured in
 * (the kustomization's loader, the merged transformer configuration) and the Transformer
 * shape of STYLE §4. Each builtin is one file; kusttarget.ts runs them in kustomize's order.
 */
import type { FileLoader } from '../loader.js';
import type { ResMap } from '../resmap.js';
import type { TransformerConfigData } from '../internal/transformer-config.js';

export interface BuiltinContext {
  /** Loader rooted at the kustomization's directory. */
  ldr: FileLoader;
  /** Field specs of the kustomization and everything accumulated below it. */
  tConfig: TransformerConfigData;
  /** Non-fatal messages kustomize prints on stderr. */
  warn: (message: string) => void;
}

/** A configured builtin transformer (kustomize's resmap.Transformer). */
export interface Transformer {
  /** The builtin's kind, e.g. "PatchTransformer" (kustomize's BuiltinPluginType name). */
  readonly id: string;
  /** The kustomization entry it was configured from, e.g. `patches[1] (patch.yaml)`, for errors. */
  readonly entry?: string;
  transform(m: ResMap): void;
}
