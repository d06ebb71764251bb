/**
 * What other detection formats call a detection's members. Authors who come from Falco rules,
 * Sigma, Elastic or Sentinel write the names they know (`desc:`, `level:`, `query:`, `threat`);
 * edit distance alone suggests the wrong member for them (`desc` is two edits from `test`), so
 * these names are recognised and the diagnostic names the member they mean, with its syntax.
 * Used by the parser (a condition written under another name fails to parse) and by lowering
 * (an unknown `key: value` property, DET2001).
 */

/** A member under a name another format gives it. */
export interface MemberSynonym {
  /** The member it is here. */
  readonly member: string;
  /** The formats that use the name, for the message (empty: a common word, no one format). */
  readonly from: readonly string[];
}

const FALCO = 'Falco';
const SIGMA = 'Sigma';
const ELASTIC = 'Elastic';
const SENTINEL = 'Sentinel';

/** Names another format gives a member, by that name. */
const SYNONYMS: Readonly<Record<string, MemberSynonym>> = {
  // Falco rules (`rule`, `desc`, `condition`, `output`, `priority`, `tags`)
  desc: { member: 'description', from: [FALCO] },
  priority: { member: 'severity', from: [FALCO] },
  // Sigma (`title`, `level`, `detection`/`condition`, `falsepositives`, `fields`)
  level: { member: 'severity', from: [SIGMA] },
  detection: { member: 'condition', from: [SIGMA] },
  falsepositives: { member: 'false_positives', from: [SIGMA] },
  fields: { member: 'output', from: [SIGMA] },
  // Elastic detection rules (`name`, `rule_id`, `risk_score`, `query`, `threat`, `note`, `interval`)
  name: { member: 'title', from: [ELASTIC, SENTINEL] },
  rule_id: { member: 'id', from: [ELASTIC] },
  risk_score: { member: 'severity', from: [ELASTIC] },
  query: { member: 'condition', from: [ELASTIC, SENTINEL] },
  threat: { member: 'attack', from: [ELASTIC] },
  note: { member: 'triage', from: [ELASTIC] },
  interval: { member: 'schedule', from: [ELASTIC] },
  alert_suppression: { member: 'suppress', from: [ELASTIC] },
  // Microsoft Sentinel analytics rules (`displayName`, `tactics`, `relevantTechniques`, `queryFrequency`, `entityMappings`)
  displayName: { member: 'title', from: [SENTINEL] },
  tactics: { member: 'attack', from: [SENTINEL] },
  techniques: { member: 'attack', from: [SENTINEL] },
  relevantTechniques: { member: 'attack', from: [SENTINEL] },
  queryFrequency: { member: 'schedule', from: [SENTINEL] },
  queryPeriod: { member: 'schedule', from: [SENTINEL] },
  entityMappings: { member: 'entities', from: [SENTINEL] },
  suppressionDuration: { member: 'suppress', from: [SENTINEL] },
  // common words
  mitre: { member: 'attack', from: [] },
  filter: { member: 'condition', from: [] },
  where: { member: 'condition', from: [] },
  match: { member: 'condition', from: [] },
  remediation: { member: 'response', from: [] },
  mitigation: { member: 'response', from: [] },
  uuid: { member: 'id', from: [] },
};

/** An example of a required property, as written (also the hint of a missing one, `ir/properties.ts`). */
export const EXAMPLE_CODE = {
  title: 'title: "Shell spawned in a container"',
  description: 'description: "What the detection finds and why it matters."',
  severity: 'severity: medium',
} as const;

/** How each member is written, for the hint. */
const EXAMPLES: Readonly<Record<string, string>> = {
  title: `\`${EXAMPLE_CODE.title}\``,
  id: '`id: "<a new UUID, e.g. from uuidgen>"`',
  description: `\`${EXAMPLE_CODE.description}\``,
  severity: `\`${EXAMPLE_CODE.severity}\` (informational, low, medium, high or critical)`,
  false_positives: '`false_positives: ["…", "…"]`',
  output: '`output: time, hostname, proc.cmdline`',
  triage: '`triage: """…"""` (markdown)',
  response: '`response: """…"""` (markdown)',
  attack: '`attack { execution: T1059.004 }`, one tactic and its techniques per line',
  entities: '`entities { host: hostname }`',
  condition: '`condition: proc.name == "nc" and container.id exists`',
  schedule: '`schedule: every 5m lookback 10m` or `schedule: realtime`',
  suppress: '`suppress: by container.id for 1h`',
};

const BY_LOWER_CASE = new Map(Object.entries(SYNONYMS).map(([name, s]) => [name.toLowerCase(), s]));

/** The member `name` means in another format, if it is one of the names above (in any case: `Query`, `displayname`). */
export function memberSynonym(name: string): MemberSynonym | undefined {
  return BY_LOWER_CASE.get(name.toLowerCase());
}

/** "Elastic's and Sentinel's `query`", "Falco's `desc`", "`mitre`". */
function whose(name: string, from: readonly string[]): string {
  if (from.length === 0) return `\`${name}\``;
  const owners = from.map((f) => `${f}'s`);
  const last = owners.pop()!;
  return `${owners.length > 0 ? `${owners.join(', ')} and ` : ''}${last} \`${name}\``;
}

/** The hint for a member written under another format's name: what it is here and how it is written. */
export function synonymHint(name: string, synonym: MemberSynonym): string {
  const example = EXAMPLES[synonym.member];
  const written = example !== undefined ? `: ${example}` : '';
  return `${whose(name, synonym.from)} is \`${synonym.member}\` here${written}`;
}
