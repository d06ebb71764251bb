/**
 * A rule in the Azure-Sentinel repository's detection template format (`Detections/**.yaml`,
 * also what Sentinel Repositories deploys): id, name, description, severity,
 * requiredDataConnectors, queryFrequency, queryPeriod, triggerOperator, triggerThreshold
 * (Scheduled rules), tactics, relevantTechniques, query, entityMappings, customDetails,
 * alertDetailsOverride, eventGroupingSettings, incidentConfiguration, version, kind.
 * Durations are written `5m`, `1h`, `1d`.
 */
import type { SentinelRoute } from '../../source/types.js';
import { yamlDuration } from './durations.js';
import type { SentinelRule } from './rule.js';
import { yamlDocument, type YamlValue } from './yaml-text.js';

/** The data connectors (legacy agent and AMA) and tables of each ingestion route. */
export const ROUTE_CONNECTORS: Readonly<Record<SentinelRoute, readonly { connectorId: string; dataTypes: readonly string[] }[]>> = {
  cef: [
    { connectorId: 'CEF', dataTypes: ['CommonSecurityLog'] },
    { connectorId: 'CefAma', dataTypes: ['CommonSecurityLog'] },
  ],
  json: [
    { connectorId: 'Syslog', dataTypes: ['Syslog'] },
    { connectorId: 'SyslogAma', dataTypes: ['Syslog'] },
  ],
};

/** The template YAML of `rule`, for a parser reading `routes`. */
export function ruleYaml(rule: SentinelRule, routes: readonly SentinelRoute[]): string {
  const doc: Record<string, YamlValue> = {
    id: rule.id,
    name: rule.displayName,
    description: rule.description,
    severity: rule.severity,
    requiredDataConnectors: [...routes].sort().flatMap((r) => ROUTE_CONNECTORS[r].map((c) => ({ connectorId: c.connectorId, dataTypes: [...c.dataTypes] }))),
  };
  if (rule.kind === 'Scheduled') {
    doc.queryFrequency = yamlDuration(rule.queryFrequency as number);
    doc.queryPeriod = yamlDuration(rule.queryPeriod as number);
    doc.triggerOperator = 'gt';
    doc.triggerThreshold = 0;
  }
  doc.tactics = [...rule.attack.tactics];
  doc.relevantTechniques = [...rule.attack.relevantTechniques];
  doc.query = rule.query;
  // Sentinel refuses an empty list ("Invalid length of '0' for 'EntityMappings'"): none is no key.
  if (rule.entityMappings.length > 0) {
    doc.entityMappings = rule.entityMappings.map((e) => ({ entityType: e.entityType, fieldMappings: e.fieldMappings.map((m) => ({ identifier: m.identifier, columnName: m.columnName })) }));
  }
  if (Object.keys(rule.customDetails).length > 0) doc.customDetails = { ...rule.customDetails };
  if (rule.alertDisplayNameFormat !== undefined) doc.alertDetailsOverride = { alertDisplayNameFormat: rule.alertDisplayNameFormat };
  doc.eventGroupingSettings = { aggregationKind: 'AlertPerResult' };
  doc.incidentConfiguration = {
    createIncident: true,
    groupingConfiguration: {
      enabled: rule.grouping.enabled,
      reopenClosedIncident: rule.grouping.reopenClosedIncident,
      lookbackDuration: yamlDuration(rule.grouping.lookbackDuration),
      matchingMethod: rule.grouping.matchingMethod,
      groupByEntities: [...rule.grouping.groupByEntities],
      groupByAlertDetails: [...rule.grouping.groupByAlertDetails],
      groupByCustomDetails: [...rule.grouping.groupByCustomDetails],
    },
  };
  doc.version = rule.version;
  doc.kind = rule.kind;
  return yamlDocument(doc);
}
