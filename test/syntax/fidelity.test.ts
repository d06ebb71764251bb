import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/syntax/parse.js';
import { prng } from '../helpers/prng.js';
import { stripSpans, type DetectionDecl, type FileNode, type JsonEvents, type TestDecl } from '../../src/syntax/ast.js';
import { printFile } from '../../src/syntax/printer.js';
import { parseOk } from './helpers.js';

/** `detect fmt`: parse, print. */
function fmt(text: string): string {
  return printFile(parseOk(text));
}

/** Formatting `text` gives `expected`, which is a fixed point with the same AST. */
function expectFmt(text: string, expected: string): void {
  const printed = fmt(text);
  expect(printed).toBe(expected);
  expect(fmt(printed)).toBe(printed);
  expect(stripSpans(parseOk(printed))).toEqual(stripSpans(parseOk(text)));
}

function testsOf(ast: FileNode): TestDecl[] {
  return (ast.blocks[0] as DetectionDecl).members.filter((m): m is TestDecl => m.kind === 'Test');
}

function eventsOf(text: string): JsonEvents {
  const events = testsOf(parseOk(text))[0]!.events;
  if (events.kind !== 'JsonEvents') throw new Error('expected inline events');
  return events;
}

describe('fmt keeps test-event JSON lexemes', () => {
  const exact =
    'detection d {\n' +
    '  test "t" matches {\n' +
    '    "evt.time": 1717406047512771245,\n' +
    '    "price": 1.50,\n' +
    '    "big": 1e5,\n' +
    '    "e": 2.5E-300,\n' +
    '    "huge": 1e400,\n' +
    '    "neg": -0,\n' +
    '    "s": "caf\\u00e9 \\/ \\"q\\"",\n' +
    '    "list": [1.0, 9007199254740993]\n' +
    '  }\n' +
    '}\n';

  it('prints a big integer, 1.50, 1e5 and escapes byte-for-byte (fast path: valid JSON)', () => {
    expect(fmt(exact)).toBe(exact);
    const compact = exact.replace(/\n\s*/g, ' ').replace('{ test', '{\n  test').replace('} }', '}\n}\n');
    expect(compact).not.toBe(exact);
    expect(fmt(compact)).toBe(exact);
  });

  it('prints them byte-for-byte when the JSON holds comments (token path)', () => {
    const withComment = exact.replace('"price"', '# a comment\n    "price"');
    expect(fmt(withComment)).toBe(exact.replace('  test "t"', '  # a comment\n  test "t"'));
  });

  it('keeps JS numbers in the AST, the source text in `raw`, which stripSpans ignores', () => {
    const events = eventsOf(exact);
    const value = events.value as Record<string, unknown>;
    expect(value['evt.time']).toBe(1717406047512771245);
    expect(value['price']).toBe(1.5);
    expect(events.raw).toContain('1717406047512771245');
    expect(stripSpans(parseOk(exact))).toEqual(stripSpans(parseOk(exact.replace('1.50', '1.5'))));
  });

  it('keeps a key written twice, as written', () => {
    expectFmt('detection d { test "t" matches {"a": 1, "a": 2} }', 'detection d {\n  test "t" matches {\n    "a": 1,\n    "a": 2\n  }\n}\n');
  });

  it('prints the value when there is no raw text or the raw text no longer denotes it', () => {
    const ast = parseOk('detection d { test "t" matches {"n": 1.50, "xs": [1, 2]} }');
    const det = ast.blocks[0] as DetectionDecl;
    const t = det.members[0] as TestDecl;
    const events = t.events as JsonEvents;
    const withEvents = (e: JsonEvents): FileNode => ({ ...ast, blocks: [{ ...det, members: [{ ...t, events: e }] }] });
    const { raw: _raw, ...built } = events;
    expect(printFile(withEvents(built))).toBe('detection d {\n  test "t" matches {\n    "n": 1.5,\n    "xs": [1, 2]\n  }\n}\n');
    expect(printFile(withEvents({ ...events, value: { n: 2 } }))).toBe('detection d {\n  test "t" matches {\n    "n": 2\n  }\n}\n');
    expect(printFile(withEvents({ ...events, raw: '{"n": 1.50' }))).toContain('"n": 1.5,');
    expect(printFile(withEvents({ ...events, raw: '{"n": 1.50, "xs": [1, 2]} junk' }))).toContain('"n": 1.5,');
  });

  it('lays out arrays: scalars on one line when short, else one item per line', () => {
    const long = Array.from({ length: 6 }, (_, i) => `"item-${i}-xxxxxxxxx"`);
    expectFmt(
      `detection d { test "t" matches [{"a": [], "b": {}, "c": ["x", 2, true, null], "d": [${long.join(',')}], "e": [[1], {"f": 1}], "g": ["${'y'.repeat(120)}"]}] }`,
      'detection d {\n' +
        '  test "t" matches [\n' +
        '    {\n' +
        '      "a": [],\n' +
        '      "b": {},\n' +
        '      "c": ["x", 2, true, null],\n' +
        `      "d": [\n${long.map((l, i) => `        ${l}${i < 5 ? ',' : ''}\n`).join('')}      ],\n` +
        '      "e": [\n        [1],\n        {\n          "f": 1\n        }\n      ],\n' +
        `      "g": ["${'y'.repeat(120)}"]\n` +
        '    }\n' +
        '  ]\n' +
        '}\n',
    );
  });

  it('counts the trailing comma in the width of a one-line array', () => {
    // `      "k": [...],` is exactly 100 characters with its comma, 101 with one more character.
    const fits = `"${'a'.repeat(100 - '      "k": ["", 1],'.length)}"`;
    const line = `      "k": [${fits}, 1],`;
    expect(line).toHaveLength(100);
    expect(fmt(`detection d { test "t" matches [{"k": [${fits}, 1], "z": 0}] }`)).toContain(`\n${line}\n`);
    const over = fits.replace('"a', '"aa');
    expect(fmt(`detection d { test "t" matches [{"k": [${over}, 1], "z": 0}] }`)).toContain(`"k": [\n        ${over},\n        1\n      ],`);
  });
});

describe('fmt escapes characters a reader cannot see', () => {
  it('print then parse gives the same AST for every invisible or unusual character in strings, test names and events (seeded)', () => {
    const next = prng(2028);
    const specials = [0x7f, 0x85, 0xa0, 0xad, 0x61c, 0x200b, 0x200d, 0x200e, 0x202a, 0x202e, 0x2028, 0x2029, 0x2066, 0x2069, 0x3000, 0xe000, 0xfeff, 0x378, 0xe0001, 0xf0000, 0x1f600];
    for (let i = 0; i < 200; i++) {
      let value = '';
      for (let k = 0; k < 4; k++) value += next() < 0.5 ? String.fromCodePoint(specials[Math.floor(next() * specials.length)]!) : 'ab '.charAt(Math.floor(next() * 3));
      const lit = JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      const ast = parseOk(`detection d {\n  title: ${lit}\n  condition: a == ${lit}\n  test ${lit} matches { ${lit}: [${lit}] }\n}\n`);
      const printed = printFile(ast);
      expect(printed).not.toMatch(/[\u007f-\u00a0\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\u3000\ue000\ufeff]|\p{Co}/u);
      expect(stripSpans(parseOk(printed))).toEqual(stripSpans(ast));
      expect(printFile(parseOk(printed))).toBe(printed);
    }
  });
});

describe('fmt keeps DSL number lexemes', () => {
  it('prints numbers as written', () => {
    expectFmt(
      'list l = [1.50, -1.5e3, 1E+2]\ndetection d { threshold: count >= 5.0 within 5m\n condition: x > 9007199254740993 }',
      'list l = [1.50, -1.5e3, 1E+2]\n\ndetection d {\n  threshold: count >= 5.0 within 5m\n  condition: x > 9007199254740993\n}\n',
    );
  });
});

describe('fmt keeps blank lines between members', () => {
  it('keeps one blank line where the author left one or more, and none at the edges of a block', () => {
    expectFmt(
      'detection d {\n\n\n  title: "t"\n  id: "i"\n\n  severity: high\n\n\n\n  condition: a\n\n}\n',
      'detection d {\n  title: "t"\n  id: "i"\n\n  severity: high\n\n  condition: a\n}\n',
    );
  });

  it('keeps the blank line above a comment, and between a comment and its member', () => {
    expectFmt(
      'detection d {\n  title: "t"\n\n  # about the id\n  id: "i"\n  # a section\n\n  severity: high\n}\n',
      'detection d {\n  title: "t"\n\n  # about the id\n  id: "i"\n  # a section\n\n  severity: high\n}\n',
    );
    expectFmt(
      'detection d {\n  title: "t" # same line\n\n\n  # next\n  id: "i"\n}\n',
      'detection d {\n  title: "t" # same line\n\n  # next\n  id: "i"\n}\n',
    );
  });

  it('drops blank lines before the first member, also above its comment, but keeps the ones among its comments', () => {
    expectFmt(
      'detection d {\n\n  # first\n\n  # second\n  title: "t"\n}\n',
      'detection d {\n  # first\n\n  # second\n  title: "t"\n}\n',
    );
  });

  it('keeps blank lines between map entries, sequence steps and tests', () => {
    expectFmt(
      'detection d {\n  attack {\n\n    execution: T1059\n\n    persistence: T1098\n\n  }\n' +
        '  sequence within 5m {\n    step a: x exists\n\n\n    step b: y exists\n  }\n\n' +
        '  test "one" matches {}\n\n  test "two" matches {}\n  test "three" matches file "e.ndjson"\n}\n',
      'detection d {\n  attack {\n    execution: T1059\n\n    persistence: T1098\n  }\n' +
        '  sequence within 5m {\n    step a: x exists\n\n    step b: y exists\n  }\n\n' +
        '  test "one" matches {}\n\n  test "two" matches {}\n  test "three" matches file "e.ndjson"\n}\n',
    );
  });

  it('records blank lines in the AST, so a round trip that loses one fails', () => {
    const ast = parseOk('detection d {\n\n  title: "t"\n\n  # c\n  id: "i"\n  attack {\n    a: b\n\n    c: d\n  }\n}\n');
    const members = (ast.blocks[0] as DetectionDecl).members;
    expect(members.map((m) => m.blankLineBefore ?? false)).toEqual([false, true, false]);
    const attack = members[2]!;
    if (attack.kind !== 'MapBlock') throw new Error('expected a map block');
    expect(attack.entries.map((e) => e.blankLineBefore ?? false)).toEqual([false, true]);
    expect(stripSpans(parseOk('detection d {\n  a: 1\n\n  b: 2\n}'))).not.toEqual(stripSpans(parseOk('detection d {\n  a: 1\n  b: 2\n}')));
  });

  it('ignores blank lines inside conditions, lists and test JSON', () => {
    expectFmt(
      'macro m = a\n\n  and b\ndetection d {\n  tags: [\n\n "x"]\n  test "t" matches {\n\n "a": 1 }\n}\n',
      'macro m =\n  a\n  and b\n\ndetection d {\n  tags: ["x"]\n  test "t" matches {\n    "a": 1\n  }\n}\n',
    );
  });

  it('reads CRLF line ends', () => {
    expect(fmt('detection d {\r\n  a: 1\r\n\r\n  b: 2\r\n}\r\n')).toBe('detection d {\n  a: 1\n\n  b: 2\n}\n');
  });
});

describe('fmt keeps blank lines among comments', () => {
  it('keeps the blank line after a header comment at the top of a file', () => {
    expectFmt('# Header.\n# More.\n\nlist x = []\n', '# Header.\n# More.\n\nlist x = []\n');
    expectFmt('\n\n# Header.\nlist x = []\n', '# Header.\nlist x = []\n');
    expectFmt(
      '# License.\n\n\n# The list.\nlist x = []\n# Section.\n\n# The macro.\nmacro m = a\n',
      '# License.\n\n# The list.\nlist x = []\n\n# Section.\n\n# The macro.\nmacro m = a\n',
    );
  });

  it('keeps blank lines before and among the comments that close a block, none after { or before }', () => {
    expectFmt(
      'detection d {\n  title: "t"\n\n\n  # one\n\n  # two\n  # three\n\n}\n',
      'detection d {\n  title: "t"\n\n  # one\n\n  # two\n  # three\n}\n',
    );
    expectFmt('detection d {\n  title: "t" # t\n  # one\n}\n', 'detection d {\n  title: "t" # t\n  # one\n}\n');
    expectFmt(
      'detection d {\n  attack {\n\n    # none above\n\n    # one above\n  }\n  title: "t"\n}\n',
      'detection d {\n  attack {\n    # none above\n\n    # one above\n  }\n  title: "t"\n}\n',
    );
    expect((parseOk('detection d {\n  title: "t"\n\n  # one\n  # two\n\n  # three\n}\n').blocks[0] as DetectionDecl).closingCommentGaps).toEqual([0, 2]);
  });

  it('keeps blank lines among trailing comments', () => {
    expectFmt('list x = []\n# one\n\n\n# two\n# three\n', 'list x = []\n\n# one\n\n# two\n# three\n');
    expectFmt('# only\n\n# comments\n', '# only\n\n# comments\n');
  });
});

describe('fmt keeps every comment where it was written', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const seeds = readdirSync(join(here, '../../detections')).filter((f) => f.endsWith('.det'));
  const sources = [readFileSync(join(here, 'fixtures', 'rich.det'), 'utf8'), ...seeds.map((f) => readFileSync(join(here, '../../detections', f), 'utf8'))];

  it('print then parse gives the same AST, and printing is a fixed point, with comments and blank lines added at random line ends and between lines (seeded)', () => {
    const rand = prng(20261124);
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const lines = sources[i % sources.length]!.split('\n');
      const out: string[] = [];
      for (const [n, line] of lines.entries()) {
        const r = rand();
        if (r < 0.15) out.push(`${line} # end ${n}`);
        else if (r < 0.25) out.push(line, `${' '.repeat(Math.floor(rand() * 6))}# own line ${n}`);
        else if (r < 0.3) out.push(line, '');
        else out.push(line);
      }
      const text = out.join('\n');
      const { ast, diagnostics } = parseFile(text, 'c.det');
      if (diagnostics.length > 0) continue; // e.g. a comment cut a one-line construct short
      const printed = printFile(ast);
      expect(stripSpans(parseOk(printed, 'c.det')), `case ${i}`).toEqual(stripSpans(ast));
      expect(printFile(parseOk(printed, 'c.det')), `case ${i}`).toBe(printed);
      // every comment survives
      for (const m of text.matchAll(/# ((?:end|own line) \d+)/g)) expect(printed, `case ${i}`).toContain(m[1]);
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
  });
});
