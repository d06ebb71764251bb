import type { IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/syntax/parse.js';
import { firstParseError, parseTokens } from '../../src/syntax/parser.js';
import { MAX_REPAIRS, parseDetection } from '../../src/syntax/resync.js';
import { detLexer } from '../../src/syntax/tokens.js';
import { format } from './helpers.js';

/** A detection whose members are `members`, one per line from line 2. */
const detection = (...members: string[]): string => ['detection d {', ...members.map((m) => `  ${m}`), '}', ''].join('\n');

const errors = (text: string): string[] => parseFile(text, 'x.det').diagnostics.map(format);

describe('parser: one error per broken member', () => {
  it('reports a Falco-style condition once, with the DSL spelling, and goes on to the next broken member', () => {
    const text = detection(
      'title: "t"',
      'condition: proc.name in (nc, ncat) && proc.cmdline contains "-e"',
      'severity: high',
      'tags: [a b]',
    );
    expect(errors(text)).toEqual([
      "3:27 DET1010 expected a list '[…]' or the name of a list after 'in', found '('",
      "3:38 DET1001 unexpected characters '&&'",
      "5:12 DET1010 expected ',' or ']' in the list, found name 'b'",
    ]);
    expect(parseFile(text, 'x.det').diagnostics[0]!.hint).toContain('`proc.name in ["nc", "ncat"]`');
  });

  it("says a single '=' in a condition is written '=='", () => {
    const { diagnostics } = parseFile(detection('condition: proc.name = "nc" or proc.pname == "sh"'), 'x.det');
    expect(diagnostics.map(format)).toEqual(["2:24 DET1010 expected '==' after 'proc.name', found '='"]);
    expect(diagnostics[0]!.hint).toMatch(/Compare with '=='/);
    // After a property's name a `=` is not a comparison: the hint shows `name: value`.
    const property = parseFile(detection('title = "x"'), 'x.det').diagnostics;
    expect(property.map(format)).toEqual(["2:9 DET1010 expected ':' after property name 'title' (or '{' to open a block), found '='"]);
    expect(property[0]!.hint).toMatch(/^Write a property as `name: value`/);
  });

  it("names Falco's own operators at the operator, with what to write instead", () => {
    const cases: [string, string, RegExp][] = [
      ['condition: proc.cmdline icontains "nc -e"', "2:27 DET1010 expected an operator of this language, found Falco's 'icontains'", /`contains "…" nocase`/],
      ['condition: fd.name pmatch ("/etc")', "2:22 DET1010 expected an operator of this language, found Falco's 'pmatch'", /`startswith "\/dir\/"`/],
      ['condition: fd.name glob "/etc/*"', "2:22 DET1010 expected an operator of this language, found Falco's 'glob'", /regex/],
    ];
    for (const [member, message, hint] of cases) {
      const { diagnostics } = parseFile(detection(member), 'x.det');
      expect(diagnostics.map(format), member).toEqual([message]);
      expect(diagnostics[0]!.hint, member).toMatch(hint);
    }
  });

  it("keeps an error in a test's events to that test: the tests after it are parsed as tests", () => {
    const text = detection(
      'test "one" matches { proc.name: "nc" }',
      'test "two" matches { "proc.name": "nc" }',
      'test "three" does not match [',
      '  { "proc.name": "bash" },',
      '  { "proc.name": "sh", },',
      ']',
      'test "four" does not match { "proc.name": "sh" }',
      'condtion: proc.name == "nc"',
    );
    expect(errors(text)).toEqual([
      "2:24 DET1010 expected ',' or '}' in the JSON object, found name 'proc.name'",
      "6:26 DET1010 expected a string in double quotes after ',', found '}'",
      "9:3 DET1010 unknown member 'condtion': did you mean 'condition'?",
    ]);
  });

  it('says a map block left open is not closed, at its brace, once', () => {
    const text = detection('attack { execution: T1059.004', 'condition: proc.name in shells', 'severity high');
    const { diagnostics } = parseFile(text, 'x.det');
    expect(diagnostics.map(format)).toEqual([
      "2:10 DET1010 the 'attack {' block is not closed: no '}' before 'condition' on line 3",
      "4:12 DET1010 expected ':' after property name 'severity' (or '{' to open a block), found name 'high'",
    ]);
    expect(diagnostics[0]!.hint).toMatch(/Close the block with '}'/);
    // Entries on lines of their own, deeper than the block's name, are the block's: a broken one is its own error.
    expect(errors(detection('attack {', '  execution T1059.004', '}', 'severity: high'))).toEqual([
      "3:15 DET1010 expected ':' after property name 'execution', found name 'T1059.004'",
    ]);
  });

  it("says '==' and Falco's operators only in conditions", () => {
    expect(errors('detection d = {\n}\n')).toEqual(["1:13 DET1010 expected '{' after 'd', found '='"]);
    expect(errors(detection('sequence by container.id within 5m {', '  step a = proc.name == "nc"', '}'))).toEqual(["3:12 DET1010 expected ':' after 'a', found '='"]);
    const output = parseFile(detection('output: time, intersects hostname'), 'x.det').diagnostics;
    expect(output).toHaveLength(1);
    expect(output[0]!.message).not.toMatch(/Falco/);
    expect(output[0]!.hint).not.toMatch(/Falco/);
    expect(errors('macro m = proc.name = "x"\n')).toEqual(["1:21 DET1010 expected '==' after 'proc.name', found '='"]);
  });

  it('does not take what is inside brackets for members: unquoted JSON keys, map entries like a keyword', () => {
    const json = detection('test "x" matches {', '  proc.name: "nc",', '  proc.cmdline: "x"', '}', 'severity high');
    expect(errors(json)).toEqual([
      "3:5 DET1010 expected ',' or '}' in the JSON object, found name 'proc.name'",
      "6:12 DET1010 expected ':' after property name 'severity' (or '{' to open a block), found name 'high'",
    ]);
    // `host` is close to `test`: inside `entities { }` it is an entry all the same.
    expect(errors(detection('entities {', '  host hostname', '}', 'severity high'))).toEqual([
      "3:10 DET1010 expected ':' after property name 'host', found name 'hostname'",
      "5:12 DET1010 expected ':' after property name 'severity' (or '{' to open a block), found name 'high'",
    ]);
    // A test left without its `}`: the next `test` starts a member, and what follows is still checked.
    expect(errors(detection('test "one" matches {', '  "a": 1', 'test "two" matches { "a": 2 }', 'severity high'))).toEqual([
      "4:3 DET1010 expected ',' or '}' in the JSON object, found 'test'",
      "5:12 DET1010 expected ':' after property name 'severity' (or '{' to open a block), found name 'high'",
    ]);
  });

  it('names the first line after an open map block that starts no deeper than the block', () => {
    const text = detection('attack {', '  execution: T1059.004', 'severity: high', 'condition: proc.name in shells');
    expect(errors(text)).toEqual(["2:10 DET1010 the 'attack {' block is not closed: no '}' before name 'severity' on line 4"]);
  });

  it('reports a member left without its value once, not the member after it', () => {
    expect(errors(detection('severity:', 'description: "x"', 'title: "t"'))).toHaveLength(1);
  });

  it('reports an unterminated """ once, where it opens, however much of the file it swallows', () => {
    const text = detection('title: "t"', 'description: """', '  text', 'severity: high') + 'detection e {\n  title: "u"\n}\n';
    expect(errors(text)).toEqual(['3:16 DET1002 unterminated block string: no closing \'"""\'']);
    // Also when a cut before it removed the token: the end of the file is no error of its own.
    const closedEarly = detection('description: """', '  a Falco""" rule', '  the end', '  """', 'severity: high');
    expect(errors(closedEarly)).toEqual([
      "4:5 DET1010 expected ':' after property name 'rule' (or '{' to open a block), found name 'the'",
      '5:5 DET1002 unterminated block string: no closing \'"""\'',
    ]);
  });

  it('reports a `}` too many once, and takes the rest of its detection for echoes, not the next detection', () => {
    const text = detection('title: "t"', 'attack { execution: T1059.004 } }', 'severity: high', 'tags: [a b]') + 'detection e {\n  title "u"\n}\n';
    expect(errors(text)).toEqual([
      "4:3 DET1010 expected 'list', 'macro' or 'detection', found name 'severity'",
      "8:9 DET1010 expected ':' after property name 'title' (or '{' to open a block), found string \"u\"",
    ]);
  });

  it('parses a valid detection once; after each cut, only from the cut to the next error, without recovery', () => {
    const run = (text: string): { recovering: number; after: number[] } => {
      const calls = { recovering: 0, after: [] as number[] };
      const tokens = detLexer.tokenize(text).tokens;
      parseDetection(
        tokens,
        text,
        (t: IToken[]) => {
          calls.recovering++;
          return parseTokens(t);
        },
        (t: IToken[]) => {
          calls.after.push(t.length);
          return firstParseError(t);
        },
      );
      return calls;
    };
    expect(run(detection('title: "t"', 'condition: a == 1', 'test "x" matches { "a": 1 }'))).toEqual({ recovering: 1, after: [] });
    const broken = run(detection('title "t"', 'condition: a = 1', 'test "x" matches { a: 1 }', 'severity: high'));
    expect(broken.recovering).toBe(1);
    // Three cuts; each next parse is `detection d {` and what follows the cut.
    expect(broken.after).toHaveLength(3);
    expect(broken.after[0]).toBeGreaterThan(broken.after[1]!);
    expect(broken.after[1]).toBeGreaterThan(broken.after[2]!);
    expect(broken.after[2]).toBe(3 + 3 + 1); // the header, `severity: high`, `}`
  });

  it(`stops cutting after ${MAX_REPAIRS} broken members, and still reports what follows`, () => {
    const broken = Array.from({ length: MAX_REPAIRS + 10 }, (_, i) => `tags${i} "x"`);
    const diagnostics = parseFile(detection(...broken), 'x.det').diagnostics;
    expect(diagnostics.length).toBeGreaterThanOrEqual(MAX_REPAIRS);
    expect(diagnostics.length).toBeLessThanOrEqual(MAX_REPAIRS + 10);
    expect(diagnostics.every((d) => d.code === 'DET1010')).toBe(true);
  });
});
