/**
 * Unicode simple case folding orbits, as Go's unicode.SimpleFold walks them (k → K → K (Kelvin)
 * → k). Built once, on first use, from JavaScript's case mappings; only (?i) regexps need it.
 */

let orbits: Map<number, number[]> | undefined;

function single(s: string): number | undefined {
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

/** A key shared by exactly the runes of one orbit (an approximation of simple case folding). */
function foldKey(r: number): number {
  if (r === 0x131 || r === 0x130) return r; // Turkish dotless/dotted i fold only to themselves
  const s = String.fromCodePoint(r);
  const up = single(s.toUpperCase());
  const base = up === undefined ? s : String.fromCodePoint(up);
  return single(base.toLowerCase()) ?? single(s.toLowerCase()) ?? r;
}

function build(): Map<number, number[]> {
  const byKey = new Map<number, number[]>();
  const scan = (lo: number, hi: number) => {
    for (let r = lo; r <= hi; r++) {
      if (r >= 0xd800 && r <= 0xdfff) continue;
      const k = foldKey(r);
      if (k === r && single(String.fromCodePoint(r).toUpperCase()) === r && single(String.fromCodePoint(r).toLowerCase()) === r) continue;
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
  };
  scan(0, 0x1e9ff);
  const out = new Map<number, number[]>();
  for (const members of byKey.values()) {
    if (members.length < 2) continue;
    for (const m of members) out.set(m, members);
  }
  return out;
}

/** The runes that match r case-insensitively, r included, in increasing order. */
export function foldOrbit(r: number): readonly number[] {
  orbits ??= build();
  return orbits.get(r) ?? [r];
}

/** Every rune that belongs to an orbit of two or more runes. */
export function foldableRunes(): IterableIterator<number> {
  orbits ??= build();
  return orbits.keys();
}
