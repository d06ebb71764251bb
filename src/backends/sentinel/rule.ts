/**
 * One detection as a Sentinel analytics rule, independent of the file format: the properties
 * the ARM template (`./arm.ts`) and the Azure-Sentinel YAML (`./yaml.ts`) both write.
 *
 * - kind: `NRT` for a realtime filter; `Scheduled` otherwise. A realtime threshold or sequence
 *   needs a look-back window, which NRT rules (each run sees only newly ingested rows) do not
 *   have, so it runs as a Scheduled rule every 5 minutes;
 * - period: the lookback, widened for correlations to frequency + window, so every window
 *   that ends since the previous run is seen whole;
 * - severity: informational/low/medium/high as is, critical → High (Sentinel's highest);
 * - entities: host → Host (HostName), account → Account (Name), process → Process
 *   (CommandLine, or ProcessId for a number field), file → File (Name; Directory for a
 *   directory column); container, image, cluster, namespace and pod, which Sentinel has no
 *   entity for, become custom details (`Container`, `Image`, `Cluster`, `Namespace`, `Pod`);
 * - custom details: those, the suppression keys, then the output fields (column name as key),
 *   at most 20 (Sentinel's limit);
 * - entity mappings: left out of the templates when there are none (Sentinel refuses an empty
 *   list: "Invalid length of '0' for 'EntityMappings'"); at most 4 here, one field each, within
 *   Sentinel's 10 mappings of at most 3 fields (`./limits.ts` checks it all the same);
 * - suppression: `suppress for D` → rule suppression for D; `suppress by f, … for D` → incident
 *   grouping of alerts with the same entities / custom details of those fields for D (Sentinel
 *   suppresses per rule, not per key); without `suppress` (or with `suppress for D`, for D),
 *   alerts sharing all entities are grouped for 5 hours. A rule with no entity mapping groups
 *   alerts sharing all custom details instead (`AllEntities` would find every alert of the rule
 *   alike and fold them all into one incident), and does not group at all when it has no custom
 *   details either (one incident per alert);
 * - description: the description, triage, response, false positives and references (markdown).
 */
import type { Detection, EntityKind, FieldRef, SeverityLevel } from '../../ir/types.js';
import type { RuleQuery } from '../kql/query.js';
import { sentinelAttack, type SentinelAttack } from './attack.js';
import { HOUR, MINUTE } from './durations.js';

export type SentinelSeverity = 'Informational' | 'Low' | 'Medium' | 'High';

/** DSL severity → Sentinel severity (critical → High, Sentinel's highest). */
export const SEVERITY: Readonly<Record<SeverityLevel, SentinelSeverity>> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'High',
};

export interface FieldMapping {
  readonly identifier: string;
  readonly columnName: string;
}

export interface EntityMapping {
  readonly entityType: 'Host' | 'Account' | 'Process' | 'File';
  readonly fieldMappings: readonly FieldMapping[];
}

export interface Grouping {
  readonly enabled: boolean;
  readonly reopenClosedIncident: boolean;
  /** Seconds. */
  readonly lookbackDuration: number;
  readonly matchingMethod: 'AllEntities' | 'AnyAlert' | 'Selected';
  readonly groupByEntities: readonly string[];
  readonly groupByAlertDetails: readonly string[];
  readonly groupByCustomDetails: readonly string[];
  /** Suppression keys (field names) that are neither an entity nor a custom detail, so not grouped by. */
  readonly ungroupedKeys: readonly string[];
}

export interface SentinelRule {
  readonly name: string;
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly severity: SentinelSeverity;
  readonly kind: 'Scheduled' | 'NRT';
  /** Seconds; Scheduled only. */
  readonly queryFrequency?: number;
  readonly queryPeriod?: number;
  readonly query: string;
  readonly attack: SentinelAttack;
  readonly entityMappings: readonly EntityMapping[];
  readonly customDetails: Readonly<Record<string, string>>;
  readonly alertDisplayNameFormat?: string;
  readonly suppressionEnabled: boolean;
  /** Seconds. */
  readonly suppressionDuration: number;
  readonly grouping: Grouping;
  /** `N.0.0` for detection version N. */
  readonly version: string;
}

/** Sentinel's minimum scheduled frequency, used for realtime correlations. */
export const NRT_CORRELATION_FREQUENCY = 5 * MINUTE;
const DEFAULT_GROUPING_LOOKBACK = 5 * HOUR;
/** Sentinel's limit on custom details per rule. */
export const MAX_CUSTOM_DETAILS = 20;

/** Sentinel's longest custom-detail key (the Azure-Sentinel template validator's, mirroring the API). */
export const MAX_DETAIL_KEY_LENGTH = 20;

/**
 * Words shortened, in this order, while a column name is longer than a custom-detail key may
 * be (`ParentProcessCommandLine` → `ParentProcCmdLine`); a name still too long is cut.
 */
const KEY_ABBREVIATIONS: readonly (readonly [string, string])[] = [
  ['Process', 'Proc'],
  ['Command', 'Cmd'],
  ['Repository', 'Repo'],
  ['Descriptor', 'Desc'],
  ['Subresource', 'Subres'],
  ['Session', 'Sess'],
  ['Change', 'Chg'],
  ['Modify', 'Mod'],
  ['Directory', 'Dir'],
  ['Current', 'Cur'],
  ['Container', 'Ctr'],
  ['Ancestor', 'Anc'],
];

/** The custom-detail key of `column`: the column name, shortened to 20 characters when longer. */
export function detailKey(column: string): string {
  let key = column;
  for (const [word, short] of KEY_ABBREVIATIONS) {
    if (key.length <= MAX_DETAIL_KEY_LENGTH) break;
    // whole words of the CamelCase name only (`Process` in `ParentProcessName`, not in `Processor`)
    key = key.replace(new RegExp(`${word}(?![a-z])`, 'g'), short);
  }
  return key.slice(0, MAX_DETAIL_KEY_LENGTH);
}
const MAX_DISPLAY_NAME_FORMAT = 256;

const CUSTOM_DETAIL_KEYS: Partial<Record<EntityKind, string>> = {
  cluster: 'Cluster',
  container: 'Container',
  image: 'Image',
  namespace: 'Namespace',
  pod: 'Pod',
};

/** The Sentinel rule for detection `d` with its compiled query; `column` names a field's column. */
export function sentinelRule(d: Detection, query: RuleQuery, column: (f: FieldRef) => string): SentinelRule {
  const entityMappings = entities(d, column);
  const customDetails = customDetailsOf(d, query, column);
  const schedule = scheduleOf(d);
  const overrides = displayNameFormat(d, query, column);
  return {
    name: d.name,
    id: d.id,
    displayName: d.title,
    description: describe(d),
    severity: SEVERITY[d.severity],
    ...schedule,
    query: query.text,
    attack: sentinelAttack(d.attack),
    entityMappings,
    customDetails,
    ...(overrides !== undefined ? { alertDisplayNameFormat: overrides } : {}),
    ...suppression(d, entityMappings, customDetails, column),
    version: `${d.version}.0.0`,
  };
}

function scheduleOf(d: Detection): Pick<SentinelRule, 'kind' | 'queryFrequency' | 'queryPeriod'> {
  const m = d.match;
  const window = m.kind === 'filter' ? 0 : m.window;
  if (d.schedule.kind === 'realtime') {
    if (m.kind === 'filter') return { kind: 'NRT' };
    return { kind: 'Scheduled', queryFrequency: NRT_CORRELATION_FREQUENCY, queryPeriod: NRT_CORRELATION_FREQUENCY + window };
  }
  const every = d.schedule.every;
  const period = m.kind === 'filter' ? d.schedule.lookback : Math.max(d.schedule.lookback, every + window);
  return { kind: 'Scheduled', queryFrequency: every, queryPeriod: period };
}

function entities(d: Detection, column: (f: FieldRef) => string): EntityMapping[] {
  const out: EntityMapping[] = [];
  const e = d.entities;
  if (e.host) out.push({ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: column(e.host) }] });
  if (e.account) out.push({ entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: column(e.account) }] });
  if (e.process) {
    const identifier = e.process.type === 'number' ? 'ProcessId' : 'CommandLine';
    out.push({ entityType: 'Process', fieldMappings: [{ identifier, columnName: column(e.process) }] });
  }
  if (e.file) {
    const col = column(e.file);
    out.push({ entityType: 'File', fieldMappings: [{ identifier: /Directory$/.test(col) ? 'Directory' : 'Name', columnName: col }] });
  }
  return out;
}

function customDetailsOf(d: Detection, query: RuleQuery, column: (f: FieldRef) => string): Record<string, string> {
  const details = new Map<string, string>();
  const used = new Set<string>();
  const add = (name: string, col: string): void => {
    if (details.size >= MAX_CUSTOM_DETAILS || used.has(col) || !query.columns.includes(col)) return;
    // a shortened key another detail has already: numbered (`ProcExeInodeChgTi_2`)
    const base = detailKey(name);
    let key = base;
    for (let n = 2; details.has(key); n++) key = `${base.slice(0, MAX_DETAIL_KEY_LENGTH - String(n).length - 1)}_${n}`;
    details.set(key, col);
    used.add(col);
  };
  for (const kind of ['cluster', 'container', 'image', 'namespace', 'pod'] as const) {
    const f = d.entities[kind];
    if (f) add(CUSTOM_DETAIL_KEYS[kind] as string, column(f));
  }
  const mapped = new Set(Object.values(d.entities).filter((f): f is FieldRef => f !== undefined).map((f) => f.name));
  for (const f of d.suppression?.by ?? []) if (!mapped.has(f.name)) add(column(f), column(f));
  for (const f of d.output) if (f.type !== 'timestamp' && !mapped.has(f.name)) add(column(f), column(f));
  return Object.fromEntries(details);
}

/** `<title>: {{CommandLine}} in {{Container}}`, with whichever of the two the rule has. */
function displayNameFormat(d: Detection, query: RuleQuery, column: (f: FieldRef) => string): string | undefined {
  const name = d.output.find((f) => f.name === 'container.name');
  const containerCol = name && query.columns.includes(column(name)) ? column(name) : d.entities.container ? column(d.entities.container) : undefined;
  const processCol = d.entities.process && d.entities.process.type === 'string' ? column(d.entities.process) : undefined;
  const title = d.title.replace(/\{\{|\}\}/g, (m) => m[0] as string).replace(/[\u0000-\u001f]+/g, ' ');
  let format: string;
  if (processCol && containerCol) format = `${title}: {{${processCol}}} in {{${containerCol}}}`;
  else if (processCol) format = `${title}: {{${processCol}}}`;
  else if (containerCol) format = `${title} in {{${containerCol}}}`;
  else return undefined;
  return format.length <= MAX_DISPLAY_NAME_FORMAT ? format : undefined;
}

function suppression(
  d: Detection,
  entityMappings: readonly EntityMapping[],
  customDetails: Readonly<Record<string, string>>,
  column: (f: FieldRef) => string,
): Pick<SentinelRule, 'suppressionEnabled' | 'suppressionDuration' | 'grouping'> {
  const s = d.suppression;
  if (!s) return { suppressionEnabled: false, suppressionDuration: DEFAULT_GROUPING_LOOKBACK, grouping: alikeGrouping(DEFAULT_GROUPING_LOOKBACK, entityMappings, customDetails) };
  if (s.by.length === 0) return { suppressionEnabled: true, suppressionDuration: s.duration, grouping: alikeGrouping(s.duration, entityMappings, customDetails) };
  const entityTypes = new Set<string>();
  const detailKeys = new Set<string>();
  const ungroupedKeys: string[] = [];
  for (const f of s.by) {
    const col = column(f);
    const entity = entityMappings.find((e) => e.fieldMappings.some((m) => m.columnName === col));
    if (entity) {
      entityTypes.add(entity.entityType);
      continue;
    }
    const key = Object.keys(customDetails).find((k) => customDetails[k] === col);
    if (key !== undefined) detailKeys.add(key);
    else ungroupedKeys.push(f.name);
  }
  return {
    suppressionEnabled: false,
    suppressionDuration: DEFAULT_GROUPING_LOOKBACK,
    grouping: {
      enabled: true,
      reopenClosedIncident: false,
      lookbackDuration: s.duration,
      matchingMethod: 'Selected',
      groupByEntities: [...entityTypes],
      groupByAlertDetails: [],
      groupByCustomDetails: [...detailKeys],
      ungroupedKeys,
    },
  };
}

/**
 * Grouping of the alerts that are alike, for `lookback` seconds: those sharing all entities;
 * without entity mappings (where `AllEntities` would find every alert of the rule alike), those
 * sharing all custom details; without either, none (one incident per alert).
 */
function alikeGrouping(lookback: number, entityMappings: readonly EntityMapping[], customDetails: Readonly<Record<string, string>>): Grouping {
  const base = { reopenClosedIncident: false, lookbackDuration: lookback, groupByEntities: [], groupByAlertDetails: [], ungroupedKeys: [] };
  if (entityMappings.length > 0) return { ...base, enabled: true, matchingMethod: 'AllEntities', groupByCustomDetails: [] };
  const details = Object.keys(customDetails);
  if (details.length > 0) return { ...base, enabled: true, matchingMethod: 'Selected', groupByCustomDetails: details };
  return { ...base, enabled: false, matchingMethod: 'AllEntities', groupByCustomDetails: [] };
}

/** The rule description: what the detection finds, then the guidance for the analyst. */
export function describe(d: Detection): string {
  const parts: string[] = [d.description.trim()];
  if (d.triage.trim() !== '') parts.push(`**Triage**\n\n${d.triage.trim()}`);
  if (d.response.trim() !== '') parts.push(`**Response and mitigation**\n\n${d.response.trim()}`);
  if (d.falsePositives.length > 0) parts.push(`**False positives**\n\n${d.falsePositives.map((f) => `- ${f}`).join('\n')}`);
  if (d.references.length > 0) parts.push(`**References**\n\n${d.references.map((r) => `- ${r}`).join('\n')}`);
  if (d.severity === 'critical') parts.push('Severity: critical in the detection (Sentinel\'s highest severity is High).');
  return parts.join('\n\n');
}
