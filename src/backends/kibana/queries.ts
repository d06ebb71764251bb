/**
 * The query builders the Kibana target borrows from the Elastic query backends (Lucene for
 * query and threshold rules, Elasticsearch query DSL for `.es-query` rules, an EQL condition
 * for each step of a sequence), behind one small interface so the Kibana rule builders can be
 * tested on their own.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Condition, Detection } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';

/** The detection a query is built for (for diagnostics). */
export interface QueryFor {
  readonly detection: Detection;
}

export interface ElasticQueryBuilders {
  /** `condition` as a Lucene query string (as Kibana runs it: `query_string`), or diagnostics. */
  lucene(
    condition: Condition,
    profile: ElasticProfile,
    source: SourceDefinition,
    where: QueryFor,
  ): { readonly query?: string; readonly diagnostics: readonly Diagnostic[] };
  /** `condition` as an Elasticsearch query DSL query object, or diagnostics. */
  dsl(
    condition: Condition,
    profile: ElasticProfile,
    source: SourceDefinition,
    where: QueryFor,
  ): { readonly query?: object; readonly diagnostics: readonly Diagnostic[] };
  /** `condition` as an EQL boolean expression (one step of a sequence), or diagnostics. */
  eql(
    condition: Condition,
    profile: ElasticProfile,
    source: SourceDefinition,
    where: QueryFor,
  ): { readonly query?: string; readonly diagnostics: readonly Diagnostic[] };
}
