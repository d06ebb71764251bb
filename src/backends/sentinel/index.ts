/**
 * The Microsoft Sentinel target (registered as both `kql` and `sentinel`): everything a
 * Sentinel user deploys, under `sentinel/`:
 *
 *   sentinel/parsers/<Function>.kql     the parser function body (KQL)
 *   sentinel/parsers/<Function>.json    ARM template: the parser as a workspace function
 *   sentinel/analytics/<name>.kql       the rule query (with a comment header)
 *   sentinel/analytics/<name>.json      ARM template: the analytics rule
 *   sentinel/analytics/<name>.yaml      the rule in the Azure-Sentinel template format
 *   sentinel/azuredeploy.json           ARM template: the parser and every rule
 *
 * Conditions KQL cannot express exactly are refused (DET5001, at the condition), rules beyond
 * Sentinel's limits too (DET5003); then the parser and every query are analysed by
 * Kusto.Language and any problem is an error (DET5101). A backend never touches the disk.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Detection, FieldRef, Program } from '../../ir/types.js';
import type { SourceDefinition, SourceField } from '../../source/types.js';
import type { AnalysisCache } from '../../kusto/cache.js';
import { fileCollector, partsOf, type Backend, type BackendOptions, type EmittedFile, type FileSink } from '../types.js';
import { ConditionCompiler } from '../kql/condition.js';
import { parserFunction, type ParserFunction } from '../kql/parser.js';
import { ruleQuery, type RuleQuery } from '../kql/query.js';
import { commentText, kqlName } from '../kql/text.js';
import { analyse } from './analysis.js';
import { alertRuleResource, parserResource, parserResourceId, singleTemplate, templateParts, withDependsOnText } from './arm.js';
import { checkDeployment, type DeploymentSize } from './deployment-limits.js';
import { checkLimits } from './limits.js';
import { sentinelRule, type SentinelRule } from './rule.js';
import { ruleYaml } from './yaml.js';

/** The folder every file of the target lives in. */
export const SENTINEL_ROOT = 'sentinel';

const TARGET_TEXT = 'Sentinel (KQL)';

/** One detection's compiled rule. */
export interface CompiledRule {
  readonly detection: Detection;
  readonly query: RuleQuery;
  readonly rule: SentinelRule;
}

/** What the backend produces for a program, before it is turned into files (for tests). */
export interface SentinelCompilation {
  readonly parser: ParserFunction;
  readonly rules: readonly CompiledRule[];
  readonly diagnostics: readonly Diagnostic[];
}

interface CompileOptions {
  readonly analyse?: boolean;
  readonly kustoCache?: AnalysisCache;
}

/** The KQL column name of each source field, by field name. */
function columnResolver(source: SourceDefinition): (f: FieldRef) => string {
  const columns = new Map<string, SourceField>(source.fields.map((f) => [f.name, f]));
  return (f) => {
    const field = columns.get(f.name);
    if (!field) throw new Error(`field ${f.name} is not in the source ${source.name} (validation should have rejected it)`);
    return kqlName(field.column);
  };
}

/**
 * Compiles every detection of `program`, handing each rule to `each` as soon as it is made,
 * and returns the parser with the diagnostics: DET5001, DET5003, and (when `analyse` is on,
 * the default) DET5101 from Kusto.Language, which runs once every query is known.
 */
function compileRules(
  program: Program,
  source: SourceDefinition,
  parser: ParserFunction,
  options: CompileOptions,
  each: (rule: CompiledRule) => void,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const problem of parser.problems) {
    diagnostics.push({
      code: Codes.TargetCannotExpress.code,
      severity: 'error',
      message: `the ${TARGET_TEXT} target cannot use the source "${source.name}": ${problem}`,
      hint: 'change the source definition: rename the column, or rewrite the cluster host-name pattern',
    });
  }
  const column = columnResolver(source);
  const time = source.fields.find((f) => f.name === 'time');
  const compiler = new ConditionCompiler(column);
  const detections: Detection[] = [];
  const queries: RuleQuery[] = [];
  for (const d of program.detections) {
    const result = ruleQuery(d, { functionName: parser.name, compiler, column, timeColumn: time?.column ?? 'TimeGenerated' });
    for (const p of result.problems) {
      diagnostics.push({
        code: Codes.TargetCannotExpress.code,
        severity: 'error',
        message: `detection ${d.name}: the ${TARGET_TEXT} target cannot express this condition exactly: ${p.reason}`,
        span: p.span,
        hint: p.hint,
      });
    }
    if (!result.query) continue;
    const rule = sentinelRule(d, result.query, column);
    const limits = checkLimits(d, rule);
    diagnostics.push(...limits);
    // A query Sentinel refuses for its size is not analysed too (a list of 100,000 values took
    // Kusto.Language seconds, to no purpose).
    if (!limits.some((l) => l.severity === 'error')) {
      detections.push(d);
      queries.push(result.query);
    }
    each({ detection: d, query: result.query, rule });
  }
  if (options.analyse !== false && parser.problems.length === 0) {
    diagnostics.push(...analyse(parser, detections, queries, options.kustoCache));
  }
  return diagnostics;
}

/** Parser, queries and rules for `program`, with the diagnostics (see {@link compileRules}). */
export function compileSentinel(program: Program, source: SourceDefinition, options: CompileOptions = {}): SentinelCompilation {
  const parser = parserFunction(source);
  const rules: CompiledRule[] = [];
  const diagnostics = compileRules(program, source, parser, options, (r) => rules.push(r));
  return { parser, rules, diagnostics };
}

function ruleKqlFile(d: Detection, query: RuleQuery): string {
  const header = [
    `// ${commentText(d.title)}`,
    `// Detection ${d.name} v${d.version} (${d.id}), severity ${d.severity}. Generated by detect; do not edit.`,
  ];
  return `${header.join('\n')}\n${query.text}\n`;
}

/**
 * Writes the files of a compilation into `sink` as its rules arrive: the parser's files at once;
 * each rule's query, ARM template and YAML as it arrives; `azuredeploy.json` (the parser, then
 * every rule) in parts as it grows, ended by `finish`.
 */
function sentinelEmitter(parser: ParserFunction, source: SourceDefinition, sink: FileSink): { rule: (r: CompiledRule) => void; finish: () => DeploymentSize } {
  const fn = parser.name;
  const dependsOn = [parserResourceId(fn)];
  const parserTitle = `${fn}: Falco alerts from Falcosidekick (CEF and JSON syslog), typed columns`;
  const parserArm = singleTemplate(parserResource(fn, parser.body, parserTitle));
  sink({ path: `${SENTINEL_ROOT}/parsers/${fn}.kql`, content: parser.body });
  sink({ path: `${SENTINEL_ROOT}/parsers/${fn}.json`, content: parserArm.text });
  const deploy = partsOf(sink, `${SENTINEL_ROOT}/azuredeploy.json`);
  let templateBytes = 0;
  let rules = 0;
  let nrtRules = 0;
  const deployed = templateParts((part) => {
    templateBytes += Buffer.byteLength(part);
    deploy.add(part);
  });
  deployed.start(parserArm.resource);
  return {
    rule(r) {
      const base = `${SENTINEL_ROOT}/analytics/${r.detection.name}`;
      const arm = singleTemplate(alertRuleResource(r.rule));
      sink({ path: `${base}.kql`, content: ruleKqlFile(r.detection, r.query) });
      sink({ path: `${base}.json`, content: arm.text });
      sink({ path: `${base}.yaml`, content: ruleYaml(r.rule, source.sentinel.routes) });
      deployed.add(withDependsOnText(arm.resource, dependsOn));
      rules++;
      if (r.rule.kind === 'NRT') nrtRules++;
    },
    finish() {
      deployed.end();
      deploy.end();
      return { rules, nrtRules, templateBytes };
    },
  };
}

/** The files of a compilation, sorted by path. */
export function sentinelFiles(c: SentinelCompilation, source: SourceDefinition): EmittedFile[] {
  const collector = fileCollector();
  const emitter = sentinelEmitter(c.parser, source, collector.sink);
  for (const r of c.rules) emitter.rule(r);
  emitter.finish();
  return collector.files();
}

/** The Sentinel backend. */
export const sentinelBackend: Backend = {
  target: 'sentinel',
  description: 'Microsoft Sentinel: the KQL parser function and, per detection, the query, an ARM template and Azure-Sentinel YAML (sentinel/)',
  emit(program: Program, source: SourceDefinition, options: BackendOptions, sink: FileSink): readonly Diagnostic[] {
    const parser = parserFunction(source);
    const emitter = sentinelEmitter(parser, source, sink);
    const diagnostics = compileRules(program, source, parser, options.kustoCache ? { kustoCache: options.kustoCache } : {}, emitter.rule);
    return [...diagnostics, ...checkDeployment(emitter.finish())];
  },
};
