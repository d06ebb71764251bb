/**
 * The intermediate representation: what a detection means, independent of how it was written
 * and of any target. Fields are resolved against the source, lists and macros are inlined,
 * ATT&CK references carry their names and URLs. Built by `lower.ts`, frozen, described by the
 * JSON Schema in `schema.ts`, and the only input of the evaluator and of every backend.
 *
 * Everything here is plain JSON (`--target ir` writes it as is); durations are in seconds.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export const IR_VERSION = 1;

export type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'timestamp';

/** A logical field of the source (e.g. `proc.cmdline`), with its declared type. */
export interface FieldRef {
  readonly name: string;
  readonly type: FieldType;
}

export type Scalar = string | number | boolean;

// ---- conditions ----------------------------------------------------------------------------

export type Condition = AndCondition | OrCondition | NotCondition | CompareCondition | InCondition | ExistsCondition;

/** A condition on one field: a comparison, `in` or `exists`. */
export type LeafCondition = CompareCondition | InCondition | ExistsCondition;

/** All of `args` hold. Always at least two args; nested `and`s are flattened. */
export interface AndCondition {
  readonly kind: 'and';
  readonly args: readonly Condition[];
}

/** Any of `args` holds. Always at least two args; nested `or`s are flattened. */
export interface OrCondition {
  readonly kind: 'or';
  readonly args: readonly Condition[];
}

export interface NotCondition {
  readonly kind: 'not';
  readonly arg: Condition;
}

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'contains' | 'startswith' | 'endswith' | 'regex';

/**
 * `field op value`. Semantics (the evaluator is the definition):
 * - a missing field (absent or null) makes every comparison false, `ne` included;
 * - string ops compare code points; `caseSensitive: false` compares after Unicode lower-casing;
 * - `regex` is an unanchored search with the value as an RE2-compatible pattern;
 * - on a `string[]` field only `eq` is allowed and means "some element equals".
 */
export interface CompareCondition {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly field: FieldRef;
  readonly value: Scalar;
  readonly caseSensitive: boolean;
  readonly span: Span;
}

/** `field in [v1, v2, …]`: equal to one of the values (some element, for `string[]`). */
export interface InCondition {
  readonly kind: 'in';
  readonly field: FieldRef;
  readonly values: readonly Scalar[];
  readonly caseSensitive: boolean;
  readonly span: Span;
}

/** The field is present and not null (and, for strings, not empty). */
export interface ExistsCondition {
  readonly kind: 'exists';
  readonly field: FieldRef;
  readonly span: Span;
}

// ---- detections ----------------------------------------------------------------------------

export type SeverityLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface AttackRef {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
}

/** One tactic with the techniques (and their sub-techniques) mapped under it. */
export interface AttackMapping {
  readonly tactic: AttackRef & { readonly shortname: string };
  readonly techniques: readonly {
    readonly technique: AttackRef;
    readonly subtechniques: readonly AttackRef[];
  }[];
}

/** `span`: the `schedule:` member (absent for the default schedule), where target limits are reported. */
export type Schedule =
  | { readonly kind: 'scheduled'; readonly every: number; readonly lookback: number; readonly span?: Span }
  | { readonly kind: 'realtime'; readonly span?: Span };

export interface Suppression {
  /** Group alerts by these fields; empty means one group for the whole rule. */
  readonly by: readonly FieldRef[];
  readonly duration: number;
  /** The `suppress:` member. */
  readonly span?: Span;
}

export type Match =
  | { readonly kind: 'filter'; readonly condition: Condition }
  /** At least `count` events matching `condition`, grouped by `by`, within `window`. */
  | {
      readonly kind: 'threshold';
      readonly condition: Condition;
      readonly by: readonly FieldRef[];
      readonly window: number;
      readonly count: number;
      /** The `threshold:` member. */
      readonly span?: Span;
    }
  /** Events matching each step in order, sharing the `by` values, first to last within `window`. */
  | {
      readonly kind: 'sequence';
      readonly by: readonly FieldRef[];
      readonly window: number;
      readonly steps: readonly { readonly name: string; readonly condition: Condition }[];
      /** The `sequence … { … }` member. */
      readonly span?: Span;
    };

/** The per-event conditions of a match: the filter's or threshold's condition, or each sequence step's, in order. */
export function matchConditions(m: Match): Condition[] {
  return m.kind === 'sequence' ? m.steps.map((s) => s.condition) : [m.condition];
}

/**
 * The comparisons and `exists` tests of `conditions`, left to right, each object once: macros
 * are inlined as shared objects, so one used many times is walked (and its leaves listed) once.
 */
export function leavesOf(conditions: readonly Condition[]): LeafCondition[] {
  const out: LeafCondition[] = [];
  const seen = new Set<Condition>();
  const pending = [...conditions].reverse();
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    if (c.kind === 'and' || c.kind === 'or') for (let i = c.args.length - 1; i >= 0; i--) pending.push(c.args[i]!);
    else if (c.kind === 'not') pending.push(c.arg);
    else out.push(c);
  }
  return out;
}

export type EntityKind = 'host' | 'account' | 'process' | 'file' | 'container' | 'image' | 'cluster' | 'namespace' | 'pod';

export const ENTITY_KINDS: readonly EntityKind[] = [
  'host',
  'account',
  'process',
  'file',
  'container',
  'image',
  'cluster',
  'namespace',
  'pod',
];

export type JsonObject = { readonly [key: string]: unknown };

export interface TestCase {
  readonly name: string;
  readonly expect: 'match' | 'no-match';
  /** The ordered events; the case passes when the detection fires on them iff `expect` is `match`. */
  readonly events: readonly JsonObject[];
  /** Where the events came from: inline, or an NDJSON file (path relative to the project). */
  readonly file?: string;
  /**
   * For events from a file: the line of each event in it (1-based; blank lines hold no event,
   * so the n-th event need not be on line n). Failed tests name such events by line.
   */
  readonly lines?: readonly number[];
  readonly span: Span;
}

export interface Detection {
  readonly id: string;
  /** File-name-safe identifier from `detection <name> {`; unique in a program. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly version: number;
  readonly severity: SeverityLevel;
  readonly author: readonly string[];
  readonly tags: readonly string[];
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  /** Markdown: how to triage an alert. */
  readonly triage: string;
  /** Markdown: how to respond and mitigate. */
  readonly response: string;
  readonly attack: readonly AttackMapping[];
  readonly schedule: Schedule;
  readonly suppression?: Suppression;
  readonly match: Match;
  readonly output: readonly FieldRef[];
  readonly entities: Partial<Readonly<Record<EntityKind, FieldRef>>>;
  readonly tests: readonly TestCase[];
  readonly span: Span;
}

export interface Program {
  readonly irVersion: typeof IR_VERSION;
  /** The source the detections are written against (see `src/source`). */
  readonly source: string;
  /** Sorted by `name`, so the IR does not depend on file order. */
  readonly detections: readonly Detection[];
}
