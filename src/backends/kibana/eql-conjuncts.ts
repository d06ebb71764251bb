/**
 * Conjuncts Elasticsearch's EQL adds to a sequence step's top-level `and` before it becomes a
 * query DSL `bool` (counted against the boolean clause limit, `../elastic/clauses.ts`): a
 * non-null filter per join key (`AddMandatoryJoinKeyFilter`), the `!= ""` guards the step
 * text carries for keys that count only when non-empty, and the conditions on join keys it
 * copies from the other steps (`PropagateJoinKeyConstraints`), bounded here by all of their
 * top-level conjuncts (with their own key filters and guards).
 */
import type { Condition, Detection } from '../../ir/types.js';
import type { EsNode } from '../elastic/tree.js';

/** How many conjuncts EQL may join into the top-level `and` of the step whose condition is `step`. */
export function eqlExtraConjuncts(detection: Detection, step: Condition, treeOf: (c: Condition) => EsNode | undefined): number {
  const match = detection.match;
  if (match.kind !== 'sequence') return 0;
  const perStep = 2 * match.by.length;
  let extra = perStep;
  // Skip the step itself once: steps that use the same macro share one condition object, and
  // each of them is another step to the others.
  let self = false;
  for (const other of match.steps) {
    if (!self && other.condition === step) {
      self = true;
      continue;
    }
    const tree = treeOf(other.condition);
    extra += (tree?.kind === 'and' ? tree.args.length : 1) + perStep;
  }
  return extra;
}
