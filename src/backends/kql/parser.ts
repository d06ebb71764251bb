/**
 * The KQL parser function (`FalcoContainerSecurity` for the built-in source), generated from the
 * source definition, so that parser and analytics rules never disagree. It reads Falco alerts
 * from the ingestion routes the source names and yields one row per alert with one typed column
 * per source field (plus `Severity`, `Tactics`, `Techniques`, `IngestionRoute`):
 *
 * - `cef`: Falcosidekick's syslog output in CEF lands in `CommonSecurityLog`
 *   (`CEF:0|Falcosecurity|Falco|1.0|Falco Event|<rule>|<severity 0–10>|uuid=… start=… msg=<output>
 *   source=… hostname=… outputfields=k:v k:v … tags=a,b`): the rule is `Activity`, the severity
 *   `LogSeverity`, the output `Message`, the event time `StartTime` (`start=`), and the unmapped
 *   extensions sit in `AdditionalExtensions` as `key=value;key=value`. Falcosidekick does not
 *   escape `outputfields`, whose values may hold spaces, so each pair is cut at the next
 *   *declared* field name followed by `:`, never at a space; a `<nil>` value is a missing field.
 *   Numbers arrive as Go prints them (`1.234567e+06`) and are read back exactly by `todouble`.
 * - `json`: Falcosidekick's syslog output in JSON lands in `Syslog` with the alert as
 *   `SyslogMessage` (syslog tag, i.e. `ProcessName`, `Falco`).
 *
 * Both routes first become the same two bags (`_Alert`: the alert keys, `_OutputFields`: the
 * output fields), then one shared projection reads every field out of them, converts it to the
 * column type (string, real for numbers, bool, datetime, dynamic for lists; on the JSON route a
 * number or boolean column takes only a JSON number or boolean, as the evaluator compares JSON
 * types, while the CEF route's values are all text and are converted), maps earlier rule
 * names to the current one, and recognises the cluster name (the custom field, else group 1 of
 * the host-name pattern).
 */
import type { FieldType } from '../../ir/types.js';
import type { SentinelRoute, SourceDefinition, SourceField } from '../../source/types.js';
import { falcoTacticTag, sentinelTactic } from '../sentinel/attack.js';
import { attackTable } from '../../attack/table.js';
import { toKustoRegex, type RegexTranslation } from '../../regex/kusto.js';
import { commentText, kqlName, kqlString } from './text.js';

export type ParserColumnType = 'string' | 'real' | 'bool' | 'datetime' | 'dynamic' | 'long';

export interface ParserColumn {
  readonly name: string;
  readonly type: ParserColumnType;
  /** The source field the column holds, if any. */
  readonly field?: string;
  readonly description: string;
}

export interface ParserFunction {
  readonly name: string;
  /** The function body (what the saved search's `query` holds). */
  readonly body: string;
  readonly columns: readonly ParserColumn[];
  /** Problems of the source for this target (e.g. a column name the parser reserves). */
  readonly problems: readonly string[];
}

/** Columns the parser adds beside the source's fields. */
export const EXTRA_COLUMNS = ['Severity', 'Tactics', 'Techniques', 'IngestionRoute'] as const;

/** Falco priority → Falcosidekick's CEF severity (0–10), the numeric `Severity` column. */
export const PRIORITY_SEVERITY: readonly (readonly [string, number])[] = [
  ['Emergency', 10],
  ['Alert', 9],
  ['Critical', 8],
  ['Error', 7],
  ['Warning', 6],
  ['Notice', 4],
  ['Informational', 3],
  ['Debug', 0],
];

const COLUMN_TYPE: Readonly<Record<FieldType, ParserColumnType>> = {
  string: 'string',
  number: 'real',
  boolean: 'bool',
  'string[]': 'dynamic',
  timestamp: 'datetime',
};

/** Field names whose columns come first, in this order (the rest follow in source order). */
const LEADING = ['time', 'rule', 'priority', 'output', 'hostname', 'cluster'];

/** The parser's columns, in output order. */
export function parserColumns(source: SourceDefinition): ParserColumn[] {
  return orderedParts(source).map((p) => p.column);
}

interface Part {
  readonly column: ParserColumn;
  /** The projection expression (`Column = expr`). */
  readonly expr: string;
}

function orderedParts(source: SourceDefinition): Part[] {
  const byName = new Map(source.fields.map((f) => [f.name, f]));
  const parts: Part[] = [];
  const used = new Set<string>();
  const add = (f: SourceField | undefined): void => {
    if (!f || used.has(f.name)) return;
    used.add(f.name);
    parts.push({ column: { name: f.column, type: COLUMN_TYPE[f.type], field: f.name, description: f.description }, expr: fieldExpr(f, source) });
  };
  for (const name of LEADING) {
    add(byName.get(name));
    if (name === 'priority' && byName.has('priority')) {
      const cases = PRIORITY_SEVERITY.map(([p, n]) => `_Priority == ${kqlString(p)}, ${n}`).join(', ');
      parts.push({
        column: { name: 'Severity', type: 'long', description: "Falcosidekick's CEF severity of the priority: 0 Debug, 3 Informational, 4 Notice, 6 Warning, 7 Error, 8 Critical, 9 Alert, 10 Emergency." },
        expr: `case(${cases}, _Priority == "Info", 3, int(null))`,
      });
    }
  }
  for (const f of source.fields) if (f.location.in === 'alert') add(f);
  const tags = byName.get('tags');
  if (tags && tags.type === 'string[]') {
    const tactics = attackTable().tactics.map(
      (t) => `iff(set_has_element(_Tags, ${kqlString(falcoTacticTag(t.shortname))}), ${kqlString(sentinelTactic(t.shortname))}, "")`,
    );
    parts.push({
      column: { name: 'Tactics', type: 'dynamic', description: 'ATT&CK tactics named by the rule\'s `mitre_*` tags, as Sentinel tactic names (e.g. DefenseEvasion).' },
      expr: `set_difference(pack_array(${tactics.join(', ')}), dynamic([""]))`,
    });
    parts.push({
      column: { name: 'Techniques', type: 'dynamic', description: 'ATT&CK technique and sub-technique ids among the rule\'s tags (e.g. T1070, T1059.004).' },
      expr: String.raw`extract_all(@'"(T\d{4}(?:\.\d{3})?)"', tostring(_Tags))`,
    });
  }
  for (const f of source.fields) add(f);
  parts.push({
    column: { name: 'IngestionRoute', type: 'string', description: 'How the alert arrived: `cef` (CommonSecurityLog) or `json` (Syslog).' },
    expr: 'IngestionRoute',
  });
  return parts;
}

/** The expression reading field `f` from the `_Alert` / `_OutputFields` bags. */
function fieldExpr(f: SourceField, source: SourceDefinition): string {
  if (f.location.in === 'derived') return clusterExpr(source);
  const raw = f.location.in === 'alert' ? `_Alert[${kqlString(f.location.key)}]` : `_OutputFields[${kqlString(f.location.key)}]`;
  if (f.name === 'rule' && f.type === 'string') return ruleExpr(source);
  if (f.name === 'priority' && f.type === 'string') return '_Priority';
  if (f.name === 'tags' && f.type === 'string[]') return '_Tags';
  if (f.name === 'time' && f.type === 'timestamp') return `coalesce(todatetime(${raw}), TimeGenerated)`;
  switch (f.type) {
    case 'string':
      return stringOf(raw, source);
    case 'number':
      return typed(raw, `gettype(${raw}) in ${JSON_NUMBER_TYPES}`, `todouble(${raw})`, 'real(null)', source);
    case 'boolean':
      return typed(raw, `gettype(${raw}) == "bool"`, `tobool(${raw})`, 'bool(null)', source);
    case 'timestamp':
      return `todatetime(${raw})`;
    case 'string[]':
      return `iff(gettype(${raw}) == "array", ${raw}, dynamic(null))`;
  }
}

/**
 * A string column's value: on the JSON route only a JSON string (a number, boolean, list or
 * object in a string field is `""`, missing, as the evaluator compares it with no string;
 * `tostring` would give its JSON text, which `contains` or `!=` would then match). A JSON
 * string is not only `gettype` "string": `parse_json` reads one that looks like a date and time
 * or a GUID as a `datetime` or `guid`, so the test excludes the other JSON types instead.
 */
function stringOf(raw: string, source: SourceDefinition): string {
  return typed(raw, `gettype(${raw}) !in ${JSON_NON_STRING_TYPES}`, `tostring(${raw})`, '""', source);
}

/** What `gettype` says of a JSON value that is not a string (nor null). */
const JSON_NON_STRING_TYPES = '("long", "int", "real", "decimal", "bool", "array", "dictionary")';

/** What `gettype` says of a JSON number in a `dynamic` (`parse_json` gives long or real). */
const JSON_NUMBER_TYPES = '("long", "int", "real", "decimal")';

/**
 * `convert` of `raw` when its value has the field's JSON type (`isType`), else `none`: on the
 * JSON route `todouble("3335")` and `tobool("true")` would read a string as a number or a
 * boolean where the evaluator compares JSON types. The CEF route carries every value as text,
 * so there it always converts (a string "3335" and a number 3335 arrive alike).
 */
function typed(raw: string, isType: string, convert: string, none: string, source: SourceDefinition): string {
  const routes = source.sentinel.routes;
  if (!routes.includes('json')) return convert;
  const test = routes.includes('cef') ? `IngestionRoute == "cef" or ${isType}` : isType;
  return `iff(${test}, ${convert}, ${none})`;
}

/** The current rule name: earlier names of renamed rules (the source's aliases) map to it. */
function ruleExpr(source: SourceDefinition): string {
  const cases = Object.keys(source.ruleAliases)
    .sort()
    .filter((current) => (source.ruleAliases[current] ?? []).length > 0)
    .map((current) => `_Rule in (${(source.ruleAliases[current] ?? []).map(kqlString).join(', ')}), ${kqlString(current)}`);
  return cases.length === 0 ? '_Rule' : `case(${cases.join(', ')}, _Rule)`;
}

/** The cluster name: the custom output field when non-empty, else group 1 of the host-name pattern. */
function clusterExpr(source: SourceDefinition): string {
  const parts: string[] = [];
  if (source.cluster.customField !== undefined) parts.push(stringOf(`_OutputFields[${kqlString(source.cluster.customField)}]`, source));
  const pattern = hostnameKqlPattern(source);
  if (pattern !== undefined && 'pattern' in pattern) parts.push(`extract(${kqlString(pattern.pattern)}, 1, ${stringOf('_Alert["hostname"]', source)})`);
  if (parts.length === 0) return '""';
  return parts.length === 1 ? (parts[0] as string) : `coalesce(${parts.join(', ')})`;
}

/** The host-name pattern in KQL with its JavaScript meaning (the evaluator's), if the source has one. */
function hostnameKqlPattern(source: SourceDefinition): RegexTranslation | undefined {
  return source.cluster.hostnamePattern === undefined ? undefined : toKustoRegex(source.cluster.hostnamePattern);
}

/** Regex-escapes a field name for the `outputfields` anchors. */
function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The CEF route: CommonSecurityLog rows from Falcosidekick, as `_Alert` and `_OutputFields` bags. */
function cefRoute(source: SourceDefinition): string {
  const names = source.fields.filter((f) => f.location.in === 'output_fields').map((f) => (f.location as { key: string }).key);
  if (source.cluster.customField !== undefined) names.push(source.cluster.customField);
  const anchors = [...new Set(names)].map(regexLiteral).join('|');
  const ext = (key: string): string => `extract(${kqlString(`(?:^|;)${key}=([^;]*)`)}, 1, AdditionalExtensions)`;
  const priority = PRIORITY_SEVERITY.map(([p, n]) => `LogSeverity == ${kqlString(String(n))}, ${kqlString(p)}`).join(', ');
  return [
    'CommonSecurityLog',
    '| where DeviceVendor == "Falcosecurity" and DeviceProduct == "Falco"',
    `| extend _FieldsText = extract(${kqlString('(?s)(?:^|;)outputfields=(.*?) ?(?:;tags=|$)')}, 1, AdditionalExtensions),`,
    `    _TagsText = ${ext('tags')}`,
    '// outputfields is "k:v k:v …" with unescaped values: cut before each declared field name.',
    `| mv-apply _Pair = split(replace_regex(_FieldsText, ${kqlString(` (${anchors}):`)}, "\\u001f\\\\1:"), "\\u001f") to typeof(string) on (`,
    '    extend _Colon = indexof(_Pair, ":")',
    '    | summarize _OutputFields = make_bag_if(bag_pack(substring(_Pair, 0, _Colon), substring(_Pair, _Colon + 1)), _Colon > 0 and substring(_Pair, _Colon + 1) != "<nil>")',
    '  )',
    '| project TimeGenerated, IngestionRoute = "cef", _OutputFields, _Alert = bag_pack(',
    '    "rule", Activity,',
    `    "priority", case(${priority}, ""),`,
    '    "output", Message,',
    `    "time", coalesce(StartTime, todatetime(${ext('start')})),`,
    `    "uuid", ${ext('uuid')},`,
    `    "source", ${ext('source')},`,
    `    "hostname", ${ext('hostname')},`,
    '    "tags", iff(isempty(_TagsText), dynamic(null), split(_TagsText, ",")))',
  ].join('\n');
}

/** The JSON route: Syslog rows whose message is Falcosidekick's JSON alert. */
function jsonRoute(): string {
  return [
    'Syslog',
    '| where ProcessName == "Falco"',
    '| extend _Alert = parse_json(SyslogMessage)',
    '| where isnotempty(_Alert["rule"])',
    '| project TimeGenerated, IngestionRoute = "json", _OutputFields = _Alert["output_fields"], _Alert',
  ].join('\n');
}

const ROUTE_LET: Readonly<Record<SentinelRoute, string>> = { cef: '_FalcoCef', json: '_FalcoJson' };
const ROUTE_TEXT: Readonly<Record<SentinelRoute, string>> = { cef: 'CEF (CommonSecurityLog)', json: 'JSON (Syslog)' };

/** The parser function of `source`. */
export function parserFunction(source: SourceDefinition): ParserFunction {
  const problems: string[] = [];
  for (const extra of EXTRA_COLUMNS) {
    const clash = source.fields.find((f) => f.column === extra);
    if (clash) problems.push(`the source's field \`${clash.name}\` uses the column name ${extra}, which the Sentinel parser reserves`);
  }
  const hostname = hostnameKqlPattern(source);
  if (hostname !== undefined && 'refused' in hostname) {
    problems.push(`its cluster host-name pattern ${JSON.stringify(source.cluster.hostnamePattern)} has no exact KQL equivalent: ${hostname.refused}`);
  }
  const parts = orderedParts(source);
  const routes = [...source.sentinel.routes].sort();
  const lines: string[] = [
    `// ${commentText(source.sentinel.functionName)}: Falco alerts forwarded by Falcosidekick, one row per alert, typed columns.`,
    `// Generated by detect from the source "${commentText(source.name)}"; do not edit: change the source and compile again.`,
    `// Routes read: ${routes.map((r) => ROUTE_TEXT[r]).join(', ')}.`,
  ];
  for (const r of routes) lines.push(`let ${ROUTE_LET[r]} = ${r === 'cef' ? cefRoute(source) : jsonRoute()};`);
  lines.push(routes.length === 1 ? ROUTE_LET[routes[0] as SentinelRoute] : `union ${routes.map((r) => ROUTE_LET[r]).join(', ')}`);
  const rule = source.fields.find((f) => f.name === 'rule');
  const priority = source.fields.find((f) => f.name === 'priority');
  const tags = source.fields.find((f) => f.name === 'tags');
  const pre: string[] = [];
  if (rule) pre.push(`_Rule = ${stringOf(rawOf(rule), source)}`);
  if (priority) pre.push(`_Priority = ${stringOf(rawOf(priority), source)}`);
  if (tags) pre.push(`_Tags = iff(gettype(${rawOf(tags)}) == "array", ${rawOf(tags)}, dynamic(null))`);
  if (pre.length > 0) lines.push(`| extend ${pre.join(', ')}`);
  lines.push('| project');
  parts.forEach((p, i) => {
    const name = kqlName(p.column.name);
    lines.push(`    ${p.expr === name ? name : `${name} = ${p.expr}`}${i < parts.length - 1 ? ',' : ''}`);
  });
  return { name: source.sentinel.functionName, body: lines.join('\n') + '\n', columns: parts.map((p) => p.column), problems };
}

function rawOf(f: SourceField): string {
  if (f.location.in === 'output_fields') return `_OutputFields[${kqlString(f.location.key)}]`;
  const key = f.location.in === 'alert' ? f.location.key : f.name;
  return `_Alert[${kqlString(key)}]`;
}
