import { describe, expect, it } from 'vitest';
import { compileSentinel } from '../../../src/backends/sentinel/index.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const source = builtinSource();

function diagnostics(body: string, replace: [string, string][] = []): { code: string; line: number | undefined; message: string }[] {
  let text = detection('d', body);
  for (const [a, b] of replace) text = text.replace(a, b);
  const l = lower(text, { source });
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileSentinel(l.program, source, { analyse: false }).diagnostics.map((d) => ({ code: d.code, line: d.span?.start.line, message: d.message }));
}

describe('Sentinel limits (DET5003, at the member that sets them, else at the detection)', () => {
  it('accepts a rule within every limit', () => {
    expect(diagnostics('  condition: proc.name == "nc"\n  schedule: every 1h lookback 14d\n  suppress: for 24h')).toEqual([]);
    expect(diagnostics('  condition: proc.name == "nc"\n  schedule: every 5m lookback 47h')).toEqual([]);
  });

  it('refuses names, descriptions and queries that are too long', () => {
    expect(diagnostics('  condition: proc.name == "nc"', [['title: "T"', `title: "${'x'.repeat(257)}"`]])).toEqual([
      { code: 'DET5003', line: 1, message: 'detection d: the Sentinel rule name (title) has 257 characters; Sentinel allows at most 256' },
    ]);
    expect(diagnostics(`  condition: proc.name == "nc"\n  triage: "${'y'.repeat(5000)}"`)[0]).toMatchObject({ code: 'DET5003', message: expect.stringContaining('rule description') });
    const many = Array.from({ length: 1000 }, (_, i) => `"value-${i}"`).join(', ');
    expect(diagnostics(`  condition: proc.name in [${many}]`)[0]).toMatchObject({ code: 'DET5003', message: expect.stringContaining('query has') });
  });

  it('refuses frequencies, periods, suppression and grouping outside Sentinel\'s ranges, at the schedule or the suppression', () => {
    expect(diagnostics('  condition: proc.name == "nc"\n  schedule: every 1m')).toEqual([
      { code: 'DET5003', line: 7, message: 'detection d: the Sentinel query frequency (schedule every) is 1m; Sentinel allows 5m to 14d' },
      { code: 'DET5003', line: 7, message: 'detection d: the Sentinel query period (lookback, widened to frequency + correlation window) is 1m; Sentinel allows 5m to 14d' },
    ]);
    expect(diagnostics('  condition: proc.name == "nc"\n  suppress: for 2d').map((d) => d.line)).toEqual([7]);
    // `schedule: realtime` sets no period: one too long for the correlation is reported at the correlation
    expect(diagnostics('  condition: proc.name == "nc"\n  schedule: realtime\n  threshold: count >= 2 within 14d').map((d) => d.line)).toEqual([8, 8]);
    // no schedule member: a period too long for the correlation is reported at the correlation
    expect(diagnostics('  condition: proc.name == "nc"\n  threshold: count >= 2 within 20d\n  schedule: every 1h').map((d) => [d.line, d.message])).toEqual([
      [8, 'detection d: the Sentinel query period (lookback, widened to frequency + correlation window) is 481h; Sentinel allows 5m to 14d'],
    ]);
    expect(diagnostics('  condition: proc.name == "nc"\n  schedule: every 1h lookback 15d').map((d) => d.message)).toEqual([
      'detection d: the Sentinel query period (lookback, widened to frequency + correlation window) is 15d; Sentinel allows 5m to 14d',
    ]);
  });

  it('refuses a period of 2 days or more with a frequency under 1 hour (Sentinel\'s rule), at the schedule, else at the correlation', () => {
    expect(diagnostics('  condition: proc.name == "nc"\n  schedule: every 5m lookback 2d')).toEqual([
      { code: 'DET5003', line: 7, message: 'detection d: the Sentinel query period is 2d and the frequency 5m; with a period of 2d or more, Sentinel requires a frequency of at least 1h' },
    ]);
    // the default schedule (every 5m) widened by a correlation window; realtime correlations run every 5m
    expect(diagnostics('  condition: proc.name == "nc"\n  threshold: count >= 2 by container.id within 2d').map((d) => d.line)).toEqual([7]);
    expect(diagnostics('  schedule: realtime\n  sequence within 3d {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }').map((d) => d.line)).toEqual([7]);
    expect(diagnostics('  condition: proc.name == "nc"\n  schedule: every 1h lookback 3d')).toEqual([]);
    expect(diagnostics('  condition: proc.name == "nc"\n  suppress: for 2d').map((d) => d.message)).toEqual([
      'detection d: the Sentinel suppression duration is 2d; Sentinel allows 5m to 1d',
    ]);
    expect(diagnostics('  condition: proc.name == "nc"\n  suppress: by hostname for 8d').map((d) => d.message)).toEqual([
      'detection d: the Sentinel incident grouping period (suppress … for) is 8d; Sentinel allows 5m to 7d',
    ]);
  });
});

describe('conditions KQL cannot express (DET5001, at the condition)', () => {
  it('names the detection, the target and the reason', () => {
    const ds = diagnostics('  condition: proc.name == "nc"\n    and time >= "2024-01-01T00:00:00Z"');
    expect(ds).toEqual([
      {
        code: 'DET5001',
        line: 7,
        message: expect.stringMatching(/^detection d: the Sentinel \(KQL\) target cannot express this condition exactly: conditions on the timestamp field `time`/),
      },
    ]);
  });
});
