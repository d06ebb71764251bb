import { describe, expect, it } from 'vitest';
import { compileSentinel } from '../../../src/backends/sentinel/index.js';
import type { Program } from '../../../src/ir/types.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const source = builtinSource();

function program(body: string): Program {
  const l = lower(detection('d', body), { source });
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return l.program;
}

/** The query of the one detection in `body`, checked clean by Kusto.Language. */
function query(body: string): string {
  const c = compileSentinel(program(body), source);
  expect(c.diagnostics).toEqual([]);
  return c.rules[0]!.query.text;
}

describe('filter queries', () => {
  it('filter first, then project the output fields and what the entities need, without sort', () => {
    const q = query('  condition: rule == "Terminal shell in container" and proc.name in ["bash", "sh"]\n  output: time, proc.cmdline\n  entities { host: hostname }');
    expect(q).toBe(
      'FalcoContainerSecurity\n| where Rule == "Terminal shell in container" and ProcessName in ("bash", "sh")\n| project TimeGenerated, ProcessCommandLine, HostName',
    );
  });

  it('project the suppression keys too, and nothing when there is nothing to project', () => {
    expect(query('  condition: proc.name == "nc"\n  suppress: by container.id for 1h')).toBe('FalcoContainerSecurity\n| where ProcessName == "nc"\n| project ContainerId');
    expect(query('  condition: proc.name == "nc"')).toBe('FalcoContainerSecurity\n| where ProcessName == "nc"');
  });
});

describe('threshold queries', () => {
  it('find N events of one key within the window, one row per key', () => {
    const q = query('  condition: proc.name == "nc" or proc.name == "ncat"\n  threshold: count >= 3 by container.id within 10m\n  output: time, proc.cmdline');
    expect(q).toBe(
      [
        'FalcoContainerSecurity',
        '| where (ProcessName == "nc" or ProcessName == "ncat") and isnotempty(ContainerId)',
        '| project TimeGenerated, ContainerId, ProcessCommandLine',
        '| sort by ContainerId asc, TimeGenerated asc',
        '| extend _WindowEnd = next(TimeGenerated, 2), _WindowKey1 = next(ContainerId, 2)',
        '| where _WindowEnd - TimeGenerated <= 10m and _WindowKey1 == ContainerId',
        '| summarize arg_min(TimeGenerated, *) by ContainerId',
        '| project TimeGenerated, ContainerId, ProcessCommandLine, WindowEnd = _WindowEnd',
      ].join('\n'),
    );
  });

  it('without a key, look at all events; with count 1, every matching event fires', () => {
    expect(query('  condition: proc.name == "nc"\n  threshold: count >= 2 within 5m')).toContain('| sort by TimeGenerated asc\n| extend _WindowEnd = next(TimeGenerated, 1)\n| where _WindowEnd - TimeGenerated <= 5m\n| top 1 by TimeGenerated asc');
    expect(query('  condition: proc.name == "nc"\n  threshold: count >= 1 by user.uid within 5m')).toBe(
      'FalcoContainerSecurity\n| where ProcessName == "nc" and isnotnull(UserUid)\n| project TimeGenerated, UserUid\n| summarize arg_min(TimeGenerated, *) by UserUid\n| project TimeGenerated, UserUid',
    );
  });
});

describe('sequence queries', () => {
  it('match the steps in order by the same key within the window of the first', () => {
    const q = query('  sequence by container.id within 10m {\n    step a: proc.name == "curl"\n    step b: proc.name == "sh" or proc.name == "bash"\n  }\n  output: proc.cmdline');
    expect(q).toBe(
      [
        'FalcoContainerSecurity',
        '| extend _Step1 = ProcessName == "curl",',
        '    _Step2 = (ProcessName == "sh" or ProcessName == "bash")',
        '| where (_Step1 or _Step2) and isnotempty(ContainerId)',
        '| project TimeGenerated, ContainerId, ProcessCommandLine, _Step1, _Step2',
        '| sort by ContainerId asc, TimeGenerated asc',
        '| scan declare (_SequenceStart: datetime) with (',
        '    step Step1 output=none: _Step1 => _SequenceStart = TimeGenerated;',
        '    step Step2: _Step2 and ContainerId == Step1.ContainerId and TimeGenerated - Step1.TimeGenerated <= 10m => _SequenceStart = Step1.TimeGenerated;',
        '  )',
        '| summarize arg_min(TimeGenerated, *) by ContainerId',
        '| project SequenceStart = _SequenceStart, TimeGenerated, ContainerId, ProcessCommandLine',
      ].join('\n'),
    );
  });

  it('handle three steps and no key', () => {
    const q = query('  sequence within 1h {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n    step c: proc.name == "c"\n  }');
    expect(q).toContain('    step Step2 output=none: _Step2 and TimeGenerated - Step1.TimeGenerated <= 1h');
    expect(q).toContain('    step Step3: _Step3 and TimeGenerated - Step1.TimeGenerated <= 1h');
    expect(q).toContain('| top 1 by TimeGenerated asc');
  });
});

describe('skeleton and atoms', () => {
  it('are the query with its conditions replaced by true, and its comparisons', () => {
    const c = compileSentinel(program('  condition: proc.name == "nc" and not user.uid > 5\n  threshold: count >= 2 by container.id within 5m'), source);
    const q = c.rules[0]!.query;
    expect(q.skeleton.split('\n')[1]).toBe('| where true and isnotempty(ContainerId)');
    expect(q.atoms.map((a) => a.text)).toEqual(['ProcessName == "nc"', 'isnotnull(UserUid) and UserUid > 5']);
    expect(q.shape).toContain('ProcessName == "" and not(isnotnull(UserUid) and UserUid > 0)');
  });
});
