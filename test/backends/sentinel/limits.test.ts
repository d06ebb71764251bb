import { describe, expect, it } from 'vitest';
import { compileSentinel, sentinelBackend } from '../../../src/backends/sentinel/index.js';
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

describe('deployment and workspace limits (DET5004 warnings, for the whole compile)', () => {
  /** The DET5004 warnings of compiling `count` detections, `realtime` of them near-real-time, with `description` each. */
  let deployBytes = 0;
  function deploymentWarnings(count: number, realtime: number, description = 'D'): string[] {
    const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const text = Array.from({ length: count }, (_, i) =>
      detection(`d${i}`, `  condition: proc.name == "n${i}"${i < realtime ? '\n  schedule: realtime' : ''}`, uuid(i)).replace('description: "D"', `description: "${description}"`),
    ).join('\n');
    const l = lower(text, { source });
    expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    deployBytes = 0;
    const found = sentinelBackend.emit(l.program, source, {}, (f) => {
      if (f.path === 'sentinel/azuredeploy.json') deployBytes += Buffer.byteLength(f.content);
    });
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    return found.filter((d) => d.code === 'DET5004').map((d) => d.message);
  }

  it('says nothing within the limits', () => {
    expect(deploymentWarnings(50, 50)).toEqual([]);
  });

  it('warns past 800 resources in azuredeploy.json, 512 rules and 50 near-real-time rules per workspace', () => {
    expect(deploymentWarnings(800, 51)).toEqual([
      'sentinel/azuredeploy.json holds 801 resources (the parser and 800 rules); Azure Resource Manager deploys at most 800 per template',
      '800 analytics rules are compiled; a Sentinel workspace runs at most 512',
      '51 rules are near-real-time (`schedule: realtime` filters); a Sentinel workspace runs at most 50',
    ]);
  });

  it('warns past 4 MB of azuredeploy.json', () => {
    expect(deploymentWarnings(700, 0, 'x'.repeat(4900))).toEqual([
      expect.stringMatching(/^sentinel\/azuredeploy\.json is \d{7} bytes; Azure Resource Manager deploys templates of at most 4 MB \(4194304 bytes\)$/),
      '700 analytics rules are compiled; a Sentinel workspace runs at most 512',
    ]);
    // the size said is the file's
    expect(deploymentWarnings(700, 0, 'x'.repeat(4900))[0]).toContain(` is ${deployBytes} bytes;`);
  });
});
