/**
 * The Elastic query tree: what a condition means as Elasticsearch/Lucene leaf queries over
 * document fields, before it is written as query DSL (`render-dsl.ts`) or as a Lucene query
 * string (`render-lucene.ts`). Each node matches a document exactly as the corresponding
 * Elasticsearch query does; the translation (`translate.ts`) builds trees whose matches equal
 * the reference evaluator's verdicts.
 */

export type TermValue = string | number | boolean;

/** A wildcard pattern: literal text and `*` (any string), kept apart so each target escapes the text. */
export type WildcardPart = { readonly literal: string } | { readonly any: true };

export type EsNode =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  /** The field has this exact indexed value (keyword term, number, boolean). */
  | { readonly kind: 'term'; readonly field: string; readonly value: TermValue }
  /** One of these exact values. */
  | { readonly kind: 'terms'; readonly field: string; readonly values: readonly TermValue[] }
  /** A keyword value starting with `value`. */
  | { readonly kind: 'prefix'; readonly field: string; readonly value: string }
  /** A keyword value matching the pattern. */
  | { readonly kind: 'wildcard'; readonly field: string; readonly parts: readonly WildcardPart[] }
  /** A keyword value matching the Lucene regular expression as a whole. */
  | { readonly kind: 'regexp'; readonly field: string; readonly regex: string }
  /**
   * A case-insensitive comparison of a keyword value: `regex` is its exact Lucene form; when
   * `native` is set, Elasticsearch's `case_insensitive` flag on term/prefix/wildcard (ASCII
   * letters only) gives the same matches and the DSL uses it.
   */
  | {
      readonly kind: 'nocase';
      readonly field: string;
      readonly regex: string;
      readonly native?: { readonly op: 'term' | 'prefix' | 'wildcard'; readonly value: string };
    }
  /** The field has an indexed value (Elasticsearch `exists`). */
  | { readonly kind: 'exists'; readonly field: string }
  /** Bounds on an ordered field (numbers, dates as ISO text, keywords). */
  | {
      readonly kind: 'range';
      readonly field: string;
      readonly gt?: TermValue;
      readonly gte?: TermValue;
      readonly lt?: TermValue;
      readonly lte?: TermValue;
    }
  | { readonly kind: 'and'; readonly args: readonly EsNode[] }
  | { readonly kind: 'or'; readonly args: readonly EsNode[] }
  | { readonly kind: 'not'; readonly arg: EsNode };

export const ALL: EsNode = { kind: 'all' };
export const NONE: EsNode = { kind: 'none' };

/** Conjunction, flattened and simplified (`all` dropped, `none` absorbs, repeated queries dropped). */
export function and(...args: EsNode[]): EsNode {
  const out: EsNode[] = [];
  const seen = new Set<string>();
  for (const a of args) {
    if (a.kind === 'all') continue;
    if (a.kind === 'none') return NONE;
    for (const b of a.kind === 'and' ? a.args : [a]) pushNew(out, seen, b);
  }
  if (out.length === 0) return ALL;
  return out.length === 1 ? out[0]! : { kind: 'and', args: out };
}

/**
 * Disjunction, flattened and simplified (`none` dropped, `all` absorbs, repeated queries
 * dropped, exact values on one field merged into one `terms` at the place of the first).
 */
export function or(...args: EsNode[]): EsNode {
  const flat: EsNode[] = [];
  const seen = new Set<string>();
  for (const a of args) {
    if (a.kind === 'none') continue;
    if (a.kind === 'all') return ALL;
    for (const b of a.kind === 'or' ? a.args : [a]) pushNew(flat, seen, b);
  }
  const values = new Map<string, TermValue[]>();
  const out: (EsNode | string)[] = [];
  for (const a of flat) {
    if (a.kind !== 'term' && a.kind !== 'terms') {
      out.push(a);
      continue;
    }
    const vs = a.kind === 'term' ? [a.value] : a.values;
    const list = values.get(a.field);
    if (list) list.push(...vs);
    else {
      values.set(a.field, [...vs]);
      out.push(a.field);
    }
  }
  const merged = out.map((a) => (typeof a === 'string' ? termsOf(a, values.get(a)!) : a));
  if (merged.length === 0) return NONE;
  return merged.length === 1 ? merged[0]! : { kind: 'or', args: merged };
}

/** Negation, simplified (`not not x` is `x`). */
export function not(arg: EsNode): EsNode {
  if (arg.kind === 'all') return NONE;
  if (arg.kind === 'none') return ALL;
  if (arg.kind === 'not') return arg.arg;
  return { kind: 'not', arg };
}

/** Exact values: a term for one, terms for several, none for zero (duplicates dropped). */
export function termsOf(field: string, values: readonly TermValue[]): EsNode {
  // (a Set compares as `includes` does, SameValueZero, in linear time: lists may hold 100,000 values)
  const unique: TermValue[] = [...new Set(values)];
  if (unique.length === 0) return NONE;
  if (unique.length === 1) return { kind: 'term', field, value: unique[0]! };
  return { kind: 'terms', field, values: unique };
}

const keys = new WeakMap<EsNode, string>();

/**
 * A text that is the same for two trees exactly when they are the same query as built here
 * (same kinds, fields, values and argument order; the builders write keys in one order).
 */
export function nodeKey(node: EsNode): string {
  let key = keys.get(node);
  if (key === undefined) {
    key = JSON.stringify(node);
    keys.set(node, key);
  }
  return key;
}

/** Appends `node` unless a tree with its key is there already. */
function pushNew(list: EsNode[], seen: Set<string>, node: EsNode): void {
  const key = nodeKey(node);
  if (seen.has(key)) return;
  seen.add(key);
  list.push(node);
}

/** Characters EQL's `:` and wildcard functions read as wildcards or escapes. */
export const EQL_WILDCARD_CHARS = /[*?\\]/;

/**
 * Whether EQL can write a case-insensitive comparison natively (`f : "v"` for a term without
 * wildcard characters, `startsWith~`), sending no regular expression.
 */
export function nativeInEql(native: { readonly op: 'term' | 'prefix' | 'wildcard'; readonly value: string } | undefined): boolean {
  return native !== undefined && ((native.op === 'term' && !EQL_WILDCARD_CHARS.test(native.value)) || native.op === 'prefix');
}
