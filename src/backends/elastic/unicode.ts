/**
 * Exact character sets for the Elastic query builders, computed by brute force over every
 * Unicode code point with the same JavaScript operations the reference evaluator uses:
 * - `lowerClass`: the characters whose `toLowerCase()` is a given character (how `nocase`
 *   string comparisons see a document character);
 * - `regexClass`: the characters a one-character JavaScript regular expression atom (a class,
 *   an escape, `.`, a literal) matches under given flags (`u`, or `iu` for `nocase`), found by
 *   the engine's own search over a text of every code point, as ranges.
 * Tables are built on first use and cached; the lower-case table, which every `nocase`
 * comparison needs and which takes ~70 ms to build, is read instead from the one `npm run build`
 * generated with the same Node (`data/generated/lower-case.json`) when it was made for this
 * Node's Unicode and ICU versions and its rows check out. Surrogate code points are left out: they
 * cannot occur in UTF-8 terms, which is what Lucene indexes.
 */
import { createHash } from 'node:crypto';
import { loadGeneratedJson } from '../../build/load-generated.js';

const MAX_CODE_POINT = 0x10ffff;

function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

let allCodePoints: string | undefined;

/** Every non-surrogate code point, in order, as one string (its UTF-16 units decoded at once). */
function all(): string {
  if (allCodePoints === undefined) {
    const units = new Uint16Array(0xf800 + 2 * 0x100000);
    let i = 0;
    for (let u = 0; u < 0xd800; u++) units[i++] = u;
    for (let u = 0xe000; u <= 0xffff; u++) units[i++] = u;
    for (let high = 0xd800; high <= 0xdbff; high++) {
      for (let low = 0xdc00; low <= 0xdfff; low++) {
        units[i++] = high;
        units[i++] = low;
      }
    }
    allCodePoints = new TextDecoder('utf-16le').decode(units);
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

/**
 * The generated file's JSON: the versions it was made with, the SHA-256 of the JSON of its rows
 * (`{"inverse":…,"multi":…}`), then `[key, ...code points]` rows in code point order.
 */
interface LowerTableJson {
  readonly unicode: string;
  readonly icu: string;
  readonly sha256: string;
  readonly inverse: readonly (readonly number[])[];
  readonly multi: readonly (readonly number[])[];
}

function rowsHash(inverse: unknown, multi: unknown): string {
  return createHash('sha256').update(JSON.stringify({ inverse, multi })).digest('hex');
}

/** The lower-case table as the text of `data/generated/lower-case.json` (for `npm run build`). */
export function lowerTableJson(): string {
  const t = computeLowerTable();
  const rows = (m: ReadonlyMap<number, readonly number[]>): number[][] => [...m].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, ...v]);
  const inverse = rows(t.inverse);
  const multi = rows(t.multi);
  return `${JSON.stringify({ ...caseMappingVersions(), sha256: rowsHash(inverse, multi), inverse, multi })}\n`;
}

/**
 * The table in `json` when it was made for `versions`, its rows are the ones its hash was made
 * of, and every row is what this engine's `toLowerCase` says (each character listed lower-cases
 * to its key); else undefined.
 */
export function lowerTableFrom(json: unknown, versions: { readonly unicode: string; readonly icu: string }): LowerTable | undefined {
  const j = json as Partial<LowerTableJson> | null;
  if (!j || j.unicode !== versions.unicode || j.icu !== versions.icu || versions.unicode === '') return undefined;
  if (!Array.isArray(j.inverse) || !Array.isArray(j.multi) || j.sha256 !== rowsHash(j.inverse, j.multi)) return undefined;
  const map = (rows: readonly (readonly number[])[], holds: (row: readonly number[]) => boolean): Map<number, number[]> | undefined => {
    const m = new Map<number, number[]>();
    for (const row of rows) {
      if (!Array.isArray(row) || row.length < 2 || !row.every((x) => Number.isInteger(x) && x >= 0 && x <= MAX_CODE_POINT && !isSurrogate(x))) return undefined;
      if (!holds(row)) return undefined;
      m.set(row[0] as number, row.slice(1) as number[]);
    }
    return m;
  };
  const lower = (cp: number): string => String.fromCodePoint(cp).toLowerCase();
  const inverse = map(j.inverse, ([key, ...from]) => from.every((cp) => lower(cp) === String.fromCodePoint(key as number)));
  const multi = map(j.multi, ([cp, ...to]) => lower(cp as number) === String.fromCodePoint(...to));
  return inverse && multi ? { inverse, multi } : undefined;
}

/** Where the lower-case table of this process came from (undefined before it is needed). */
let lowerTableOrigin: 'generated' | 'computed' | undefined;

/** Whether this process's lower-case table was read from the generated file or computed (for tests). */
export function lowerCaseTableOrigin(): 'generated' | 'computed' | undefined {
  return lowerTableOrigin;
}

function table(): LowerTable {
  if (!lowerTable) {
    let generated: unknown;
    try {
      generated = loadGeneratedJson(LOWER_CASE_JSON);
    } catch {
      generated = undefined; // not built: computed below
    }
    const read = lowerTableFrom(generated, caseMappingVersions());
    lowerTableOrigin = read ? 'generated' : 'computed';
    lowerTable = read ?? computeLowerTable();
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

/** Inclusive code point ranges, sorted, as {@link toRanges} makes them (see there). */
export type Ranges = readonly (readonly [number, number])[];

const regexClasses = new Map<string, Ranges>();

/**
 * The code points that the one-character JavaScript regex atom `source` (a class, a class
 * escape, `.`, a literal) matches with `flags` (`u` or `iu`), as ranges (many classes hold most
 * of the million code points). `source` must match exactly one code point when it matches,
 * whatever surrounds it; the engine decides which, by a search over the text of every code point.
 */
export function regexClass(source: string, flags: 'u' | 'iu'): Ranges {
  const key = `${flags}/${source}`;
  let out = regexClasses.get(key);
  if (!out) {
    // Even a negated class is searched, not complemented: the engine decides (V8 in Node 20
    // leaves U+10FFFF out of a negated class whose last range ends at U+10FFFE, and the
    // evaluator runs that engine).
    out = matching(source, flags);
    if (regexClasses.size > 500) regexClasses.clear();
    regexClasses.set(key, out);
  }
  return out;
}

/** The code point at `index` of {@link all}'s text (BMP code points take one unit there, the others two). */
function codePointAtIndex(index: number): number {
  return index < 0xd800 ? index : index < 0xf800 ? index + 0x800 : 0x10000 + ((index - 0xf800) >> 1);
}

/**
 * The code points the atom `source` matches, as ranges: one search of `(?:source)+` finds each
 * run of consecutive matching code points at once (a few hundred for most classes), where testing
 * the atom at every one of the 1.1 million positions took ~20 ms per atom. A run is a range as
 * {@link toRanges} makes it (the text goes from U+D7FF straight to U+E000).
 */
function matching(source: string, flags: 'u' | 'iu'): [number, number][] {
  const text = all();
  const re = new RegExp(`(?:${source})+`, `${flags}g`);
  const out: [number, number][] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) throw new Error(`regexClass: \`${source}\` matches the empty string`);
    out.push([codePointAtIndex(m.index), codePointAtIndex(m.index + m[0].length - 1)]);
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
 * The code points not in `ranges` (as {@link toRanges} makes them), as inclusive ranges. Ranges
 * may span the surrogate block (no term contains a surrogate, so it does not matter) but never
 * start or end in it.
 */
export function complementOfRanges(ranges: Ranges): [number, number][] {
  const out: [number, number][] = [];
  const push = (from: number, to: number): void => {
    const a = isSurrogate(from) ? 0xe000 : from;
    const b = isSurrogate(to) ? 0xd7ff : to;
    if (a <= b) out.push([a, b]);
  };
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) push(next, from - 1);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) push(next, MAX_CODE_POINT);
  return out;
}
