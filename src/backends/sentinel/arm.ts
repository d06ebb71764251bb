/**
 * ARM templates (deployable with `az deployment group create` or Sentinel Repositories):
 * - the parser as a `Microsoft.OperationalInsights/workspaces/savedSearches` function
 *   (apiVersion 2020-08-01, `FunctionAlias` = the function name);
 * - each rule as `Microsoft.OperationalInsights/workspaces/providers/alertRules` (the
 *   `Microsoft.SecurityInsights/alertRules` extension resource on the workspace), named by the
 *   detection's UUID: kind `Scheduled` with the stable API 2025-12-01, kind `NRT` with
 *   2025-07-01-preview (NRT rules are not in a stable API version; that preview also takes
 *   `subTechniques`);
 * - `azuredeploy.json`: the parser and every rule, each rule depending on the parser.
 * Every template has one parameter, `workspace`. A string value beginning with `[` and ending
 * with `]` would be read by ARM as an expression, so such values are written with `[[` (ARM's
 * escape); ARM trims nothing before that test, so ` [x]` and `[x]\n` are literal as they are.
 * Objects are built in a fixed key order (Azure's export order: type, apiVersion, name, kind,
 * properties) and written with `JSON.stringify`, so the text is deterministic.
 */
import { isoDuration } from './durations.js';
import type { SentinelRule } from './rule.js';

/** alertRules API versions: the newest stable for Scheduled rules; NRT rules exist only in previews. */
export const SCHEDULED_API_VERSION = '2025-12-01';
export const NRT_API_VERSION = '2025-07-01-preview';
export const SAVED_SEARCH_API_VERSION = '2020-08-01';
export const ALERT_RULE_TYPE = 'Microsoft.OperationalInsights/workspaces/providers/alertRules';
export const SAVED_SEARCH_TYPE = 'Microsoft.OperationalInsights/workspaces/savedSearches';
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * A literal string value. ARM reads a string that begins with `[` and ends with `]` as an
 * expression; such a literal is escaped by a second `[` at its start (`[[x]` deploys as `[x]`).
 * Any other string is taken literally, so `[` is not doubled there: `[[prod] shell` would
 * deploy as itself.
 */
export function armLiteral(value: string): string {
  return value.startsWith('[') && value.endsWith(']') ? `[${value}` : value;
}

const lit = armLiteral;
const lits = (values: readonly string[]): string[] => values.map(lit);

/** A deployment template holding `resources`. */
export function template(resources: readonly Json[]): Json {
  return {
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: {
      workspace: { type: 'string', metadata: { description: 'Name of the Log Analytics workspace where Microsoft Sentinel is enabled' } },
    },
    resources: [...resources],
  };
}

/** A template's text before and after its resources' texts. */
const [TEMPLATE_HEAD, TEMPLATE_TAIL] = ((): [string, string] => {
  const [head, tail] = JSON.stringify(template([]), null, 2).split('"resources": []');
  if (head === undefined || tail === undefined) throw new Error('a template ends with its resources');
  return [`${head}"resources": [\n    `, `\n  ]${tail}\n`];
})();

/**
 * JSON text of a template holding resources given as texts (each as it stands in a template:
 * see {@link singleTemplate}): the text `JSON.stringify(template(resources), null, 2)` gives,
 * and a trailing newline. Built from texts so a template of every rule does not keep every
 * rule's object in memory.
 */
export function templateText(resources: readonly string[]): string {
  if (resources.length === 0) return `${JSON.stringify(template([]), null, 2)}\n`;
  let text = '';
  const parts = templateParts((t) => (text += t));
  parts.start(resources[0] as string);
  for (const r of resources.slice(1)) parts.add(r);
  parts.end();
  return text;
}

/**
 * {@link templateText} in parts: `start` with the first resource, then `add` each of the others,
 * then `end`; `write` receives text whose concatenation is `templateText` of all of them.
 */
export function templateParts(write: (text: string) => void): { start(first: string): void; add(resource: string): void; end(): void } {
  return {
    start: (first) => write(`${TEMPLATE_HEAD}${first}`),
    add: (resource) => write(`,\n    ${resource}`),
    end: () => write(TEMPLATE_TAIL),
  };
}

/** The text of a template holding `resource` alone, and the resource's text within it. */
export function singleTemplate(resource: Json): { text: string; resource: string } {
  const text = `${JSON.stringify(template([resource]), null, 2)}\n`;
  return { text, resource: text.slice(TEMPLATE_HEAD.length, text.length - TEMPLATE_TAIL.length) };
}

/**
 * A resource's text (from {@link singleTemplate}) with `dependsOn` placed before its
 * `properties`, as {@link withDependsOn} places it: the line `"properties"` at the resource's
 * top level is the first line at that indentation (JSON strings hold no raw line breaks).
 */
export function withDependsOnText(resource: string, dependsOn: readonly string[]): string {
  const at = resource.indexOf('\n      "properties": ');
  if (at < 0 || dependsOn.length === 0) throw new Error('withDependsOnText: a resource with properties and a dependency');
  const ids = dependsOn.map((id) => `\n        ${JSON.stringify(id)}`).join(',');
  return `${resource.slice(0, at)}\n      "dependsOn": [${ids}\n      ],${resource.slice(at)}`;
}

/** The saved-search resource that deploys the parser function. */
export function parserResource(functionName: string, body: string, description: string): Json {
  return {
    type: SAVED_SEARCH_TYPE,
    apiVersion: SAVED_SEARCH_API_VERSION,
    name: `[concat(parameters('workspace'), '/${functionName}')]`,
    properties: {
      category: 'Falco',
      displayName: lit(description),
      FunctionAlias: functionName,
      query: lit(body),
      version: 2,
    },
  };
}

/** The ARM `properties` of an alert rule, per the alertRules API (required properties first). */
export function alertRuleProperties(rule: SentinelRule): { [key: string]: Json } {
  const p: { [key: string]: Json } = {
    displayName: lit(rule.displayName),
    description: lit(rule.description),
    enabled: true,
    severity: rule.severity,
    query: lit(rule.query),
  };
  if (rule.kind === 'Scheduled') {
    p.queryFrequency = isoDuration(rule.queryFrequency as number);
    p.queryPeriod = isoDuration(rule.queryPeriod as number);
    p.triggerOperator = 'GreaterThan';
    p.triggerThreshold = 0;
  }
  p.suppressionEnabled = rule.suppressionEnabled;
  p.suppressionDuration = isoDuration(rule.suppressionDuration);
  p.tactics = [...rule.attack.tactics];
  p.techniques = [...rule.attack.techniques];
  if (rule.kind === 'NRT') p.subTechniques = [...rule.attack.subTechniques];
  // Sentinel refuses an empty list ("Invalid length of '0' for 'EntityMappings'"): none is no property.
  if (rule.entityMappings.length > 0) {
    p.entityMappings = rule.entityMappings.map((e) => ({
      entityType: e.entityType,
      fieldMappings: e.fieldMappings.map((m) => ({ identifier: m.identifier, columnName: lit(m.columnName) })),
    }));
  }
  // Like entityMappings, no custom details is no property rather than an empty object.
  if (Object.keys(rule.customDetails).length > 0) {
    const details: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(rule.customDetails)) details[k] = lit(v);
    p.customDetails = details;
  }
  if (rule.alertDisplayNameFormat !== undefined) p.alertDetailsOverride = { alertDisplayNameFormat: lit(rule.alertDisplayNameFormat) };
  p.eventGroupingSettings = { aggregationKind: 'AlertPerResult' };
  p.incidentConfiguration = {
    createIncident: true,
    groupingConfiguration: {
      enabled: rule.grouping.enabled,
      reopenClosedIncident: rule.grouping.reopenClosedIncident,
      lookbackDuration: isoDuration(rule.grouping.lookbackDuration),
      matchingMethod: rule.grouping.matchingMethod,
      groupByEntities: [...rule.grouping.groupByEntities],
      groupByAlertDetails: [...rule.grouping.groupByAlertDetails],
      groupByCustomDetails: lits(rule.grouping.groupByCustomDetails),
    },
  };
  return p;
}

/** The alert-rule resource of `rule`; `dependsOn` lists resource ids it needs. */
export function alertRuleResource(rule: SentinelRule, dependsOn: readonly string[] = []): { [key: string]: Json } {
  return withDependsOn(
    {
      type: ALERT_RULE_TYPE,
      apiVersion: rule.kind === 'NRT' ? NRT_API_VERSION : SCHEDULED_API_VERSION,
      name: `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/${rule.id}')]`,
      kind: rule.kind,
      properties: alertRuleProperties(rule),
    },
    dependsOn,
  );
}

/** `resource` with `dependsOn` (placed before `properties`), sharing its other values. */
export function withDependsOn(resource: { readonly [key: string]: Json }, dependsOn: readonly string[]): { [key: string]: Json } {
  if (dependsOn.length === 0) return { ...resource };
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(resource)) {
    if (k === 'properties') out.dependsOn = [...dependsOn];
    out[k] = v as Json;
  }
  return out;
}

/** The resource id expression of the parser's saved search (for `dependsOn`). */
export function parserResourceId(functionName: string): string {
  return `[resourceId('${SAVED_SEARCH_TYPE}', parameters('workspace'), '${functionName}')]`;
}
