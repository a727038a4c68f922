/**
 * core — the leaf of Slipway's layers: shared types (ResourceKey, Manifest, Origin,
 * SourceLocation), the error classes every layer throws, the one kind-order table, Go-style
 * durations and the FileSystem interface engines read through.
 * Imports nothing from Slipway.
 */
export * from './types.js';
export * from './errors.js';
export * from './kind-order.js';
export * from './fs.js';
export * from './annotations.js';
export * from './duration.js';
