import { stringify } from 'yaml';

/** Options for {@link toYaml}. */
export interface ToYamlOptions {
  /** Sort map keys, as Go's encoders do for maps (kubectl -o yaml). @default true */
  sortKeys?: boolean;
}

/**
 * YAML in the shape kubectl prints: two-space indent, sequences not indented under their
 * key, no line folding, keys sorted.
 */
export function toYaml(value: unknown, options: ToYamlOptions = {}): string {
  return stringify(value, {
    indent: 2,
    indentSeq: false,
    lineWidth: 0,
    sortMapEntries: options.sortKeys ?? true,
    version: '1.1',
  });
}
