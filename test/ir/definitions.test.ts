import { describe, expect, it } from 'vitest';
import { at, detection, lower } from '../helpers/det.js';

describe('lists and macros', () => {
  it('reports a list defined twice (DET2008) at the second name, across files', () => {
    const { diagnostics } = lower({
      'a.det': 'list shells = ["bash"]\n',
      'b.det': '\n\nlist shells = ["sh"]\n',
    });
    expect(diagnostics.map(at)).toEqual(['DET2008 3:6']);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      message: 'list `shells` is already defined at a.det:1:6',
      span: { file: 'b.det' },
    });
    expect(diagnostics[0]!.hint).toContain('rename');
  });

  it('reports a macro defined twice (DET2008) and keeps the first', () => {
    const text =
      'macro m = proc.name == "first"\nmacro m = proc.name == "second"\n' + detection('d', '  condition: m');
    const { diagnostics, program } = lower(text);
    expect(diagnostics.map(at)).toEqual(['DET2008 2:7']);
    expect(diagnostics[0]!.message).toBe('macro `m` is already defined at test.det:1:7');
    expect(program.detections[0]!.match).toMatchObject({ condition: { value: 'first' } });
  });

  it('inlines a list, splicing lists named inside lists and dropping duplicates', () => {
    const text =
      'list a = ["sh", "bash"]\nlist b = [a, "zsh", "sh"]\n' + detection('d', '  condition: proc.name in [b, "ksh"]');
    const { diagnostics, program } = lower(text);
    expect(diagnostics).toEqual([]);
    expect(program.detections[0]!.match).toMatchObject({ condition: { kind: 'in', values: ['sh', 'bash', 'zsh', 'ksh'] } });
  });

  it('reports an unknown macro (DET3009) with a did-you-mean', () => {
    const text = 'macro in_container = container.id exists\n' + detection('d', '  condition: in_containr');
    const { diagnostics, program } = lower(text);
    // line 2 is `detection d {`; the body is on line 7.
    expect(diagnostics.map(at)).toEqual(['DET3009 7:14']);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', message: 'unknown macro `in_containr`', hint: 'did you mean `in_container`?' });
    expect(program.detections).toEqual([]);
  });

  it('explains that a boolean field used as a macro needs `== true`', () => {
    const { diagnostics } = lower(detection('d', '  condition: container.privileged'));
    expect(diagnostics.map(at)).toEqual(['DET3009 6:14']);
    expect(diagnostics[0]!.hint).toContain('`container.privileged == true`');
  });

  it('reports a macro cycle once (DET3010), naming the cycle, and drops the detections using it', () => {
    const text =
      'macro a = proc.name == "x" and b\nmacro b = not a\n' + detection('d', '  condition: a or b');
    const { diagnostics, program } = lower(text);
    expect(diagnostics.map(at)).toEqual(['DET3010 2:15']);
    expect(diagnostics[0]!.message).toBe('macro `a` refers to itself: a -> b -> a');
    expect(diagnostics[0]!.hint).toContain('remove `a` from macro `b`');
    expect(program.detections).toEqual([]);
  });

  it('reports a macro that uses itself directly', () => {
    const { diagnostics } = lower('macro m = m or proc.name == "x"\n');
    expect(diagnostics.map(at)).toEqual(['DET3010 1:11']);
    expect(diagnostics[0]!.message).toBe('macro `m` refers to itself: m -> m');
  });

  it('lets macros use lists and other macros', () => {
    const text =
      'list shells = ["sh"]\nmacro shell = proc.name in shells\nmacro shell_in_container = shell and container.id exists\n' +
      detection('d', '  condition: shell_in_container');
    const { diagnostics, program } = lower(text);
    expect(diagnostics).toEqual([]);
    expect(program.detections[0]!.match).toMatchObject({
      condition: { kind: 'and', args: [{ kind: 'in', values: ['sh'] }, { kind: 'exists' }] },
    });
  });

  it('reports an unknown list (DET3011) after `in`, with a did-you-mean', () => {
    const text = 'list shells = ["sh"]\n' + detection('d', '  condition: proc.name in shell');
    const { diagnostics } = lower(text);
    expect(diagnostics.map(at)).toEqual(['DET3011 7:27']);
    expect(diagnostics[0]).toMatchObject({ message: 'unknown list `shell`', hint: 'did you mean `shells`?' });
  });

  it('reads a bare word inside a list literal as a list name, and says to quote it otherwise', () => {
    const { diagnostics } = lower(detection('d', '  condition: proc.name in [bash, "sh"]'));
    expect(diagnostics.map(at)).toEqual(['DET3011 6:28']);
    expect(diagnostics[0]!.hint).toContain('"bash"');
  });

  it('reports an unknown list inside a list declaration once, even when unused', () => {
    const { diagnostics } = lower('list a = ["x", nope]\n');
    expect(diagnostics.map(at)).toEqual(['DET3011 1:16']);
  });

  it('reports a list cycle (DET3018)', () => {
    const { diagnostics } = lower('list a = ["x", b]\nlist b = [a]\n');
    expect(diagnostics.map(at)).toEqual(['DET3018 2:11']);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', message: 'list `a` refers to itself: a -> b -> a' });
  });

  it('rejects `in` over an empty list (DET2004): it could never be true', () => {
    const text = 'list none = []\n' + detection('d', '  condition: proc.name in none or proc.name in []');
    const { diagnostics } = lower(text);
    expect(diagnostics.map(at)).toEqual(['DET2004 7:27', 'DET2004 7:48']);
    expect(diagnostics[0]!.message).toBe('`proc.name in …` can never be true: list `none` is empty');
  });

  it('rejects a duration inside a list (DET2004)', () => {
    const { diagnostics } = lower('list a = ["x", 5m]\n');
    expect(diagnostics.map(at)).toEqual(['DET2004 1:16']);
    expect(diagnostics[0]!.hint).toBe('quote it to mean the text: "5m"');
  });

  it('rejects a bare word as a comparison value (DET2004) and suggests quoting it', () => {
    const { diagnostics } = lower(detection('d', '  condition: proc.name == bash'));
    expect(diagnostics.map(at)).toEqual(['DET2004 6:27']);
    expect(diagnostics[0]!.message).toBe('`==` needs a string, number or boolean, not the bare word `bash`');
    expect(diagnostics[0]!.hint).toContain('proc.name == "bash"');
  });
});
