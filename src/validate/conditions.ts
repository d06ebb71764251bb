/**
 * Walking the IR conditions of a program, each condition object once: macros are inlined as
 * shared objects, so a problem inside a macro is found (and reported) once, not once per use.
 */
import { matchConditions, type CompareCondition, type Condition, type InCondition, type Program } from '../ir/types.js';

/** Every `compare` and `in` condition of `program`, each object once, in program order. */
export function leafConditions(program: Program): (CompareCondition | InCondition)[] {
  const out: (CompareCondition | InCondition)[] = [];
  const seen = new Set<Condition>();
  const roots: Condition[] = [];
  for (const d of program.detections) roots.push(...matchConditions(d.match));
  const pending = roots.reverse();
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    switch (c.kind) {
      case 'and':
      case 'or':
        for (let i = c.args.length - 1; i >= 0; i--) pending.push(c.args[i]!);
        break;
      case 'not':
        pending.push(c.arg);
        break;
      case 'compare':
      case 'in':
        out.push(c);
        break;
      case 'exists':
        break;
    }
  }
  return out;
}

