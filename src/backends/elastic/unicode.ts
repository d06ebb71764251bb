/**
 * Exact character sets for the Elastic query builders, computed by brute force over every
 * Unicode code point with the same JavaScript operations the reference evaluator uses:
 * - `lowerClass`: the characters whose `toLowerCase()` is a given character (how `nocase`
 *   string comparisons see a document character);
 * - `regexClass`: the characters a one-character JavaScript regular expression atom (a class,
 *   an escape, `.`, a literal) matches under given flags (`u`, or `iu` for `nocase`).
 * Tables are built on first use and cached; the lower-case table, which every `nocase`
 * comparison needs and which takes ~70 ms to build, is read instead from the one `npm run build`
 * generated with the same Node (`data/generated/lower-case.json`) when it was made for this
 * Node's Unicode and ICU versions. Surrogate code points are left out: they cannot occur in UTF-8
 * terms, which is what Lucene indexes.
 */
import { loadGeneratedJson } from '../../build/load-generated.js';

const MAX_CODE_POINT = 0x10ffff;

function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

let allCodePoints: string | undefined;

/** Every non-surrogate code point, in order, as one string. */
function all(): string {
  if (allCodePoints === undefined) {
    const chunks: string[] = [];
    const buffer: number[] = [];
    for (let cp = 0; cp <= MAX_CODE_POINT; cp++) {
      if (isSurrogate(cp)) continue;
      buffer.push(cp);
      if (buffer.length === 4096) {
        chunks.push(String.fromCodePoint(...buffer));
        buffer.length = 0;
      }
    }
    chunks.push(String.fromCodePoint(...buffer));
    allCodePoints = chunks.join('');
  }
  return allCodePoints;
}

interface LowerTable {
  /** Lower-case character → the other characters that lower-case to it. */
  readonly inverse: ReadonlyMap<number, readonly number[]>;
  /** Characters whose lower case is several code points (U+0130 → "i̇"), with that lower case. */
  readonly multi: ReadonlyMap<number, readonly number[]>;
}

let lowerTable: LowerTable | undefined;

/** The lower-case table, by brute force with this engine's `toLowerCase`. */
function computeLowerTable(): LowerTable {
  const inverse = new Map<number, number[]>();
  const multi = new Map<number, number[]>();
  for (let cp = 0; cp <= MAX_CODE_POINT; cp++) {
    if (isSurrogate(cp)) continue;
    const s = String.fromCodePoint(cp);
    const lower = s.toLowerCase();
    if (lower === s) continue;
    const cps = [...lower].map((c) => c.codePointAt(0)!);
    if (cps.length !== 1) {
      multi.set(cp, cps);
      continue;
    }
    const key = cps[0]!;
    let list = inverse.get(key);
    if (!list) inverse.set(key, (list = []));
    list.push(cp);
  }
  return { inverse, multi };
}

/** The Unicode data the engine's case mapping comes from; the generated table is kept only for these. */
export function caseMappingVersions(): { readonly unicode: string; readonly icu: string } {
  return { unicode: process.versions.unicode ?? '', icu: process.versions.icu ?? '' };
}

/** The generated file's JSON: the versions it was made with, then `[key, ...code points]` rows in code point order. */
interface LowerTableJson {
  readonly unicode: string;
  readonly icu: string;
  readonly inverse: readonly (readonly number[])[];
  readonly multi: readonly (readonly number[])[];
}

/** The lower-case table as the text of `data/generated/lower-case.json` (for `npm run build`). */
export function lowerTableJson(): string {
  const t = computeLowerTable();
  const rows = (m: ReadonlyMap<number, readonly number[]>): number[][] => [...m].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, ...v]);
  return `${JSON.stringify({ ...caseMappingVersions(), inverse: rows(t.inverse), multi: rows(t.multi) })}\n`;
}

/** The table in `json` when it was made for `versions` (and is well formed), else undefined. */
export function lowerTableFrom(json: unknown, versions: { readonly unicode: string; readonly icu: string }): LowerTable | undefined {
  const j = json as Partial<LowerTableJson> | null;
  if (!j || j.unicode !== versions.unicode || j.icu !== versions.icu || versions.unicode === '') return undefined;
  if (!Array.isArray(j.inverse) || !Array.isArray(j.multi)) return undefined;
  const map = (rows: readonly (readonly number[])[]): Map<number, number[]> | undefined => {
    const m = new Map<number, number[]>();
    for (const row of rows) {
      if (!Array.isArray(row) || row.length < 2 || !row.every((x) => Number.isInteger(x))) return undefined;
      m.set(row[0] as number, row.slice(1) as number[]);
    }
    return m;
  };
  const inverse = map(j.inverse);
  const multi = map(j.multi);
  return inverse && multi ? { inverse, multi } : undefined;
}

function table(): LowerTable {
  if (!lowerTable) {
    let generated: unknown;
    try {
      generated = loadGeneratedJson(LOWER_CASE_JSON);
    } catch {
      generated = undefined; // not built: computed below
    }
    lowerTable = lowerTableFrom(generated, caseMappingVersions()) ?? computeLowerTable();
  }
  return lowerTable;
}

/** Name of the generated lower-case table in `data/generated/`. */
export const LOWER_CASE_JSON = 'lower-case.json';

/** The characters x (sorted) with `x.toLowerCase()` equal to the one character `cp`. */
export function lowerClass(cp: number): number[] {
  const out = [...(table().inverse.get(cp) ?? [])];
  if (String.fromCodePoint(cp).toLowerCase() === String.fromCodePoint(cp)) out.push(cp);
  return out.sort((a, b) => a - b);
}

/** Characters whose lower case is more than one code point, with that lower case. */
export function multiCodePointLowerCases(): ReadonlyMap<number, readonly number[]> {
  return table().multi;
}

const regexClasses = new Map<string, number[]>();

/**
 * The code points (sorted) that the one-character JavaScript regex atom `source` matches with
 * `flags` (`u` or `iu`). `source` must match exactly one code point when it matches.
 */
export function regexClass(source: string, flags: 'u' | 'iu'): number[] {
  const key = `${flags}/${source}`;
  let out = regexClasses.get(key);
  if (!out) {
    const text = all();
    const re = new RegExp(source, `${flags}y`);
    out = [];
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      re.lastIndex = i;
      if (re.test(text) && re.lastIndex === i + (cp > 0xffff ? 2 : 1)) out.push(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    if (regexClasses.size > 500) regexClasses.clear();
    regexClasses.set(key, out);
  }
  return out;
}

/** Sorted code points as inclusive ranges. */
export function toRanges(cps: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const cp of cps) {
    const last = ranges[ranges.length - 1];
    if (last && (cp === last[1] + 1 || (last[1] === 0xd7ff && cp === 0xe000))) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

/**
 * The code points not in `cps` (sorted), as inclusive ranges. Ranges may span the surrogate
 * block (no term contains a surrogate, so it does not matter) but never start or end in it.
 */
export function complementRanges(cps: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  const push = (from: number, to: number): void => {
    const a = isSurrogate(from) ? 0xe000 : from;
    const b = isSurrogate(to) ? 0xd7ff : to;
    if (a <= b) out.push([a, b]);
  };
  let next = 0;
  for (const cp of cps) {
    if (cp > next) push(next, cp - 1);
    next = cp + 1;
  }
  if (next <= MAX_CODE_POINT) push(next, MAX_CODE_POINT);
  return out;
}
