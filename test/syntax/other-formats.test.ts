/**
 * Syntax errors of authors used to Falco rules, Sigma, Elastic or Sentinel: another format's
 * name for a member, Falco's unquoted values and `in (…)` lists, and a block whose `}` was
 * written for the detection.
 */
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/syntax/parse.js';
import { format } from './helpers.js';

/** A detection whose members are `members`, one per line from line 2. */
const detection = (...members: string[]): string => ['detection d {', ...members.map((m) => `  ${m}`), '}', ''].join('\n');
const parse = (text: string) => parseFile(text, 'x.det').diagnostics;
const errors = (text: string): string[] => parse(text).map(format);

describe("another format's name for a member", () => {
  it('says which member a condition written under another name is, at the name', () => {
    const cases: [string, string][] = [
      ['query: proc.name == "nc"', "Elastic's and Sentinel's `query` is `condition` here"],
      ['Query: proc.name == "nc"', "Elastic's and Sentinel's `Query` is `condition` here"],
      ['filter: proc.name == "nc" and fd.name == "x"', '`filter` is `condition` here'],
      ['where: proc.name == "nc"', '`where` is `condition` here'],
      // keywords of this language too
      ['match: proc.name == "nc"', '`match` is `condition` here'],
      ['detection: proc.name == "nc"', "Sigma's `detection` is `condition` here"],
    ];
    for (const [member, hint] of cases) {
      const found = parse(detection('title: "t"', member));
      const name = member.slice(0, member.indexOf(':'));
      expect(found.map(format), member).toEqual([`3:3 DET1010 unknown member '${name}'`]);
      expect(found[0]!.hint, member).toBe(`${hint}: \`condition: proc.name == "nc" and container.id exists\``);
    }
  });

  it('leaves a condition-looking line that is not `name:` alone, and a valid property to lowering', () => {
    // `where` with no colon: an ordinary error
    expect(errors(detection('condition: proc.name == "nc"', 'where proc.pname == "sh"'))).toEqual([
      "3:9 DET1010 expected ':' after property name 'where' (or '{' to open a block), found name 'proc.pname'",
    ]);
    // `query: "…"` parses: lowering reports it (DET2001, with the same hint)
    expect(errors(detection('query: "proc.name:nc"'))).toEqual([]);
    // inside a test's event a name is an unquoted JSON key, not a member
    expect(errors(detection('test "t" matches {query: "x"}'))).toEqual(["2:21 DET1010 expected ',' or '}' in the JSON object, found name 'query'"]);
    // after a dangling `and` the condition goes on: the error is the missing condition
    expect(errors(detection('condition: proc.name == "a" and', 'match: x'))).toEqual([
      "3:3 DET1010 expected a condition (a field comparison, a macro name, 'not' or '(') after 'and', found 'match'",
    ]);
  });
});

describe("Falco's unquoted values", () => {
  it('reports an unquoted value once, quoted in the hint, and parses on as if it were quoted', () => {
    const cases: [string, string, string][] = [
      ['condition: fd.name startswith /etc', "2:33 DET1001 value '/etc' is not quoted", '`startswith "/etc"`'],
      ['condition: fd.name == /etc/shadow', "2:25 DET1001 value '/etc/shadow' is not quoted", '`== "/etc/shadow"`'],
      ['condition: fd.name==/etc/shadow', "2:23 DET1001 value '/etc/shadow' is not quoted", '`== "/etc/shadow"`'],
      ['condition: fd.name contains ~/.ssh', "2:31 DET1001 value '~/.ssh' is not quoted", '`contains "~/.ssh"`'],
      // a value that starts as a name
      ['condition: fd.name contains etc/shadow', "2:31 DET1001 value 'etc/shadow' is not quoted", '`contains "etc/shadow"`'],
    ];
    for (const [member, message, quoted] of cases) {
      // the members after it parse: nothing cascades from the value
      const found = parse(detection(member, 'severity: high', 'tags: [a b]'));
      expect(found.map(format), member).toEqual([message, "4:12 DET1010 expected ',' or ']' in the list, found name 'b'"]);
      expect(found[0]!.hint, member).toBe(`Values are written in double quotes: ${quoted}.`);
    }
  });

  it("reports each unquoted item of a list once, as Falco writes lists", () => {
    const found = parse('list shells = [/bin/sh, /bin/bash]\nlist more = [sh, "/usr/bin/sh"]\n');
    expect(found.map(format)).toEqual(["1:16 DET1001 value '/bin/sh' is not quoted", "1:25 DET1001 value '/bin/bash' is not quoted"]);
    expect(found[0]!.hint).toBe('Values are written in double quotes: `"/bin/sh"`.');
    expect(errors(detection('tags: [a, /b]', 'condition: proc.name in ["a", /b]'))).toEqual(["2:13 DET1001 value '/b' is not quoted", "3:33 DET1001 value '/b' is not quoted"]);
  });

  it('ends a value at a brace, a control or U+0085, and reports what runs past it', () => {
    // the sequence's `}` closes it
    expect(errors(detection('sequence by container.id within 10m { step a: fd.name == /etc/shadow}', 'severity: high'))).toEqual([
      "2:60 DET1001 value '/etc/shadow' is not quoted",
    ]);
    // U+0085 is not part of the value: it has its own error
    expect(errors(detection('condition: fd.name == /etc\u0085and proc.name == "x"'))).toEqual([
      "2:25 DET1001 value '/etc' is not quoted",
      "2:29 DET1001 unexpected character 'U+0085'",
    ]);
    // a stray quote right after a value is reported too
    expect(errors(detection("condition: fd.name == /a/'b")).slice(0, 2)).toEqual(["2:25 DET1001 value '/a/' is not quoted", "2:28 DET1001 unexpected character '''"]);
    // `contains` as part of a name is no operator
    expect(errors(detection('output: user.contains /x'))[0]).toBe("2:25 DET1001 unexpected character '/'");
  });

  it('spans a parser error at a value read as a string by its text, not by the string it became', () => {
    const found = parse(detection('threshold: count >= /5'));
    expect(found.map(format)).toEqual(["2:23 DET1001 value '/5' is not quoted", "2:23 DET1010 expected a number after '>=', found string \"/5\""]);
    expect(found.map((d) => d.span!.end.column)).toEqual([25, 25]);
  });

  it('keeps the other unexpected characters as they were', () => {
    // an apostrophe with no closing quote on its line
    const found = parse(detection("condition: proc.name == nc' or fd.name == \"x\""));
    expect(found.map(format)).toEqual(["2:29 DET1001 unexpected character '''"]);
    expect(found[0]!.hint).toBe('Strings are written in double quotes: "…".');
    // `/` where no value is expected
    expect(parse(detection('title: "t" / x'))[0]!.hint).toBe('Comments start with `#`.');
  });

  it('pairs no quote across a string or a comment, keeps what follows a string, and counts past 20 strings', () => {
    // an apostrophe before a "…" string or a comment is no string's opening quote
    expect(parse(detection(`condition: proc.name == nc' and proc.cmdline contains "it's"`)).map(format)).toEqual(["2:29 DET1001 unexpected character '''"]);
    expect(parse(detection("condition: proc.name == 'nc' # don't")).map(format)).toEqual(["2:27 DET1001 a string in single quotes: 'nc'"]);
    // what the lexer could not read right after the closing quote is still reported
    expect(parse(detection("condition: proc.name == 'nc'$$ and proc.pid == 1")).map(format)).toEqual([
      "2:27 DET1001 a string in single quotes: 'nc'",
      "2:31 DET1001 unexpected characters '$$'",
    ]);
    // 100,000 strings: 20 listed, one count, no stack overflow
    const many = parse(detection(`tags: [${"'a', ".repeat(100_000)}"b"]`));
    expect(many).toHaveLength(21);
    expect(format(many[20]!)).toBe('2:110 DET1001 … and 99980 more strings in single quotes from here (100000 in all; the first 20 are listed)');
  });

  it('reads a string in single quotes as the string, with one error each, in conditions, lists and test events', () => {
    const found = parse(detection("condition: proc.name == 'nc' and proc.pname in ['bash', 'it''s']", `test "t" matches {'rule': "r"}`));
    expect(found.map(format)).toEqual([
      "2:27 DET1001 a string in single quotes: 'nc'",
      "2:51 DET1001 a string in single quotes: 'bash'",
      "2:59 DET1001 a string in single quotes: 'it's'",
      "3:21 DET1001 a string in single quotes: 'rule'",
    ]);
    expect(found.map((d) => d.hint)).toEqual([
      'Strings are written in double quotes, with JSON\'s escapes: "nc".',
      'Strings are written in double quotes, with JSON\'s escapes: "bash".',
      'Strings are written in double quotes, with JSON\'s escapes: "it\'s".',
      'Strings are written in double quotes, with JSON\'s escapes: "rule".',
    ]);
    expect(found[0]!.span!.end.column).toBe(31);
    // a text property in single quotes says so
    expect(parse(detection("title: 'Netcat in a container'")).map((d) => `${format(d)} | ${d.hint}`)).toEqual([
      '2:10 DET1010 the value of `title` is in single quotes | Text is written in double quotes: `title: "Netcat in a container"`.',
    ]);
  });

  it("rewrites a Falco list `in (…)` with the author's own items, unquoted paths included, as one error", () => {
    const cases: [string, string][] = [
      ['condition: evt.type in (open,openat) and fd.name contains "shadow"', '`evt.type in ["open", "openat"]`'],
      ['condition: proc.exepath in (/bin/sh, /bin/bash)', '`proc.exepath in ["/bin/sh", "/bin/bash"]`'],
      ['condition: proc.name in (nc, "netcat", 5)', '`proc.name in ["nc", "netcat", 5]`'],
    ];
    for (const [member, list] of cases) {
      const found = parse(detection(member));
      expect(found.map((d) => d.code), member).toEqual(['DET1010']);
      expect(found[0]!.hint, member).toBe(`A list is written in square brackets, strings in double quotes (Falco's \`in (…)\`): ${list}, or the name of a \`list\`.`);
    }
    // a list told by its tokens: `in (` inside a string starts none, so the value is reported
    const inString = parse(detection('tags: ["in (", /x]'));
    expect(inString.map(format)).toEqual(["2:18 DET1001 value '/x' is not quoted"]);
    expect(inString[0]!.hint).toBe('Values are written in double quotes: `"/x"`.');
    // in a macro too
    expect(parse('macro m = proc.name in (nc, ncat)\n')[0]!.hint).toContain('`proc.name in ["nc", "ncat"]`');
  });

  it('shows the general form when the list is not plain items on one line', () => {
    for (const member of ['condition: proc.name in (nc,', 'condition: proc.name in (nc and x)', 'condition: proc.name in (nc,\n    ncat)']) {
      const found = parse(detection(member));
      expect(found[0]!.hint, member).toBe('A list is written in square brackets, strings in double quotes: `proc.name in ["nc", "ncat"]` (Falco\'s `in (nc, ncat)`), or the name of a `list`.');
    }
  });
});

describe('text properties written without quotes', () => {
  it('reports the value once, quoted in the hint, and parses it as that string', () => {
    const found = parse(detection('title: Netcat in a container', 'description: Detects nc -e && more # why', 'author: acme', 'tags: [a b]'));
    expect(found.map(format)).toEqual([
      '2:10 DET1010 the value of `title` is not quoted',
      '3:16 DET1010 the value of `description` is not quoted',
      // the members after them parse: nothing cascades
      "5:12 DET1010 expected ',' or ']' in the list, found name 'b'",
    ]);
    expect(found.map((d) => d.hint).slice(0, 2)).toEqual([
      'Text is written in double quotes: `title: "Netcat in a container"`.',
      'Text is written in double quotes: `description: "Detects nc -e && more"` (a `"""` block for several lines).',
    ]);
    // an id too
    expect(errors(detection('id: 0b575b85-7418-412e-963a-938aa5f8109a'))).toEqual(['2:7 DET1010 the value of `id` is not quoted']);
  });

  it('finds every such property by its tokens, not by the lines of the errors, and only directly in a detection', () => {
    // thirty lines: each the same message (the parser stops reporting after twenty errors in a detection)
    const many = parse(detection(...Array.from({ length: 30 }, () => 'title: a b c')));
    expect(many).toHaveLength(30);
    expect(new Set(many.map((d) => d.message))).toEqual(new Set(['the value of `title` is not quoted']));
    // a line of a """ block, or of a test's event, is no property
    const inside = detection('description: """', '    title: see here', '    """', 'test "t" matches {', '  title: nc -e x', '}');
    expect(errors(inside).some((e) => e.includes('the value of'))).toBe(false);
    // CR line breaks
    expect(errors('detection d {\r  title: Netcat in a container\r  severity: high\r}\r')).toEqual(['2:10 DET1010 the value of `title` is not quoted']);
  });

  it("quotes what YAML would read: a URL's #fragment and C# stay, a ' #' comment, YAML's single quotes and a closing '}' do not", () => {
    const hint = (line: string): string | undefined => parse(detection(line))[0]?.hint;
    expect(hint('title: Netcat, see https://gtfobins.github.io/gtfobins/nc/#reverse-shell for details')).toBe(
      'Text is written in double quotes: `title: "Netcat, see https://gtfobins.github.io/gtfobins/nc/#reverse-shell for details"`.',
    );
    expect(hint('title: nc in C# containers # why')).toBe('Text is written in double quotes: `title: "nc in C# containers"`.');
    expect(hint("title: 'Netcat in a container'")).toBe('Text is written in double quotes: `title: "Netcat in a container"`.');
    expect(errors('detection d {\n  response: Isolate the pod }\n')).toEqual(['2:13 DET1010 the value of `response` is not quoted']);
  });

  it('leaves a line without an error alone: one bare word is a value (lowering asks for quotes)', () => {
    expect(errors(detection('author: acme', 'title: "t"'))).toEqual([]);
  });
});

describe('misspelt operators', () => {
  it("names a misspelt operator or case mode at the word, with the one meant, and says where `not` goes", () => {
    const cases: [string, string][] = [
      ['condition: proc.cmdline contain "curl"', "2:27 DET1010 unknown operator 'contain': did you mean 'contains'?"],
      ['condition: proc.name startwith "nc"', "2:24 DET1010 unknown operator 'startwith': did you mean 'startswith'?"],
      ['condition: proc.name endwith "nc"', "2:24 DET1010 unknown operator 'endwith': did you mean 'endswith'?"],
      ['condition: proc.name regx "^nc"', "2:24 DET1010 unknown operator 'regx': did you mean 'regex'?"],
      // at the end of the condition: the error is found at the next line's member, said at the word
      ['condition: proc.name exist', "2:24 DET1010 unknown operator 'exist': did you mean 'exists'?"],
      ['condition: proc.name == "nc" nocas', "2:32 DET1010 unknown case mode 'nocas': did you mean 'nocase'?"],
      ['condition: proc.name in shells nocas', "2:34 DET1010 unknown case mode 'nocas': did you mean 'nocase'?"],
      ['condition: proc.name not in ["nc"]', "2:24 DET1010 expected an operator after 'proc.name', found 'not'"],
    ];
    for (const [member, message] of cases) {
      const found = parse(detection(member, 'title: "t"'));
      expect(found.map(format), member).toEqual([message]);
      expect(found[0]!.span!.end.offset - found[0]!.span!.start.offset, member).toBe(/'(\w+)'/.exec(message.replace(/after '[^']*', /, ''))![1]!.length);
    }
    expect(parse(detection('condition: proc.cmdline contain "curl"'))[0]!.hint).toMatch(/^The operators are ==, !=, <, <=, >, >=, in, contains, /);
    expect(parse(detection('condition: proc.name not in ["nc"]'))[0]!.hint).toBe('`not` goes before the comparison it negates: `not proc.name …`.');
  });

  it("names a misspelt `step` in a sequence, first or later", () => {
    const sequence = (first: string, second: string) => detection('sequence by container.id within 1m {', `  ${first} a: proc.name == "a"`, `  ${second} b: proc.name == "b"`, '}');
    expect(parse(sequence('stp', 'step')).map(format)).toEqual(["3:5 DET1010 unknown keyword 'stp' in the sequence: did you mean 'step'?"]);
    expect(parse(sequence('step', 'Stepp')).map(format)).toEqual(["4:5 DET1010 unknown keyword 'Stepp' in the sequence: did you mean 'step'?"]);
  });

  it('leaves words alone that are no misspelling, or start the next line (a member)', () => {
    // a word far from every operator, and a misspelt member on the next line: said as before
    expect(parse(detection('condition: proc.name sounds "nc"')).map(format)).toEqual(["2:31 DET1010 expected ':' after property name 'sounds' (or '{' to open a block), found string \"nc\""]);
    expect(parse(detection('condition: shell', 'regx: "x"')).map(format)).toEqual([]);
    // short words: `is` is no misspelt `in`, nor a macro `ins` after a missing `and`
    for (const condition of ['condition: proc.name is "nc"', 'condition: m ins']) {
      expect(parse(detection(condition)).map((d) => d.message).join(' '), condition).not.toMatch(/did you mean/);
    }
  });
});

describe("other languages' operators", () => {
  it('names KQL\'s and SQL\'s operators at the operator, with what to write instead', () => {
    const cases: [string, string, string][] = [
      ['condition: proc.cmdline has "nc"', "2:27 DET1010 expected an operator of this language, found KQL's 'has'", '`contains "…" nocase`'],
      ['condition: proc.cmdline contains_cs "nc"', "2:27 DET1010 expected an operator of this language, found KQL's 'contains_cs'", 'is `contains "…"` here'],
      ['condition: proc.name startswith_cs "n"', "2:24 DET1010 expected an operator of this language, found KQL's 'startswith_cs'", 'is `startswith "…"` here'],
      // `matches` is a keyword of this language (tests), not a condition operator
      ['condition: proc.cmdline matches regex "nc -e"', "2:27 DET1010 expected an operator of this language, found KQL's 'matches'", 'is `regex "…"` here'],
      ['condition: proc.name like "nc%"', "2:24 DET1010 expected an operator of this language, found SQL's 'like'", 'use `startswith`, `endswith`, `contains` or `regex "…"`'],
      // Falco's, as before
      ['condition: proc.cmdline icontains "nc"', "2:27 DET1010 expected an operator of this language, found Falco's 'icontains'", '`contains "…" nocase`'],
    ];
    for (const [member, message, hint] of cases) {
      const found = parse(detection(member));
      expect(found.map(format), member).toEqual([message]);
      expect(found[0]!.hint, member).toContain(hint);
    }
    // outside a condition the word is a property's name as before
    expect(errors(detection('has: "x"'))).toEqual([]);
  });

  it('reads `&&`, `||`, `=~`, `!~` and `in~` as the operators meant after reporting them, so the rest of the condition parses', () => {
    const found = parse(detection('condition: proc.name == "a" && proc.pname == "b" || fd.name == "c"', 'tags: [a b]'));
    expect(found.map(format)).toEqual([
      "2:31 DET1001 unexpected characters '&&'",
      "2:52 DET1001 unexpected characters '||'",
      "3:12 DET1010 expected ',' or ']' in the list, found name 'b'",
    ]);
    expect(found.map((d) => d.hint).slice(0, 2)).toEqual(['Combine conditions with `and`.', 'Combine conditions with `or`.']);
    // KQL's case-insensitive operators: one error each, read as the operator without `nocase`
    const kql: [string, string, string][] = [
      ['condition: proc.name =~ "nc" and x == "y"', "2:25 DET1001 unexpected character '~'", 'KQL\'s `=~` is `== "…" nocase` here.'],
      ['condition: proc.name !~ "nc" and x == "y"', "2:24 DET1001 unexpected characters '!~'", 'KQL\'s `!~` is `!= "…" nocase` here.'],
      ['condition: proc.name in~ ["nc"] and x == "y"', "2:26 DET1001 unexpected character '~'", 'KQL\'s `in~` is `in [ … ] nocase` here.'],
    ];
    for (const [member, message, hint] of kql) {
      const got = parse(detection(member));
      expect(got.map(format), member).toEqual([message]);
      expect(got[0]!.hint, member).toBe(hint);
    }
    // a `&` inside an unquoted value is the value's
    expect(errors(detection('condition: fd.name contains /a&&b'))).toEqual(["2:31 DET1001 value '/a&&b' is not quoted"]);
  });
});

describe("a block closed by the detection's '}'", () => {
  const closedEarly = (opening: string, line: number, column: number, closeLine: number): string =>
    `${line}:${column} DET1010 the '${opening}' block is not closed: the '}' on line ${closeLine} closes it, which leaves the detection open`;

  it('points at the block, not at what follows the detection', () => {
    const attack = ['detection x {', '  title: "x"', '  attack {', '    execution: T1059.004', '}', '', 'detection y {', '  title: "y"', '}', ''].join('\n');
    expect(errors(attack)).toEqual([closedEarly('attack {', 3, 10, 5)]);
    expect(parse(attack)[0]!.hint).toBe("Close the block with '}' after its last entry, and keep the '}' on line 5 for the detection.");
    const sequence = ['detection x {', '  sequence by container.id within 5m {', '    step a: rule == "a"', '    step b: rule == "b"', '}', ''].join('\n');
    expect(errors(sequence)).toEqual([closedEarly('sequence … {', 2, 38, 5)]);
    // a test's event, read as one JSON token
    const test = ['detection x {', '  test "one" matches {', '    "rule": "a"', '}', ''].join('\n');
    expect(errors(test)).toEqual([closedEarly('test … {', 2, 22, 4)]);
  });

  it('says nothing of the kind where indentation tells nothing', () => {
    // no indentation: the detection's own '}' is missing
    expect(errors(['detection x {', 'title: "x"', 'attack {', '  execution: T1059', '}', ''].join('\n'))).toEqual([
      "6:1 DET1010 expected a member or '}' to close the detection, found end of file",
    ]);
    // members after the outdented '}': the detection's own '}' is missing, not misplaced
    expect(errors(['detection x {', '  attack {', '    execution: T1059.004', '}', '  condition: proc.name == "nc"', '  severity: high', ''].join('\n'))).toEqual([
      "7:1 DET1010 expected a member or '}' to close the detection, found end of file",
    ]);
    // the block is closed at its own indentation: the detection's '}' is missing
    expect(errors(['detection x {', '  attack {', '    execution: T1059', '  }', ''].join('\n'))).toEqual([
      "5:1 DET1010 expected a member or '}' to close the detection, found end of file",
    ]);
  });
});

describe("another format's rules file", () => {
  it('says once that a Falco rules file is one, at its first entry, and reports nothing else of it', () => {
    const falco = ['# Falco rules', '', '- list: shell_binaries', '  items: [bash, sh]', '', '- rule: Netcat in container', '  desc: x', '  condition: proc.name = nc', '  priority: WARNING', ''].join('\n');
    const found = parse(falco);
    expect(found.map(format)).toEqual(["3:1 DET1010 this is a Falco rules file (YAML, `- list:`), not a .det file"]);
    expect(found[0]!.hint).toContain('`desc:` is `description:`, `priority:` is `severity:`');
  });

  it('says so of a Sigma rule', () => {
    const sigma = ['title: Netcat', 'logsource:', '  product: linux', 'detection:', '  selection:', '    Image|endswith: /nc', '  condition: selection', 'level: high', ''].join('\n');
    expect(errors(sigma)).toEqual(["1:1 DET1010 this is a Sigma rule (YAML, `logsource:` and `detection:`), not a .det file"]);
  });

  it("knows a Falco file by its first entry, after comments and YAML's '---'", () => {
    expect(errors('---\n- macro: spawned_process\n  condition: evt.type = execve\n')).toEqual(["2:1 DET1010 this is a Falco rules file (YAML, `- macro:`), not a .det file"]);
  });

  it("takes no valid .det file for a Sigma rule, whatever its text holds", () => {
    const text = ['detection d {', '  title: "t"', '  description: """', 'Converted from the Sigma rule; its keys were', 'logsource:', 'detection:', '"""', '}', ''].join('\n');
    expect(errors(text)).toEqual([]);
  });

  it('leaves a .det file that merely mentions those words alone', () => {
    expect(errors(['# - rule: in a comment', 'detection d {', '  title: "- rule: x"', '}', ''].join('\n'))).toEqual([]);
  });
});
