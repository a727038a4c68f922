/**
 * helm's storage/driver encodeRelease / decodeRelease (pkg/storage/driver/util.go): the
 * release as Go's json.Marshal writes it, gzip at best compression, standard base64. The JSON
 * text is byte for byte what helm writes for the same record: struct fields in Go's order,
 * `omitempty` where helm's struct tags say so, maps with sorted keys, Go's string escapes
 * (<, > and & as \u003c…), Go's number format, times as time.Time.MarshalJSON writes them.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { marshalGoJson } from '../../engines/gotemplate/index.js';
import { ReleaseDecodeError } from './errors.js';
import { RFC3339_NANO, formatGoTime, helmTimeText, parseHelmTime, parseRfc3339 } from './go-time.js';
import type {
  HelmChartJson,
  HelmDependencyJson,
  HelmFileJson,
  HelmHook,
  HelmLockJson,
  HelmMetadataJson,
  Release,
  ReleaseStatus,
} from './types.js';

// ---- encoding ----------------------------------------------------------------------------------

type Field = [name: string, json: string | undefined];

/** A struct: the fields in declaration order, those with an undefined value left out. */
function struct(fields: Field[]): string {
  return `{${fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `${marshalGoJson(k)}:${v}`)
    .join(',')}}`;
}

const json = (v: unknown): string => marshalGoJson(v);
/** An omitempty string. */
const optStr = (s: string | undefined): string | undefined => (s ? json(s) : undefined);
/** An omitempty slice. */
const optList = <T>(a: readonly T[] | undefined, each: (x: T) => string = json): string | undefined =>
  a && a.length > 0 ? `[${a.map(each).join(',')}]` : undefined;
/** A slice without omitempty: nil is null. */
const list = <T>(a: readonly T[] | null | undefined, each: (x: T) => string): string =>
  a === null || a === undefined ? 'null' : `[${a.map(each).join(',')}]`;
/** An omitempty map. */
const optMap = (m: object | undefined | null): string | undefined => (m && Object.keys(m).length > 0 ? json(m) : undefined);

/** helm's pkg/time.Time field: "" for the zero time; text is normalized as Go would re-marshal it. */
function helmTime(text: string | undefined, field: string): string {
  const t = parseHelmTime(text);
  if (!t) throw new Error(`release ${field}: ${JSON.stringify(text)} is not an RFC 3339 time helm can read`);
  return json(helmTimeText(t));
}

/** json.Marshal of a chart.Dependency. */
export function encodeDependencyJson(d: HelmDependencyJson): string {
  return struct([
    ['name', json(d.name ?? '')],
    ['version', optStr(d.version)],
    ['repository', json(d.repository ?? '')],
    ['condition', optStr(d.condition)],
    ['tags', optList(d.tags)],
    ['enabled', d.enabled ? 'true' : undefined],
    ['import-values', optList(d['import-values'])],
    ['alias', optStr(d.alias)],
  ]);
}

function metadataJson(m: HelmMetadataJson): string {
  return struct([
    ['name', optStr(m.name)],
    ['home', optStr(m.home)],
    ['sources', optList(m.sources)],
    ['version', optStr(m.version)],
    ['description', optStr(m.description)],
    ['keywords', optList(m.keywords)],
    [
      'maintainers',
      optList(m.maintainers, (x) =>
        x === null ? 'null' : struct([['name', optStr(x.name)], ['email', optStr(x.email)], ['url', optStr(x.url)]]),
      ),
    ],
    ['icon', optStr(m.icon)],
    ['apiVersion', optStr(m.apiVersion)],
    ['condition', optStr(m.condition)],
    ['tags', optStr(m.tags)],
    ['appVersion', optStr(m.appVersion)],
    ['deprecated', m.deprecated ? 'true' : undefined],
    ['annotations', optMap(m.annotations)],
    ['kubeVersion', optStr(m.kubeVersion)],
    ['dependencies', optList(m.dependencies, (d) => (d === null ? 'null' : encodeDependencyJson(d)))],
    ['type', optStr(m.type)],
  ]);
}

function lockJson(l: HelmLockJson): string {
  // chart.Lock.Generated is a plain time.Time: the zero time is written out in full.
  const t = l.generated === '' ? undefined : parseRfc3339(l.generated);
  const generated = t ? formatGoTime(t, RFC3339_NANO) : l.generated || '0001-01-01T00:00:00Z';
  return struct([
    ['generated', json(generated)],
    ['digest', json(l.digest ?? '')],
    ['dependencies', list(l.dependencies, (d) => (d === null ? 'null' : encodeDependencyJson(d)))],
  ]);
}

function fileJson(f: HelmFileJson): string {
  return f === null ? 'null' : struct([['name', json(f.name ?? '')], ['data', json(f.data ?? '')]]);
}

/** helm's chart.Chart as JSON text. */
export function encodeChartJson(c: HelmChartJson): string {
  return struct([
    ['metadata', c.metadata ? metadataJson(c.metadata) : 'null'],
    ['lock', c.lock ? lockJson(c.lock) : 'null'],
    ['templates', list(c.templates, fileJson)],
    ['values', c.values === null || c.values === undefined ? 'null' : json(c.values)],
    ['schema', c.schema === null || c.schema === undefined ? 'null' : json(c.schema)],
    ['files', list(c.files, fileJson)],
  ]);
}

function hookJson(h: HelmHook): string {
  const run = h.last_run ?? { phase: '' };
  return struct([
    ['name', optStr(h.name)],
    ['kind', optStr(h.kind)],
    ['path', optStr(h.path)],
    ['manifest', optStr(h.manifest)],
    ['events', optList(h.events)],
    [
      'last_run',
      struct([
        ['started_at', helmTime(run.started_at, 'hook last_run.started_at')],
        ['completed_at', helmTime(run.completed_at, 'hook last_run.completed_at')],
        ['phase', json(run.phase ?? '')],
      ]),
    ],
    ['weight', h.weight ? json(h.weight) : undefined],
    ['delete_policies', optList(h.delete_policies)],
    ['output_log_policies', optList(h.output_log_policies)],
  ]);
}

/** Options of {@link encodeReleaseJson}. */
export interface EncodeJsonOptions {
  /** Leave the chart out, as `helm status -o json` does (it sets Chart to nil). @default false */
  omitChart?: boolean;
}

/**
 * json.Marshal of helm's release.Release: the exact text helm would write for this record.
 * Throws when an info or hook time is not RFC 3339 text (helm could not read the record back).
 */
export function encodeReleaseJson(r: Release, options: EncodeJsonOptions = {}): string {
  const i = r.info;
  return struct([
    ['name', optStr(r.name)],
    [
      'info',
      struct([
        ['first_deployed', helmTime(i.first_deployed, 'info.first_deployed')],
        ['last_deployed', helmTime(i.last_deployed, 'info.last_deployed')],
        ['deleted', helmTime(i.deleted, 'info.deleted')],
        ['description', optStr(i.description)],
        ['status', optStr(i.status)],
        ['notes', optStr(i.notes)],
      ]),
    ],
    ['chart', options.omitChart ? undefined : encodeChartJson(r.chart)],
    ['config', optMap(r.config)],
    ['manifest', optStr(r.manifest)],
    ['hooks', optList(r.hooks, (h) => (h === null ? 'null' : hookJson(h)))],
    ['version', r.version ? json(r.version) : undefined],
    ['namespace', optStr(r.namespace)],
  ]);
}

/** Go's gzip header fields for BestCompression: XFL 2 ("slowest"), OS 255 ("unknown"). */
function goGzip(data: Buffer): Buffer {
  const out = gzipSync(data, { level: 9 });
  out[8] = 2;
  out[9] = 0xff;
  return out;
}

/** helm's encodeRelease: JSON, gzip (best compression), standard base64 — the Secret's `release` value. */
export function encodeRelease(r: Release): string {
  return goGzip(Buffer.from(encodeReleaseJson(r), 'utf8')).toString('base64');
}

// ---- decoding ----------------------------------------------------------------------------------

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fail(message: string): never {
  throw new ReleaseDecodeError(message);
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a field the way json.Unmarshal fills a Go field: null leaves it zero, a wrong type fails. */
function field<T>(o: JsonObject, key: string, where: string, type: 'string' | 'number' | 'boolean' | 'object' | 'array'): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const ok = type === 'array' ? Array.isArray(v) : type === 'object' ? isObject(v) : typeof v === type;
  if (!ok) {
    const kind = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
    fail(`json: cannot unmarshal ${kind} into Go struct field ${where}.${key}`);
  }
  return v as T;
}

function strings(o: JsonObject, key: string, where: string): string[] | undefined {
  const a = field<unknown[]>(o, key, where, 'array');
  return a?.map((x) => (typeof x === 'string' ? x : x === null ? '' : fail(`json: cannot unmarshal ${typeof x} into Go struct field ${where}.${key} of type string`)));
}

function decodeDependency(v: unknown): HelmDependencyJson {
  const o = isObject(v) ? v : {};
  const W = 'Dependency';
  const d: HelmDependencyJson = { name: field<string>(o, 'name', W, 'string') ?? '', repository: field<string>(o, 'repository', W, 'string') ?? '' };
  const version = field<string>(o, 'version', W, 'string');
  if (version) d.version = version;
  const condition = field<string>(o, 'condition', W, 'string');
  if (condition) d.condition = condition;
  const tags = strings(o, 'tags', W);
  if (tags && tags.length > 0) d.tags = tags;
  if (field<boolean>(o, 'enabled', W, 'boolean')) d.enabled = true;
  const iv = field<unknown[]>(o, 'import-values', W, 'array');
  if (iv && iv.length > 0) d['import-values'] = iv;
  const alias = field<string>(o, 'alias', W, 'string');
  if (alias) d.alias = alias;
  return d;
}

function decodeMetadata(o: JsonObject): HelmMetadataJson {
  const W = 'Metadata';
  const m: HelmMetadataJson = {};
  for (const key of ['name', 'home', 'version', 'description', 'icon', 'apiVersion', 'condition', 'tags', 'appVersion', 'kubeVersion', 'type'] as const) {
    const s = field<string>(o, key, W, 'string');
    if (s) m[key] = s;
  }
  for (const key of ['sources', 'keywords'] as const) {
    const a = strings(o, key, W);
    if (a && a.length > 0) m[key] = a;
  }
  const maintainers = field<unknown[]>(o, 'maintainers', W, 'array');
  if (maintainers && maintainers.length > 0) {
    m.maintainers = maintainers.map((x) => {
      const mo = isObject(x) ? x : {};
      const out: { name?: string; email?: string; url?: string } = {};
      for (const key of ['name', 'email', 'url'] as const) {
        const s = field<string>(mo, key, 'Maintainer', 'string');
        if (s) out[key] = s;
      }
      return out;
    });
  }
  if (field<boolean>(o, 'deprecated', W, 'boolean')) m.deprecated = true;
  const annotations = field<JsonObject>(o, 'annotations', W, 'object');
  if (annotations && Object.keys(annotations).length > 0) {
    m.annotations = {};
    for (const [k, v] of Object.entries(annotations)) m.annotations[k] = typeof v === 'string' ? v : '';
  }
  const deps = field<unknown[]>(o, 'dependencies', W, 'array');
  if (deps && deps.length > 0) m.dependencies = deps.map(decodeDependency);
  return m;
}

function decodeFiles(o: JsonObject, key: string): HelmFileJson[] | null {
  const a = field<unknown[]>(o, key, 'Chart', 'array');
  if (!a) return null;
  return a.map((f) => {
    const fo = isObject(f) ? f : {};
    const data = field<string>(fo, 'data', 'File', 'string') ?? '';
    if (!BASE64.test(data)) fail(`illegal base64 data in chart file ${JSON.stringify(fo.name)}`);
    return { name: field<string>(fo, 'name', 'File', 'string') ?? '', data };
  });
}

/** helm's chart.Chart from its JSON value. */
export function decodeChartJson(v: unknown): HelmChartJson {
  const o = isObject(v) ? v : {};
  const metadata = field<JsonObject>(o, 'metadata', 'Chart', 'object');
  const lock = field<JsonObject>(o, 'lock', 'Chart', 'object');
  const schema = field<string>(o, 'schema', 'Chart', 'string');
  return {
    metadata: metadata ? decodeMetadata(metadata) : null,
    lock: lock
      ? {
          generated: field<string>(lock, 'generated', 'Lock', 'string') ?? '0001-01-01T00:00:00Z',
          digest: field<string>(lock, 'digest', 'Lock', 'string') ?? '',
          dependencies: field<unknown[]>(lock, 'dependencies', 'Lock', 'array')?.map(decodeDependency) ?? null,
        }
      : null,
    templates: decodeFiles(o, 'templates'),
    values: field<JsonObject>(o, 'values', 'Chart', 'object') ?? null,
    schema: schema ?? null,
    files: decodeFiles(o, 'files'),
  };
}

function decodeHook(v: unknown): HelmHook {
  const o = isObject(v) ? v : {};
  const W = 'Hook';
  const run = field<JsonObject>(o, 'last_run', W, 'object') ?? {};
  const h: HelmHook = {
    name: field<string>(o, 'name', W, 'string') ?? '',
    kind: field<string>(o, 'kind', W, 'string') ?? '',
    path: field<string>(o, 'path', W, 'string') ?? '',
    manifest: field<string>(o, 'manifest', W, 'string') ?? '',
    events: strings(o, 'events', W) ?? [],
    last_run: {
      started_at: field<string>(run, 'started_at', 'HookExecution', 'string') ?? '',
      completed_at: field<string>(run, 'completed_at', 'HookExecution', 'string') ?? '',
      phase: field<string>(run, 'phase', 'HookExecution', 'string') ?? '',
    },
    weight: field<number>(o, 'weight', W, 'number') ?? 0,
  };
  const dp = strings(o, 'delete_policies', W);
  if (dp && dp.length > 0) h.delete_policies = dp;
  const op = strings(o, 'output_log_policies', W);
  if (op && op.length > 0) h.output_log_policies = op;
  return h;
}

/** helm's release.Release from its JSON text (json.Unmarshal). */
export function decodeReleaseJson(text: string): Release {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    fail(`release JSON does not parse: ${(e as Error).message}`);
  }
  if (!isObject(v)) fail('release JSON is not an object');
  const W = 'Release';
  const info = field<JsonObject>(v, 'info', W, 'object') ?? {};
  const time = (key: string): string => {
    const s = field<string>(info, key, 'Info', 'string') ?? '';
    if (!parseHelmTime(s)) fail(`parsing time ${JSON.stringify(s)} in info.${key}: not RFC 3339`);
    return s;
  };
  const r: Release = {
    name: field<string>(v, 'name', W, 'string') ?? '',
    namespace: field<string>(v, 'namespace', W, 'string') ?? '',
    version: field<number>(v, 'version', W, 'number') ?? 0,
    info: {
      first_deployed: time('first_deployed'),
      last_deployed: time('last_deployed'),
      deleted: time('deleted'),
      status: (field<string>(info, 'status', 'Info', 'string') ?? '') as ReleaseStatus,
    },
    chart: decodeChartJson(field<JsonObject>(v, 'chart', W, 'object')),
    config: field<JsonObject>(v, 'config', W, 'object') ?? {},
    manifest: field<string>(v, 'manifest', W, 'string') ?? '',
    hooks: (field<unknown[]>(v, 'hooks', W, 'array') ?? []).map(decodeHook),
  };
  const description = field<string>(info, 'description', 'Info', 'string');
  if (description) r.info.description = description;
  const notes = field<string>(info, 'notes', 'Info', 'string');
  if (notes) r.info.notes = notes;
  return r;
}

/**
 * helm's decodeRelease: base64, then gunzip when the gzip magic is there (releases from before
 * helm compressed them are plain JSON), then JSON. Throws ReleaseDecodeError.
 */
export function decodeRelease(data: string): Release {
  if (!BASE64.test(data)) fail('illegal base64 data in the release record');
  let b = Buffer.from(data, 'base64');
  if (b.length > 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) {
    try {
      b = gunzipSync(b);
    } catch (e) {
      fail(`release record does not gunzip: ${(e as Error).message}`);
    }
  }
  return decodeReleaseJson(b.toString('utf8'));
}
