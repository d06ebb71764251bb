/**
 * src/backends/elastic/regex-class.ts: the code points of each regular expression atom, whether
 * read from the generated table, made as a complement or searched, are the ones the engine
 * matches at each code point tested one by one; the table is used only when it is the engine's.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  allFromCodePoints,
  allFromUnits,
  engineAgreesAtEdges,
  regexClass,
  regexClassOrigin,
  regexClassTableFrom,
  regexClassTableJson,
  regexEngineVersions,
  TABLE_ATOMS,
} from '../../../src/backends/elastic/regex-class.js';
import { toRanges } from '../../../src/backends/elastic/ranges.js';

/** Every non-surrogate code point, in order, as one string. */
const ALL = ((): string => {
  const chunks: string[] = [];
  for (let from = 0; from <= 0x10ffff; from += 4096) {
    const cps: number[] = [];
    for (let cp = from; cp < Math.min(from + 4096, 0x110000); cp++) if (cp < 0xd800 || cp > 0xdfff) cps.push(cp);
    chunks.push(String.fromCodePoint(...cps));
  }
  return chunks.join('');
})();

/**
 * The reference: the atom tested at each code point's position in that text, matching exactly
 * that code point (what regexClass did before it searched for runs, made complements or read a
 * table).
 */
function bruteForce(source: string, flags: 'u' | 'iu'): number[] {
  const re = new RegExp(source, `${flags}y`);
  const out: number[] = [];
  for (let i = 0; i < ALL.length; ) {
    const cp = ALL.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    re.lastIndex = i;
    if (re.test(ALL) && re.lastIndex === i + width) out.push(cp);
    i += width;
  }
  return out;
}

describe('regexClass', () => {
  // classes, negated ones (`[^^]`, `[^]`, `[]`), escapes and their complements, properties,
  // `.`, and literals whose case folding reaches other characters (Kelvin sign, long s, İ, σ/ς,
  // astral Deseret letters)
  const atoms = [
    '.', '[a-z]', '[^a-z]', '[^x]', '[^^]', '[^^a]', '[^]', '[]', '[^\\]]', '[\\s\\S]', '[^\\d\\s]', '[k-s]', '[^k]',
    '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\p{Lu}', '\\P{L}', '\\p{Script=Greek}',
    '\\u{6b}', '\\u{73}', '\\u{130}', '\\u{3c3}', '\\u{df}', '\\u{10400}', '\\u{1f600}', '[\\u{1f600}-\\u{1f64f}]',
    // V8 (Node 20) leaves U+10FFFF out of a negated class ending at U+10FFFE: the engine decides
    '[^\\u{10fffe}]', '[^\\w\\u{10fffe}]', '[^\\u{148d1}-\\u{10fffe}]', '[^\\u{10ffff}]',
    // complements of classes with escapes, properties, case-folding letters
    '[^/]', '[^\\w.-]', '[^\\s"\']', '\\P{Lu}', '[^\\P{Lu}]', '[^\\p{L}\\d]', '[^k\\u{17f}]',
  ];
  for (const flags of ['u', 'iu'] as const) {
    it(`gives, with flags ${flags}, the code points the atom matches tested one by one`, () => {
      for (const atom of atoms) expect(regexClass(atom, flags), `${atom} /${flags}`).toEqual(toRanges(bruteForce(atom, flags)));
    }, 120_000);
  }
});

describe('how regexClass finds an atom', () => {
  it('reads the common atoms from the generated table, under both flag sets', () => {
    for (const flags of ['u', 'iu'] as const) for (const atom of TABLE_ATOMS) expect(regexClassOrigin(atom, flags), `${atom} /${flags}`).toBe('table');
  });

  it('makes a negated atom the complement of its positive form, and searches when the engine disagrees at an edge', () => {
    for (const flags of ['u', 'iu'] as const) {
      for (const atom of ['[^x]', '[^^a]', '[^]', '[^\\w.-]', '[^\\P{Lu}]']) expect(regexClassOrigin(atom, flags), `${atom} /${flags}`).toBe('complement');
      // V8 (Node 20) leaves U+10FFFF out of `[^\u{10fffe}]`: the complement says otherwise, so it is searched
      expect(new RegExp('[^\\u{10fffe}]', flags).test('\u{10ffff}')).toBe(false);
      expect(regexClassOrigin('[^\\u{10fffe}]', flags)).toBe('search');
      expect(regexClassOrigin('[a-z]', flags)).toBe('search');
    }
    // under iu an escape's set is complemented before case folding: \P{Lu} matches A (through a)
    expect(regexClassOrigin('\\P{Lu}', 'u')).toBe('complement');
    expect(new RegExp('\\P{Lu}', 'iu').test('A')).toBe(true);
    expect(regexClassOrigin('\\P{Lu}', 'iu')).toBe('search');
  });
});

describe('the text of every code point', () => {
  it('is the same from the units written in little-endian order and from the code points (any machine)', () => {
    expect(allFromUnits() === ALL).toBe(true);
    expect(allFromCodePoints() === ALL).toBe(true);
  });
});

describe('engineAgreesAtEdges', () => {
  it('holds when the engine matches each range\'s ends and not the code points just outside', () => {
    expect(engineAgreesAtEdges([[0x30, 0x39]], '\\d', 'u')).toBe(true);
    expect(engineAgreesAtEdges([[0x30, 0x38]], '\\d', 'u')).toBe(false);
    expect(engineAgreesAtEdges([[0x31, 0x39]], '\\d', 'u')).toBe(false);
    expect(engineAgreesAtEdges([[0x30, 0x3a]], '\\d', 'u')).toBe(false);
    expect(engineAgreesAtEdges([], '[]', 'u')).toBe(true);
    expect(engineAgreesAtEdges([], '[^]', 'u')).toBe(false);
    expect(engineAgreesAtEdges([[0, 0x10ffff]], '[^]', 'u')).toBe(true);
    // an edge next to the surrogates: U+D7FF is followed by U+E000
    expect(engineAgreesAtEdges([[0xe000, 0x10ffff]], '[^\\0-\\u{d7ff}]', 'u')).toBe(true);
    expect(engineAgreesAtEdges([[0xe001, 0x10ffff]], '[^\\0-\\u{d7ff}]', 'u')).toBe(false);
  });
});

describe('the generated table of common atoms', () => {
  const json = JSON.parse(regexClassTableJson());

  it('holds each common atom under both flag sets, as the search finds it', () => {
    const table = regexClassTableFrom(json, regexEngineVersions());
    expect(table).toBeDefined();
    expect([...table!.keys()].sort()).toEqual(['u', 'iu'].flatMap((f) => TABLE_ATOMS.map((a) => `${f}/${a}`)).sort());
    expect(table!.get('u/\\d')).toEqual([[0x30, 0x39]]);
    // \w under iu: the long s and the Kelvin sign fold to s and k
    expect(table!.get('iu/\\w')).toEqual(toRanges([...'0123456789_', ...'abcdefghijklmnopqrstuvwxyz', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '\u017f', '\u212a'].map((c) => c.codePointAt(0)!).sort((a, b) => a - b)));
  });

  it('is not used for another V8, Unicode or ICU version, nor when changed or malformed', () => {
    const v = regexEngineVersions();
    expect(regexClassTableFrom(json, { ...v, v8: '1.0' })).toBeUndefined();
    expect(regexClassTableFrom(json, { ...v, unicode: '1.0' })).toBeUndefined();
    expect(regexClassTableFrom(json, { ...v, icu: '1.0' })).toBeUndefined();
    expect(regexClassTableFrom(undefined, v)).toBeUndefined();
    expect(regexClassTableFrom({ ...json, classes: { ...json.classes, 'u/\\d': [[0x30, 0x38]] } }, v)).toBeUndefined();
    const rehash = (classes: unknown): unknown => ({ ...json, classes, sha256: createHash('sha256').update(JSON.stringify(classes)).digest('hex') });
    expect(regexClassTableFrom(rehash(json.classes), v)).toBeDefined();
    for (const bad of [[[0x39, 0x30]], [[0x30, 0x39], [0x35, 0x40]], [[0xd800, 0xd900]], [[0, 0x110000]], [['0', 9]], 'x']) {
      expect(regexClassTableFrom(rehash({ ...json.classes, 'u/\\d': bad }), v), JSON.stringify(bad)).toBeUndefined();
    }
    // exactly the table's atoms: none missing, none added
    const { 'u/\\d': _, ...withoutOne } = json.classes;
    expect(regexClassTableFrom(rehash(withoutOne), v)).toBeUndefined();
    expect(regexClassTableFrom(rehash({ ...json.classes, 'u/[a-z]': [[0x61, 0x7a]] }), v)).toBeUndefined();
    // well-formed but wrong, with its hash: the engine's check at first use refuses it
    expect(regexClassTableFrom(rehash({ ...json.classes, 'u/\\d': [[0x30, 0x38]] }), v)).toBeDefined();
    expect(engineAgreesAtEdges([[0x30, 0x38]], '\\d', 'u')).toBe(false);
  });
});
