/**
 * ATT&CK in Sentinel's vocabulary: tactic names are the `AttackTactic` enum of the alertRules
 * API (PascalCase of the ATT&CK name: `defense-evasion` → `DefenseEvasion`), techniques and
 * sub-techniques are ATT&CK ids.
 */
import type { AttackMapping } from '../../ir/types.js';

/** The Sentinel `AttackTactic` value for an ATT&CK tactic shortname. */
export function sentinelTactic(shortname: string): string {
  return shortname
    .split('-')
    .map((w) => (w.length > 0 ? (w[0] as string).toUpperCase() + w.slice(1) : w))
    .join('');
}

/** Falco's tag for a tactic: `mitre_` and the shortname with `_` for `-`. */
export function falcoTacticTag(shortname: string): string {
  return `mitre_${shortname.replace(/-/g, '_')}`;
}

export interface SentinelAttack {
  /** Sentinel tactic names, in the detection's order, without repeats. */
  readonly tactics: readonly string[];
  /** Technique ids (`T1070`), without repeats. */
  readonly techniques: readonly string[];
  /** Sub-technique ids (`T1070.003`), without repeats. */
  readonly subTechniques: readonly string[];
  /**
   * The Azure-Sentinel YAML `relevantTechniques`: each sub-technique, and each technique
   * mapped without a sub-technique.
   */
  readonly relevantTechniques: readonly string[];
}

/** A detection's ATT&CK mapping in Sentinel's terms. */
export function sentinelAttack(attack: readonly AttackMapping[]): SentinelAttack {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  const subTechniques = new Set<string>();
  const relevant = new Set<string>();
  for (const m of attack) {
    tactics.add(sentinelTactic(m.tactic.shortname));
    for (const t of m.techniques) {
      techniques.add(t.technique.id);
      for (const s of t.subtechniques) subTechniques.add(s.id);
      if (t.subtechniques.length === 0) relevant.add(t.technique.id);
      for (const s of t.subtechniques) relevant.add(s.id);
    }
  }
  return { tactics: [...tactics], techniques: [...techniques], subTechniques: [...subTechniques], relevantTechniques: [...relevant] };
}
