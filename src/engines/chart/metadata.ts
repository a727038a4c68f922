import { goQuote } from '../goruntime/index.js';
import type { ChartDependency, ChartLock, ChartMaintainer, ChartMetadata } from './types.js';
import { isValidSemver } from './compatible.js';
import { decodeInto, type GoType } from './internal/godecode.js';
import { baseName } from './internal/gopath.js';
import { decodeYaml } from './internal/goyaml.js';

/**
 * Chart.yaml (chart.Metadata), requirements.yaml and Chart.lock / requirements.lock as helm
 * reads them: sigs.k8s.io/yaml into Go structs (numbers and booleans in string fields become
 * strings, `version: 1.10` reads as "1.1"; unknown fields are ignored; JSON field names match
 * case-insensitively), then chart.Metadata.Validate with its messages, which also cleans
 * strings (whitespace becomes a space, unprintable characters are dropped).
 */

const STRING: GoType = { kind: 'string' };
const STRINGS: GoType = { kind: 'slice', elem: STRING };

const MAINTAINER: GoType = { kind: 'struct', name: 'chart.Maintainer', fields: { name: STRING, email: STRING, url: STRING } };

const DEPENDENCY: GoType = {
  kind: 'struct',
  name: 'chart.Dependency',
  fields: {
    name: STRING,
    version: STRING,
    repository: STRING,
    condition: STRING,
    tags: STRINGS,
    enabled: { kind: 'bool' },
    'import-values': { kind: 'slice', elem: { kind: 'any' } },
    alias: STRING,
  },
};

const METADATA: Extract<GoType, { kind: 'struct' }> = {
  kind: 'struct',
  name: 'chart.Metadata',
  fields: {
    name: STRING,
    home: STRING,
    sources: STRINGS,
    version: STRING,
    description: STRING,
    keywords: STRINGS,
    maintainers: { kind: 'slice', elem: { kind: 'ptr', elem: MAINTAINER } },
    icon: STRING,
    apiVersion: STRING,
    condition: STRING,
    tags: STRING,
    appVersion: STRING,
    deprecated: { kind: 'bool' },
    annotations: { kind: 'map', elem: STRING },
    kubeVersion: STRING,
    dependencies: { kind: 'slice', elem: { kind: 'ptr', elem: DEPENDENCY } },
    type: STRING,
  },
};

const LOCK: GoType = {
  kind: 'struct',
  name: 'chart.Lock',
  fields: {
    generated: { kind: 'opaque', name: 'time.Time' },
    digest: STRING,
    dependencies: { kind: 'slice', elem: { kind: 'ptr', elem: DEPENDENCY } },
  },
};

/**
 * Chart metadata as decoded, before validation: Go's struct with its zero values left out.
 * `null` entries in `maintainers` / `dependencies` are Go's nil pointers (YAML `- null`),
 * which validation rejects.
 */
export interface RawChartMetadata {
  [field: string]: unknown;
  maintainers?: (Record<string, unknown> | null)[];
  dependencies?: (Record<string, unknown> | null)[];
}

/** sigs.k8s.io/yaml.Unmarshal(data, metadata): decodes Chart.yaml (or requirements.yaml over it). Throws GoYamlError. */
export function decodeChartYaml(text: string, into?: RawChartMetadata): RawChartMetadata {
  return decodeInto(decodeYaml(text), METADATA, into) as RawChartMetadata;
}

/** Decodes Chart.lock / requirements.lock. Throws GoYamlError. */
export function decodeChartLock(text: string): ChartLock {
  const raw = (decodeInto(decodeYaml(text), LOCK) ?? {}) as Record<string, unknown>;
  const lock: ChartLock = {};
  if (raw.generated !== undefined && raw.generated !== null) lock.generated = String(raw.generated);
  if (typeof raw.digest === 'string') lock.digest = raw.digest;
  if (Array.isArray(raw.dependencies)) {
    lock.dependencies = raw.dependencies
      .filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object')
      .map((d) => ({ name: str(d.name), version: str(d.version), repository: str(d.repository) }));
  }
  return lock;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A metadata validation failure; the message carries helm's "validation: " prefix. */
export class MetadataValidationError extends Error {
  constructor(message: string) {
    super(`validation: ${message}`);
  }
}

const WHITE_SPACE = /^\p{White_Space}$/u;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** chart's sanitizeString: whitespace becomes ' ', unprintable characters are dropped. */
export function sanitizeString(s: string): string {
  let out = '';
  for (const ch of s) {
    if (WHITE_SPACE.test(ch)) out += ' ';
    else if (PRINTABLE.test(ch)) out += ch;
  }
  return out;
}

const ALIAS_NAME = /^[a-zA-Z0-9_-]+$/;

/**
 * chart.Metadata.Validate on decoded metadata, then the typed metadata. Throws
 * MetadataValidationError with helm's message ("validation: chart.metadata.name is required").
 */
export function validateChartMetadata(raw: RawChartMetadata): ChartMetadata {
  const s = (k: string) => sanitizeString(str(raw[k]));
  const list = (k: string) => (Array.isArray(raw[k]) ? (raw[k] as unknown[]).map((x) => sanitizeString(str(x))) : undefined);
  const name = s('name');
  const apiVersion = str(raw.apiVersion);
  const version = str(raw.version);
  const type = str(raw.type);
  if (apiVersion === '') throw new MetadataValidationError('chart.metadata.apiVersion is required');
  if (name === '') throw new MetadataValidationError('chart.metadata.name is required');
  if (name === '.' || name === '..') throw new MetadataValidationError(`chart.metadata.name ${goQuote(name)} is not allowed`);
  if (name !== baseName(name)) throw new MetadataValidationError(`chart.metadata.name ${goQuote(name)} is invalid`);
  if (version === '') throw new MetadataValidationError('chart.metadata.version is required');
  if (!isValidSemver(version)) throw new MetadataValidationError(`chart.metadata.version ${goQuote(version)} is invalid`);
  if (type !== '' && type !== 'application' && type !== 'library') {
    throw new MetadataValidationError('chart.metadata.type must be application or library');
  }
  const maintainers: ChartMaintainer[] = [];
  for (const m of raw.maintainers ?? []) {
    if (m === null) throw new MetadataValidationError('maintainers must not contain empty or null nodes');
    maintainers.push(omitEmpty({ name: sanitizeString(str(m.name)), email: sanitizeString(str(m.email)), url: sanitizeString(str(m.url)) }));
  }
  const dependencies: ChartDependency[] = [];
  const seen = new Set<string>();
  for (const d of raw.dependencies ?? []) {
    if (d === null) throw new MetadataValidationError('dependencies must not contain empty or null nodes');
    const dep = toDependency(d);
    if (dep.alias && !ALIAS_NAME.test(dep.alias)) {
      throw new MetadataValidationError(`dependency ${goQuote(dep.name)} has disallowed characters in the alias`);
    }
    const key = dep.alias ? dep.alias : dep.name;
    if (seen.has(key)) throw new MetadataValidationError(`more than one dependency with name or alias ${goQuote(key)}`);
    seen.add(key);
    dependencies.push(dep);
  }
  const md: ChartMetadata = { apiVersion, name, version };
  const put = <K extends keyof ChartMetadata>(k: K, v: ChartMetadata[K] | undefined | '') => {
    if (v !== undefined && v !== '') md[k] = v as ChartMetadata[K];
  };
  put('kubeVersion', s('kubeVersion'));
  put('description', s('description'));
  put('type', type);
  put('keywords', list('keywords'));
  put('home', s('home'));
  put('sources', list('sources'));
  if (raw.dependencies !== undefined) md.dependencies = dependencies;
  if (raw.maintainers !== undefined) md.maintainers = maintainers;
  put('icon', s('icon'));
  put('appVersion', s('appVersion'));
  if (raw.deprecated === true) md.deprecated = true;
  if (raw.annotations && typeof raw.annotations === 'object') md.annotations = raw.annotations as Record<string, string>;
  put('condition', s('condition'));
  put('tags', s('tags'));
  return md;
}

/** Dependency.Validate's cleaning, and the typed dependency. */
function toDependency(d: Record<string, unknown>): ChartDependency {
  const dep: ChartDependency = { name: sanitizeString(str(d.name)) };
  const version = sanitizeString(str(d.version));
  const repository = sanitizeString(str(d.repository));
  const condition = sanitizeString(str(d.condition));
  if (version !== '') dep.version = version;
  if (repository !== '') dep.repository = repository;
  if (condition !== '') dep.condition = condition;
  if (Array.isArray(d.tags)) dep.tags = d.tags.map((t) => sanitizeString(str(t)));
  if (d.enabled === true) dep.enabled = true;
  if (Array.isArray(d['import-values'])) dep.importValues = d['import-values'] as unknown[];
  if (typeof d.alias === 'string' && d.alias !== '') dep.alias = d.alias;
  return dep;
}

function omitEmpty<T extends Record<string, string>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '')) as Partial<T>;
}

/**
 * helm's checkIfInstallable (cmd/helm/install.go): only application charts (type "" or
 * "application") can be installed or templated. Returns helm's message, or undefined.
 */
export function notInstallableReason(metadata: ChartMetadata): string | undefined {
  const type = metadata.type ?? '';
  return type === '' || type === 'application' ? undefined : `${type} charts are not installable`;
}
