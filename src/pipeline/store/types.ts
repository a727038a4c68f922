/** The run store: runs, their stage/step tree, logs, artifacts and reports. */
import type { ExecutorName, RunStatus } from '../model.js';
import type { LogStream } from '../executor.js';

export interface RunRecord {
  /** Store-wide id. */
  id: number;
  pipeline: string;
  /** BUILD_NUMBER: 1, 2, 3... per pipeline name, as Jenkins numbers builds. */
  number: number;
  file: string;
  executor: ExecutorName;
  status: RunStatus;
  params: Record<string, string>;
  gitCommit?: string;
  gitBranch?: string;
  /** ISO timestamps. */
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  error?: string;
}

export type NodeKind = 'stage' | 'step' | 'post';

/** A stage or step of a run. `path` is `stage`, `stage/parallel-branch`, `stage/3` (step index) or `stage/post.failure/0`. */
export interface NodeRecord {
  runId: number;
  path: string;
  parent?: string;
  kind: NodeKind;
  name: string;
  /** Order of first appearance in the run, for display. */
  seq: number;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  exitCode?: number;
  attempts: number;
  error?: string;
}

export interface LogChunk {
  runId: number;
  node: string;
  /** Store-wide increasing sequence, for `runs logs -f`. */
  seq: number;
  stream: LogStream;
  text: string;
  time: string;
}

export interface ArtifactRecord {
  runId: number;
  node: string;
  /** Workspace-relative path. */
  path: string;
  size: number;
  sha256: string;
}

export type ReportKind = 'coverage' | 'junit' | 'vulns' | 'gate' | 'coverage-html';

export interface ReportRecord {
  runId: number;
  node: string;
  kind: ReportKind;
  format: string;
  /** Source file, workspace-relative. */
  file?: string;
  /** The parsed report or gate result as JSON. */
  data: unknown;
}

export interface NewRun {
  pipeline: string;
  file: string;
  executor: ExecutorName;
  params: Record<string, string>;
  gitCommit?: string;
  gitBranch?: string;
}

export interface RunStore {
  /** Creates a run with the next BUILD_NUMBER of its pipeline (atomic across processes). */
  createRun(run: NewRun): RunRecord;
  finishRun(id: number, status: RunStatus, error?: string): void;
  /** Inserts or updates a node (by runId + path). */
  saveNode(node: NodeRecord): void;
  appendLog(runId: number, node: string, stream: LogStream, text: string): void;
  /** Chunks after `afterSeq` (exclusive), in order; all nodes unless `node` is given (a prefix match: `build` includes `build/0`). */
  readLogs(runId: number, opts?: { node?: string; afterSeq?: number }): LogChunk[];
  /** Copies the file's content into the store. */
  addArtifact(runId: number, node: string, path: string, content: Buffer): ArtifactRecord;
  readArtifact(runId: number, path: string): Buffer | undefined;
  addReport(report: ReportRecord): void;
  getRun(id: number): RunRecord | undefined;
  /** `pipeline` and `number` (BUILD_NUMBER) identify a run too. */
  findRun(pipeline: string, number: number): RunRecord | undefined;
  listRuns(opts?: { pipeline?: string; limit?: number; status?: RunStatus }): RunRecord[];
  listNodes(runId: number): NodeRecord[];
  listArtifacts(runId: number): ArtifactRecord[];
  listReports(runId: number): ReportRecord[];
  /** Marks runs left `running` by a process that is gone (pid recorded at createRun) as failed; returns how many. */
  recoverAbandoned(): number;
  close(): void;
}
