import { describe, expect, it } from 'vitest';
import { at, check, detection } from '../../helpers/det.js';

function attackDiagnostics(entries: string) {
  const { validation } = check(detection('d', `  condition: proc.name == "x"\n  attack {\n${entries}\n  }`));
  return validation.filter((d) => ['DET3006', 'DET3007', 'DET3008'].includes(d.code));
}

describe('AttackRule', () => {
  it('accepts tactics by shortname, id or name, and their techniques', () => {
    expect(attackDiagnostics('    execution: T1059.004, T1609\n    TA0011: T1095\n    Privilege-Escalation: []')).toEqual([]);
  });

  it('reports an unknown tactic (DET3006) at the key, with a did-you-mean', () => {
    const ds = attackDiagnostics('    executon: T1059');
    expect(ds.map(at)).toEqual(['DET3006 8:5']);
    expect(ds[0]).toMatchObject({ severity: 'error', message: 'unknown ATT&CK tactic `executon`', hint: 'did you mean `execution`?' });
  });

  it("reads Falco's tag form of a tactic (`mitre_privilege_escalation`) as the tactic meant", () => {
    const ds = attackDiagnostics('    mitre_privilege_escalation: T1611\n    mitre_persistence: T1098');
    expect(ds.map((d) => d.hint)).toEqual(['did you mean `privilege-escalation`?', 'did you mean `persistence`?']);
  });

  it('lists the tactics when nothing is close', () => {
    const ds = attackDiagnostics('    c2: T1095');
    expect(ds.map(at)).toEqual(['DET3006 8:5']);
    expect(ds[0]!.hint).toContain('initial-access, execution, persistence');
  });

  it('reports an unknown technique (DET3007) at the id, with a did-you-mean', () => {
    const ds = attackDiagnostics('    execution: T1059, T1059.04');
    expect(ds.map(at)).toEqual(['DET3007 8:23']);
    expect(ds[0]).toMatchObject({ message: 'unknown ATT&CK technique `T1059.04` (ATT&CK 17.1)' });
    expect(ds[0]!.hint).toMatch(/^did you mean `T1059\.00\d`\?$/);
  });

  it('suggests no other technique for an id ATT&CK revoked (T1086, now T1059.001): says to look it up', () => {
    const ds = attackDiagnostics('    execution: T1086');
    expect(ds.map(at)).toEqual(['DET3007 8:16']);
    expect(ds[0]!.hint).toBe(
      'write a technique id such as `T1059` or a sub-technique id such as `T1059.004` of ATT&CK 17.1; an id ATT&CK revoked or deprecated (such as T1086, now T1059.001) is not in it: look it up on attack.mitre.org',
    );
  });

  it('corrects a typo in the number itself against every id', () => {
    const ds = attackDiagnostics('    execution: T059.004, TT1059, T1O59');
    expect(ds.map((d) => d.hint)).toEqual(['did you mean `T1059.004`?', 'did you mean `T1059`?', 'did you mean `T1059`?']);
  });

  it('says when a tactic id is written where a technique belongs', () => {
    const ds = attackDiagnostics('    execution: TA0002');
    expect(ds.map(at)).toEqual(['DET3007 8:16']);
    expect(ds[0]!.hint).toContain('is a tactic');
  });

  it('still checks technique ids under an unknown tactic', () => {
    const ds = attackDiagnostics('    nope: T0000');
    expect(ds.map(at)).toEqual(['DET3006 8:5', 'DET3007 8:11']);
  });

  it('reports a technique under a tactic it does not belong to (DET3008), naming its tactics', () => {
    const ds = attackDiagnostics('    execution: T1095');
    expect(ds.map(at)).toEqual(['DET3008 8:16']);
    expect(ds[0]).toMatchObject({
      severity: 'error',
      message: '`T1095` (Non-Application Layer Protocol) is not a technique of tactic `execution`',
      hint: 'it belongs to `command-and-control`; list it there, e.g. `command-and-control: T1095`',
    });
  });

  it('names every tactic of a multi-tactic technique, and checks sub-techniques by their own tactics', () => {
    const ds = attackDiagnostics('    impact: T1548.003');
    expect(ds.map(at)).toEqual(['DET3008 8:13']);
    expect(ds[0]!.hint).toBe(
      'it belongs to `privilege-escalation`, `defense-evasion`; list it there, e.g. `privilege-escalation: T1548.003`',
    );
  });
});
