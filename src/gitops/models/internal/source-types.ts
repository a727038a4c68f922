// The source and render types models builds AppSources from: sources' own.
export type { GitCredentials, GitSourceSpec, RenderKind, RenderSpec } from '../../sources/index.js';
