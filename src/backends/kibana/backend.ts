/**
 * The `kibana` target: Kibana Security detection rules, one JSON file per detection plus an
 * NDJSON bundle for the rule import API, and the same detections as stack alerting
 * `.es-query` rules for deployments without the Security app. Files (below the output folder):
 * - `kibana/<detection name>.json` — one Security rule (pretty JSON, sorted keys);
 * - `kibana/rules.ndjson` — every Security rule, one per line, sorted by detection name
 *   (`POST /api/detection_engine/rules/_import`);
 * - `kibana/es-query-rules.ndjson` — one `POST /api/alerting/rule` body per line, same order,
 *   sequences left out (the `.es-query` rule type has none).
 * A detection the target cannot express exactly gets DET5001 diagnostics and no files.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { canonical } from '../../emit/json.js';
import type { Program } from '../../ir/types.js';
import type { ElasticProfile, SourceDefinition } from '../../source/types.js';
import { resolveProfile } from '../elastic/profile.js';
import { partsOf, type Backend, type BackendOptions, type FileSink } from '../types.js';
import { uniqueDiagnostics } from './diagnostics.js';
import { esQueryRule } from './es-query-rule.js';
import type { ElasticQueryBuilders } from './queries.js';
import { securityRule } from './security-rule.js';

/** The folder (below the output folder) holding every file of the kibana target. */
export const KIBANA_ROOT = 'kibana';
/** The Security rule import bundle. */
export const KIBANA_RULES_NDJSON = `${KIBANA_ROOT}/rules.ndjson`;
/** The `.es-query` rule bodies. */
export const KIBANA_ES_QUERY_NDJSON = `${KIBANA_ROOT}/es-query-rules.ndjson`;

/** Path of one detection's Security rule file. */
export function kibanaRulePath(detectionName: string): string {
  return `${KIBANA_ROOT}/${detectionName}.json`;
}

/** The Elastic profile the options select (or the source's default), or DET6008. */
export function selectProfile(source: SourceDefinition, options: BackendOptions): { profile?: ElasticProfile; diagnostics: Diagnostic[] } {
  return resolveProfile(source, options.elasticProfile);
}

/**
 * Emits every file of the kibana target for `program` into `sink`; returns the diagnostics.
 * Each rule's keys are sorted once ({@link canonical}) for both its pretty file and its NDJSON
 * line; the bundles go to the sink in parts as their lines are added.
 */
export function emitKibana(program: Program, source: SourceDefinition, options: BackendOptions, queries: ElasticQueryBuilders, sink: FileSink): Diagnostic[] {
  const selected = selectProfile(source, options);
  if (!selected.profile) return selected.diagnostics;
  const profile = selected.profile;
  const diagnostics: Diagnostic[] = [];
  // NDJSON, in parts: one compact line per rule, LF after each (an empty file for no rules)
  const rules = partsOf(sink, KIBANA_RULES_NDJSON);
  const esRules = partsOf(sink, KIBANA_ES_QUERY_NDJSON);
  const detections = [...program.detections].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const detection of detections) {
    const security = securityRule(detection, profile, source, queries);
    const es = esQueryRule(detection, profile, source, queries);
    // (a detection without a Security rule is refused: leaving it out of the .es-query rules goes without saying)
    const securityFailed = security.diagnostics.some((d) => d.severity === 'error');
    const esFound = securityFailed ? es.diagnostics.filter((d) => d.code !== Codes.EsQueryRuleOmitted.code) : es.diagnostics;
    const found = uniqueDiagnostics([...security.diagnostics, ...esFound]);
    diagnostics.push(...found);
    if (found.some((d) => d.severity === 'error') || !security.rule) continue;
    const rule = canonical(security.rule);
    sink({ path: kibanaRulePath(detection.name), content: `${JSON.stringify(rule, null, 2)}\n` });
    rules.add(`${JSON.stringify(rule)}\n`);
    if (es.rule) esRules.add(`${JSON.stringify(canonical(es.rule))}\n`);
  }
  rules.end();
  esRules.end();
  return diagnostics;
}

/** The kibana backend over the given Elastic query builders. */
export function createKibanaBackend(queries: ElasticQueryBuilders): Backend {
  return {
    target: 'kibana',
    description: 'Kibana Security detection rules (JSON, an .ndjson import bundle) and .es-query stack rules',
    emit(program: Program, source: SourceDefinition, options: BackendOptions, sink: FileSink): readonly Diagnostic[] {
      return emitKibana(program, source, options, queries, sink);
    },
  };
}
