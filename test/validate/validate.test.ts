import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog, Codes } from '../../src/diagnostics/codes.js';
import type { Program } from '../../src/ir/types.js';
import { GATE_CODES } from '../../src/gate/compare.js';
import { LOWERING_CHECKS, RULES } from '../../src/validate/rules/index.js';
import { validateProgram } from '../../src/validate/validate.js';
import { at, check, detection, lower } from '../helpers/det.js';
import { testSource } from '../helpers/ir-source.js';

const TESTS = '  test "m" matches { }\n  test "n" does not match { }';

describe('validateProgram', () => {
  it('returns nothing for a clean program', () => {
    const { validation, diagnostics } = check(
      'list shells = ["sh"]\nmacro shell = proc.name in shells\n' + detection('d', `  condition: shell and proc.pid > 1\n${TESTS}`),
    );
    expect(diagnostics).toEqual([]);
    expect(validation).toEqual([]);
  });

  it('returns only the schema problems (DET2099) when the IR is malformed, without running rules', () => {
    const { files, program } = lower(detection('d', '  condition: proc.name == "x"'));
    const broken = JSON.parse(JSON.stringify(program)) as { detections: Record<string, unknown>[] };
    broken.detections[0]!['surprise'] = true;
    const ds = validateProgram(broken as unknown as Program, testSource(), files);
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.code === 'DET2099')).toBe(true);
  });

  it('sorts diagnostics by file and position, across rules', () => {
    const text =
      'list unused = ["x"]\n' +
      detection('d', '  condition: proc.pid == "1" and proc.cmdline regex "(?=x)"', 'not-a-uuid');
    const { validation } = check(text);
    expect(validation.map(at)).toEqual(['DET3012 1:6', 'DET3014 2:11', 'DET3002 4:7', 'DET3004 7:26', 'DET3005 7:53']);
  });

  it('reports a problem in a macro used twice in one condition once', () => {
    // The same macro comparison reached twice in one condition is one problem.
    const text = 'macro m = proc.pid == "x"\n' + detection('d', `  condition: m or (m and proc.name == "y")\n${TESTS}`);
    const { validation } = check(text);
    expect(validation.map(at)).toEqual(['DET3004 1:23']);
  });
});

describe('rule list (src/validate/rules/index.ts)', () => {
  it('lists every rule file, each once, under its own name', () => {
    const files = readdirSync('src/validate/rules')
      .filter((f) => f.endsWith('Rule.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(RULES.map((r) => r.name).sort()).toEqual(files);
    for (const r of RULES) expect(r.check.name).toBe(r.name);
  });

  it('names only catalog codes, and covers every 3xxx code in exactly one place (a rule, a lowering check or the gate)', () => {
    const known = new Set(catalog().map((c) => c.code));
    const places = new Map<string, string[]>();
    for (const entry of [...RULES, ...LOWERING_CHECKS, { name: 'gate (validate --base)', codes: GATE_CODES }]) {
      for (const code of entry.codes) {
        expect(known.has(code), code).toBe(true);
        places.set(code, [...(places.get(code) ?? []), entry.name]);
      }
    }
    for (const c of catalog().filter((x) => x.code.startsWith('DET3'))) {
      expect(places.get(c.code)?.length, `${c.code} ${c.title}`).toBe(1);
    }
    // DET2008 is reported for lists/macros/tests/steps in lowering, for detections by DuplicateIdRule.
    expect(places.get(Codes.DuplicateName.code)).toEqual(['DuplicateIdRule', 'UniqueDefinitions']);
  });
});
