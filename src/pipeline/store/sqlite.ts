/**
 * The local run store: one SQLite file, `<dir>/runs.db` (normally `<workspace>/.slipway`),
 * shared by every `slipway` process working in that directory, with artifacts as files under
 * `<dir>/artifacts/<runId>/<path>`.
 *
 * - WAL mode and a busy timeout, so a `slipway runs logs -f` reads while a run writes and two
 *   runs of the same pipeline can start at once; BUILD_NUMBERs are handed out inside a
 *   `BEGIN IMMEDIATE` transaction (the write lock is taken before the max is read).
 * - A schema version table and numbered migrations (v1 only so far). A database without that
 *   table, or one written by a newer Slipway, or a file that is not SQLite at all, is an
 *   InputError naming the file.
 * - Log chunks are buffered in memory and written in one transaction every `flushMs` or
 *   `flushBytes`, and before any read, `finishRun` and `close`, so a step printing 10k lines
 *   costs a handful of transactions; consecutive chunks of one node and stream are joined.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join, posix } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../../core/index.js';
import type { LogStream } from '../executor.js';
import type { RunStatus } from '../model.js';
import type {
  ArtifactRecord,
  LogChunk,
  NewRun,
  NodeKind,
  NodeRecord,
  ReportKind,
  ReportRecord,
  RunRecord,
  RunStore,
} from './types.js';

export interface RunStoreOptions {
  /** Clock for timestamps. @default () => new Date() */
  now?: () => Date;
  /** Buffered log chunks are written at the latest this long after the first one. @default 100 */
  flushMs?: number;
  /** ...or as soon as this many bytes are buffered. @default 64 KiB */
  flushBytes?: number;
  /** SQLite busy timeout: how long a writer waits for another process's lock. @default 10000 */
  busyTimeoutMs?: number;
  /** The pid recorded with new runs, for recoverAbandoned. @default process.pid */
  pid?: number;
  /** The host recorded with new runs. @default os.hostname() */
  host?: string;
}

/** The schema version this code writes; migrations[i] takes a database from version i to i+1. */
export const SCHEMA_VERSION = 1;

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline    TEXT    NOT NULL,
    number      INTEGER NOT NULL,
    file        TEXT    NOT NULL,
    executor    TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    params      TEXT    NOT NULL DEFAULT '{}',
    git_commit  TEXT,
    git_branch  TEXT,
    pid         INTEGER,
    host        TEXT,
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    duration_ms INTEGER,
    error       TEXT,
    UNIQUE (pipeline, number)
  );
  CREATE INDEX runs_status ON runs (status);
  CREATE TABLE nodes (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    parent      TEXT,
    kind        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    duration_ms INTEGER,
    exit_code   INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    PRIMARY KEY (run_id, path)
  );
  CREATE TABLE logs (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    node   TEXT    NOT NULL,
    stream TEXT    NOT NULL,
    text   TEXT    NOT NULL,
    time   TEXT    NOT NULL
  );
  CREATE INDEX logs_run ON logs (run_id, seq);
  CREATE TABLE artifacts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    node   TEXT    NOT NULL,
    path   TEXT    NOT NULL,
    size   INTEGER NOT NULL,
    sha256 TEXT    NOT NULL,
    PRIMARY KEY (run_id, path)
  );
  CREATE TABLE reports (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    node   TEXT    NOT NULL,
    kind   TEXT    NOT NULL,
    format TEXT    NOT NULL,
    file   TEXT,
    data   TEXT    NOT NULL
  );
  CREATE INDEX reports_run ON reports (run_id, id);
  `,
];

const SCHEMA_TABLE = 'slipway_schema';

interface RunRow {
  id: number;
  pipeline: string;
  number: number;
  file: string;
  executor: string;
  status: string;
  params: string;
  git_commit: string | null;
  git_branch: string | null;
  pid: number | null;
  host: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
}

interface NodeRow {
  run_id: number;
  path: string;
  parent: string | null;
  kind: string;
  name: string;
  seq: number;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  exit_code: number | null;
  attempts: number;
  error: string | null;
}

interface LogRow {
  seq: number;
  run_id: number;
  node: string;
  stream: string;
  text: string;
  time: string;
}

interface PendingLog {
  runId: number;
  node: string;
  stream: LogStream;
  text: string;
  time: string;
}

/**
 * better-sqlite3's compiled addon, found from this module. better-sqlite3 looks for it
 * itself with the `bindings` package, which reads `__filename` and so fails once the CLI is
 * bundled into one ESM file (dist/slipway.mjs); resolving the path here works in both.
 * Undefined (better-sqlite3's own lookup) when the addon is somewhere else.
 */
let nativeBinding: string | null | undefined;
function addonPath(): string | undefined {
  if (nativeBinding === undefined) {
    try {
      nativeBinding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      nativeBinding = null;
    }
  }
  return nativeBinding ?? undefined;
}

/** Stores not yet closed: their buffered log chunks are written when the process exits (one listener for all). */
const openStores = new Set<SqliteRunStore>();
function flushAll(): void {
  for (const s of openStores) {
    try {
      s.flush();
    } catch {
      // exiting: nothing left to report to
    }
  }
}

/** Opens (creating it and `dir` if missing) the run store `<dir>/runs.db`. */
export function openRunStore(dir: string, opts: RunStoreOptions = {}): SqliteRunStore {
  return new SqliteRunStore(dir, opts);
}

/** Whether a process with this pid exists on this host (EPERM: it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The store-relative form of an artifact path: forward slashes, no `.` segments. Absolute
 * paths and paths with a `..` segment are refused, as are empty ones.
 */
export function artifactPath(path: string): string {
  const p = path.replace(/\\/g, '/');
  if (p === '' || p.includes('\0')) throw new InputError(`artifact path "${path}" is empty or contains a NUL byte`);
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw new InputError(`artifact path "${path}" is absolute: artifacts are stored by their workspace-relative path`);
  if (p.split('/').includes('..')) throw new InputError(`artifact path "${path}" escapes the workspace with ".."`);
  const norm = posix.normalize(p).replace(/\/+$/, '');
  if (norm === '.' || norm === '') throw new InputError(`artifact path "${path}" names no file`);
  return norm;
}

export class SqliteRunStore implements RunStore {
  /** The database file. */
  readonly file: string;
  readonly artifactsDir: string;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly flushMs: number;
  private readonly flushBytes: number;
  private readonly pid: number;
  private readonly host: string;
  private pending: PendingLog[] = [];
  /** Runs appendLog has seen exist, so that a flush never fails on a foreign key. */
  private readonly knownRuns = new Set<number>();
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly stmt: ReturnType<SqliteRunStore['prepare']>;

  constructor(
    readonly dir: string,
    opts: RunStoreOptions = {},
  ) {
    this.file = join(dir, 'runs.db');
    this.artifactsDir = join(dir, 'artifacts');
    this.now = opts.now ?? (() => new Date());
    this.flushMs = opts.flushMs ?? 100;
    this.flushBytes = opts.flushBytes ?? 64 * 1024;
    this.pid = opts.pid ?? process.pid;
    this.host = opts.host ?? hostname();
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new InputError(`cannot create the run store directory ${dir}: ${(e as Error).message}`, { file: dir }, { cause: e });
    }
    let db: Database.Database;
    try {
      const addon = addonPath();
      db = new Database(this.file, addon !== undefined ? { nativeBinding: addon } : {});
    } catch (e) {
      throw new InputError(`cannot open the run store ${this.file}: ${(e as Error).message}`, { file: this.file }, { cause: e });
    }
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 10_000))}`);
      db.pragma('foreign_keys = ON');
      migrate(db, this.file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    } catch (e) {
      db.close();
      if (e instanceof InputError) throw e;
      throw new InputError(`${this.file} is not a usable Slipway run store: ${(e as Error).message}`, { file: this.file }, { cause: e });
    }
    this.db = db;
    this.stmt = this.prepare();
    openStores.add(this);
    if (openStores.size === 1) process.on('exit', flushAll);
  }

  private prepare() {
    const db = this.db;
    return {
      maxNumber: db.prepare<[string], { n: number | null }>('SELECT max(number) AS n FROM runs WHERE pipeline = ?'),
      insertRun: db.prepare(
        `INSERT INTO runs (pipeline, number, file, executor, status, params, git_commit, git_branch, pid, host, started_at)
         VALUES (@pipeline, @number, @file, @executor, 'running', @params, @gitCommit, @gitBranch, @pid, @host, @startedAt)`,
      ),
      getRun: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?'),
      findRun: db.prepare<[string, number], RunRow>('SELECT * FROM runs WHERE pipeline = ? AND number = ?'),
      finishRun: db.prepare('UPDATE runs SET status = ?, finished_at = ?, duration_ms = ?, error = ? WHERE id = ?'),
      upsertNode: db.prepare(
        `INSERT INTO nodes (run_id, path, parent, kind, name, seq, status, started_at, finished_at, duration_ms, exit_code, attempts, error)
         VALUES (@runId, @path, @parent, @kind, @name, @seq, @status, @startedAt, @finishedAt, @durationMs, @exitCode, @attempts, @error)
         ON CONFLICT (run_id, path) DO UPDATE SET parent = excluded.parent, kind = excluded.kind, name = excluded.name,
           seq = excluded.seq, status = excluded.status, started_at = excluded.started_at, finished_at = excluded.finished_at,
           duration_ms = excluded.duration_ms, exit_code = excluded.exit_code, attempts = excluded.attempts, error = excluded.error`,
      ),
      listNodes: db.prepare<[number], NodeRow>('SELECT * FROM nodes WHERE run_id = ? ORDER BY seq, path'),
      insertLog: db.prepare('INSERT INTO logs (run_id, node, stream, text, time) VALUES (?, ?, ?, ?, ?)'),
      readLogs: db.prepare<[number, number], LogRow>('SELECT * FROM logs WHERE run_id = ? AND seq > ? ORDER BY seq'),
      readNodeLogs: db.prepare<[number, number, string, string, string], LogRow>(
        "SELECT * FROM logs WHERE run_id = ? AND seq > ? AND (node = ? OR substr(node, 1, length(?) + 1) = ? || '/') ORDER BY seq",
      ),
      upsertArtifact: db.prepare(
        `INSERT INTO artifacts (run_id, node, path, size, sha256) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, path) DO UPDATE SET node = excluded.node, size = excluded.size, sha256 = excluded.sha256`,
      ),
      getArtifact: db.prepare<[number, string], { size: number; sha256: string }>('SELECT size, sha256 FROM artifacts WHERE run_id = ? AND path = ?'),
      listArtifacts: db.prepare<[number], { run_id: number; node: string; path: string; size: number; sha256: string }>(
        'SELECT * FROM artifacts WHERE run_id = ? ORDER BY path',
      ),
      insertReport: db.prepare('INSERT INTO reports (run_id, node, kind, format, file, data) VALUES (?, ?, ?, ?, ?, ?)'),
      listReports: db.prepare<[number], { run_id: number; node: string; kind: string; format: string; file: string | null; data: string }>(
        'SELECT * FROM reports WHERE run_id = ? ORDER BY id',
      ),
      running: db.prepare<[], RunRow>("SELECT * FROM runs WHERE status IN ('running', 'queued') ORDER BY id"),
      failNodes: db.prepare("UPDATE nodes SET status = 'failed', finished_at = coalesce(finished_at, ?) WHERE run_id = ? AND status IN ('running', 'queued')"),
    };
  }

  private iso(): string {
    return this.now().toISOString();
  }

  private open(): void {
    if (this.closed) throw new Error(`the run store ${this.file} is closed`);
  }

  createRun(run: NewRun): RunRecord {
    this.open();
    const startedAt = this.iso();
    const create = this.db.transaction((): number => {
      const number = (this.stmt.maxNumber.get(run.pipeline)?.n ?? 0) + 1;
      const info = this.stmt.insertRun.run({
        pipeline: run.pipeline,
        number,
        file: run.file,
        executor: run.executor,
        params: JSON.stringify(run.params ?? {}),
        gitCommit: run.gitCommit ?? null,
        gitBranch: run.gitBranch ?? null,
        pid: this.pid,
        host: this.host,
        startedAt,
      });
      return Number(info.lastInsertRowid);
    });
    // immediate: the write lock is held from reading max(number) to the insert, across processes.
    const id = create.immediate();
    return this.getRun(id)!;
  }

  finishRun(id: number, status: RunStatus, error?: string): void {
    this.open();
    this.flush();
    const run = this.stmt.getRun.get(id);
    if (!run) throw new InputError(`run ${id} does not exist in ${this.file}`);
    const finished = this.now();
    const duration = Math.max(0, finished.getTime() - Date.parse(run.started_at));
    this.stmt.finishRun.run(status, finished.toISOString(), duration, error ?? null, id);
  }

  saveNode(node: NodeRecord): void {
    this.open();
    this.flush();
    this.stmt.upsertNode.run({
      runId: node.runId,
      path: node.path,
      parent: node.parent ?? null,
      kind: node.kind,
      name: node.name,
      seq: node.seq,
      status: node.status,
      startedAt: node.startedAt ?? null,
      finishedAt: node.finishedAt ?? null,
      durationMs: node.durationMs ?? null,
      exitCode: node.exitCode ?? null,
      attempts: node.attempts,
      error: node.error ?? null,
    });
  }

  appendLog(runId: number, node: string, stream: LogStream, text: string): void {
    this.open();
    if (text === '') return;
    if (!this.knownRuns.has(runId)) {
      if (!this.stmt.getRun.get(runId)) throw new InputError(`run ${runId} does not exist in ${this.file}`);
      this.knownRuns.add(runId);
    }
    const last = this.pending[this.pending.length - 1];
    if (last && last.runId === runId && last.node === node && last.stream === stream && last.text.length + text.length <= this.flushBytes) {
      last.text += text;
    } else {
      this.pending.push({ runId, node, stream, text, time: this.iso() });
    }
    this.pendingBytes += text.length;
    if (this.pendingBytes >= this.flushBytes) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flushOnTimer(), this.flushMs);
      this.timer.unref();
    }
  }

  private flushOnTimer(): void {
    this.timer = undefined;
    try {
      this.flush();
    } catch {
      // another process held the lock past the busy timeout: the chunks stay buffered for the
      // next try; a read, finishRun or close flushes too and reports the error to its caller
      if (!this.closed && !this.timer) {
        this.timer = setTimeout(() => this.flushOnTimer(), this.flushMs);
        this.timer.unref();
      }
    }
  }

  /** Writes the buffered log chunks in one transaction. Called on its own timer, before reads and on close. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0 || this.closed) return;
    const chunks = this.pending;
    this.db.transaction(() => {
      for (const c of chunks) this.stmt.insertLog.run(c.runId, c.node, c.stream, c.text, c.time);
    })();
    // only once written: a failed transaction keeps them for the next flush
    this.pending = [];
    this.pendingBytes = 0;
  }

  readLogs(runId: number, opts: { node?: string; afterSeq?: number } = {}): LogChunk[] {
    this.open();
    this.flush();
    const after = opts.afterSeq ?? 0;
    const rows =
      opts.node === undefined || opts.node === ''
        ? this.stmt.readLogs.all(runId, after)
        : this.stmt.readNodeLogs.all(runId, after, opts.node, opts.node, opts.node);
    return rows.map((r) => ({ runId: r.run_id, node: r.node, seq: r.seq, stream: r.stream as LogStream, text: r.text, time: r.time }));
  }

  addArtifact(runId: number, node: string, path: string, content: Buffer): ArtifactRecord {
    this.open();
    const rel = artifactPath(path);
    if (!this.stmt.getRun.get(runId)) throw new InputError(`run ${runId} does not exist in ${this.file}`);
    const target = join(this.artifactsDir, String(runId), ...rel.split('/'));
    const sha256 = createHash('sha256').update(content).digest('hex');
    mkdirSync(dirname(target), { recursive: true });
    // written beside the target and renamed, so a reader never sees half a file
    const tmp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      writeFileSync(tmp, content);
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    this.stmt.upsertArtifact.run(runId, node, rel, content.length, sha256);
    return { runId, node, path: rel, size: content.length, sha256 };
  }

  readArtifact(runId: number, path: string): Buffer | undefined {
    this.open();
    const rel = artifactPath(path);
    const row = this.stmt.getArtifact.get(runId, rel);
    if (!row) return undefined;
    try {
      return readFileSync(join(this.artifactsDir, String(runId), ...rel.split('/')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  addReport(report: ReportRecord): void {
    this.open();
    this.stmt.insertReport.run(report.runId, report.node, report.kind, report.format, report.file ?? null, JSON.stringify(report.data ?? null));
  }

  getRun(id: number): RunRecord | undefined {
    this.open();
    const row = this.stmt.getRun.get(id);
    return row && runRecord(row);
  }

  findRun(pipeline: string, number: number): RunRecord | undefined {
    this.open();
    const row = this.stmt.findRun.get(pipeline, number);
    return row && runRecord(row);
  }

  /** Newest first. */
  listRuns(opts: { pipeline?: string; limit?: number; status?: RunStatus } = {}): RunRecord[] {
    this.open();
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (opts.pipeline !== undefined) {
      where.push('pipeline = ?');
      args.push(opts.pipeline);
    }
    if (opts.status !== undefined) {
      where.push('status = ?');
      args.push(opts.status);
    }
    let sql = 'SELECT * FROM runs';
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY id DESC';
    if (opts.limit !== undefined && opts.limit >= 0) {
      sql += ' LIMIT ?';
      args.push(Math.floor(opts.limit));
    }
    return this.db
      .prepare<(string | number)[], RunRow>(sql)
      .all(...args)
      .map(runRecord);
  }

  listNodes(runId: number): NodeRecord[] {
    this.open();
    return this.stmt.listNodes.all(runId).map(nodeRecord);
  }

  listArtifacts(runId: number): ArtifactRecord[] {
    this.open();
    return this.stmt.listArtifacts.all(runId).map((r) => ({ runId: r.run_id, node: r.node, path: r.path, size: r.size, sha256: r.sha256 }));
  }

  listReports(runId: number): ReportRecord[] {
    this.open();
    return this.stmt.listReports.all(runId).map((r) => ({
      runId: r.run_id,
      node: r.node,
      kind: r.kind as ReportKind,
      format: r.format,
      ...(r.file !== null && { file: r.file }),
      data: JSON.parse(r.data) as unknown,
    }));
  }

  /**
   * Runs left `running` (or `queued`) by a process of this host that no longer exists become
   * `failed`, and so do their unfinished nodes. Runs of other hosts are left alone: their
   * pids mean nothing here.
   */
  recoverAbandoned(): number {
    this.open();
    this.flush();
    const recover = this.db.transaction((): number => {
      let n = 0;
      for (const row of this.stmt.running.all()) {
        if (row.host !== null && row.host !== this.host) continue;
        if (row.pid !== null && pidAlive(row.pid)) continue;
        const finished = this.now();
        const error = row.pid !== null ? `the process running it (pid ${row.pid}) is gone` : 'the process running it is gone';
        this.stmt.finishRun.run('failed', finished.toISOString(), Math.max(0, finished.getTime() - Date.parse(row.started_at)), error, row.id);
        this.stmt.failNodes.run(finished.toISOString(), row.id);
        n++;
      }
      return n;
    });
    return recover.immediate();
  }

  /** Raw access for tests and tools; not part of RunStore. */
  get database(): Database.Database {
    return this.db;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      openStores.delete(this);
      if (openStores.size === 0) process.off('exit', flushAll);
      this.db.close();
    }
  }
}

/** Creates the schema table if the file is new, refuses foreign or newer files, and applies the missing migrations. */
function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r) => r.name);
    if (!tables.includes(SCHEMA_TABLE)) {
      if (tables.length > 0) {
        throw new InputError(
          `${file} is not a Slipway run store: it has the tables ${tables.join(', ')} and no ${SCHEMA_TABLE} table (move it away or use another --store directory)`,
          { file },
        );
      }
      db.exec(`CREATE TABLE ${SCHEMA_TABLE} (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
    }
    const current = db.prepare<[], { v: number | null }>(`SELECT max(version) AS v FROM ${SCHEMA_TABLE}`).get()?.v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new InputError(`${file} has run store schema version ${current}, newer than this Slipway's ${SCHEMA_VERSION}: upgrade slipway`, { file });
    }
    const record = db.prepare(`INSERT INTO ${SCHEMA_TABLE} (version, applied_at) VALUES (?, ?)`);
    for (let v = current; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      record.run(v + 1, new Date().toISOString());
    }
  }).immediate();
}

function runRecord(r: RunRow): RunRecord {
  let params: Record<string, string> = {};
  try {
    params = JSON.parse(r.params) as Record<string, string>;
  } catch {
    // a hand-edited row; show the run without its params
  }
  return {
    id: r.id,
    pipeline: r.pipeline,
    number: r.number,
    file: r.file,
    executor: r.executor as RunRecord['executor'],
    status: r.status as RunStatus,
    params,
    ...(r.git_commit !== null && { gitCommit: r.git_commit }),
    ...(r.git_branch !== null && { gitBranch: r.git_branch }),
    startedAt: r.started_at,
    ...(r.finished_at !== null && { finishedAt: r.finished_at }),
    ...(r.duration_ms !== null && { durationMs: r.duration_ms }),
    ...(r.error !== null && { error: r.error }),
  };
}

function nodeRecord(r: NodeRow): NodeRecord {
  return {
    runId: r.run_id,
    path: r.path,
    ...(r.parent !== null && { parent: r.parent }),
    kind: r.kind as NodeKind,
    name: r.name,
    seq: r.seq,
    status: r.status as RunStatus,
    ...(r.started_at !== null && { startedAt: r.started_at }),
    ...(r.finished_at !== null && { finishedAt: r.finished_at }),
    ...(r.duration_ms !== null && { durationMs: r.duration_ms }),
    ...(r.exit_code !== null && { exitCode: r.exit_code }),
    attempts: r.attempts,
    ...(r.error !== null && { error: r.error }),
  };
}
