/**
 * CorrelationTestTimeRule — DET4005 (warning): every event of a test of a `threshold` or
 * `sequence` detection that its condition (or a step's) matches should have a valid `time`.
 * Correlations order and window events by their time and skip events without one (see
 * `src/eval/detection.ts`), so such a test passes or fails whatever the condition says: a
 * `does not match` test passes vacuously. An event no condition matches counts for nothing
 * either way, so it needs no time.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { evaluateCondition } from '../../eval/condition.js';
import { eventTimeReader } from '../../eval/detection.js';
import { diagnostic } from '../../ir/report.js';
import { matchConditions, type JsonObject } from '../../ir/types.js';
import { evaluable, unlessUndecided } from '../conditions.js';
import type { RuleContext } from '../context.js';

/** Tests of correlations with matching events the correlation skips for want of a time. */
export function CorrelationTestTimeRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const eventTime = eventTimeReader(ctx.source);
  for (const detection of ctx.program.detections) {
    if (detection.match.kind === 'filter') continue;
    const conditions = matchConditions(detection.match);
    // an invalid regex (DET3005) stops the evaluator: nothing to say until it is fixed
    if (!evaluable(conditions)) continue;
    // an event no condition matches would not count anyway: skipping it changes nothing
    const counts = (e: JsonObject): boolean => conditions.some((c) => evaluateCondition(c, e, ctx.source));
    // a regular expression past its time limit leaves the evaluator undecided (DET4007 in `detect test`)
    out.push(
      ...unlessUndecided(() => {
        const found: Diagnostic[] = [];
        for (const test of detection.tests) {
          const untimed = test.events.filter((e) => eventTime(e) === undefined && counts(e)).length;
          if (untimed === 0) continue;
          const events = `${untimed} of the ${test.events.length} event${test.events.length === 1 ? '' : 's'}`;
          found.push(
            diagnostic(
              Codes.UntimedCorrelationEvent,
              test.span,
              `${events} of test "${test.name}" ${untimed === 1 ? 'has' : 'have'} no valid \`time\`: the ${detection.match.kind} of ${detection.name} skips ${untimed === 1 ? 'it' : 'them'}, so the test does not depend on the condition for ${untimed === 1 ? 'it' : 'them'}`,
              'give every event a `time` as Falco writes it, an ISO-8601 date-time with a zone, e.g. "time": "2026-11-23T10:00:00.000000000Z"',
            ),
          );
        }
        return found;
      }),
    );
  }
  return out;
}
