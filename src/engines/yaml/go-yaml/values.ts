/**
 * The Go values go-yaml v2 decodes into an interface{} and encodes from: int, uint64 and
 * float64 kept apart (they print differently), and map[interface{}]interface{} with keys of
 * any scalar type.
 */

/** A Go int (64-bit). */
export class GoInt {
  constructor(readonly value: bigint) {}
}

/** A Go uint64 (go-yaml's resolver gives one for integers above int64). */
export class GoUint {
  constructor(readonly value: bigint) {}
}

/** A Go float64. */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** A decoded or encodable Go value. */
export type GoYamlValue = null | boolean | string | GoInt | GoUint | GoFloat | GoYamlValue[] | GoYamlMap;

/** A map key: any non-collection value. */
export type GoYamlKey = null | boolean | string | GoInt | GoUint | GoFloat;

let nanKeys = 0;

/** Identity of a key under Go's == on interface values (type and value; NaN never equal). */
function keyId(key: GoYamlKey): string {
  if (key === null) return 'n';
  if (typeof key === 'boolean') return key ? 'b1' : 'b0';
  if (typeof key === 'string') return `s${key}`;
  if (key instanceof GoInt) return `i${key.value}`;
  if (key instanceof GoUint) return `u${key.value}`;
  if (Number.isNaN(key.value)) return `f-nan${nanKeys++}`;
  return `f${key.value === 0 ? 0 : key.value}`;
}

/** map[interface{}]interface{}: setting an existing key replaces its value in place. */
export class GoYamlMap {
  private readonly items = new Map<string, { key: GoYamlKey; value: GoYamlValue }>();

  /** Sets a key (SetMapIndex): an equal key keeps its place and takes the new value. */
  set(key: GoYamlKey, value: GoYamlValue): void {
    const id = keyId(key);
    const item = this.items.get(id);
    if (item) item.value = value;
    else this.items.set(id, { key, value });
  }

  /** Number of entries. */
  get size(): number {
    return this.items.size;
  }

  /** The entries in insertion order (Go's own order is random). */
  entries(): { key: GoYamlKey; value: GoYamlValue }[] {
    return [...this.items.values()];
  }
}

/** Thrown for go-yaml's failf/fail: the message is the Go error text ("yaml: ..."). */
export class GoYamlError extends Error {
  constructor(
    message: string,
    /** 1-based line the message names, when it names one. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'GoYamlError';
  }
}
