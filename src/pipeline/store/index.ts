/** The run store: the interface every part of the pipeline writes to, and its SQLite implementation. */
export * from './types.js';
export { SCHEMA_VERSION, SqliteRunStore, artifactPath, openRunStore, pidAlive, type RunStoreOptions } from './sqlite.js';
