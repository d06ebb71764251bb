import { describe, expect, it } from 'vitest';
import { at, detection, lower } from '../helpers/det.js';

const COND = '  condition: proc.name == "x"';

function mapping(attackBody: string) {
  const l = lower(detection('d', `${COND}\n  attack {\n${attackBody}\n  }`));
  const d = l.program.detections[0];
  return {
    diagnostics: l.diagnostics,
    attack: d?.attack,
    compact: d?.attack.map((a) => [a.tactic.id, a.techniques.map((t) => [t.technique.id, ...t.subtechniques.map((s) => s.id)])]),
  };
}

describe('attack block lowering', () => {
  it('attaches names and references, a sub-technique implying its technique', () => {
    const { diagnostics, attack } = mapping('    execution: T1059.004');
    expect(diagnostics).toEqual([]);
    expect(attack).toEqual([
      {
        tactic: { id: 'TA0002', name: 'Execution', reference: 'https://attack.mitre.org/tactics/TA0002/', shortname: 'execution' },
        techniques: [
          {
            technique: { id: 'T1059', name: 'Command and Scripting Interpreter', reference: 'https://attack.mitre.org/techniques/T1059/' },
            subtechniques: [{ id: 'T1059.004', name: 'Unix Shell', reference: 'https://attack.mitre.org/techniques/T1059/004/' }],
          },
        ],
      },
    ]);
  });

  it('orders tactics, techniques and sub-techniques by id, whatever the written order', () => {
    const { compact } = mapping('    command-and-control: T1095\n    execution: [T1610, T1059.006, T1059, T1059.004]');
    expect(compact).toEqual([
      ['TA0002', [['T1059', 'T1059.004', 'T1059.006'], ['T1610']]],
      ['TA0011', [['T1095']]],
    ]);
  });

  it('merges one tactic written two ways (shortname and TA id), without duplicates', () => {
    const { compact, diagnostics } = mapping('    execution: T1059.004\n    TA0002: T1059.004, T1609\n    Command-and-Control: []');
    expect(diagnostics).toEqual([]);
    expect(compact).toEqual([
      ['TA0002', [['T1059', 'T1059.004'], ['T1609']]],
      ['TA0011', []],
    ]);
  });

  it('accepts ids in quotes and any case', () => {
    const { compact } = mapping('    execution: "t1059.004"');
    expect(compact).toEqual([['TA0002', [['T1059', 'T1059.004']]]]);
  });

  it('leaves unresolved entries out without a lowering diagnostic (AttackRule reports them)', () => {
    const { compact, diagnostics } = mapping('    executon: T1059\n    execution: T9999, T1095');
    expect(diagnostics).toEqual([]);
    expect(compact).toEqual([['TA0002', []]]);
  });

  it('reports a tactic given twice (DET2002) and a value that is not an id (DET2004)', () => {
    const { diagnostics } = mapping('    execution: T1059\n    execution: 42');
    expect(diagnostics.map(at)).toEqual(['DET2002 9:5']);
    const other = mapping('    execution: T1059, 42');
    expect(other.diagnostics.map(at)).toEqual(['DET2004 8:23']);
    expect(other.diagnostics[0]!.message).toBe('`attack` entries list technique ids, not a number (42)');
  });
});
