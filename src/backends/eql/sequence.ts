/**
 * A `sequence` match as an EQL sequence query:
 *
 * ```
 * sequence by <key field>, … with maxspan=<window>
 *   [any where <step 1>]
 *   [any where <step 2>]
 * ```
 *
 * `any` because Falco alerts carry no ECS event category the steps could name. EQL's `by` keys
 * must be non-null (the evaluator also skips events lacking a key), `maxspan` bounds the time
 * from the first to the last event like the window, and EQL keeps one pending sequence per
 * state, the latest one, like the evaluator. Keys are `correlationKey`s (fields.ts).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Condition, Match } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';
import { correlationKey } from './fields.js';
import { eqlDuration, eqlField } from './syntax.js';

type SequenceMatch = Extract<Match, { kind: 'sequence' }>;

/** What the sequence is written against, and how a step's condition becomes EQL. */
export interface EqlSequenceContext {
  readonly profile: ElasticProfile;
  readonly source: SourceDefinition;
  /** A step condition as an EQL boolean expression, or the diagnostics saying why not. */
  readonly condition: (cond: Condition) => { readonly text?: string; readonly diagnostics: readonly Diagnostic[] };
}

export interface EqlSequenceResult {
  /** The query, when every key and step could be written. */
  readonly query?: string;
  /** Why a key cannot be a sequence key (one reason per key). */
  readonly keyProblems: readonly string[];
  /** The step conditions' diagnostics, in step order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The EQL query for `match`, with every problem found (keys, then steps in order). */
export function eqlSequence(match: SequenceMatch, ctx: EqlSequenceContext): EqlSequenceResult {
  const keyProblems: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const keys: string[] = [];
  // A key that counts only when non-empty (the cluster's custom field) must not join on "".
  const guards: string[] = [];
  for (const key of match.by) {
    const r = correlationKey(key, ctx.profile, ctx.source);
    if ('reason' in r) keyProblems.push(r.reason);
    else {
      keys.push(eqlField(r.path));
      if (r.nonEmptyOnly) guards.push(`${eqlField(r.path)} != ""`);
    }
  }
  const steps: string[] = [];
  let failed = keyProblems.length > 0;
  for (const step of match.steps) {
    const r = ctx.condition(step.condition);
    diagnostics.push(...r.diagnostics);
    if (r.text === undefined || r.diagnostics.some((d) => d.severity === 'error')) failed = true;
    else steps.push(`  [any where ${guards.length > 0 ? `${guards.join(' and ')} and (${r.text})` : r.text}]`);
  }
  if (failed) return { keyProblems, diagnostics };
  const head = `sequence${keys.length > 0 ? ` by ${keys.join(', ')}` : ''} with maxspan=${eqlDuration(match.window)}`;
  return { query: [head, ...steps].join('\n'), keyProblems, diagnostics };
}
