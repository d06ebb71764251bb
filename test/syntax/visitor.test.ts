import { describe, expect, it } from 'vitest';
import type { DetectionDecl, Property, StringValue } from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parse.js';
import { blockStringValue } from '../../src/syntax/strings.js';
import { format, memberOf, parseOk } from './helpers.js';

function stringOf(literal: string): StringValue {
  const m = memberOf(`x: ${literal}`) as Property;
  return m.value as StringValue;
}

describe('visitor: strings', () => {
  it('decodes JSON escapes', () => {
    expect(stringOf('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"').value).toBe('a"b\\c/d\b\f\n\r\té😀');
    expect(stringOf('""').value).toBe('');
  });

  it('reports each invalid escape (DET1003) at its exact position, with a hint', () => {
    const { diagnostics } = parseFile('detection d {\n  x: "a\\d b \\u12g \\x"\n}', 'e.det');
    expect(diagnostics.map(format)).toEqual([
      "2:8 DET1003 invalid escape sequence '\\d' in string",
      "2:13 DET1003 invalid escape sequence '\\u12' in string",
      "2:19 DET1003 invalid escape sequence '\\x' in string",
    ]);
    expect(diagnostics[1]!.span!.end.column).toBe(17);
    expect(diagnostics[0]!.hint).toMatch(/\\\\/);
  });

  it('reports invalid escapes in test names, test JSON and file paths', () => {
    const text = 'detection d {\n  test "\\q" matches file "a\\q"\n  test "ok" matches { # c\n "k\\q": "v" }\n}';
    expect(parseFile(text, 'e.det').diagnostics.map((d) => d.code)).toEqual(['DET1003', 'DET1003', 'DET1003']);
  });

  it('reports a lone surrogate escape (DET1003) at the escape, with a hint; a pair is one character', () => {
    const { diagnostics } = parseFile('detection d {\n  x: "a\\ud800b \\uDC00 \\ud800\\u0041 \\ud83d\\ude00"\n}', 'e.det');
    expect(diagnostics.map(format)).toEqual([
      "2:8 DET1003 invalid escape sequence '\\ud800' in string: a lone surrogate",
      "2:16 DET1003 invalid escape sequence '\\uDC00' in string: a lone surrogate",
      "2:23 DET1003 invalid escape sequence '\\ud800' in string: a lone surrogate",
    ]);
    expect(diagnostics[0]!.span!.end.column).toBe(14);
    expect(diagnostics[0]!.hint).toMatch(/lone surrogate/);
  });

  it('reports lone surrogate escapes in test names and test events (both JSON paths)', () => {
    const text = 'detection d {\n  test "\\udfff" matches { "k": "\\ud800" }\n  test "ok" matches { # c\n "k": ["\\ud800"] }\n}';
    expect(parseFile(text, 'e.det').diagnostics.map(format)).toEqual([
      "2:9 DET1003 invalid escape sequence '\\udfff' in string: a lone surrogate",
      "2:33 DET1003 invalid escape sequence '\\ud800' in string: a lone surrogate",
      "4:9 DET1003 invalid escape sequence '\\ud800' in string: a lone surrogate",
    ]);
    expect(stringOf('"\\ud83d\\ude00"').value).toBe('😀');
  });

  it('reports a raw control character in a string (DET1001), tab included, with the escape to write', () => {
    const { diagnostics } = parseFile('detection d {\n  x: "a\tb\u0001c\u001f"\n  test "t\u0000" matches { "k": "\u0007" }\n}', 'e.det');
    expect(diagnostics.map(format)).toEqual([
      '2:8 DET1001 raw control character U+0009 in string',
      '2:10 DET1001 raw control character U+0001 in string',
      '2:12 DET1001 raw control character U+001F in string',
      '3:10 DET1001 raw control character U+0000 in string',
      '3:29 DET1001 raw control character U+0007 in string',
    ]);
    expect(diagnostics[0]!.hint).toContain('write it as \\t');
    expect(diagnostics[1]!.hint).toContain('write it as \\u0001');
  });

  it('keeps tabs and line breaks in block strings', () => {
    expect(stringOf('"""\n  a\tb\n  c\n  """').value).toBe('a\tb\nc');
  });

  it('dedents block strings', () => {
    const value = stringOf('"""\n    Check **this**.\n\n      indented\n    end\n    """');
    expect(value).toMatchObject({ value: 'Check **this**.\n\n  indented\nend', block: true });
    expect(blockStringValue('\n  a\n  b\n  ')).toBe('a\nb');
    expect(blockStringValue('\n  a\n  b\n')).toBe('a\nb');
    expect(blockStringValue('one line')).toBe('one line');
    expect(blockStringValue('first\n    second\n    third\n  ')).toBe('first\nsecond\nthird');
    expect(blockStringValue('\r\n  a\r\n  b\r\n  ')).toBe('a\nb');
    expect(blockStringValue('\n  keep trailing  \n  ')).toBe('keep trailing  ');
    expect(blockStringValue('')).toBe('');
    expect(blockStringValue('\n  ')).toBe('');
    expect(blockStringValue('\n\n  x\n  ')).toBe('\nx');
  });

  it('refuses (DET1013) a block whose lines mix tabs and spaces so that no indentation is common to them all', () => {
    const block = (...lines: string[]): string => `detection d {\n  triage: """\n${lines.join('\n')}\n    """\n}`;
    const { diagnostics } = parseFile(block('\t1. Check the pod', '    2. Isolate it'), 'e.det');
    expect(diagnostics.map(format)).toEqual([`4:1 DET1013 this line of the """ block is indented with 4 spaces, its least indented line with a tab: no indentation is common to every line, so none can be removed without changing the text`]);
    expect(diagnostics[0]!.span!.end.column).toBe(5);
    expect(diagnostics[0]!.hint).toBe('indent every line of the block alike: with spaces only (or tabs only)');
    // the first line that disagrees, with its indentation in words
    expect(parseFile(block('    a', '    b', '\t    c', '     d'), 'e.det').diagnostics.map(format)).toEqual([
      `5:1 DET1013 this line of the """ block is indented with a tab and 4 spaces, its least indented line with 4 spaces: no indentation is common to every line, so none can be removed without changing the text`,
    ]);
    // a common tab, then spaces, or either alone; blank lines, CRLF and the opening line's text do not count
    for (const ok of [block('\ta', '\t  b'), block('  a', '', '\t', '    b'), block('\ta', '\t\tb'), 'detection d {\n  triage: """x\r\n\ta\r\n\tb\r\n  """\n}']) {
      expect(parseFile(ok, 'e.det').diagnostics).toEqual([]);
    }
  });

  it('keeps escapes raw in block strings', () => {
    expect(stringOf('"""\n  a\\nb "q"\n  """').value).toBe('a\\nb "q"');
  });
});

describe('visitor: values', () => {
  it('computes duration seconds', () => {
    const m = memberOf('schedule: every 30s lookback 14d');
    if (m.kind !== 'Schedule' || m.mode !== 'every') throw new Error();
    expect(m.every.seconds).toBe(30);
    expect(m.lookback?.seconds).toBe(14 * 86400);
    const h = memberOf('suppress: for 2h');
    if (h.kind !== 'Suppress') throw new Error();
    expect(h.duration).toMatchObject({ text: '2h', seconds: 7200 });
  });

  it('reads numbers as JSON numbers', () => {
    const m = memberOf('x: [-1.5e3, 0, 42]') as Property;
    expect(m.value).toMatchObject({ items: [{ value: -1500 }, { value: 0 }, { value: 42 }] });
  });
});

describe('visitor: comments', () => {
  const text = [
    '# file header', // 1
    '# second line', // 2
    'list a = [1] # after a list', // 3
    '', // 4
    'detection d {', // 5
    '  #   title comment  ', // 6
    '  title: "x"', // 7
    '  condition:', // 8
    '    a # in the expression', // 9
    '    and b', // 10
    '  attack {', // 11
    '    # entry comment', // 12
    '    execution: T1059', // 13
    '  }', // 14
    '  sequence within 5m {', // 15
    '    # step comment', // 16
    '    step s: a', // 17
    '    # before the closing brace of the sequence', // 18
    '  }', // 19
    '  test "t" matches {', // 20
    '    # in JSON', // 21
    '    "a": 1', // 22
    '  }', // 23
    '  # before the closing brace', // 24
    '}', // 25
    '#', // 26
    '# trailing', // 27
  ].join('\n');

  it('attaches comments to the node they precede or follow on its line, or before the } of a block, or to the enclosing node', () => {
    const ast = parseOk(text);
    const [list, det] = ast.blocks;
    expect(list!.comments).toEqual(['file header', 'second line']);
    expect(list!.trailingComment).toBe('after a list');
    if (det?.kind !== 'Detection') throw new Error();
    expect(det.comments).toBeUndefined();
    expect(det.closingComments).toEqual(['before the closing brace']);
    const [title, cond, attack, seq, test] = det.members;
    expect(title!.comments).toEqual(['  title comment']);
    expect(cond!.comments).toEqual(['in the expression']);
    if (attack?.kind !== 'MapBlock' || seq?.kind !== 'Sequence') throw new Error();
    expect(attack.comments).toBeUndefined();
    expect(attack.entries[0]!.comments).toEqual(['entry comment']);
    expect(seq.comments).toBeUndefined();
    expect(seq.closingComments).toEqual(['before the closing brace of the sequence']);
    expect(seq.steps[0]!.comments).toEqual(['step comment']);
    expect(test!.comments).toEqual(['in JSON']);
    expect(ast.trailingComments).toEqual(['', 'trailing']);
  });

  it('gives a comment on the line a member, an entry, a step, a test or a block ends to that node', () => {
    const ast = parseOk(
      [
        'detection d { # after the brace: the first member\'s',
        '  title: "x" # title',
        '  attack {',
        '    execution: T1059 # entry',
        '  } # attack',
        '  condition: a and # inside: the condition\'s',
        '    b # condition',
        '  sequence within 5m {',
        '    step s: a # step',
        '  }',
        '  test "t" matches { "a": 1 } # test',
        '} # detection',
      ].join('\n'),
    );
    const det = ast.blocks[0] as DetectionDecl;
    const [title, attack, cond, seq, test] = det.members;
    expect(det.trailingComment).toBe('detection');
    expect(title).toMatchObject({ comments: ["after the brace: the first member's"], trailingComment: 'title' });
    if (attack?.kind !== 'MapBlock' || seq?.kind !== 'Sequence') throw new Error();
    expect(attack.trailingComment).toBe('attack');
    expect(attack.entries[0]!.trailingComment).toBe('entry');
    expect(cond).toMatchObject({ comments: ["inside: the condition's"], trailingComment: 'condition' });
    expect(seq.steps[0]!.trailingComment).toBe('step');
    expect(seq.trailingComment).toBeUndefined();
    expect(test!.trailingComment).toBe('test');
    expect(ast.trailingComments).toBeUndefined();
  });

  it('takes any white space the lexer skips, but not a line break, between a node and its trailing comment', () => {
    const ast = parseOk('detection d {\n  title: "x"\u00a0\t\f# nbsp\n  severity: high\r\n  # own line\r\n  id: "i"\n}');
    const [title, severity, id] = (ast.blocks[0] as DetectionDecl).members;
    expect(title!.trailingComment).toBe('nbsp');
    expect(severity!.trailingComment).toBeUndefined();
    expect(id!.comments).toEqual(['own line']);
  });

  it('leaves `comments` out where there are none', () => {
    const ast = parseOk('detection d {\n  title: "x"\n}');
    expect('comments' in (ast.blocks[0] as DetectionDecl)).toBe(false);
    expect('comments' in (ast.blocks[0] as DetectionDecl).members[0]!).toBe(false);
    expect('trailingComments' in ast).toBe(false);
  });
});
