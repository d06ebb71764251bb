/**
 * The code points a one-character JavaScript regular expression atom (a class, a class escape,
 * `.`, a literal) matches under given flags (`u`, or `iu` for `nocase`), as ranges: what the
 * Elastic regex translation puts in place of each atom. The engine the reference evaluator runs
 * decides, by the first of these that applies:
 * - the common atoms (`.` and `\d \D \w \W \s \S`) are read from the table `npm run build`
 *   made by searching (`data/generated/regex-classes.json`), when it was made for this Node's V8,
 *   Unicode and ICU versions and its hash checks out (and, as a sanity check, the engine agrees
 *   at the edges of each range);
 * - a negated atom (`[^…]`, and `\D \W \S \P{…}` under `u`) is, by the language's definition,
 *   the complement of its positive form (whose matches are few, so its search is quick), kept
 *   when the engine agrees at the edges of each range: V8 in Node 20 leaves U+10FFFF out of a
 *   negated class ending at U+10FFFE (an edge), a disagreement that falls back to the search;
 * - one search of `(?:atom)+` over a text of every code point finds each run of matching code
 *   points (~1–50 ms: more for an atom matching most of them or a large property, plus ~8 ms
 *   to make the text once).
 * Surrogate code points are left out (see ranges.ts).
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { loadGeneratedJson } from '../../build/load-generated.js';
import { complementOfRanges, isSurrogate, MAX_CODE_POINT, nextCodePoint, previousCodePoint, type Ranges } from './ranges.js';

export type RegexFlags = 'u' | 'iu';

/** How {@link regexClass} found an atom's code points. */
export type RegexClassOrigin = 'table' | 'complement' | 'search';

/** Name of the generated table in `data/generated/`. */
export const REGEX_CLASSES_JSON = 'regex-classes.json';

/** The atoms the generated table holds, under both flag sets. */
export const TABLE_ATOMS = ['.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S'] as const;

const found = new Map<string, { readonly ranges: Ranges; readonly origin: RegexClassOrigin }>();

/**
 * The code points that the one-character atom `source` matches with `flags`, as ranges (many
 * classes hold most of the million code points). `source` must match exactly one code point when
 * it matches, whatever surrounds it.
 */
export function regexClass(source: string, flags: RegexFlags): Ranges {
  return lookUp(source, flags).ranges;
}

/** Where {@link regexClass} took `source`'s code points from (for tests). */
export function regexClassOrigin(source: string, flags: RegexFlags): RegexClassOrigin {
  return lookUp(source, flags).origin;
}

function lookUp(source: string, flags: RegexFlags): { readonly ranges: Ranges; readonly origin: RegexClassOrigin } {
  const key = `${flags}/${source}`;
  let out = found.get(key);
  if (!out) {
    out = fromTable(key, source, flags) ?? fromComplement(source, flags) ?? { ranges: search(source, flags), origin: 'search' };
    if (found.size > 500) found.clear();
    found.set(key, out);
  }
  return out;
}

/** Whether the engine matches `source` at the edges of `ranges` and not just outside them. */
export function engineAgreesAtEdges(ranges: Ranges, source: string, flags: RegexFlags): boolean {
  const re = new RegExp(`^(?:${source})$`, flags);
  const matches = (cp: number | undefined): boolean => cp !== undefined && re.test(String.fromCodePoint(cp));
  if (ranges.length === 0) return !matches(0) && !matches(MAX_CODE_POINT);
  return ranges.every(([from, to]) => matches(from) && matches(to) && !matches(previousCodePoint(from)) && !matches(nextCodePoint(to)));
}

/**
 * The atom whose matches `source`'s are the complement of, by the language's definition:
 * `[^…]` → `[…]` (`[^^…]` → `[\^…]`) under both flag sets (a negated class is tested after case
 * folding), and `\D \W \S \P{…}` → `\d \w \s \p{…}` under `u` only (under `iu` the escape's
 * set is complemented before case folding: `\P{Lu}` then matches `A` too, through `a`).
 */
function positiveForm(source: string, flags: RegexFlags): string | undefined {
  if (source.startsWith('[^') && source.endsWith(']')) return `[${source[2] === '^' ? '\\' : ''}${source.slice(2)}`;
  if (flags === 'iu') return undefined;
  if (/^\\[DWS]$/.test(source)) return source.toLowerCase();
  if (source.startsWith('\\P{')) return `\\p${source.slice(2)}`;
  return undefined;
}

function fromComplement(source: string, flags: RegexFlags): { readonly ranges: Ranges; readonly origin: 'complement' } | undefined {
  const positive = positiveForm(source, flags);
  if (positive === undefined) return undefined;
  const ranges = complementOfRanges(regexClass(positive, flags));
  return engineAgreesAtEdges(ranges, source, flags) ? { ranges, origin: 'complement' } : undefined;
}

let allCodePoints: string | undefined;

/** Every non-surrogate code point, in order, as one string. */
function all(): string {
  allCodePoints ??= endianness() === 'LE' ? allFromUnits() : allFromCodePoints();
  return allCodePoints;
}

/** {@link all}'s text from its UTF-16 units, written in this machine's (little-endian) order and decoded at once. */
export function allFromUnits(): string {
  const bmp = 0xf800; // U+0000–U+D7FF and U+E000–U+FFFF, one unit each
  const buffer = Buffer.alloc(2 * (bmp + 2 * 0x100000));
  const units = new Uint16Array(buffer.buffer, buffer.byteOffset, bmp);
  for (let u = 0; u < bmp; u++) units[u] = u < 0xd800 ? u : u + 0x800;
  // each astral code point as its surrogate pair, written as one 32-bit number (high unit first in memory)
  const pairs = new Int32Array(buffer.buffer, buffer.byteOffset + 2 * bmp, 0x100000);
  for (let i = 0; i < 0x100000; i++) pairs[i] = ((0xdc00 | (i & 0x3ff)) << 16) | (0xd800 | (i >> 10));
  return buffer.toString('utf16le');
}

/** {@link all}'s text on any machine (~3 times slower). */
export function allFromCodePoints(): string {
  const chunks: string[] = [];
  for (let from = 0; from <= MAX_CODE_POINT; from += 0x1000) {
    const cps: number[] = [];
    for (let cp = from; cp < from + 0x1000; cp++) if (!isSurrogate(cp)) cps.push(cp);
    chunks.push(String.fromCodePoint(...cps));
  }
  return chunks.join('');
}

/** The code point at `index` of {@link all}'s text (BMP code points take one unit there, the others two). */
function codePointAtIndex(index: number): number {
  return index < 0xd800 ? index : index < 0xf800 ? index + 0x800 : 0x10000 + ((index - 0xf800) >> 1);
}

/**
 * The code points `source` matches, as ranges: one search of `(?:source)+` finds each run of
 * consecutive matching code points at once (a few hundred for most classes). A run is a range
 * as toRanges makes it (the text goes from U+D7FF straight to U+E000).
 */
function search(source: string, flags: RegexFlags): [number, number][] {
  const text = all();
  const re = new RegExp(`(?:${source})+`, `${flags}g`);
  const out: [number, number][] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) throw new Error(`regexClass: \`${source}\` matches the empty string`);
    out.push([codePointAtIndex(m.index), codePointAtIndex(m.index + m[0].length - 1)]);
  }
  return out;
}

/** The engine versions a table is made for: its regular expressions (V8) and their Unicode data. */
export function regexEngineVersions(): RegexEngineVersions {
  return { v8: process.versions.v8, unicode: process.versions.unicode ?? '', icu: process.versions.icu ?? '' };
}

export interface RegexEngineVersions {
  readonly v8: string;
  readonly unicode: string;
  readonly icu: string;
}

/** The generated file: the versions, the SHA-256 of the JSON of `classes`, `classes` by `flags/atom`. */
interface RegexTableJson extends RegexEngineVersions {
  readonly sha256: string;
  readonly classes: Readonly<Record<string, Ranges>>;
}

function classesHash(classes: unknown): string {
  return createHash('sha256').update(JSON.stringify(classes)).digest('hex');
}

/** The table's keys: `flags/atom` for each of {@link TABLE_ATOMS} under each flag set. */
function tableKeys(): string[] {
  return (['u', 'iu'] as const).flatMap((flags) => TABLE_ATOMS.map((atom) => `${flags}/${atom}`));
}

/** The table of {@link TABLE_ATOMS} as the text of `data/generated/regex-classes.json` (for `npm run build`). */
export function regexClassTableJson(): string {
  const classes: Record<string, Ranges> = {};
  for (const key of tableKeys()) {
    const slash = key.indexOf('/');
    classes[key] = search(key.slice(slash + 1), key.slice(0, slash) as RegexFlags);
  }
  return `${JSON.stringify({ ...regexEngineVersions(), sha256: classesHash(classes), classes })}\n`;
}

function isRanges(x: unknown): x is Ranges {
  if (!Array.isArray(x)) return false;
  let next = 0;
  for (const r of x) {
    if (!Array.isArray(r) || r.length !== 2) return false;
    const [from, to] = r as unknown[];
    if (!Number.isInteger(from) || !Number.isInteger(to)) return false;
    const [a, b] = [from as number, to as number];
    if (a < next || b < a || b > MAX_CODE_POINT || isSurrogate(a) || isSurrogate(b)) return false;
    next = b + 2; // runs are maximal: a gap of at least one code point between two
  }
  return true;
}

/**
 * The classes in `json` when it was made for `versions`, holds the classes its hash was made of,
 * exactly the table's keys, each well-formed; else undefined. What makes them right is that the
 * build found them with the same engine (the versions) and the file is what it wrote (the hash);
 * the engine's check at the edges of each range at first use is a sanity check on top (it sees
 * a range that ends one code point off, not a range left out or added away from the others).
 */
export function regexClassTableFrom(json: unknown, versions: RegexEngineVersions): ReadonlyMap<string, Ranges> | undefined {
  const j = json as Partial<RegexTableJson> | null;
  if (!j || j.v8 !== versions.v8 || j.unicode !== versions.unicode || j.icu !== versions.icu) return undefined;
  if (typeof j.classes !== 'object' || j.classes === null || j.sha256 !== classesHash(j.classes)) return undefined;
  const out = new Map<string, Ranges>();
  for (const key of tableKeys()) {
    const ranges = (j.classes as Record<string, unknown>)[key];
    if (!isRanges(ranges)) return undefined;
    out.set(key, ranges);
  }
  return Object.keys(j.classes).length === out.size ? out : undefined;
}

let table: ReadonlyMap<string, Ranges> | null | undefined;

function fromTable(key: string, source: string, flags: RegexFlags): { readonly ranges: Ranges; readonly origin: 'table' } | undefined {
  if (table === undefined) {
    let json: unknown;
    try {
      json = loadGeneratedJson(REGEX_CLASSES_JSON);
    } catch {
      json = undefined; // not built: every atom is searched
    }
    table = regexClassTableFrom(json, regexEngineVersions()) ?? null;
  }
  const ranges = table?.get(key);
  return ranges !== undefined && engineAgreesAtEdges(ranges, source, flags) ? { ranges, origin: 'table' } : undefined;
}
