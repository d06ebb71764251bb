import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stripSpans, type Expr, type FileNode, type MacroDecl } from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parse.js';
import { printExpr, printFile } from '../../src/syntax/printer.js';
import { parseOk } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => readFileSync(join(here, 'fixtures', name), 'utf8');

/** print → parse gives the same AST, and printing is idempotent. */
function expectRoundTrip(ast: FileNode): string {
  const printed = printFile(ast);
  const again = parseOk(printed, ast.path);
  expect(stripSpans(again)).toEqual(stripSpans(ast));
  expect(printFile(again)).toBe(printed);
  return printed;
}

function reprint(text: string): string {
  return printFile(parseOk(text));
}

function macroBody(text: string): Expr {
  return (parseOk(`macro m = ${text}`).blocks[0] as MacroDecl).body;
}

describe('printer', () => {
  it('prints the rich fixture in the canonical format (golden file)', () => {
    expect(reprint(fixture('rich.det'))).toBe(fixture('rich.formatted.det'));
  });

  it('round-trips every fixture and is idempotent', () => {
    const names = readdirSync(join(here, 'fixtures')).filter((f) => f.endsWith('.det'));
    expect(names).toContain('rich.det');
    for (const name of names) expectRoundTrip(parseOk(fixture(name), name));
    expect(reprint(fixture('rich.formatted.det'))).toBe(fixture('rich.formatted.det'));
  });

  it('round-trips the project detections that parse', () => {
    const dir = join(here, '..', '..', 'detections');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.det'));
    } catch {
      files = [];
    }
    for (const f of files) {
      const { ast, diagnostics } = parseFile(readFileSync(join(dir, f), 'utf8'), f);
      if (diagnostics.length === 0) expectRoundTrip(ast);
    }
  });

  it('uses parentheses only where precedence or associativity needs them', () => {
    const cases: [string, string][] = [
      ['(a and b) and c', 'a and b and c'],
      ['a and (b and c)', 'a and (b and c)'],
      ['(a or b) or c', 'a or b or c'],
      ['a or (b or c)', 'a or (b or c)'],
      ['(a or b) and c', '(a or b) and c'],
      ['a and (b or c)', 'a and (b or c)'],
      ['(a and b) or c', 'a and b or c'],
      ['a or (b and c)', 'a or b and c'],
      ['not (a and b)', 'not (a and b)'],
      ['not (a)', 'not a'],
      ['not (not (x == 1))', 'not not x == 1'],
      ['((x exists))', 'x exists'],
      ['(a or b) and (c or d) and not (e or f)', '(a or b) and (c or d) and not (e or f)'],
    ];
    for (const [input, expected] of cases) {
      expect(printExpr(macroBody(input)), input).toBe(expected);
      expect(stripSpans(macroBody(expected)), input).toEqual(stripSpans(macroBody(input)));
    }
  });

  it('keeps a simple condition on its line and breaks and/or chains, operator leading', () => {
    expect(reprint('detection d { condition: a == "x" }')).toBe('detection d {\n  condition: a == "x"\n}\n');
    expect(reprint('detection d { condition: not (a or b) }')).toBe('detection d {\n  condition: not (a or b)\n}\n');
    expect(reprint('detection d { condition: a and b or c and (d or e) }')).toBe(
      'detection d {\n  condition:\n    a and b\n    or c and (d or e)\n}\n',
    );
    expect(reprint('macro m = a and b')).toBe('macro m =\n  a\n  and b\n');
  });

  it('prints every comparison form', () => {
    const text =
      'macro m = a == "x" and b != 1 and c < 2 and d <= 3 and e > -4 and f >= 5.5 and g contains "y" nocase ' +
      'and h startswith "z" cased and i endswith "w" and j regex "^q\\\\d$" and k in ["a", "b"] nocase and l in names and n exists';
    expect(reprint(text)).toBe(
      'macro m =\n  a == "x"\n  and b != 1\n  and c < 2\n  and d <= 3\n  and e > -4\n  and f >= 5.5\n  and g contains "y" nocase\n' +
        '  and h startswith "z" cased\n  and i endswith "w"\n  and j regex "^q\\\\d$"\n  and k in ["a", "b"] nocase\n  and l in names\n  and n exists\n',
    );
  });

  it('re-escapes strings as JSON', () => {
    expect(reprint('list l = ["tab\\there", "q\\"", "\\u00e9", "\\u0001", "\\/"]')).toBe(
      'list l = ["tab\\there", "q\\"", "é", "\\u0001", "/"]\n',
    );
  });

  it('escapes invisible, bidi, separator, private-use and non-ASCII space characters as \\uXXXX (not unassigned ones, which vary with the Unicode version)', () => {
    expect(reprint('macro m = proc.name == "kube\\u200bctl" or a == "\\u202e" or b in ["\\u00a0\\u2028\\ufeff\\u0085\\u061c", "\\udb80\\udc00\\u0378 é😀"]')).toBe(
      'macro m =\n  proc.name == "kube\\u200bctl"\n  or a == "\\u202e"\n  or b in ["\\u00a0\\u2028\\ufeff\\u0085\\u061c", "\\udb80\\udc00\u0378 é😀"]\n',
    );
    expect(reprint('detection d {\n  test "a\\u200fb" matches file "x\\u2066.ndjson"\n}')).toBe('detection d {\n  test "a\\u200fb" matches file "x\\u2066.ndjson"\n}\n');
  });

  it('prints block strings as blocks, and as strings when a block cannot hold the value', () => {
    expect(reprint('detection d {\n triage: """\n   a\n     b\n   """\n}')).toBe(
      'detection d {\n  triage: """\n    a\n      b\n    """\n}\n',
    );
    const ast = parseOk('detection d {\n triage: """x"""\n}');
    const det = ast.blocks[0]!;
    if (det.kind !== 'Detection') throw new Error();
    const prop = det.members[0]!;
    if (prop.kind !== 'Property' || prop.value.kind !== 'String') throw new Error();
    for (const value of ['has """ inside', '  all lines\n  indented', 'cr\rhere']) {
      const changed: FileNode = { ...ast, blocks: [{ ...det, members: [{ ...prop, value: { ...prop.value, value } }] }] };
      const printed = printFile(changed);
      expect(printed).not.toContain('"""');
      expect(parseOk(printed).blocks).toHaveLength(1);
      expect(printed).toContain(JSON.stringify(value));
    }
  });

  it('writes a long bracketed property list one item per line', () => {
    const long = Array.from({ length: 8 }, (_, i) => `"item number ${i}"`).join(', ');
    const printed = reprint(`detection d { tags: [${long}] }`);
    expect(printed).toBe(
      `detection d {\n  tags: [\n${Array.from({ length: 8 }, (_, i) => `    "item number ${i}",\n`).join('')}  ]\n}\n`,
    );
    expectRoundTrip(parseOk(printed));
  });

  it('prints comments before their nodes, after them on their line, and before the } they close', () => {
    const printed = reprint('# a\nlist x = [] # b\ndetection d { title: "t" # c\n attack { execution: T1059\n# d\n}\n  # e\n}\n#\n# end');
    expect(printed).toBe('# a\nlist x = [] # b\n\ndetection d {\n  title: "t" # c\n  attack {\n    execution: T1059\n    # d\n  }\n  # e\n}\n\n#\n# end\n');
  });

  it('prints an empty file as nothing', () => {
    expect(reprint('')).toBe('');
    expect(reprint('\n\n# only\n')).toBe('# only\n');
  });

  it('prints very long and/or chains without deep recursion', () => {
    const n = 20000;
    const text = `macro m = ${Array.from({ length: n }, (_, i) => `f${i} exists`).join(' and ')}`;
    const printed = reprint(text);
    expect(printed.split('\n')).toHaveLength(n + 2);
  });
});
