/**
 * What a detection matches: a filter (`condition:`), a threshold (`condition:` + `threshold:`),
 * or a sequence (`sequence … { step … }`). Conflicting combinations are DET2007.
 */
import { Codes } from '../diagnostics/codes.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { ConditionMember, DetectionDecl, SequenceMember, ThresholdMember } from '../syntax/ast.js';
import type { ConditionLowerer } from './conditions.js';
import type { FieldIndex } from './fields.js';
import { where, type Reporter } from './report.js';
import { lowerKeys, positiveDuration } from './schedule.js';
import type { Condition, FieldRef, Match } from './types.js';
import { keywordSpan } from './spans.js';
import { reportInexactNumber } from './values.js';

export interface MatchMembers {
  readonly condition?: ConditionMember;
  readonly threshold?: ThresholdMember;
  readonly sequence?: SequenceMember;
}

/** Lowers the match members of `decl`; `undefined` after an error. */
export function lowerMatch(
  decl: DetectionDecl,
  m: MatchMembers,
  conditions: ConditionLowerer,
  fields: FieldIndex,
  reporter: Reporter,
): Match | undefined {
  const { condition, threshold, sequence } = m;
  // Lower everything that is there first, so its own problems are reported too.
  const cond = condition === undefined ? undefined : conditions.lower(condition.expr);
  const seq = sequence === undefined ? undefined : lowerSequence(sequence, conditions, fields, reporter);
  const thr = threshold === undefined ? undefined : lowerThreshold(threshold, fields, reporter);

  if (condition !== undefined && sequence !== undefined) {
    const later = condition.span.start.offset > sequence.span.start.offset ? condition : sequence;
    const earlier = later === condition ? sequence : condition;
    reporter.report(
      Codes.ConflictingProperties,
      keywordSpan(later.span, later.kind === 'Condition' ? 'condition' : 'sequence'),
      `a detection has either a \`condition\` or a \`sequence\`, not both (the ${earlier.kind.toLowerCase()} is at ${where(earlier.span)})`,
      'move one of them into a detection of its own',
    );
    return undefined;
  }
  if (threshold !== undefined && condition === undefined) {
    reporter.report(
      Codes.ConflictingProperties,
      keywordSpan(threshold.span, 'threshold'),
      sequence !== undefined
        ? '`threshold` cannot be combined with a `sequence`'
        : '`threshold` counts events matching the `condition`, but there is no `condition`',
      sequence !== undefined ? 'remove the threshold; a sequence fires once its steps are seen in order' : 'add `condition: …`',
    );
    return undefined;
  }
  if (condition === undefined && sequence === undefined) {
    reporter.report(
      Codes.MissingProperty,
      decl.name.span,
      `detection \`${decl.name.name}\` has no \`condition\` (or \`sequence\`)`,
      'add `condition: <expression>`, e.g. `condition: rule == "Terminal shell in container"`',
    );
    return undefined;
  }
  if (sequence !== undefined) return seq ?? undefined;
  if (cond === null || cond === undefined) return undefined;
  if (threshold === undefined) return { kind: 'filter', condition: cond };
  if (thr === undefined) return undefined;
  return { kind: 'threshold', condition: cond, ...thr };
}

function lowerThreshold(
  t: ThresholdMember,
  fields: FieldIndex,
  reporter: Reporter,
): { by: FieldRef[]; window: number; count: number; span: Span } | undefined {
  let ok = true;
  const count = t.count.value;
  if (reportInexactNumber(t.count, reporter)) ok = false;
  else if (!Number.isInteger(count) || count < 1) {
    ok = false;
    reporter.report(
      Codes.InvalidValue,
      t.count.span,
      `the threshold count must be a whole number of at least 1, not ${count}`,
      'write e.g. `threshold: count >= 5 within 10m`',
    );
  }
  const by = lowerKeys(t.by, fields, reporter);
  const window = positiveDuration(t.within, 'the threshold window', reporter);
  if (!ok || by === undefined || window === undefined) return undefined;
  return { by, window, count, span: t.span };
}

function lowerSequence(
  s: SequenceMember,
  conditions: ConditionLowerer,
  fields: FieldIndex,
  reporter: Reporter,
): Match | undefined {
  const before = reporter.errorCount;
  const by = lowerKeys(s.by, fields, reporter);
  const window = positiveDuration(s.within, 'the sequence window', reporter);
  const steps: { name: string; condition: Condition }[] = [];
  const seen = new Map<string, SequenceMember['steps'][number]>();
  for (const step of s.steps) {
    const first = seen.get(step.name.name);
    if (first !== undefined) {
      reporter.report(
        Codes.DuplicateName,
        step.name.span,
        `step \`${step.name.name}\` is already defined at ${where(first.name.span)}`,
        'give every step of a sequence its own name',
      );
    } else {
      seen.set(step.name.name, step);
    }
    const condition = conditions.lower(step.expr);
    if (condition !== null) steps.push({ name: step.name.name, condition });
  }
  if (s.steps.length < 2) {
    reporter.report(
      Codes.InvalidValue,
      keywordSpan(s.span, 'sequence'),
      `a sequence needs at least two steps, this one has ${s.steps.length}`,
      s.steps.length === 1 ? 'use `condition:` for a single step' : 'add `step <name>: <expression>` lines',
    );
  }
  if (reporter.errorCount > before || by === undefined || window === undefined) return undefined;
  return { kind: 'sequence', by, window, steps, span: s.span };
}
