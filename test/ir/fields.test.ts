import { describe, expect, it } from 'vitest';
import { at, detection, lower } from '../helpers/det.js';

describe('field resolution', () => {
  it('resolves fields with their source type, including indexed names', () => {
    const { program, diagnostics } = lower(detection('d', '  condition: proc.aname[2] == "sh" and proc.pid > 1 and tags == "T1059"'));
    expect(diagnostics).toEqual([]);
    expect(program.detections[0]!.match).toMatchObject({
      condition: {
        args: [
          { field: { name: 'proc.aname[2]', type: 'string' } },
          { field: { name: 'proc.pid', type: 'number' } },
          { field: { name: 'tags', type: 'string[]' } },
        ],
      },
    });
  });

  it('reports an unknown field (DET3003) at the field, with a did-you-mean', () => {
    const { diagnostics } = lower(detection('d', '  condition: proc.name == "a" and proc.cmdlin contains "x"'));
    expect(diagnostics.map(at)).toEqual(['DET3003 6:35']);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      message: 'unknown field `proc.cmdlin` in source `testsrc`',
      hint: 'did you mean `proc.cmdline`?',
    });
    expect(diagnostics[0]!.span!.end.column).toBe(46);
  });

  it('names some fields of the source when nothing is close', () => {
    const { diagnostics } = lower(detection('d', '  condition: zzz.qqq exists'));
    expect(diagnostics.map(at)).toEqual(['DET3003 6:14']);
    expect(diagnostics[0]!.hint).toBe('use one of the fields declared by source `testsrc` (e.g. `container.id`, `container.name`, `container.privileged`)');
  });

  it('still reports a bad value next to an unknown field', () => {
    const { diagnostics } = lower(detection('d', '  condition: proc.nme == bash'));
    expect(diagnostics.map(at)).toEqual(['DET3003 6:14', 'DET2004 6:26']);
  });
});
