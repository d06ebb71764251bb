/**
 * CorrelationTestKeyRule — DET4006 (warning): every event of a test of a `threshold` or
 * `sequence` with `by` keys that its condition (or a step's) matches should carry every key.
 * Correlations group events by their keys and skip events lacking one (absent or null, see
 * `src/eval/detection.ts`), so such a test passes or fails whatever the condition says: a
 * `does not match` test passes vacuously. An event no condition matches counts for nothing
 * either way, so it needs no key. (Events without a valid `time` are DET4005's.)
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { evaluateCondition } from '../../eval/condition.js';
import { fieldValue } from '../../eval/fields.js';
import { diagnostic } from '../../ir/report.js';
import { matchConditions, type JsonObject } from '../../ir/types.js';
import { evaluable, unlessUndecided } from '../conditions.js';
import type { RuleContext } from '../context.js';

/** Tests of keyed correlations with matching events the correlation skips for want of a key. */
export function CorrelationTestKeyRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const detection of ctx.program.detections) {
    const match = detection.match;
    if (match.kind === 'filter' || match.by.length === 0) continue;
    const conditions = matchConditions(match);
    // an invalid regex (DET3005) stops the evaluator: nothing to say until it is fixed
    if (!evaluable(conditions)) continue;
    const counts = (e: JsonObject): boolean => conditions.some((c) => evaluateCondition(c, e, ctx.source));
    const missing = (e: JsonObject): string[] =>
      match.by.filter((f) => {
        const v = fieldValue(e, f, ctx.source);
        return v === undefined || v === null;
      }).map((f) => f.name);
    // a regular expression past its time limit leaves the evaluator undecided (DET4007 in `detect test`)
    out.push(
      ...unlessUndecided(() => {
        const found: Diagnostic[] = [];
        for (const test of detection.tests) {
          const lacking = new Set<string>();
          let skipped = 0;
          for (const e of test.events) {
            const names = missing(e);
            if (names.length === 0 || !counts(e)) continue;
            skipped++;
            for (const n of names) lacking.add(n);
          }
          if (skipped === 0) continue;
          const keys = [...lacking].sort().map((n) => `\`${n}\``).join(', ');
          const events = `${skipped} of the ${test.events.length} event${test.events.length === 1 ? '' : 's'}`;
          found.push(
            diagnostic(
              Codes.UnkeyedCorrelationEvent,
              test.span,
              `${events} of test "${test.name}" ${skipped === 1 ? 'lacks' : 'lack'} ${keys}: the ${match.kind} of ${detection.name} groups by it and skips ${skipped === 1 ? 'that event' : 'those events'}, so the test does not depend on the condition for ${skipped === 1 ? 'it' : 'them'}`,
              `give every event the \`by\` field${match.by.length === 1 ? '' : 's'} (${match.by.map((f) => f.name).join(', ')}), as the alerts of the Falco rule carry ${match.by.length === 1 ? 'it' : 'them'}`,
            ),
          );
        }
        return found;
      }),
    );
  }
  return out;
}
