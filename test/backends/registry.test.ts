import { describe, expect, it } from 'vitest';
import { availableTargetNames, selectTargets, TARGET_REGISTRY } from '../../src/backends/index.js';
import { TARGETS } from '../../src/backends/types.js';
import { isUnder } from '../../src/emit/paths.js';

describe('target registry', () => {
  it('has an entry for every target, with folders that do not overlap', () => {
    expect(Object.keys(TARGET_REGISTRY).sort()).toEqual([...TARGETS].sort());
    for (const a of TARGETS) {
      for (const b of TARGETS) {
        if (a === b) continue;
        expect(isUnder(TARGET_REGISTRY[a].root, TARGET_REGISTRY[b].root), `${a} inside ${b}`).toBe(false);
      }
    }
  });

  it('makes ir available', () => {
    expect(availableTargetNames()).toContain('ir');
    expect(selectTargets('ir')).toMatchObject({ diagnostics: [], notes: [] });
    expect(selectTargets('ir').targets.map((t) => t.target)).toEqual(['ir']);
  });

  it('gives DET5002 for a target that is not available yet', () => {
    const s = selectTargets('kql');
    expect(s.targets).toEqual([]);
    expect(s.diagnostics).toHaveLength(1);
    expect(s.diagnostics[0]).toMatchObject({ code: 'DET5002', severity: 'error', message: "target 'kql' is not available yet (issue #3)" });
    expect(s.diagnostics[0]!.hint).toContain('ir');
  });

  it('compiles every available target for `all`, with one note naming the others', () => {
    const s = selectTargets('all');
    expect(s.diagnostics).toEqual([]);
    const siem = TARGETS.filter((t) => t !== 'ir');
    expect(s.targets.map((t) => t.target)).toEqual(availableTargetNames().filter((t) => t !== 'ir'));
    const missing = siem.filter((t) => !availableTargetNames().includes(t));
    if (missing.length === 0) {
      expect(s.notes).toEqual([]);
    } else {
      expect(s.notes).toHaveLength(1);
      for (const m of missing) expect(s.notes[0]).toContain(m);
    }
  });
});
