import { describe, expect, it, vi } from 'vitest';
import type { Expr, MacroDecl } from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parse.js';
import { DetParser } from '../../src/syntax/parser.js';
import { detLexer } from '../../src/syntax/tokens.js';
import { blocksOf, exprOf, firstBlock, format, membersOf, parseOk, show } from './helpers.js';

const id = (name: string) => ({ kind: 'Identifier', name });
const str = (value: string) => ({ kind: 'String', value, block: false });
const num = (value: number) => ({ kind: 'Number', value });
const dur = (text: string, seconds: number) => ({ kind: 'Duration', text, seconds });
const word = (name: string) => ({ kind: 'IdentifierValue', name });
const cmp = (field: string, op: string, value?: unknown, caseMode?: string) => ({
  kind: 'Comparison',
  field: id(field),
  op,
  ...(value !== undefined ? { value } : {}),
  ...(caseMode ? { caseMode } : {}),
});

function macroExpr(text: string): Expr {
  return (firstBlock(`macro m = ${text}`) as MacroDecl).body;
}

describe('parser: grammar', () => {
  it('passes Chevrotain grammar validation (no ambiguity, no left recursion)', () => {
    expect(() => new DetParser(true)).not.toThrow();
  });

  it('file := block*', () => {
    expect(blocksOf('')).toEqual([]);
    expect(blocksOf('  \n# only a comment\n')).toEqual([]);
    expect(blocksOf('list a = []\nmacro b = c\ndetection d {}').map((b) => (b as { kind: string }).kind)).toEqual([
      'List',
      'Macro',
      'Detection',
    ]);
  });

  it("listDecl := 'list' IDENT '=' '[' scalars ','? ']'", () => {
    expect(blocksOf('list shells = ["bash", "sh",]')).toEqual([
      { kind: 'List', name: id('shells'), items: [str('bash'), str('sh')] },
    ]);
    expect(blocksOf('list e = []')).toEqual([{ kind: 'List', name: id('e'), items: [] }]);
    expect(blocksOf('list m = [1, 5m, true, false, x.y, """b"""]')).toEqual([
      {
        kind: 'List',
        name: id('m'),
        items: [
          num(1),
          dur('5m', 300),
          { kind: 'Boolean', value: true },
          { kind: 'Boolean', value: false },
          word('x.y'),
          { kind: 'String', value: 'b', block: true },
        ],
      },
    ]);
  });

  it("macroDecl := 'macro' IDENT '=' expr", () => {
    expect(blocksOf('macro in_container = container.id exists')).toEqual([
      { kind: 'Macro', name: id('in_container'), body: cmp('container.id', 'exists') },
    ]);
  });

  it("detectionDecl := 'detection' IDENT '{' member* '}'", () => {
    expect(blocksOf('detection empty {}')).toEqual([{ kind: 'Detection', name: id('empty'), members: [] }]);
  });

  it('property := IDENT : value (scalar, bracketed list, bare list)', () => {
    expect(membersOf('title: "T"\nversion: 2\nseverity: high\ntags: ["a", "b"]\noutput: time, proc.cmdline\nrefs: []')).toEqual([
      { kind: 'Property', key: id('title'), value: str('T') },
      { kind: 'Property', key: id('version'), value: num(2) },
      { kind: 'Property', key: id('severity'), value: word('high') },
      { kind: 'Property', key: id('tags'), value: { kind: 'List', items: [str('a'), str('b')], bracketed: true } },
      { kind: 'Property', key: id('output'), value: { kind: 'List', items: [word('time'), word('proc.cmdline')], bracketed: false } },
      { kind: 'Property', key: id('refs'), value: { kind: 'List', items: [], bracketed: true } },
    ]);
  });

  it("mapBlock := IDENT '{' (NAME ':' value)* '}' — keys may be keywords", () => {
    expect(membersOf('attack {\n execution: T1059.004, T1059\n command-and-control: [T1095]\n}\nentities { file: fd.name }\nempty {}')).toEqual([
      {
        kind: 'MapBlock',
        key: id('attack'),
        entries: [
          { kind: 'Property', key: id('execution'), value: { kind: 'List', items: [word('T1059.004'), word('T1059')], bracketed: false } },
          { kind: 'Property', key: id('command-and-control'), value: { kind: 'List', items: [word('T1095')], bracketed: true } },
        ],
      },
      { kind: 'MapBlock', key: id('entities'), entries: [{ kind: 'Property', key: id('file'), value: word('fd.name') }] },
      { kind: 'MapBlock', key: id('empty'), entries: [] },
    ]);
    expect(membersOf('m { list: a\n macro: b\n detection: c }')).toEqual([
      {
        kind: 'MapBlock',
        key: id('m'),
        entries: [
          { kind: 'Property', key: id('list'), value: word('a') },
          { kind: 'Property', key: id('macro'), value: word('b') },
          { kind: 'Property', key: id('detection'), value: word('c') },
        ],
      },
    ]);
  });

  it("conditionMember := 'condition' ':' expr", () => {
    expect(membersOf('condition: a')).toEqual([{ kind: 'Condition', expr: { kind: 'MacroRef', name: id('a') } }]);
  });

  it("scheduleMember := 'schedule' ':' ('every' DURATION ('lookback' DURATION)? | 'realtime')", () => {
    expect(membersOf('schedule: every 5m\nschedule: every 1h lookback 2d\nschedule: realtime')).toEqual([
      { kind: 'Schedule', mode: 'every', every: dur('5m', 300) },
      { kind: 'Schedule', mode: 'every', every: dur('1h', 3600), lookback: dur('2d', 172800) },
      { kind: 'Schedule', mode: 'realtime' },
    ]);
  });

  it("suppressMember := 'suppress' ':' ('by' IDENT (',' IDENT)*)? 'for' DURATION", () => {
    expect(membersOf('suppress: for 30s\nsuppress: by container.id, proc.cmdline for 1h')).toEqual([
      { kind: 'Suppress', by: [], duration: dur('30s', 30) },
      { kind: 'Suppress', by: [id('container.id'), id('proc.cmdline')], duration: dur('1h', 3600) },
    ]);
  });

  it("thresholdMember := 'threshold' ':' 'count' '>=' NUMBER ('by' …)? 'within' DURATION", () => {
    expect(membersOf('threshold: count >= 5 within 10m\nthreshold: count >= 3 by container.id within 15m')).toEqual([
      { kind: 'Threshold', count: num(5), by: [], within: dur('10m', 600) },
      { kind: 'Threshold', count: num(3), by: [id('container.id')], within: dur('15m', 900) },
    ]);
  });

  it("sequenceMember := 'sequence' ('by' …)? 'within' DURATION '{' step+ '}'", () => {
    expect(membersOf('sequence by container.id within 10m {\n step a: x\n step b: y exists\n}\nsequence within 1m { step c: z }')).toEqual([
      {
        kind: 'Sequence',
        by: [id('container.id')],
        within: dur('10m', 600),
        steps: [
          { kind: 'Step', name: id('a'), expr: { kind: 'MacroRef', name: id('x') } },
          { kind: 'Step', name: id('b'), expr: cmp('y', 'exists') },
        ],
      },
      { kind: 'Sequence', by: [], within: dur('1m', 60), steps: [{ kind: 'Step', name: id('c'), expr: { kind: 'MacroRef', name: id('z') } }] },
    ]);
  });

  it("testDecl := 'test' STRING ('matches' | 'does' 'not' 'match') (jsonObject | jsonArray | 'file' STRING)", () => {
    expect(
      membersOf(
        'test "a" matches {"rule": "x", "n": -1.5, "t": true, "f": false, "z": null, "l": [1, "2"], "o": {}}\n' +
          'test "b" does not match [{"rule": "y"}, {}]\n' +
          'test "c" matches file "events/c.ndjson"\n' +
          'test "d" does not match []',
      ),
    ).toEqual([
      {
        kind: 'Test',
        name: str('a'),
        expect: 'match',
        events: { kind: 'JsonEvents', value: { rule: 'x', n: -1.5, t: true, f: false, z: null, l: [1, '2'], o: {} } },
      },
      { kind: 'Test', name: str('b'), expect: 'no-match', events: { kind: 'JsonEvents', value: [{ rule: 'y' }, {}] } },
      { kind: 'Test', name: str('c'), expect: 'match', events: { kind: 'FileEvents', path: str('events/c.ndjson') } },
      { kind: 'Test', name: str('d'), expect: 'no-match', events: { kind: 'JsonEvents', value: [] } },
    ]);
  });

  it('parses test JSON token by token (with a comment inside) to the same value as the fast path', () => {
    const json = '{"rule": "x", "nested": {"a": [1, 2.5e1, "s\\u00e9\\n"], "b": null}, "__proto__": {"p": 1}}';
    const fast = membersOf(`test "t" matches ${json}`);
    const slow = membersOf(`test "t" matches ${json.replace('{"rule"', '{ # comment\n"rule"')}`);
    expect(slow).toEqual([{ ...(fast[0] as object), comments: ['comment'] }]);
    const value = (slow[0] as { events: { value: Record<string, unknown> } }).events.value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['rule', 'nested', '__proto__']);
  });

  it('comparisonTail: every operator, case modes, lists and list names, exists', () => {
    expect(exprOf('a == "x"')).toEqual(cmp('a', '==', str('x')));
    expect(exprOf('a != 1')).toEqual(cmp('a', '!=', num(1)));
    expect(exprOf('a < 1')).toEqual(cmp('a', '<', num(1)));
    expect(exprOf('a <= 1')).toEqual(cmp('a', '<=', num(1)));
    expect(exprOf('a > 1')).toEqual(cmp('a', '>', num(1)));
    expect(exprOf('a >= 1')).toEqual(cmp('a', '>=', num(1)));
    expect(exprOf('a contains "x" nocase')).toEqual(cmp('a', 'contains', str('x'), 'nocase'));
    expect(exprOf('a startswith "x" cased')).toEqual(cmp('a', 'startswith', str('x'), 'cased'));
    expect(exprOf('a endswith "x"')).toEqual(cmp('a', 'endswith', str('x')));
    expect(exprOf('a regex "^x$"')).toEqual(cmp('a', 'regex', str('^x$')));
    expect(exprOf('a in ["x", "y"] nocase')).toEqual(cmp('a', 'in', { kind: 'List', items: [str('x'), str('y')], bracketed: true }, 'nocase'));
    expect(exprOf('a in shells')).toEqual(cmp('a', 'in', word('shells')));
    expect(exprOf('a exists')).toEqual(cmp('a', 'exists'));
    expect(exprOf('proc.aname[2] == "sh"')).toEqual(cmp('proc.aname[2]', '==', str('sh')));
    expect(exprOf('in_container')).toEqual({ kind: 'MacroRef', name: id('in_container') });
  });
});

describe('parser: precedence and associativity', () => {
  const cases: [string, string][] = [
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c', '((a and b) or c)'],
    ['a or b or c', '((a or b) or c)'],
    ['a and b and c', '((a and b) and c)'],
    ['not a and b', '(not a and b)'],
    ['not (a and b)', 'not (a and b)'],
    ['a and (b or c)', '(a and (b or c))'],
    ['a or (b or c)', '(a or (b or c))'],
    ['not not a', 'not not a'],
    ['(((a)))', 'a'],
    ['x == 1 or y exists and not z', '(x == or (y exists and not z))'],
  ];
  for (const [text, expected] of cases) {
    it(`${text}  ⇒  ${expected}`, () => {
      expect(show(macroExpr(text))).toBe(expected);
    });
  }
});

describe('parser: spans', () => {
  it('gives every node its source range', () => {
    const ast = parseOk('detection d {\n  title: "T"\n  condition: (a or b) and c\n}', 'f.det');
    const det = ast.blocks[0]!;
    expect(det.span).toEqual({ file: 'f.det', start: { offset: 0, line: 1, column: 1 }, end: { offset: 56, line: 4, column: 2 } });
    if (det.kind !== 'Detection') throw new Error();
    const title = det.members[0]!;
    expect([title.span.start.line, title.span.start.column, title.span.end.line, title.span.end.column]).toEqual([2, 3, 2, 13]);
    const cond = det.members[1]!;
    if (cond.kind !== 'Condition' || cond.expr.kind !== 'Binary') throw new Error();
    // The parenthesised operand's span includes its parentheses.
    expect(cond.expr.left.span.start.column).toBe(14);
    expect(cond.expr.left.span.end.column).toBe(22);
    expect(cond.expr.span.end.column).toBe(28);
    expect(ast.span.end.offset).toBe(56);
  });

  it('ignores a leading BOM for columns but keeps offsets into the text', () => {
    const ast = parseOk('\ufefflist x = []');
    expect(ast.blocks[0]!.span.start).toEqual({ offset: 1, line: 1, column: 1 });
  });

  it('counts \\r\\n and \\r as line breaks', () => {
    const ast = parseOk('list a = []\r\nlist b = []\rlist c = []');
    expect(ast.blocks.map((b) => [b.span.start.line, b.span.start.column])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  });
});

describe('parser: errors', () => {
  it('reports every error of a file, each at its line and column, and keeps the good parts', () => {
    const text = [
      'detection a {', //            1
      '  title "x"', //               2  missing ':'
      '  severity: high', //          3
      '  schedule: every 5 lookback 10m', // 4  not a duration
      '  condition: a == "b"', //     5
      '}', //                         6
      'list l = [1, 2 3]', //         7  missing ','
      'detection b { title: "ok" }', // 8
    ].join('\n');
    const { ast, diagnostics } = parseFile(text, 'e.det');
    expect(diagnostics.map(format)).toEqual([
      "2:9 DET1010 expected ':' after property name 'title' (or '{' to open a block), found string \"x\"",
      "4:19 DET1010 expected a duration such as 30s, 5m, 1h or 14d after 'every', found number 5",
      "7:16 DET1010 expected ',' or ']' in the list, found number 3",
    ]);
    expect(ast.blocks.map((b) => b.name.name)).toEqual(['a', 'l', 'b']);
    const a = ast.blocks[0]!;
    if (a.kind !== 'Detection') throw new Error();
    expect(a.members.map((m) => m.kind)).toEqual(['Property', 'Condition']);
  });

  it('says what was expected, where, and what was found; never token type dumps', () => {
    const broken = [
      'detection a { title "x" }',
      'detection a { attack { execution T1059 } }',
      'detection a { condition proc.name == "x" }',
      'detection a { condition: proc.name = "x" }',
      'detection a { condition: (a or b }',
      'detection a { condition: a and }',
      'detection a { condition: a in }',
      'detection a { schedule: sometimes }',
      'detection a { suppress: by for 1h }',
      'detection a { threshold: count > 5 within 1m }',
      'detection a { sequence within 5m { } }',
      'detection a { test "t" matches }',
      'detection a { test "t" does match {} }',
      'detection a { test "t" matches {"a": 1,} }',
      'detection a { test "t" matches {"a" 1} }',
      'detection a { title: }',
      'detection a { 42 }',
      'detection a { title: "x"',
      'detection { }',
      'list = [1]',
      'list x = [1',
      'macro m =',
      'junk',
      'detection a { tags: [a b] }',
    ];
    for (const text of broken) {
      const { diagnostics } = parseFile(text, 'b.det');
      expect(diagnostics.length, text).toBeGreaterThan(0);
      for (const d of diagnostics) {
        expect(d.message, text).toMatch(/^expected .+, found .+$/);
        expect(d.message, text).not.toMatch(/-->|<--|Colon|RCurly|LCurly|Identifier|StringLiteral|NumberLiteral|EOF|Token/);
        expect(d.hint, text).toBeTruthy();
        expect(d.span?.file).toBe('b.det');
        expect(d.span!.start.offset).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('reports a missing closing brace at the next block, which still parses', () => {
    const { ast, diagnostics } = parseFile('detection a {\n  title: "x"\ndetection b {}\n', 'm.det');
    expect(diagnostics.map(format)).toEqual([
      "3:1 DET1010 expected a member or '}' to close the detection, found 'detection'",
    ]);
    expect(ast.blocks.map((b) => b.name.name)).toEqual(['a', 'b']);
  });

  it('reports a missing closing brace at the end of the file', () => {
    const { diagnostics } = parseFile('detection a {\n  title: "x"\n', 'm.det');
    expect(diagnostics.map(format)).toEqual(["3:1 DET1010 expected a member or '}' to close the detection, found end of file"]);
  });

  it('reports one error, not its echo, when the parser re-synchronises right after it', () => {
    for (const text of ['detection a { schedule: sometimes }', 'detection a { tags: [a b] }', 'list x = 1', 'detection a { test t matches {} }']) {
      expect(parseFile(text, 'x.det').diagnostics, text).toHaveLength(1);
    }
  });

  it('points out capitalised keywords', () => {
    const { diagnostics } = parseFile('detection a { condition: a AND b }', 'x.det');
    expect(diagnostics.map(format)).toEqual([
      "1:32 DET1010 expected ':' after property name 'AND', found name 'b' (keywords are lowercase: 'and')",
    ]);
    expect(diagnostics[0]!.hint).toMatch(/lowercase/);
  });

  it('suggests == for =', () => {
    const { diagnostics } = parseFile('macro m = a = "b"', 'x.det');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.hint).toMatch(/==/);
  });

  it('names a misspelt member keyword, at the name, once per member, with the member syntax as hint', () => {
    const text = [
      'detection a {',
      '  title: "t"',
      '  condtion: proc.name == "nc"',
      '    and proc.cmdline contains "-e"',
      '  supress: by container.id, proc.name for 1h',
      '  Schedule: realtime',
      '  threshld: count >= 5 within 10m',
      '  tset "one" matches { "rule": "x" }',
      '  tset "two" does not match { "rule": "y" }',
      '  severity: high',
      '}',
    ].join('\n');
    const { diagnostics } = parseFile(text, 'x.det');
    expect(diagnostics.map(format)).toEqual([
      "3:3 DET1010 unknown member 'condtion': did you mean 'condition'?",
      "5:3 DET1010 unknown member 'supress': did you mean 'suppress'?",
      "6:3 DET1010 unknown member 'Schedule': did you mean 'schedule'?",
      "7:3 DET1010 unknown member 'threshld': did you mean 'threshold'?",
      "8:3 DET1010 unknown member 'tset': did you mean 'test'?",
      "9:3 DET1010 unknown member 'tset': did you mean 'test'?",
    ]);
    expect(diagnostics[0]!.hint).toMatch(/^Write `condition: <condition>`/);
    expect(diagnostics[5]!.hint).toMatch(/^Write `test "name" matches/);
  });

  it('names a misspelt `sequence` even when recovery takes its block for the end of the detection', () => {
    const text = 'detection a {\n  sequnce within 5m { step a: x == 1 }\n  tset "one" matches { "rule": "x" }\n}';
    const { diagnostics } = parseFile(text, 'x.det');
    expect(diagnostics.map(format)).toEqual([
      "2:3 DET1010 unknown member 'sequnce': did you mean 'sequence'?",
      "3:3 DET1010 unknown member 'tset': did you mean 'test'?",
    ]);
  });

  it('never names a member in a macro or list, which have none, nor for a line that goes on otherwise', () => {
    for (const text of [
      'macro m =\n  proc.name == "x" or\n  host "y"\n',
      'detection d {\n  condition: proc.name == "x" or\n  host "y"\n}',
      'detection d {\n  condition: proc.name == "x"\n  tests == "y"\n}',
    ]) {
      const { diagnostics } = parseFile(text, 'x.det');
      expect(diagnostics.length, text).toBeGreaterThan(0);
      for (const d of diagnostics) expect(d.message, text).not.toMatch(/member '/);
    }
  });

  it('does not take a broken value of an ordinary property for a misspelt member', () => {
    const { diagnostics } = parseFile('detection a {\n  tags: a b c\n  condition: x == 1\n}', 'x.det');
    expect(diagnostics.map(format)).toEqual(["2:13 DET1010 expected ':' after property name 'b' (or '{' to open a block), found name 'c'"]);
  });

  it('reports unexpected characters (DET1001) with the exact location and a hint', () => {
    const { diagnostics } = parseFile('list a = [1]\nmacro m = a && b', 'x.det');
    expect(diagnostics.map(format)[0]).toBe("2:13 DET1001 unexpected characters '&&'");
    expect(diagnostics[0]!.span!.end.column).toBe(15);
    expect(diagnostics[0]!.hint).toMatch(/`and`/);
    const single = parseFile("list a = ['x']", 'x.det').diagnostics;
    expect(single.map(format)).toEqual(["1:11 DET1001 a string in single quotes: 'x'"]);
    expect(single[0]!.hint).toMatch(/double quotes/);
  });

  it('refuses bidi controls everywhere, comments and strings included, once each (Trojan Source)', () => {
    const text = 'macro m = proc.name == "nc" # \u202e and x == 1\nlist l = ["a\u2066b", """x\u2069"""]\nmacro q = x == 1 \u202d\n';
    const { diagnostics } = parseFile(text, 'x.det');
    expect(diagnostics.map(format)).toEqual([
      '1:31 DET1001 bidirectional control character U+202E',
      '2:13 DET1001 bidirectional control character U+2066',
      '2:22 DET1001 bidirectional control character U+2069',
      '3:18 DET1001 bidirectional control character U+202D',
    ]);
    expect(diagnostics[1]!.hint).toMatch(/Trojan Source.*\\u2066/);
    // Other format characters (a right-to-left mark, a zero-width space) stay allowed.
    expect(parseFile('list l = ["a\u200fb\u200b"] # \u200f', 'x.det').diagnostics).toEqual([]);
    // Among other unexpected characters, the bidi control is its own error, not also part of theirs.
    expect(parseFile('list l = ["a"]\n@\u202e$$\n', 'x.det').diagnostics.map(format)).toEqual([
      "2:1 DET1001 unexpected character '@'",
      '2:2 DET1001 bidirectional control character U+202E',
      "2:3 DET1001 unexpected characters '$$'",
    ]);
  });

  it('ends a comment at U+2028, U+2029 and U+0085, which are then refused: a comment cannot swallow what an editor shows as lines', () => {
    const { ast, diagnostics } = parseFile('# c\u2028detection a {\u2029}\u0085', 'x.det');
    expect(diagnostics.map(format)).toEqual([
      "1:4 DET1001 unexpected character 'U+2028'",
      "1:18 DET1001 unexpected character 'U+2029'",
      "1:20 DET1001 unexpected character 'U+0085'",
    ]);
    expect(diagnostics[0]!.hint).toMatch(/not a line break/);
    expect(ast.blocks).toHaveLength(1);
  });

  it('reports unterminated strings (DET1002) once, without a cascade', () => {
    const { ast, diagnostics } = parseFile('detection a {\n  title: "abc\n  severity: high\n}', 'x.det');
    expect(diagnostics.map(format)).toEqual(["2:10 DET1002 unterminated string: no closing '\"' on this line"]);
    expect(diagnostics[0]!.hint).toBeTruthy();
    const a = ast.blocks[0]!;
    if (a.kind !== 'Detection') throw new Error();
    expect(a.members).toHaveLength(2);
    const block = parseFile('detection a {\n  triage: """\n  text\n}', 'x.det').diagnostics;
    expect(block.map(format)[0]).toBe("2:11 DET1002 unterminated block string: no closing '\"\"\"'");
  });
});

describe('a file the lexer cannot read', () => {
  it('is DET1010 at its longest line, not a crash, should a token pattern run out of stack', () => {
    const spy = vi.spyOn(detLexer, 'tokenize').mockImplementation(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    try {
      const longest = `  description: "${'a'.repeat(50)}"`;
      const r = parseFile(`detection x {\n${longest}\n  title: "t"\n}\n`, 'x.det');
      expect(r.ast.blocks).toEqual([]);
      expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'DET1010', severity: 'error', message: expect.stringContaining(`${longest.length} characters long`) })]);
      expect(r.diagnostics[0]!.span!.start).toMatchObject({ line: 2, column: 1 });
    } finally {
      spy.mockRestore();
    }
  });
});
