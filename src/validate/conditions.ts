/**
 * Walking the IR conditions of a program, each condition object once: macros are inlined as
 * shared objects, so a problem inside a macro is found (and reported) once, not once per use.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { RegexTimeout } from '../eval/regex.js';
import { leavesOf, matchConditions, type CompareCondition, type Condition, type InCondition, type Program } from '../ir/types.js';

/** Every `compare` and `in` condition of `program`, each object once, in program order. */
export function leafConditions(program: Program): (CompareCondition | InCondition)[] {
  const leaves = leavesOf(program.detections.flatMap((d) => matchConditions(d.match)));
  return leaves.filter((c): c is CompareCondition | InCondition => c.kind !== 'exists');
}

/**
 * Whether the evaluator can run `conditions` on events: every `regex` compiles as JavaScript
 * (`u`, `iu` with `nocase`). One that does not is DET3005 (`RegexRule`), in the same round as
 * the rules that evaluate test events (DET4005, DET4006), which skip such a detection: the
 * evaluator throws on it.
 */
export function evaluable(conditions: readonly Condition[]): boolean {
  return leavesOf(conditions).every((c) => {
    if (c.kind !== 'compare' || c.op !== 'regex' || typeof c.value !== 'string') return true;
    try {
      new RegExp(c.value, c.caseSensitive ? 'u' : 'iu');
      return true;
    } catch {
      return false;
    }
  });
}


/**
 * What `check` reports, or nothing when the evaluator could not decide for one of its events (a
 * regular expression ran past its time limit, `RegexTimeout`): `detect test` reports that case
 * (DET4007), and these rules have nothing reliable to say about the detection.
 */
export function unlessUndecided(check: () => Diagnostic[]): Diagnostic[] {
  try {
    return check();
  } catch (e) {
    if (e instanceof RegexTimeout) return [];
    throw e;
  }
}
