/**
 * The abstract syntax tree: what a `.det` file says, before any meaning is given to it.
 * The CST visitor (`visitor.ts`) builds it, the printer (`printer.ts`) prints it back, and
 * lowering (`src/ir/lower.ts`) turns it into the IR. Property names are kept generic here
 * (`key: value`), so that unknown or misspelt properties become diagnostics in lowering, not
 * parse errors.
 *
 * Every node carries the span of the text it came from. Two ASTs are "the same" when they are
 * deep-equal after removing every `span` and the source lexemes kept for the printer (`raw`,
 * see `stripSpans`).
 *
 * Layout the author chose that `detect fmt` keeps is part of the AST, and compared: comments
 * (`comments`, `trailingComment`, `closingComments`, `trailingComments`) and single blank lines
 * (`blankLineBefore`, `commentGaps`, `closingCommentGaps`, `trailingCommentGaps`).
 */
import type { Span } from '../diagnostics/diagnostic.js';

export interface FileNode {
  readonly kind: 'File';
  readonly path: string;
  readonly blocks: readonly Block[];
  /** `#` comment lines after the last block. */
  readonly trailingComments?: readonly string[];
  /**
   * Blank lines among `trailingComments`: each index i (1 <= i < trailingComments.length) is a
   * blank line (one or more in the source) just before `trailingComments[i]`. Ascending.
   */
  readonly trailingCommentGaps?: readonly number[];
  readonly span: Span;
}

/** What the author wrote before a block (kept by `detect fmt`). */
export interface Leading {
  /** `#` comment lines written just before this node, without the `#`; kept by `detect fmt`. */
  readonly comments?: readonly string[];
  /**
   * Blank lines the author left among the leading `comments`: each index i
   * (1 <= i <= comments.length) is a blank line (one or more in the source) just before
   * `comments[i]`, or, for i = comments.length, between the last comment and the node. Ascending.
   * (A comment moved here from inside the node comes after the comments written before it.)
   */
  readonly commentGaps?: readonly number[];
  /** A `#` comment written after this node on its last line, without the `#`; kept there by `detect fmt`. */
  readonly trailingComment?: string;
}

/** Comments after the last child of a `{ … }`, before its `}` (kept there by `detect fmt`). */
export interface ClosingComments {
  readonly closingComments?: readonly string[];
  /**
   * Blank lines before closing comments: each index i (0 <= i < closingComments.length) is a
   * blank line (one or more in the source) just before `closingComments[i]` (for i = 0, after
   * the last child; never after the `{`). Ascending. None is kept before the `}`.
   */
  readonly closingCommentGaps?: readonly number[];
}

/** What the author wrote before a member, a map entry or a sequence step (kept by `detect fmt`). */
export interface MemberLeading extends Leading {
  /**
   * The author left one or more blank lines before this node (before its comments, if any), and
   * it is not the first in its `{ … }`. Printed as one blank line; never set on a first member.
   */
  readonly blankLineBefore?: true;
}

export type Block = ListDecl | MacroDecl | DetectionDecl;

/** `list shells = ["bash", "sh"]` */
export interface ListDecl extends Leading {
  readonly kind: 'List';
  readonly name: Identifier;
  readonly items: readonly ScalarValue[];
  readonly span: Span;
}

/** `macro in_container = container.id != "host"` */
export interface MacroDecl extends Leading {
  readonly kind: 'Macro';
  readonly name: Identifier;
  readonly body: Expr;
  readonly span: Span;
}

/** `detection name { member* }` */
export interface DetectionDecl extends Leading, ClosingComments {
  readonly kind: 'Detection';
  readonly name: Identifier;
  readonly members: readonly Member[];
  readonly span: Span;
}

export type Member =
  | Property
  | MapBlock
  | ConditionMember
  | ScheduleMember
  | SuppressMember
  | ThresholdMember
  | SequenceMember
  | TestDecl;

/** `key: value` — title, id, severity, tags, output, … (meaning given in lowering). */
export interface Property extends MemberLeading {
  readonly kind: 'Property';
  readonly key: Identifier;
  readonly value: Value;
  readonly span: Span;
}

/** `key { key: value … }` — `attack { … }` and `entities { … }`. */
export interface MapBlock extends MemberLeading, ClosingComments {
  readonly kind: 'MapBlock';
  readonly key: Identifier;
  readonly entries: readonly Property[];
  readonly span: Span;
}

/** `condition: expr` */
export interface ConditionMember extends MemberLeading {
  readonly kind: 'Condition';
  readonly expr: Expr;
  readonly span: Span;
}

/** `schedule: every 5m lookback 10m` or `schedule: realtime` */
export type ScheduleMember =
  | (MemberLeading & {
      readonly kind: 'Schedule';
      readonly mode: 'every';
      readonly every: DurationValue;
      readonly lookback?: DurationValue;
      readonly span: Span;
    })
  | (MemberLeading & { readonly kind: 'Schedule'; readonly mode: 'realtime'; readonly span: Span });

/** `suppress: by container.id, proc.cmdline for 1h` or `suppress: for 1h` */
export interface SuppressMember extends MemberLeading {
  readonly kind: 'Suppress';
  readonly by: readonly Identifier[];
  readonly duration: DurationValue;
  readonly span: Span;
}

/** `threshold: count >= 5 by container.id within 10m` */
export interface ThresholdMember extends MemberLeading {
  readonly kind: 'Threshold';
  readonly count: NumberValue;
  readonly by: readonly Identifier[];
  readonly within: DurationValue;
  readonly span: Span;
}

/** `sequence by container.id within 10m { step name: expr … }` */
export interface SequenceMember extends MemberLeading, ClosingComments {
  readonly kind: 'Sequence';
  readonly by: readonly Identifier[];
  readonly within: DurationValue;
  readonly steps: readonly SequenceStep[];
  readonly span: Span;
}

export interface SequenceStep extends MemberLeading {
  readonly kind: 'Step';
  readonly name: Identifier;
  readonly expr: Expr;
  readonly span: Span;
}

/**
 * `test "name" matches { … }`, `test "name" does not match [ {…}, {…} ]`,
 * `test "name" matches file "events.ndjson"`.
 */
export interface TestDecl extends MemberLeading {
  readonly kind: 'Test';
  readonly name: StringValue;
  readonly expect: 'match' | 'no-match';
  readonly events: JsonEvents | FileEvents;
  readonly span: Span;
}

/** Inline events: one JSON object, or a JSON array of events (an ordered list). */
export interface JsonEvents {
  readonly kind: 'JsonEvents';
  readonly value: JsonValue;
  /**
   * The JSON exactly as written in the source (set by the parser), so `detect fmt` keeps every
   * string and number lexeme (`1717406047512771245` is not a JS number; `1.50` is not `1.5`).
   * The printer uses it only while it still denotes `value`; without it (an AST built in code)
   * the printer writes `value`. Not compared by `stripSpans`.
   */
  readonly raw?: string;
  readonly span: Span;
}

/** Events read from an NDJSON file, path relative to the `.det` file. */
export interface FileEvents {
  readonly kind: 'FileEvents';
  readonly path: StringValue;
  readonly span: Span;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// ---- expressions ---------------------------------------------------------------------------

export type Expr = BinaryExpr | NotExpr | Comparison | MacroRef;

/** `a and b`, `a or b`. Left-associative; `and` binds tighter than `or`. */
export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly op: 'and' | 'or';
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** `not expr` */
export interface NotExpr {
  readonly kind: 'Not';
  readonly operand: Expr;
  readonly span: Span;
}

export type ComparisonOp =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'contains'
  | 'startswith'
  | 'endswith'
  | 'regex'
  | 'exists';

/**
 * `field op value [cased|nocase]`; `field exists` has no value. For `in` the value is a list
 * literal or the name of a `list`.
 */
export interface Comparison {
  readonly kind: 'Comparison';
  readonly field: Identifier;
  readonly op: ComparisonOp;
  readonly value?: Value;
  /** Explicit case mode written by the author; absent means the default (case-sensitive). */
  readonly caseMode?: 'cased' | 'nocase';
  readonly span: Span;
}

/** A bare name in expression position: a macro. */
export interface MacroRef {
  readonly kind: 'MacroRef';
  readonly name: Identifier;
  readonly span: Span;
}

// ---- values --------------------------------------------------------------------------------

export type ScalarValue = StringValue | NumberValue | BooleanValue | DurationValue | IdentifierValue;
export type Value = ScalarValue | ListValue;

export interface Identifier {
  readonly kind: 'Identifier';
  /** e.g. `proc.cmdline`, `command-and-control`, `T1059.004`, `proc.aname[2]` */
  readonly name: string;
  readonly span: Span;
}

export interface StringValue {
  readonly kind: 'String';
  readonly value: string;
  /** Written as a `"""` block (kept so the printer preserves the author's choice). */
  readonly block: boolean;
  readonly span: Span;
}

export interface NumberValue {
  readonly kind: 'Number';
  readonly value: number;
  /**
   * The number as written in the source (`1.50`, `-1.5e3`), kept by `detect fmt` while it still
   * denotes `value`. Not compared by `stripSpans`.
   */
  readonly raw?: string;
  readonly span: Span;
}

export interface BooleanValue {
  readonly kind: 'Boolean';
  readonly value: boolean;
  readonly span: Span;
}

/** `30s`, `5m`, `1h`, `14d`; `seconds` is the value in seconds. */
export interface DurationValue {
  readonly kind: 'Duration';
  readonly text: string;
  readonly seconds: number;
  readonly span: Span;
}

/** A bare word used as a value: `severity: high`, `output: proc.cmdline`, a list name. */
export interface IdentifierValue {
  readonly kind: 'IdentifierValue';
  readonly name: string;
  readonly span: Span;
}

/** `[a, b]` (bracketed) or `a, b` (a bare comma-separated sequence). */
export interface ListValue {
  readonly kind: 'List';
  readonly items: readonly ScalarValue[];
  readonly bracketed: boolean;
  readonly span: Span;
}

/**
 * Remove every `span`, the file's `path` and the source lexemes kept for the printer (`raw` of
 * `JsonEvents` and `Number` nodes), so two ASTs can be compared structurally. Everything else is
 * compared, layout the printer keeps included (`comments`, `blankLineBefore`, `commentGaps`,
 * `closingCommentGaps`, `trailingCommentGaps`).
 */
export function stripSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSpans);
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    const kind = (node as { kind?: unknown }).kind;
    const isJsonEvents = kind === 'JsonEvents';
    const hasRaw = isJsonEvents || kind === 'Number';
    for (const [k, v] of Object.entries(node)) {
      if (k === 'span' || (k === 'path' && kind === 'File') || (k === 'raw' && hasRaw)) continue;
      // Test events are user data: compared as they are, whatever keys they hold.
      out[k] = isJsonEvents && k === 'value' ? v : stripSpans(v);
    }
    return out;
  }
  return node;
}
