/**
 * The descriptive part of a Kibana Security rule: severity and risk score, MITRE ATT&CK
 * `threat` entries, and the investigation guide (`note`).
 *
 * Severity and risk score (Kibana has no "informational" severity; its risk score bands are
 * low 0–21, medium 22–47, high 48–73, critical 74–100, and its own rules use 21/47/73/99):
 *
 * | detection     | severity   | risk_score |
 * |---------------|------------|------------|
 * | informational | `low`      | 10         |
 * | low           | `low`      | 21         |
 * | medium        | `medium`   | 47         |
 * | high          | `high`     | 73         |
 * | critical      | `critical` | 99         |
 */
import type { AttackMapping, Detection, SeverityLevel } from '../../ir/types.js';

export type KibanaSeverity = 'low' | 'medium' | 'high' | 'critical';

const SEVERITY: Readonly<Record<SeverityLevel, { severity: KibanaSeverity; risk: number }>> = {
  informational: { severity: 'low', risk: 10 },
  low: { severity: 'low', risk: 21 },
  medium: { severity: 'medium', risk: 47 },
  high: { severity: 'high', risk: 73 },
  critical: { severity: 'critical', risk: 99 },
};

/** Kibana severity and risk score for a detection severity (see the table above). */
export function kibanaSeverity(level: SeverityLevel): { readonly severity: KibanaSeverity; readonly risk_score: number } {
  const s = SEVERITY[level];
  return { severity: s.severity, risk_score: s.risk };
}

export interface ThreatRef {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
}

export interface ThreatTechnique extends ThreatRef {
  readonly subtechnique?: readonly ThreatRef[];
}

export interface Threat {
  readonly framework: 'MITRE ATT&CK';
  readonly tactic: ThreatRef;
  readonly technique: readonly ThreatTechnique[];
}

function ref(r: { id: string; name: string; reference: string }): ThreatRef {
  return { id: r.id, name: r.name, reference: r.reference };
}

/**
 * One `threat` entry per tactic, with its techniques and sub-techniques (`subtechnique` left
 * out when there is none), in the order of the detection's `attack` block.
 */
export function kibanaThreat(attack: readonly AttackMapping[]): Threat[] {
  return attack.map((m) => ({
    framework: 'MITRE ATT&CK',
    tactic: ref(m.tactic),
    technique: m.techniques.map((t) =>
      t.subtechniques.length > 0 ? { ...ref(t.technique), subtechnique: t.subtechniques.map(ref) } : ref(t.technique),
    ),
  }));
}

/**
 * The rule's investigation guide (markdown): the triage guidance under `## Triage` and the
 * response under `## Response`; `undefined` when the detection has neither.
 */
export function kibanaNote(detection: Detection): string | undefined {
  const parts: string[] = [];
  if (detection.triage.trim() !== '') parts.push(`## Triage\n\n${detection.triage.trim()}`);
  if (detection.response.trim() !== '') parts.push(`## Response\n\n${detection.response.trim()}`);
  return parts.length > 0 ? parts.join('\n\n') + '\n' : undefined;
}
