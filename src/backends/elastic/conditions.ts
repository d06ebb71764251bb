/**
 * The per-event conditions of a detection the Elastic query targets compile: the filter's or
 * threshold's condition (the threshold itself is the rule's job, e.g. Kibana's), or each step
 * of a sequence in order.
 */
import type { Condition, Detection } from '../../ir/types.js';

export interface EventCondition {
  /** The sequence step's name; absent for filters and thresholds. */
  readonly step?: string;
  readonly condition: Condition;
}

/** The conditions of `detection` that select events, in order. */
export function eventConditions(detection: Detection): EventCondition[] {
  const m = detection.match;
  if (m.kind === 'sequence') return m.steps.map((s) => ({ step: s.name, condition: s.condition }));
  return [{ condition: m.condition }];
}
