import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attackTable } from '../../src/attack/table.js';
import { sharedReference } from '../helpers/shared.js';

const { path: REFERENCE, present: hasReference } = sharedReference('reference/attack/attack.json', 'data/attack.json against the reference');

describe('ATT&CK table lookups', () => {
  const t = attackTable();

  it('loads the bundled table once', () => {
    expect(attackTable()).toBe(t);
    expect(t.version).toBe('17.1');
    expect(t.tactics.length).toBe(14);
  });

  it('finds a tactic by shortname, TA id or hyphenated name, in any case', () => {
    for (const key of ['command-and-control', 'Command-And-Control', 'TA0011', 'ta0011', 'Command-and-Control']) {
      expect(t.tactic(key)?.id, key).toBe('TA0011');
    }
    expect(t.tactic('command and control')).toBeUndefined();
    expect(t.tactic('c2')).toBeUndefined();
  });

  it('finds techniques and sub-techniques by id, in any case', () => {
    expect(t.technique('T1059')).toMatchObject({ kind: 'technique', name: 'Command and Scripting Interpreter', tactics: ['execution'] });
    expect(t.technique('t1059.004')).toMatchObject({
      kind: 'subtechnique',
      id: 'T1059.004',
      name: 'Unix Shell',
      techniqueId: 'T1059',
      reference: 'https://attack.mitre.org/techniques/T1059/004/',
    });
    expect(t.technique('T9999')).toBeUndefined();
    expect(t.technique('TA0002')).toBeUndefined();
  });

  it('tells whether a technique is under a tactic', () => {
    expect(t.isTechniqueInTactic('T1095', 'command-and-control')).toBe(true);
    expect(t.isTechniqueInTactic('T1095', 'execution')).toBe(false);
    expect(t.isTechniqueInTactic('T1059.004', 'TA0002')).toBe(true);
    expect(t.isTechniqueInTactic('T1548', 'privilege-escalation')).toBe(true);
    expect(t.isTechniqueInTactic('T1548', 'defense-evasion')).toBe(true);
    expect(t.isTechniqueInTactic('T9999', 'execution')).toBe(false);
    expect(t.tacticsOf('T1548').map((x) => x.shortname)).toEqual(['privilege-escalation', 'defense-evasion']);
    expect(t.tacticsOf('T9999')).toEqual([]);
  });

  it('keeps tactics, techniques and sub-techniques sorted by id', () => {
    for (const list of [t.tactics, t.techniques, t.subtechniques]) {
      const ids = list.map((x) => x.id);
      expect(ids).toEqual([...ids].sort());
    }
  });
});

describe('data/attack.json against shared/reference/attack/attack.json', () => {
  if (!hasReference) {
    it.skip(`skipped: ${REFERENCE} is absent`, () => {});
    return;
  }
  const ref = JSON.parse(readFileSync(REFERENCE, 'utf8')) as {
    attack_version: string;
    tactics: { id: string; name: string; shortname: string; reference: string }[];
    techniques: { id: string; name: string; tactics: string[]; reference: string }[];
    subtechniques: { id: string; name: string; techniqueId: string; tactics: string[]; reference: string }[];
  };
  const t = attackTable();
  const byId = <T extends { id: string }>(xs: readonly T[]) => new Map(xs.map((x) => [x.id, x]));

  it('has the same version and the same tactics', () => {
    expect(t.version).toBe(ref.attack_version);
    expect([...t.tactics].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
      [...ref.tactics].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it('has every technique with the same name, reference and tactic set', () => {
    const mine = byId(t.techniques);
    expect(mine.size).toBe(ref.techniques.length);
    for (const r of ref.techniques) {
      const m = mine.get(r.id);
      expect(m, r.id).toBeDefined();
      expect([m!.name, m!.reference, [...m!.tactics].sort()]).toEqual([r.name, r.reference, [...r.tactics].sort()]);
    }
  });

  it('has every sub-technique with the same name, parent, reference and tactic set', () => {
    const mine = byId(t.subtechniques);
    expect(mine.size).toBe(ref.subtechniques.length);
    for (const r of ref.subtechniques) {
      const m = mine.get(r.id);
      expect(m, r.id).toBeDefined();
      expect([m!.name, m!.techniqueId, m!.reference, [...m!.tactics].sort()]).toEqual([
        r.name,
        r.techniqueId,
        r.reference,
        [...r.tactics].sort(),
      ]);
    }
  });

  it('is exactly what scripts/build-attack-table.mjs writes (the committed file is up to date)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'attack-'));
    try {
      const out = path.join(dir, 'attack.json');
      execFileSync(process.execPath, ['scripts/build-attack-table.mjs', REFERENCE, out], { stdio: 'pipe' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync('data/attack.json', 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
