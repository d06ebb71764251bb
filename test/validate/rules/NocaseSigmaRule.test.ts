import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../src/eval/condition.js';
import { at, check, detection } from '../../helpers/det.js';
import { cmp, source } from '../../eval/ir.js';

function sigmaDiagnostics(condition: string, prefix = '') {
  const { validation, diagnostics } = check(prefix + detection('d', `  condition: ${condition}`));
  expect(diagnostics).toEqual([]);
  return validation.filter((d) => d.code === 'DET3030');
}

describe('NocaseSigmaRule', () => {
  it('why: the evaluator lower-cases Σ by context, so nocase would miss text holding the very same letters', () => {
    const event = { rule: 'r', output_fields: { 'proc.cmdline': 'ΑΣ Β' } };
    expect(evaluateCondition(cmp('contains', 'proc.cmdline', 'Σ'), event, source)).toBe(true);
    expect(evaluateCondition(cmp('contains', 'proc.cmdline', 'Σ', false), event, source)).toBe(false);
    expect('ΟΔΟΣ'.toLowerCase()).toBe('οδος');
    expect('ΣΑ'.toLowerCase()).toBe('σα');
  });

  it('refuses every nocase string comparison whose value holds Σ, σ or ς, at the value', () => {
    for (const [op, value] of [['==', '"ΟΔΟΣ"'], ['!=', '"οδοσ"'], ['contains', '"σ"'], ['startswith', '"ςx"'], ['endswith', '"ς"']] as const) {
      const ds = sigmaDiagnostics(`proc.cmdline ${op} ${value} nocase`);
      expect(ds.map(at), `${op} ${value}`).toEqual([`DET3030 6:${28 + op.length}`]);
    }
    const [d] = sigmaDiagnostics('proc.cmdline == "ΟΔΟΣ" nocase');
    expect(d).toMatchObject({
      severity: 'error',
      message:
        '`nocase` cannot compare the value "ΟΔΟΣ": a Greek sigma (Σ, σ, ς) lower-cases to σ or to final ς depending on the letters around it, so the comparison would miss text that holds the very same letters, and no target folds case that way',
    });
    expect(d!.hint).toMatch(/cased comparisons.*regex … nocase/);
  });

  it('names the list values that hold a sigma, at the list', () => {
    const ds = sigmaDiagnostics('proc.name in greek nocase', 'list greek = ["ΑΣ", "nc", "οδος", "Σ", "σ"]\n');
    expect(ds.map(at)).toEqual(['DET3030 7:27']);
    expect(ds[0]!.message).toMatch(/^`nocase` cannot compare the values "ΑΣ", "οδος", "Σ", …: /);
  });

  it('accepts cased comparisons, regex nocase (which folds Σ, σ, ς together), and nocase values without a sigma', () => {
    expect(
      sigmaDiagnostics('proc.cmdline == "ΟΔΟΣ" or proc.cmdline contains "σ" cased or proc.cmdline regex "ΟΔΟΣ" nocase or proc.cmdline contains "ΟΔΟ" nocase or proc.name in ["Α", "nc"] nocase'),
    ).toEqual([]);
  });
});
