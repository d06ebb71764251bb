/**
 * The Elastic query builders shared by the `esdsl`, `lucene` and `kibana` backends: one
 * condition in, its exact Elasticsearch query DSL or Lucene query string out, or DET5001
 * diagnostics saying why the target cannot express it exactly.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import type { Condition } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';
import { renderDslRoot, type DslQuery } from './render-dsl.js';
import { renderLucene } from './render-lucene.js';
import { MAX_REGEX_LENGTH, translateCondition, type RegexOverLimit } from './translate.js';
import type { EsNode } from './tree.js';
import { MAX_DETERMINIZED_STATES, REFUSE_ABOVE_STATES } from './dfa-states.js';
import { clauseLimitDiagnostics } from './clauses.js';

export { resolveProfile, indexedField, profileFieldTypes } from './profile.js';
export type { DslQuery } from './render-dsl.js';

/** Where a condition comes from, for diagnostics. */
export interface QueryWhere {
  /** Detection name. */
  readonly detection: string;
  /** Fallback location (the detection's span) for conditions without one. */
  readonly span?: Span;
  /** Target named in diagnostics; defaults to `esdsl` / `lucene`. */
  readonly target?: string;
}

/** A translation that succeeded, with the renderings made of it so far. */
export interface Translated {
  readonly source: SourceDefinition;
  readonly tree: EsNode;
  readonly regexesOverLimits: RegexOverLimit[];
  lucene?: string;
}

/**
 * Successful translations by IR condition and profile. The `esdsl`, `lucene` and `kibana`
 * backends translate the same frozen conditions of one program: each is translated (and
 * rendered as Lucene) once. Failed translations are not kept: their diagnostics name the target.
 */
const translated = new WeakMap<Condition, WeakMap<ElasticProfile, Translated>>();

function cached(condition: Condition, profile: ElasticProfile, source: SourceDefinition): Translated | undefined {
  const hit = translated.get(condition)?.get(profile);
  return hit !== undefined && hit.source === source ? hit : undefined;
}

/** The query tree of `condition` in `profile` (shared step of both builders). */
export function conditionTree(
  condition: Condition,
  profile: ElasticProfile,
  source: SourceDefinition,
  where: QueryWhere & { readonly target: string },
): { tree?: EsNode; diagnostics: Diagnostic[]; regexesOverLimits: RegexOverLimit[]; translated?: Translated } {
  const hit = cached(condition, profile, source);
  if (hit) return { tree: hit.tree, diagnostics: [], regexesOverLimits: hit.regexesOverLimits, translated: hit };
  const { tree, diagnostics, regexesOverLimits } = translateCondition(condition, {
    source,
    profile,
    target: where.target,
    detection: where.detection,
    ...(where.span ? { span: where.span } : {}),
  });
  if (diagnostics.length > 0) return { diagnostics, regexesOverLimits };
  let perProfile = translated.get(condition);
  if (perProfile === undefined) translated.set(condition, (perProfile = new WeakMap()));
  const entry: Translated = { source, tree, regexesOverLimits };
  perProfile.set(profile, entry);
  return { tree, diagnostics, regexesOverLimits, translated: entry };
}

/**
 * DET5003 for each regular expression a target would send that is longer than Elasticsearch's
 * default `index.max_regex_length` or too big an automaton (the query DSL does not send one
 * where `case_insensitive` is exact, EQL where `:` or `startsWith~` is; a Lucene query string
 * always does).
 */
export function regexLimitDiagnostics(regexesOverLimits: readonly RegexOverLimit[], target: string, detection: string, language: 'dsl' | 'lucene' | 'eql'): Diagnostic[] {
  return regexesOverLimits
    .filter((r) => !((language === 'dsl' && r.nativeInDsl) || (language === 'eql' && r.nativeInEql)))
    .map((r) => ({
      code: Codes.TargetLimitExceeded.code,
      severity: Codes.TargetLimitExceeded.severity,
      message: r.tooManyStates
        ? `target ${target}: the regular expression for \`${r.leaf}\` (detection '${detection}') needs an automaton of more than ${REFUSE_ABOVE_STATES} states; Elasticsearch refuses a regexp query past max_determinized_states (${MAX_DETERMINIZED_STATES}), so the rule would fail at every run`
        : `target ${target}: the regular expression for \`${r.leaf}\` (detection '${detection}') is ${r.length} characters long, over Elasticsearch's default index.max_regex_length of ${MAX_REGEX_LENGTH}`,
      hint: r.tooManyStates
        ? 'bound the pattern more tightly: a search (no ^) with a counted repetition of a broad class (`.{0,40}`, `\\w{5,20}`) grows exponentially; use a narrower class, a smaller count, `.*` instead of `.{0,n}`, or anchor it'
        : 'shorten the value or pattern (case-insensitive and `.` expand to character classes), or raise index.max_regex_length on the indices and accept this',
      ...(r.span ? { span: r.span } : {}),
    }));
}

/**
 * `condition` as an Elasticsearch query clause in filter context,
 * `{"bool": {"filter": […], "must_not": […]}}`; absent when a DET5001 diagnostic says why the
 * DSL cannot express it exactly, or a DET5003 one why Elasticsearch would refuse it.
 */
export function dslQuery(
  condition: Condition,
  profile: ElasticProfile,
  source: SourceDefinition,
  where: QueryWhere,
): { query?: DslQuery; diagnostics: Diagnostic[] } {
  const target = where.target ?? 'esdsl';
  const r = conditionTree(condition, profile, source, { ...where, target });
  if (!r.tree) return { diagnostics: r.diagnostics };
  const limits = [
    ...regexLimitDiagnostics(r.regexesOverLimits, target, where.detection, 'dsl'),
    ...clauseLimitDiagnostics(r.tree, 'dsl', { ...where, target }),
  ];
  return limits.length > 0 ? { diagnostics: limits } : { query: renderDslRoot(r.tree), diagnostics: [] };
}

/**
 * `condition` as a Lucene query string for Elasticsearch's `query_string` (Kibana's Lucene
 * language); absent when a DET5001 diagnostic says why Lucene cannot express it exactly, or a
 * DET5003 one why Elasticsearch would refuse it (a regular expression or boolean query over its
 * limits). The string may contain raw characters of the values (line breaks included).
 */
export function luceneQuery(
  condition: Condition,
  profile: ElasticProfile,
  source: SourceDefinition,
  where: QueryWhere,
): { query?: string; diagnostics: Diagnostic[] } {
  const target = where.target ?? 'lucene';
  const r = conditionTree(condition, profile, source, { ...where, target });
  if (!r.tree || !r.translated) return { diagnostics: r.diagnostics };
  const limits = [
    ...regexLimitDiagnostics(r.regexesOverLimits, target, where.detection, 'lucene'),
    ...clauseLimitDiagnostics(r.tree, 'lucene', { ...where, target }),
  ];
  if (limits.length > 0) return { diagnostics: limits };
  r.translated.lucene ??= renderLucene(r.tree);
  return { query: r.translated.lucene, diagnostics: [] };
}
