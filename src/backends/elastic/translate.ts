/**
 * Conditions to Elastic query trees, with the reference evaluator's semantics
 * (`src/eval/condition.ts`) or a DET5001 diagnostic saying why the target cannot.
 *
 * Every leaf is translated so that a document matches the leaf's query exactly when the
 * evaluator says the comparison holds, missing fields included (a comparison on a missing
 * field is false, `!=` too: hence `exists(field) and not term`); `and`/`or`/`not` then
 * compose exactly. Per field type and mapping:
 * - strings need a keyword field (`path.keyword`, a keyword or a wildcard path): term/terms,
 *   prefix, wildcard, regexp (see `regex.ts`), case-insensitive forms (see `nocase.ts`);
 *   `exists` also excludes the empty string, which the evaluator treats as absent;
 * - numbers on `long`: term/terms/range (non-integer bounds rounded exactly);
 * - booleans on `boolean`; timestamps on `date` for `exists`, `>=` and `<` with a
 *   whole-millisecond time (Elasticsearch keeps milliseconds, Falco nanoseconds);
 * - `rule` is matched through its aliases: P(rule) becomes
 *   (P(r) and r not in {old names o with P(o)}) or r in {old names whose current name satisfies P};
 * - `cluster` (derived) only when the source recognises it by the custom field alone.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { evaluateCondition } from '../../eval/condition.js';
import { RegexTimeout } from '../../eval/regex.js';
import { parseIsoNanos } from '../../eval/time.js';
import type { Condition, JsonObject, LeafCondition, Scalar } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition, SourceField } from '../../source/types.js';
import { leafText, OP_TEXT } from '../../ir/operators.js';
import { translateNocase, type NocaseOp } from './nocase.js';
import { indexedField, type IndexedField } from './profile.js';
import { translateRegex } from './regex.js';
import { determinizedStates, REFUSE_ABOVE_STATES } from './dfa-states.js';
import { and, nativeInEql, NONE, not, or, termsOf, type EsNode } from './tree.js';

type Leaf = LeafCondition;

export interface TranslateContext {
  readonly source: SourceDefinition;
  readonly profile: ElasticProfile;
  /** Target named in diagnostics (`esdsl`, `lucene`, `kibana`). */
  readonly target: string;
  readonly detection: string;
  /** Where to point when a condition has no span of its own. */
  readonly span?: Span;
}

/**
 * Elasticsearch's default `index.max_regex_length`: longer regular expressions (in UTF-16 code
 * units) are rejected by `regexp` queries and by `/…/` in query strings.
 */
export const MAX_REGEX_LENGTH = 1000;

/**
 * A regular expression of the tree that Elasticsearch would refuse: longer than
 * `MAX_REGEX_LENGTH`, or needing more automaton states than `REFUSE_ABOVE_STATES`
 * (`tooManyStates`, see `dfa-states.ts`).
 */
export interface RegexOverLimit {
  readonly leaf: string;
  readonly span?: Span;
  readonly length: number;
  /** Set when the regex is refused for its automaton, not its length. */
  readonly tooManyStates?: true;
  /** The DSL does not need the regex (Elasticsearch's `case_insensitive` is exact here). */
  readonly nativeInDsl: boolean;
  /** EQL does not need the regex (`f : "v"`, `startsWith~`). */
  readonly nativeInEql: boolean;
}

/**
 * The query tree for `cond`, DET5001 diagnostics for what cannot be expressed exactly, and the
 * regular expressions over Elasticsearch's default limits (each target decides whether it
 * uses them).
 */
export function translateCondition(
  cond: Condition,
  ctx: TranslateContext,
): { tree: EsNode; diagnostics: Diagnostic[]; regexesOverLimits: RegexOverLimit[] } {
  const t = new Translator(ctx);
  const tree = t.condition(cond);
  return { tree, diagnostics: t.diagnostics, regexesOverLimits: t.regexesOverLimits };
}

class Refused extends Error {
  constructor(
    readonly reason: string,
    readonly hint: string,
  ) {
    super(reason);
  }
}

const noAliasSources = new WeakMap<SourceDefinition, SourceDefinition>();

/** `source` without rule aliases: the evaluator on it sees raw rule names. */
function withoutAliases(source: SourceDefinition): SourceDefinition {
  let s = noAliasSources.get(source);
  if (!s) {
    s = { ...source, ruleAliases: {} };
    noAliasSources.set(source, s);
  }
  return s;
}

const UNSAFE_NUMBER_HINT = 'compare with a number between -(2^53 - 1) and 2^53 - 1';

class Translator {
  readonly diagnostics: Diagnostic[] = [];
  readonly regexesOverLimits: RegexOverLimit[] = [];
  private readonly seen = new Set<string>();
  private readonly fields: ReadonlyMap<string, SourceField>;

  constructor(private readonly ctx: TranslateContext) {
    this.fields = new Map(ctx.source.fields.map((f) => [f.name, f]));
  }

  condition(cond: Condition): EsNode {
    switch (cond.kind) {
      case 'and':
        return and(...cond.args.map((c) => this.condition(c)));
      case 'or':
        return or(...cond.args.map((c) => this.condition(c)));
      case 'not':
        return not(this.condition(cond.arg));
      default:
        try {
          const node = this.leaf(cond);
          this.noteRegexesOverLimits(cond, node);
          return node;
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          this.refuse(cond, e);
          return NONE;
        }
    }
  }

  private noteRegexesOverLimits(leaf: Leaf, node: EsNode): void {
    const walk = (n: EsNode): void => {
      if (n.kind === 'and' || n.kind === 'or') n.args.forEach(walk);
      else if (n.kind === 'not') walk(n.arg);
      else if (n.kind === 'regexp' || n.kind === 'nocase') {
        const long = n.regex.length > MAX_REGEX_LENGTH;
        if (!long && determinizedStates(n.regex) <= REFUSE_ABOVE_STATES) return;
        const span = leaf.span ?? this.ctx.span;
        this.regexesOverLimits.push({
          leaf: leafText(leaf),
          length: n.regex.length,
          ...(long ? {} : { tooManyStates: true as const }),
          nativeInDsl: n.kind === 'nocase' && n.native !== undefined,
          nativeInEql: n.kind === 'nocase' && nativeInEql(n.native),
          ...(span ? { span } : {}),
        });
      }
    };
    walk(node);
  }

  private refuse(leaf: Leaf, e: Refused): void {
    const span = leaf.span ?? this.ctx.span;
    const message = `target ${this.ctx.target} cannot express \`${leafText(leaf)}\` exactly (detection '${this.ctx.detection}', Elastic profile '${this.ctx.profile.name}'): ${e.reason}`;
    const key = `${span?.file}:${span?.start.offset}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const d: Diagnostic = {
      code: Codes.TargetCannotExpress.code,
      severity: Codes.TargetCannotExpress.severity,
      message,
      hint: e.hint,
      ...(span ? { span } : {}),
    };
    this.diagnostics.push(d);
  }

  private leaf(leaf: Leaf): EsNode {
    const declared = this.fields.get(leaf.field.name);
    if (!declared) throw new Refused(`the source does not declare the field \`${leaf.field.name}\``, 'use a field of the source');
    if (declared.location.in === 'derived') return this.cluster(leaf);
    const indexed = this.indexed(leaf.field.name);
    const node = this.plain(leaf, indexed);
    return leaf.field.name === 'rule' ? this.aliased(leaf, node, indexed) : node;
  }

  private indexed(name: string): IndexedField {
    const f = indexedField(this.ctx.profile, name);
    if (!f) {
      const others = Object.keys(this.ctx.source.elastic.profiles).filter((p) => p !== this.ctx.profile.name && indexedField(this.ctx.source.elastic.profiles[p]!, name));
      throw new Refused(
        `the field \`${name}\` is not indexed in Elastic profile '${this.ctx.profile.name}'`,
        others.length > 0
          ? `use a field the profile indexes, or compile with --elastic-profile ${others.sort()[0]}`
          : 'use a field the profile indexes, or map the field in the source definition',
      );
    }
    if (f.mapping.path.includes('*') || (f.exact ?? '').includes('*')) {
      throw new Refused(`the document path \`${f.mapping.path}\` contains \`*\`, which Elasticsearch reads as a field pattern`, 'map the field to a path without `*`');
    }
    return f;
  }

  private plain(leaf: Leaf, f: IndexedField): EsNode {
    switch (leaf.field.type) {
      case 'string':
      case 'string[]':
        return this.string(leaf, f);
      case 'number':
        return this.number(leaf, f);
      case 'boolean':
        return this.boolean(leaf, f);
      case 'timestamp':
        return this.timestamp(leaf, f);
    }
  }

  // ---- strings --------------------------------------------------------------------------------

  private string(leaf: Leaf, f: IndexedField): EsNode {
    const exact = f.exact;
    if (exact === undefined) {
      throw new Refused(
        f.mapping.type === 'text'
          ? `\`${f.mapping.path}\` is indexed as analysed text only (no keyword field), so exact and case-sensitive matching is impossible`
          : `\`${f.mapping.path}\` is mapped as ${f.mapping.type}, not as a string`,
        'use another field, or map this one with a keyword (sub-)field in the source definition',
      );
    }
    const limit = f.exactLimit ?? Infinity;
    const isList = leaf.field.type === 'string[]';
    const present: EsNode = { kind: 'exists', field: f.mapping.type === 'text' ? f.mapping.path : exact };
    const listHint = `compare elements instead, e.g. \`not ${leaf.field.name} == "…"\``;
    const short = (v: string): string => {
      if (v.length > limit) {
        throw new Refused(
          `the value is longer than ${limit} characters, the \`ignore_above\` of \`${exact}\`, so no document can match it there`,
          'compare a shorter value, e.g. with startswith',
        );
      }
      return v;
    };
    const eq = (v: Scalar, caseSensitive: boolean): EsNode => {
      const s = this.stringValue(leaf, v);
      // Only "" lower-cases to "": the empty string needs no case-insensitive form.
      return caseSensitive || s === '' ? { kind: 'term', field: exact, value: short(s) } : this.nocase('eq', short(s), exact);
    };

    if (leaf.kind === 'exists') {
      if (isList) throw new Refused('Elasticsearch indexes an empty list like a missing field, but the evaluator treats `[]` as present', listHint);
      return and(present, not({ kind: 'term', field: exact, value: '' }));
    }
    if (leaf.kind === 'in') {
      if (leaf.caseSensitive) return termsOf(exact, leaf.values.map((v) => short(this.stringValue(leaf, v))));
      return or(...leaf.values.map((v) => eq(v, false)));
    }
    const v = this.stringValue(leaf, leaf.value);
    switch (leaf.op) {
      case 'eq':
        return eq(v, leaf.caseSensitive);
      case 'ne':
        if (isList) throw new Refused('Elasticsearch indexes an empty list like a missing field, but the evaluator says `!=` holds for `[]`', listHint);
        return and(present, not(eq(v, leaf.caseSensitive)));
      case 'contains':
      case 'startswith':
      case 'endswith':
        if (v === '') return present;
        // a value that holds a longer one is longer still: not in the keyword field either
        short(v);
        if (!leaf.caseSensitive) return this.nocase(leaf.op, v, exact);
        if (leaf.op === 'startswith') return { kind: 'prefix', field: exact, value: v };
        return {
          kind: 'wildcard',
          field: exact,
          parts: leaf.op === 'contains' ? [{ any: true }, { literal: v }, { any: true }] : [{ any: true }, { literal: v }],
        };
      case 'regex': {
        const r = translateRegex(v, leaf.caseSensitive);
        if ('refused' in r) throw new Refused(`the regular expression cannot be translated to Lucene's dialect: ${r.refused}`, 'rewrite the pattern without that construct, or split it into several conditions');
        return { kind: 'regexp', field: exact, regex: r.regex };
      }
      default:
        throw new Refused('ordering comparisons on text are not supported by the Elastic targets', 'compare with ==, in, contains, startswith, endswith or regex');
    }
  }

  private stringValue(leaf: Leaf, v: Scalar): string {
    if (typeof v !== 'string') throw new Refused(`the value ${JSON.stringify(v)} is not a string`, 'put the value in quotes');
    return v;
  }

  private nocase(op: NocaseOp, value: string, field: string): EsNode {
    const r = translateNocase(op, value);
    if ('refused' in r) throw new Refused(`case-insensitive matching: ${r.refused}`, 'compare case-sensitively (drop `nocase`) or use a regex with explicit character classes');
    return r.native ? { kind: 'nocase', field, regex: r.regex, native: r.native } : { kind: 'nocase', field, regex: r.regex };
  }

  // ---- numbers, booleans, timestamps ----------------------------------------------------------

  private number(leaf: Leaf, f: IndexedField): EsNode {
    // A number in a keyword field, or in the keyword sub-field of a text field (an index
    // template that maps ports as text): exact matches on its decimal form.
    const asKeyword = f.mapping.type === 'keyword' || (f.mapping.type === 'text' && f.exact !== undefined);
    const path = asKeyword ? f.exact! : f.mapping.path;
    if (f.mapping.type !== 'long' && !asKeyword) {
      throw new Refused(`\`${path}\` is mapped as ${f.mapping.type}, not as a number`, 'map the field as long in the source definition');
    }
    if (leaf.kind === 'exists') return { kind: 'exists', field: path };
    const value = (v: Scalar): number | undefined => {
      if (typeof v !== 'number') throw new Refused(`the value ${JSON.stringify(v)} is not a number`, 'write a number without quotes');
      if (!Number.isInteger(v)) return undefined; // an integer field never equals it
      if (!Number.isSafeInteger(v)) throw new Refused('the number is beyond 2^53, where JSON readers round values', UNSAFE_NUMBER_HINT);
      return v;
    };
    const term = (v: Scalar): EsNode => {
      const n = value(v);
      if (n === undefined) return NONE;
      return { kind: 'term', field: path, value: asKeyword ? String(n) : n };
    };
    if (leaf.kind === 'in') return or(...leaf.values.map(term));
    switch (leaf.op) {
      case 'eq':
        return term(leaf.value);
      case 'ne':
        return and({ kind: 'exists', field: path }, not(term(leaf.value)));
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge': {
        if (asKeyword) throw new Refused(`\`${path}\` holds the number as a keyword, which has no numeric order`, 'compare with == or in');
        const v = leaf.value;
        if (typeof v !== 'number') throw new Refused(`the value ${JSON.stringify(v)} is not a number`, 'write a number without quotes');
        if (!Number.isSafeInteger(Math.trunc(v))) throw new Refused('the number is beyond 2^53, where JSON readers round values', UNSAFE_NUMBER_HINT);
        if (Number.isInteger(v)) return { kind: 'range', field: path, [leaf.op === 'le' ? 'lte' : leaf.op === 'ge' ? 'gte' : leaf.op]: v };
        // An integer is > 1.5 exactly when it is >= 2, and < 1.5 exactly when it is <= 1.
        return leaf.op === 'gt' || leaf.op === 'ge'
          ? { kind: 'range', field: path, gte: Math.ceil(v) }
          : { kind: 'range', field: path, lte: Math.floor(v) };
      }
      default:
        throw new Refused(`\`${OP_TEXT[leaf.op]}\` does not apply to a number`, 'compare with ==, !=, <, <=, >, >=');
    }
  }

  private boolean(leaf: Leaf, f: IndexedField): EsNode {
    const path = f.mapping.path;
    if (f.mapping.type !== 'boolean') throw new Refused(`\`${path}\` is mapped as ${f.mapping.type}, not as a boolean`, 'map the field as boolean in the source definition');
    if (leaf.kind === 'exists') return { kind: 'exists', field: path };
    const term = (v: Scalar): EsNode => {
      if (typeof v !== 'boolean') throw new Refused(`the value ${JSON.stringify(v)} is not a boolean`, 'write true or false');
      return { kind: 'term', field: path, value: v };
    };
    if (leaf.kind === 'in') return or(...leaf.values.map(term));
    if (leaf.op === 'eq') return term(leaf.value);
    if (leaf.op === 'ne') return and({ kind: 'exists', field: path }, not(term(leaf.value)));
    throw new Refused(`\`${OP_TEXT[leaf.op]}\` does not apply to a boolean`, 'compare with == or !=');
  }

  private timestamp(leaf: Leaf, f: IndexedField): EsNode {
    const path = f.mapping.path;
    if (f.mapping.type !== 'date') throw new Refused(`\`${path}\` is mapped as ${f.mapping.type}, not as a date`, 'map the field as date in the source definition');
    if (leaf.kind === 'exists') return { kind: 'exists', field: path };
    const hint = 'write `>=` or `<` with a time in whole milliseconds, e.g. time >= "2024-05-01T12:00:00.000Z"';
    if (leaf.kind === 'compare' && (leaf.op === 'ge' || leaf.op === 'lt') && typeof leaf.value === 'string') {
      const nanos = parseIsoNanos(leaf.value);
      if (nanos === undefined) throw new Refused('the value is not an ISO 8601 date-time with a time zone', hint);
      if (nanos % 1_000_000n !== 0n) throw new Refused('Elasticsearch `date` fields keep milliseconds; a bound with a finer fraction cannot be compared exactly', hint);
      const iso = new Date(Number(nanos / 1_000_000n)).toISOString();
      return leaf.op === 'ge' ? { kind: 'range', field: path, gte: iso } : { kind: 'range', field: path, lt: iso };
    }
    throw new Refused(
      'Elasticsearch `date` fields keep milliseconds and Falco times have nanoseconds, so only `>=` and `<` against a whole millisecond compare exactly',
      hint,
    );
  }

  // ---- rule aliases and the derived cluster ---------------------------------------------------

  /** Whether the leaf holds when its field's raw (not alias-normalised) value is `value`. */
  private holdsRaw(leaf: Leaf, value: string): boolean {
    const declared = this.fields.get(leaf.field.name)!;
    const loc = declared.location;
    const event: JsonObject =
      loc.in === 'alert' ? { [loc.key]: value } : loc.in === 'output_fields' ? { output_fields: { [loc.key]: value } } : {};
    try {
      return evaluateCondition(leaf, event, withoutAliases(this.ctx.source));
    } catch (e) {
      if (!(e instanceof RegexTimeout)) throw e;
      throw new Refused(
        `${e.message}, testing it against Falco's earlier rule names`,
        'rewrite the pattern without nested or chained repetitions that can match the same text (`^.*x$`, not `^(.*)*x$`)',
      );
    }
  }

  private aliased(leaf: Leaf, node: EsNode, f: IndexedField): EsNode {
    const aliases = this.ctx.source.ruleAliases;
    const pairs: [string, string][] = [];
    for (const current of Object.keys(aliases).sort()) for (const old of aliases[current] ?? []) pairs.push([old, current]);
    if (pairs.length === 0) return node;
    if (f.exact === undefined) return node;
    const excluded = pairs.filter(([old]) => this.holdsRaw(leaf, old)).map(([old]) => old);
    const included = pairs.filter(([, current]) => this.holdsRaw(leaf, current)).map(([old]) => old);
    if (excluded.length === included.length && excluded.every((o, i) => o === included[i])) return node;
    const limit = f.exactLimit ?? Infinity;
    for (const name of [...excluded, ...included]) {
      if (name.length > limit) throw new Refused(`the earlier rule name "${name}" is longer than the \`ignore_above\` of \`${f.exact}\``, 'shorten the alias in the source definition');
    }
    return or(and(node, not(termsOf(f.exact, excluded))), termsOf(f.exact, included));
  }

  private cluster(leaf: Leaf): EsNode {
    const { customField, hostnamePattern } = this.ctx.source.cluster;
    if (hostnamePattern !== undefined) {
      throw new Refused(
        'the cluster is the custom field or, when that is missing, a name recognised in `hostname` by the source\'s pattern; only the custom field is indexed, and the pattern\'s extracted group cannot be compared in a query',
        'compare `hostname` directly (e.g. hostname startswith "gke-prod-eu-"), or drop cluster.hostnamePattern from the source when every node sets the custom field',
      );
    }
    if (customField === undefined) return NONE; // the evaluator never finds a cluster
    const f = this.indexed(leaf.field.name);
    const node = this.string(leaf, f);
    if (leaf.kind === 'exists' || f.exact === undefined) return node;
    // An empty custom field is no cluster for the evaluator.
    return and(node, not({ kind: 'term', field: f.exact, value: '' }));
  }
}
