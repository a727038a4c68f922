/**
 * Small pieces of Go's standard library that kustomize's generator code leans on:
 * fmt's %v of a []string, path.Base and base64 in kyaml's line-broken form (quoting,
 * UTF-8 and sorting are goruntime's).
 */

/** fmt's `%v` of a []string: `[a b c]`. */
export function formatGoStrings(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/** fmt's `%d` of a []byte: `[104 105]`. */
export function formatGoBytes(bytes: Uint8Array): string {
  return `[${Array.from(bytes).join(' ')}]`;
}

/** Go's path.Base: the last slash-separated element; "." for "", "/" for all slashes. */
export function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return base === '' ? '/' : base;
}

/**
 * kyaml yaml/datamap.go encodeBase64: standard base64, cut into lines of 70 characters;
 * when the text is 70 characters or longer every line, the last included, ends in "\n".
 */
export function encodeBase64(bytes: Uint8Array): string {
  const LINE = 70;
  const flat = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines = Math.floor(flat.length / LINE) + 1;
  if (lines === 1) return flat;
  let out = '';
  for (let i = 0; i < flat.length; i += LINE) out += `${flat.slice(i, i + LINE)}\n`;
  return out;
}

/** Sets an own property, also for keys such as `__proto__` that plain assignment would not create. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
