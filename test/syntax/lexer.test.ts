import { describe, expect, it } from 'vitest';
import type { IToken } from 'chevrotain';
import { createLexer, detLexer } from '../../src/syntax/tokens.js';

function lex(text: string): { types: string[]; images: string[]; tokens: IToken[]; errors: number; comments: string[] } {
  const r = detLexer.tokenize(text);
  return {
    types: r.tokens.map((t) => t.tokenType.name),
    images: r.tokens.map((t) => t.image),
    tokens: r.tokens,
    errors: r.errors.length,
    comments: (r.groups.comments ?? []).map((t) => t.image),
  };
}

describe('lexer', () => {
  it('passes Chevrotain validation of the token definitions', () => {
    expect(() => createLexer(true)).not.toThrow();
  });

  it('produces every token kind', () => {
    const text =
      'list macro detection condition schedule every lookback realtime suppress by for threshold count within ' +
      'sequence step test matches does match file and or not in contains startswith endswith regex exists cased ' +
      'nocase true false null name "str" """block""" 42 -1.5e3 30s == != <= >= < > = { } [ ] ( ) : ,';
    const r = lex(text);
    expect(r.errors).toBe(0);
    expect(r.types).toEqual([
      'List', 'Macro', 'Detection', 'Condition', 'Schedule', 'Every', 'Lookback', 'Realtime', 'Suppress', 'By',
      'For', 'Threshold', 'Count', 'Within', 'Sequence', 'Step', 'Test', 'Matches', 'Does', 'Match', 'File', 'And',
      'Or', 'Not', 'In', 'Contains', 'Startswith', 'Endswith', 'Regex', 'Exists', 'Cased', 'Nocase', 'True', 'False',
      'Null', 'Identifier', 'StringLiteral', 'BlockString', 'NumberLiteral', 'NumberLiteral', 'Duration', 'EqEq',
      'NotEq', 'LtEq', 'GtEq', 'Lt', 'Gt', 'Equals', 'LCurly', 'RCurly', 'LBracket', 'RBracket', 'LParen', 'RParen',
      'Colon', 'Comma',
    ]);
  });

  it('tells keywords from identifiers that start with them', () => {
    const r = lex('in in_container list.size matches match nocase not-a notx true truex file.name count_x');
    expect(r.types).toEqual([
      'In', 'Identifier', 'Identifier', 'Matches', 'Match', 'Nocase', 'Identifier', 'Identifier', 'True',
      'Identifier', 'Identifier', 'Identifier',
    ]);
    expect(r.images[2]).toBe('list.size');
    expect(r.images[6]).toBe('not-a');
  });

  it('lexes a field with a named argument as one token, and `in[` as the keyword', () => {
    const r = lex('ka.uri.param[command] == "sh" and k8s.pod.label[app.name-x] exists and proc.name in[shells] and inx[1] exists');
    expect(r.types).toEqual([
      'Identifier', 'EqEq', 'StringLiteral', 'And', 'Identifier', 'Exists', 'And', 'Identifier', 'In', 'LBracket', 'Identifier', 'RBracket',
      'And', 'Identifier', 'Exists',
    ]);
    expect(r.images[0]).toBe('ka.uri.param[command]');
    expect(r.images[4]).toBe('k8s.pod.label[app.name-x]');
    expect(r.images[13]).toBe('inx[1]');
  });

  it('lexes dotted, dashed, indexed identifiers and ATT&CK ids as one token', () => {
    const r = lex('T1059.004 proc.aname[2] command-and-control k8s.ns.name _private TA0002 container.image.repository');
    expect(r.types.every((t) => t === 'Identifier')).toBe(true);
    expect(r.images).toEqual([
      'T1059.004', 'proc.aname[2]', 'command-and-control', 'k8s.ns.name', '_private', 'TA0002', 'container.image.repository',
    ]);
  });

  it('lexes durations before numbers, and digits run into other letters as one malformed duration', () => {
    expect(lex('30s 5m 1h 14d').types).toEqual(['Duration', 'Duration', 'Duration', 'Duration']);
    expect(lex('5min 5M 1.5h 1y 2x_3 -5m 1e5s 1E3m 5_m').types).toEqual(Array(9).fill('MalformedDuration'));
    expect(lex('5 5.5 -3 0 1e9 1.5E-3 2e+7 -0').types).toEqual(Array(8).fill('NumberLiteral'));
    expect(lex('[1e5, -2]').types).toEqual(['LBracket', 'NumberLiteral', 'Comma', 'NumberLiteral', 'RBracket']);
  });

  it('lexes block strings before strings', () => {
    const r = lex('"""a "quoted" b""" "" "x\\"y"');
    expect(r.types).toEqual(['BlockString', 'StringLiteral', 'StringLiteral']);
    expect(r.images[0]).toBe('"""a "quoted" b"""');
    expect(r.images[2]).toBe('"x\\"y"');
  });

  it('keeps any backslash escape in a string token (the visitor checks them)', () => {
    const r = lex('"a\\qb" "\\u12"');
    expect(r.types).toEqual(['StringLiteral', 'StringLiteral']);
    expect(r.errors).toBe(0);
  });

  it('makes unterminated strings tokens of their own', () => {
    expect(lex('"abc\nx').types).toEqual(['UnterminatedString', 'Identifier']);
    expect(lex('"abc\\').types).toEqual(['UnterminatedString']);
    expect(lex('"""abc\n x').types).toEqual(['UnterminatedBlockString']);
  });

  it('reads strings and names of millions of characters without running out of stack', () => {
    // the earlier regular expressions (`"(?:[^"\\\r\n]|\\[^\r\n])*"`, `(?:[.-][A-Za-z0-9_]+)*`) overflowed here
    const long = lex(`"${'a'.repeat(9_000_000)}" "${'\\"'.repeat(3_000_000)}" ${'a.'.repeat(2_000_000)}b ${'b'.repeat(9_000_000)}`);
    expect(long.types).toEqual(['StringLiteral', 'StringLiteral', 'Identifier', 'Identifier']);
    expect(long.images.map((i) => i.length)).toEqual([9_000_002, 6_000_002, 4_000_001, 9_000_000]);
    const open = lex(`"${'a'.repeat(9_000_000)}\\`);
    expect(open.types).toEqual(['UnterminatedString']);
    expect(open.images[0]!.length).toBe(9_000_002);
  });

  it('reads the same name and string tokens as the regular expressions it replaced', () => {
    const cases = ['a.b-c', 'a.', 'a..b', 'a.-b', 'proc.aname[2]', 'x-', 'T1059.004', 'a[b]', 'a[]', 'a[b', 'a.b[c.d-e]x', 'ka.uri.param[command]', '_', 'inx[', 'i[n]', 'a-[b]', 'a[b][c]', '"a\\"b"', '"a\\', '"a\\\nb"', '"ab\nc"', '"a"b"'];
    const name = /(?!in\[)[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*(?:\[[A-Za-z0-9_.-]+\])?/y;
    const closed = /"(?:[^"\\\r\n]|\\[^\r\n])*"/y;
    const open = /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/y;
    for (const text of cases) {
      const first = detLexer.tokenize(text).tokens[0]!;
      const expected = [name, closed, open].map((r) => ((r.lastIndex = 0), r.exec(text)?.[0])).find((m) => m !== undefined);
      expect(first.image, JSON.stringify(text)).toBe(expected);
    }
  });

  it('puts comments in their group, not in the token stream', () => {
    const r = lex('# one\ntitle: "x" # two\n#three');
    expect(r.types).toEqual(['Identifier', 'Colon', 'StringLiteral']);
    expect(r.comments).toEqual(['# one', '# two', '#three']);
  });

  it('skips a leading byte order mark', () => {
    const r = lex('\ufefflist x = []');
    expect(r.errors).toBe(0);
    expect(r.types[0]).toBe('List');
  });

  it('reports characters that start no token', () => {
    const r = detLexer.tokenize('a @ b && c');
    expect(r.errors.map((e) => [e.offset, e.length])).toEqual([
      [2, 1],
      [6, 2],
    ]);
    expect(r.tokens.map((t) => t.image)).toEqual(['a', 'b', 'c']);
  });

  describe('test events fast path', () => {
    it('takes a whole valid JSON value after matches / match as one token with its value', () => {
      const r = lex('matches {"a": [1, {"b": "c\\n"}], "__proto__": null} match [ ]');
      expect(r.types).toEqual(['Matches', 'JsonText', 'Match', 'JsonText']);
      expect(r.tokens[1]!.payload).toEqual({ a: [1, { b: 'c\n' }], ['__proto__']: null });
      expect(Object.getPrototypeOf(r.tokens[1]!.payload)).toBe(Object.prototype);
      expect(r.tokens[3]!.payload).toEqual([]);
    });

    it('spans lines', () => {
      const r = lex('matches {\n  "a": 1\n}');
      expect(r.types).toEqual(['Matches', 'JsonText']);
    });

    it('is not used elsewhere, nor for JSON with comments or errors', () => {
      expect(lex('detection x { }').types).toEqual(['Detection', 'Identifier', 'LCurly', 'RCurly']);
      expect(lex('matches {\n # note\n "a": 1 }').types).toEqual([
        'Matches', 'LCurly', 'StringLiteral', 'Colon', 'NumberLiteral', 'RCurly',
      ]);
      expect(lex('matches {"a": 1,}').types).toContain('LCurly');
      expect(lex('matches {"a": "\\q"}').types).toContain('LCurly');
      expect(lex('matches {"a": 5m}').types).toContain('Duration');
      expect(lex('matches {"a": "tab\there"}').types).toContain('LCurly');
    });
  });
});
