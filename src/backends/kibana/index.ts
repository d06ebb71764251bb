/**
 * The `kibana` backend (see backend.ts for the files it writes), wired to the shared Elastic
 * query builders: Lucene for query and threshold rules, query DSL for `.es-query` rules, and
 * the same query trees written as EQL for sequence steps.
 */
import type { Span } from '../../diagnostics/diagnostic.js';
import type { Condition } from '../../ir/types.js';
import type { ElasticProfile } from '../../source/types.js';
import { profileFieldTypes } from '../elastic/profile.js';
import { clauseLimitDiagnostics } from '../elastic/clauses.js';
import { conditionTree, dslQuery, luceneQuery, regexLimitDiagnostics } from '../elastic/query.js';
import type { EsNode } from '../elastic/tree.js';
import { renderEql } from '../eql/render.js';
import type { Backend } from '../types.js';
import { createKibanaBackend } from './backend.js';
import { cannotExpress, KIBANA_TARGET } from './diagnostics.js';
import { eqlExtraConjuncts } from './eql-conjuncts.js';
import type { ElasticQueryBuilders } from './queries.js';

export { KIBANA_ES_QUERY_NDJSON, KIBANA_ROOT, KIBANA_RULES_NDJSON, kibanaRulePath } from './backend.js';

/** Date-typed paths of `node` compared by range (not written in EQL, see `eql` below). */
function dateRanges(node: EsNode, dates: ReadonlySet<string>, out: string[] = []): string[] {
  switch (node.kind) {
    case 'range':
      if (dates.has(node.field)) out.push(node.field);
      break;
    case 'and':
    case 'or':
      for (const a of node.args) dateRanges(a, dates, out);
      break;
    case 'not':
      dateRanges(node.arg, dates, out);
      break;
    default:
      break;
  }
  return out;
}

/** The span of the first comparison in `cond` of a field stored at `path` in `profile`. */
function leafSpan(cond: Condition, path: string, profile: ElasticProfile): Span | undefined {
  switch (cond.kind) {
    case 'and':
    case 'or':
      for (const a of cond.args) {
        const s = leafSpan(a, path, profile);
        if (s) return s;
      }
      return undefined;
    case 'not':
      return leafSpan(cond.arg, path, profile);
    default:
      return profile.fields[cond.field.name]?.path === path ? cond.span : undefined;
  }
}

const dateFieldsOf = new WeakMap<ElasticProfile, ReadonlySet<string>>();

/** The paths of `profile`'s date fields (computed once per profile). */
function dateFields(profile: ElasticProfile): ReadonlySet<string> {
  let dates = dateFieldsOf.get(profile);
  if (!dates) {
    dates = new Set(profileFieldTypes(profile).filter(([, type]) => type === 'date').map(([path]) => path));
    dateFieldsOf.set(profile, dates);
  }
  return dates;
}

/** The Elastic query builders for the kibana target (diagnostics name the `kibana` target). */
export const kibanaQueries: ElasticQueryBuilders = {
  lucene(condition, profile, source, { detection }) {
    return luceneQuery(condition, profile, source, { detection: detection.name, span: detection.span, target: KIBANA_TARGET });
  },
  dsl(condition, profile, source, { detection }) {
    return dslQuery(condition, profile, source, { detection: detection.name, span: detection.span, target: KIBANA_TARGET });
  },
  eql(condition, profile, source, { detection }) {
    const where = { detection: detection.name, span: detection.span, target: KIBANA_TARGET };
    const r = conditionTree(condition, profile, source, where);
    if (!r.tree) return { diagnostics: r.diagnostics };
    // EQL's `regex` is a regexp query, and each step a query DSL `bool`, with their limits
    const extra = eqlExtraConjuncts(detection, condition, (c) => conditionTree(c, profile, source, where).tree);
    const limits = [
      ...regexLimitDiagnostics(r.regexesOverLimits, KIBANA_TARGET, detection.name, 'eql'),
      ...clauseLimitDiagnostics(r.tree, 'eql', where, extra),
    ];
    if (limits.length > 0) return { diagnostics: limits };
    const dates = dateFields(profile);
    const compared = dateRanges(r.tree, dates);
    if (compared.length > 0) {
      return {
        diagnostics: [
          cannotExpress(
            detection,
            'a sequence step',
            `it compares the date field '${compared[0]}', and this target does not write date comparisons in EQL (filter and threshold detections, which use Lucene, can compare dates)`,
            leafSpan(condition, compared[0]!, profile),
          ),
        ],
      };
    }
    return { query: renderEql(r.tree), diagnostics: [] };
  },
};

/** The kibana backend. */
export const kibanaBackend: Backend = createKibanaBackend(kibanaQueries);
