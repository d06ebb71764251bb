/**
 * How many clauses each boolean query of an Elastic query gets, counted the way Lucene counts
 * them against `maxClauseCount`: per BooleanQuery (Lucene 8, Elasticsearch 7, whose
 * `indices.query.bool.max_clause_count` defaults to 1024; `BooleanQuery.Builder.add` throws
 * past it, and the classic query parser turns that into "too many boolean clauses").
 *
 * What builds a BooleanQuery, per language (`render-lucene.ts`, `render-dsl.ts`,
 * `../eql/render.ts`):
 * - Lucene query string: each parenthesised group is one BooleanQuery of its operands; a
 *   `terms` node is `f:(a OR b …)`, one clause per value; a negation alone is `*:* AND NOT x`
 *   (2), and so is `none`.
 * - Query DSL: each `bool` is one; `terms` is a single TermInSetQuery (or a point set query on
 *   numbers), no clause list; a `bool` with only `must_not` gets Elasticsearch's match-all
 *   clause (`Queries.fixNegativeQueryIfNeeded`), so it counts one more; the root of a single
 *   query is `{"bool": {"filter": [q]}}` (1).
 * - EQL (sequence steps): Elasticsearch translates each step to the query DSL, joining chains
 *   of `and` (and of `or`) into one `bool` (ES 8's `ExpressionTranslators.boolQuery`) and
 *   turning some negated groups inside out (`BoolQuery.negate`); counted here on the
 *   condition with negations pushed down to the leaves and same-kind groups joined, which
 *   bounds every such merge. Each negated leaf is a `bool` of `must_not` plus match-all (2).
 *   `extraRoot` adds conjuncts EQL joins into the step's top-level `and` (the sequence keys'
 *   non-null filters, constraints it copies from the other steps).
 *
 * Elasticsearch 8 (Lucene 9) instead counts the leaf queries of the whole query against a
 * limit it sizes from the heap (64 per MB per search thread, at least 1024); that total is not
 * checked here (see the README).
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import type { EsNode } from './tree.js';

/** Elasticsearch 7's default `indices.query.bool.max_clause_count`, and ES 8's minimum. */
export const MAX_CLAUSE_COUNT = 1024;

export type ClauseLanguage = 'dsl' | 'lucene' | 'eql';

/** The largest boolean query of a query: its clause count and what it is, for messages. */
export interface LargestBoolean {
  readonly clauses: number;
  readonly node: EsNode;
}

/** The boolean query with the most clauses that `tree` becomes in `language` (none: 0 clauses). */
export function largestBoolean(tree: EsNode, language: ClauseLanguage, extraRoot = 0): LargestBoolean {
  if (language === 'eql') return largestEql(negationNormalForm(tree, false), extraRoot);
  let best: LargestBoolean = { clauses: 0, node: tree };
  const visit = (node: EsNode, root: boolean): void => {
    const n = language === 'lucene' ? luceneClauses(node) : dslClauses(node, root);
    if (n > best.clauses) best = { clauses: n, node };
    if (node.kind === 'and' || node.kind === 'or') for (const a of node.args) visit(a, false);
    else if (node.kind === 'not') visit(node.arg, false);
  };
  visit(tree, true);
  return best;
}

/** Clauses of the BooleanQuery the query parser builds for `node` itself (0: not a boolean query). */
function luceneClauses(node: EsNode): number {
  switch (node.kind) {
    case 'terms':
      return node.values.length;
    case 'none':
    case 'not':
      return 2;
    case 'and': {
      const negative = node.args.filter((a) => a.kind === 'not').length;
      return Math.max(node.args.length - negative, 1) + negative;
    }
    case 'or':
      return node.args.length;
    default:
      return 0;
  }
}

/** Clauses of the `bool` the query DSL has for `node` itself (`root`: the whole condition). */
function dslClauses(node: EsNode, root: boolean): number {
  switch (node.kind) {
    case 'and': {
      const positive = node.args.filter((a) => a.kind !== 'not').length;
      return node.args.length + (positive === 0 ? 1 : 0);
    }
    case 'not':
      return 2;
    case 'or':
      return node.args.length;
    default:
      return root ? 1 : 0;
  }
}

/** `node` (negated when `negate`) with negations on leaves only and nested same-kind groups joined. */
function negationNormalForm(node: EsNode, negate: boolean): EsNode {
  switch (node.kind) {
    case 'not':
      return negationNormalForm(node.arg, !negate);
    case 'and':
    case 'or': {
      const kind = (node.kind === 'and') !== negate ? 'and' : 'or';
      const args = node.args.flatMap((a) => {
        const n = negationNormalForm(a, negate);
        return n.kind === kind ? n.args : [n];
      });
      return { kind, args };
    }
    default:
      return negate ? { kind: 'not', arg: node } : node;
  }
}

function largestEql(node: EsNode, extraRoot: number): LargestBoolean {
  let best: LargestBoolean = { clauses: 0, node };
  const visit = (n: EsNode, root: boolean): void => {
    const own = n.kind === 'and' || n.kind === 'or' ? n.args.length : n.kind === 'not' ? 2 : 0;
    // the extra conjuncts join a top-level `and`, or make one with the step's query, which
    // keeps its own clauses (an `or` of 1,100 values is still a boolean query of 1,100)
    const clauses = root && extraRoot > 0 ? (n.kind === 'and' ? own + extraRoot : Math.max(own, 1 + extraRoot)) : own;
    if (clauses > best.clauses) best = { clauses, node: n };
    if (n.kind === 'and' || n.kind === 'or') for (const a of n.args) visit(a, false);
  };
  visit(node, true);
  return best;
}

const LANGUAGE_NAME: Readonly<Record<ClauseLanguage, string>> = { dsl: 'query DSL', lucene: 'Lucene query string', eql: 'EQL condition' };

/** What a boolean query of `clauses` clauses is made of, for messages. */
function describe(node: EsNode, clauses: number, language: ClauseLanguage): string {
  switch (node.kind) {
    case 'terms':
      return `\`${node.field}:(… OR …)\` with ${node.values.length} values`;
    case 'or':
    case 'and': {
      const what = `an \`${node.kind}\` of ${node.args.length} queries${node.kind === 'or' ? ' (from a list compared with `nocase`, `contains`, …, or from `or`s)' : ''}`;
      if (clauses <= node.args.length) return what;
      return `${what}, with ${language === 'eql' ? "the sequence keys' filters" : 'the match-all clause its negations need'}`;
    }
    default:
      return 'the step with the sequence keys\' filters';
  }
}

/**
 * DET5003 when the query `tree` becomes in `language` has a boolean query of more than
 * `MAX_CLAUSE_COUNT` clauses: Elasticsearch would refuse it at every run.
 */
export function clauseLimitDiagnostics(
  tree: EsNode,
  language: ClauseLanguage,
  where: { readonly target: string; readonly detection: string; readonly span?: Span },
  extraRoot = 0,
): Diagnostic[] {
  const largest = largestBoolean(tree, language, extraRoot);
  if (largest.clauses <= MAX_CLAUSE_COUNT) return [];
  return [
    {
      code: Codes.TargetLimitExceeded.code,
      severity: Codes.TargetLimitExceeded.severity,
      message: `target ${where.target}: the ${LANGUAGE_NAME[language]} of detection '${where.detection}' ${language === 'eql' ? 'can become' : 'has'} a boolean query of ${largest.clauses} clauses (${describe(largest.node, largest.clauses, language)}), over Elasticsearch's default indices.query.bool.max_clause_count of ${MAX_CLAUSE_COUNT}, so the rule would fail at every run`,
      hint: `split the detection into several, each with at most ${MAX_CLAUSE_COUNT} values or alternatives (lists and \`or\`s in one condition join into one boolean query); a case-sensitive \`in\` is a single terms query in the query DSL (esdsl target, .es-query rules), only a Lucene query string writes its values one by one`,
      ...(where.span ? { span: where.span } : {}),
    },
  ];
}
