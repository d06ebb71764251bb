/**
 * NocaseSigmaRule — DET3030: a `nocase` string comparison (`==`, `!=`, `in`, `contains`,
 * `startswith`, `endswith`) whose value contains a Greek sigma (Σ U+03A3, σ U+03C3, final ς
 * U+03C2).
 *
 * `nocase` lower-cases both sides with `toLowerCase()`, where Σ is the one character whose
 * lower case depends on its neighbours: ς at the end of a word (after a letter, before none),
 * σ elsewhere. So `contains "Σ" nocase` misses "ΑΣ Β", which the cased `contains "Σ"` matches,
 * and `== "ΟΔΟΣ" nocase` matches "οδος" but not "οδοσ". No target folds case that way: Kusto
 * and the Elastic targets compare character by character, so they would disagree with the
 * tests. A value without a sigma is safe whatever the event holds: an event's Σ lower-cases
 * to σ or ς, neither of which such a value holds, in either form. `regex … nocase` folds
 * σ, ς and Σ together per character (JavaScript's `iu` flag) and is not concerned.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { CompareCondition, InCondition, Scalar } from '../../ir/types.js';
import type { RuleContext } from '../context.js';

const SIGMA = /[\u03a3\u03c3\u03c2]/u;

const hasSigma = (v: Scalar): v is string => typeof v === 'string' && SIGMA.test(v);

const HINT =
  'write the case variants out with cased comparisons (e.g. `f in ["ΟΔΟΣ", "Οδος", "οδος"]`, `f contains "Σ" or f contains "σ" or f contains "ς"`), or use `regex … nocase`, which treats Σ, σ and ς as one letter';

/** DET3030 for each `nocase` comparison whose value holds a sigma. */
export function NocaseSigmaRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const valueSpan = (c: CompareCondition | InCondition): Span => ctx.comparisonAt(c.span)?.value?.span ?? c.span;
  for (const c of ctx.leafConditions()) {
    if (c.caseSensitive || (c.field.type !== 'string' && c.field.type !== 'string[]')) continue;
    if (c.kind === 'compare' && c.op === 'regex') continue;
    const values = (c.kind === 'in' ? c.values : [c.value]).filter(hasSigma);
    if (values.length === 0) continue;
    const shown = values.slice(0, 3).map((v) => JSON.stringify(v)).join(', ') + (values.length > 3 ? ', …' : '');
    out.push(
      diagnostic(
        Codes.NocaseSigma,
        valueSpan(c),
        `\`nocase\` cannot compare ${values.length === 1 ? 'the value' : 'the values'} ${shown}: a Greek sigma (Σ, σ, ς) lower-cases to σ or to final ς depending on the letters around it, so the comparison would miss text that holds the very same letters, and no target folds case that way`,
        HINT,
      ),
    );
  }
  return out;
}
