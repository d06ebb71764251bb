/**
 * Query trees as Elasticsearch query DSL, all in filter context (no scoring):
 * term/terms/prefix/wildcard/regexp on keyword fields, `case_insensitive` where it is exact,
 * exists, range, and bool (`filter` + `must_not` for and/not, `should` with an explicit
 * `minimum_should_match: 1` for or, so the meaning never depends on the bool's context).
 */
import { wildcardEscape } from './nocase.js';
import type { EsNode } from './tree.js';

export type DslQuery = { readonly [clause: string]: unknown };

/** One query clause for `node`. */
export function renderDsl(node: EsNode): DslQuery {
  switch (node.kind) {
    case 'all':
      return { match_all: {} };
    case 'none':
      return { match_none: {} };
    case 'term':
      return { term: { [node.field]: { value: node.value } } };
    case 'terms':
      return { terms: { [node.field]: [...node.values] } };
    case 'prefix':
      return { prefix: { [node.field]: { value: node.value } } };
    case 'wildcard':
      return {
        wildcard: { [node.field]: { value: node.parts.map((p) => ('any' in p ? '*' : wildcardEscape(p.literal))).join('') } },
      };
    case 'regexp':
      return { regexp: { [node.field]: { value: node.regex } } };
    case 'nocase':
      if (node.native) return { [node.native.op]: { [node.field]: { value: node.native.value, case_insensitive: true } } };
      return { regexp: { [node.field]: { value: node.regex } } };
    case 'exists':
      return { exists: { field: node.field } };
    case 'range': {
      const bounds: Record<string, unknown> = {};
      for (const k of ['gt', 'gte', 'lt', 'lte'] as const) if (node[k] !== undefined) bounds[k] = node[k];
      return { range: { [node.field]: bounds } };
    }
    case 'and':
    case 'not':
      return { bool: boolBody(node) };
    case 'or':
      return { bool: { should: node.args.map(renderDsl), minimum_should_match: 1 } };
  }
}

/** `filter` and `must_not` lists for a conjunction (or a single negation). */
function boolBody(node: EsNode): Record<string, unknown> {
  const args = node.kind === 'and' ? node.args : [node];
  const filter = args.filter((a) => a.kind !== 'not').map(renderDsl);
  const mustNot = args.flatMap((a) => (a.kind === 'not' ? [renderDsl(a.arg)] : []));
  const body: Record<string, unknown> = {};
  if (filter.length > 0) body.filter = filter;
  if (mustNot.length > 0) body.must_not = mustNot;
  return body;
}

/**
 * The whole condition as `{"bool": {"filter": […], "must_not": […]}}` (top-level conjuncts
 * become the filter list, negated ones `must_not`).
 */
export function renderDslRoot(node: EsNode): DslQuery {
  if (node.kind === 'and' || node.kind === 'not') return { bool: boolBody(node) };
  return { bool: { filter: [renderDsl(node)] } };
}
