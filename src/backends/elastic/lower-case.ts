/**
 * The lower-case table of the Elastic `nocase` translation: for each character, the characters
 * whose `toLowerCase()` is that character (how `nocase` string comparisons, which lower-case
 * both sides, see a document character), found by brute force over every code point with the
 * same JavaScript operation the reference evaluator uses. Building it takes ~70 ms, so it is read
 * instead from the one `npm run build` generated with the same Node
 * (`data/generated/lower-case.json`) when it was made for this Node's Unicode and ICU versions
 * and its rows check out. Surrogate code points are left out (see ranges.ts).
 */
import { createHash } from 'node:crypto';
import { loadGeneratedJson } from '../../build/load-generated.js';
import { isSurrogate, MAX_CODE_POINT } from './ranges.js';

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
