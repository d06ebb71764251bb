import { describe, expect, it } from 'vitest';
import { at, detection, lower } from '../helpers/det.js';
import { stripSpans } from '../../src/syntax/ast.js';

const COND = '  condition: proc.name == "x"';

describe('schedule and suppression', () => {
  it('defaults the lookback to the frequency', () => {
    const { program, diagnostics } = lower(detection('d', `${COND}\n  schedule: every 10m`));
    expect(diagnostics).toEqual([]);
    expect(stripSpans(program.detections[0]!.schedule)).toEqual({ kind: 'scheduled', every: 600, lookback: 600 });
    expect(program.detections[0]!.schedule.span?.start.line).toBe(7);
  });

  it('reads frequency and lookback, and realtime', () => {
    const a = lower(detection('d', `${COND}\n  schedule: every 10m lookback 1h`));
    expect(stripSpans(a.program.detections[0]!.schedule)).toEqual({ kind: 'scheduled', every: 600, lookback: 3600 });
    const b = lower(detection('d', `${COND}\n  schedule: realtime`));
    expect(stripSpans(b.program.detections[0]!.schedule)).toEqual({ kind: 'realtime' });
  });

  it('rejects a lookback shorter than the frequency (DET2006) at the lookback', () => {
    const { diagnostics, program } = lower(detection('d', `${COND}\n  schedule: every 1h lookback 10m`));
    expect(diagnostics.map(at)).toEqual(['DET2006 7:31']);
    expect(diagnostics[0]!.message).toContain('lookback `10m` is shorter than the frequency `1h`');
    expect(program.detections).toEqual([]);
  });

  it('rejects zero durations (DET2006)', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  schedule: every 0m\n  suppress: for 0s`));
    expect(diagnostics.map(at)).toEqual(['DET2006 7:19', 'DET2006 8:17']);
    expect(diagnostics[0]!.message).toBe('the schedule frequency must be longer than zero, not `0m`');
  });

  it('rejects what only looks like a duration (DET2006): a unit in upper case, a fraction, another unit', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  schedule: every 5M\n  suppress: for 1y\n  threshold: count >= 2 within 1.5h`));
    expect(diagnostics.map(at)).toEqual(['DET2006 7:19', 'DET2006 8:17', 'DET2006 9:32']);
    expect(diagnostics.map((d) => d.message)).toEqual(['`5M` is not a duration', '`1y` is not a duration', '`1.5h` is not a duration']);
    expect(diagnostics[0]!.hint).toBe('write a whole number and one of the units s, m, h, d in lower case, e.g. `90s`, `5m`, `1h`, `7d`');
  });

  it('rejects durations longer than a year (DET2006), a huge one included, and accepts 365d', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  schedule: every 100000000000000000000d\n  suppress: for 366d\n  threshold: count >= 2 within 8761h`));
    expect(diagnostics.map(at)).toEqual(['DET2006 7:19', 'DET2006 8:17', 'DET2006 9:32']);
    expect(diagnostics[0]).toMatchObject({ message: 'the schedule frequency `100000000000000000000d` is longer than a year', hint: 'write a duration of at most `365d`' });
    expect(diagnostics[2]!.message).toBe('the threshold window `8761h` is longer than a year');
    const ok = lower(detection('d', `${COND}\n  schedule: every 365d\n  threshold: count >= 2 within 8760h`));
    expect(ok.diagnostics).toEqual([]);
  });

  it('reads suppression keys and duration', () => {
    const { program } = lower(detection('d', `${COND}\n  suppress: by container.id, proc.name for 2h`));
    expect(stripSpans(program.detections[0]!.suppression)).toEqual({
      by: [
        { name: 'container.id', type: 'string' },
        { name: 'proc.name', type: 'string' },
      ],
      duration: 7200,
    });
  });

  it('reports an unknown correlation key (DET3017) with a did-you-mean', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  suppress: by container.di for 1h`));
    expect(diagnostics.map(at)).toEqual(['DET3017 7:16']);
    expect(diagnostics[0]).toMatchObject({
      message: 'correlation key `container.di` is not a field of source `testsrc`',
      hint: 'did you mean `container.id`?',
    });
  });

  it('reports a schedule given twice (DET2002) at its keyword', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  schedule: realtime\n  schedule: every 5m`));
    expect(diagnostics.map(at)).toEqual(['DET2002 8:3']);
    expect(diagnostics[0]!.span!.end.column).toBe(11);
  });
});

describe('match: filter, threshold, sequence', () => {
  it('lowers a threshold', () => {
    const { program, diagnostics } = lower(detection('d', `${COND}\n  threshold: count >= 5 by container.id within 10m`));
    expect(diagnostics).toEqual([]);
    expect(program.detections[0]!.match).toMatchObject({
      kind: 'threshold',
      count: 5,
      by: [{ name: 'container.id', type: 'string' }],
      window: 600,
      condition: { kind: 'compare', value: 'x' },
    });
  });

  it('lowers a sequence', () => {
    const body = '  sequence by container.id within 10m {\n    step shell: proc.name == "sh"\n    step write: fd.name startswith "/etc/"\n  }';
    const { program, diagnostics } = lower(detection('d', body));
    expect(diagnostics).toEqual([]);
    expect(program.detections[0]!.match).toMatchObject({
      kind: 'sequence',
      by: [{ name: 'container.id' }],
      window: 600,
      steps: [
        { name: 'shell', condition: { op: 'eq', value: 'sh' } },
        { name: 'write', condition: { op: 'startswith', value: '/etc/' } },
      ],
    });
  });

  it('rejects a condition together with a sequence (DET2007) at the later one', () => {
    const body = `${COND}\n  sequence within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }`;
    const { diagnostics } = lower(detection('d', body));
    expect(diagnostics.map(at)).toEqual(['DET2007 7:3']);
    expect(diagnostics[0]!.message).toContain('either a `condition` or a `sequence`, not both');
  });

  it('rejects a threshold without a condition (DET2007)', () => {
    const body = '  threshold: count >= 2 within 1m';
    const { diagnostics } = lower(detection('d', body));
    expect(diagnostics.map(at)).toEqual(['DET2007 6:3']);
    expect(diagnostics[0]).toMatchObject({
      message: '`threshold` counts events matching the `condition`, but there is no `condition`',
      hint: 'add `condition: …`',
    });
  });

  it('rejects a threshold with a sequence (DET2007)', () => {
    const body = '  threshold: count >= 2 within 1m\n  sequence within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }';
    const { diagnostics } = lower(detection('d', body));
    expect(diagnostics.map(at)).toEqual(['DET2007 6:3']);
    expect(diagnostics[0]!.message).toBe('`threshold` cannot be combined with a `sequence`');
  });

  it('rejects a threshold count below 1 (DET2004) and a zero window (DET2006)', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n  threshold: count >= 0 within 0s`));
    expect(diagnostics.map(at)).toEqual(['DET2004 7:23', 'DET2006 7:32']);
  });

  it('requires a condition or a sequence (DET2003)', () => {
    const { diagnostics } = lower(detection('d', '  version: 1'));
    expect(diagnostics.map(at)).toEqual(['DET2003 1:11']);
    expect(diagnostics[0]!.message).toBe('detection `d` has no `condition` (or `sequence`)');
  });

  it('reports a condition given twice (DET2002)', () => {
    const { diagnostics } = lower(detection('d', `${COND}\n${COND}`));
    expect(diagnostics.map(at)).toEqual(['DET2002 7:3']);
    expect(diagnostics[0]!.hint).toContain('`and` / `or`');
  });

  it('requires two steps in a sequence (DET2004) and unique step names (DET2008)', () => {
    const one = lower(detection('d', '  sequence within 1m {\n    step a: proc.name == "a"\n  }'));
    expect(one.diagnostics.map(at)).toEqual(['DET2004 6:3']);
    expect(one.diagnostics[0]!.message).toBe('a sequence needs at least two steps, this one has 1');
    const dup = lower(detection('d', '  sequence within 1m {\n    step a: proc.name == "a"\n    step a: proc.name == "b"\n  }'));
    expect(dup.diagnostics.map(at)).toEqual(['DET2008 8:10']);
  });

  it('reports problems in every sequence step', () => {
    const body = '  sequence within 1m {\n    step a: proc.nam == "a"\n    step b: fd.nme == "b"\n  }';
    const { diagnostics } = lower(detection('d', body));
    expect(diagnostics.map(at)).toEqual(['DET3003 7:13', 'DET3003 8:13']);
  });
});
