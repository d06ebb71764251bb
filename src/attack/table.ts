/**
 * The bundled MITRE ATT&CK Enterprise table (`data/attack.json`, built by
 * `scripts/build-attack-table.mjs`) and the lookups the compiler needs: tactic by shortname,
 * TA id or name, technique or sub-technique by id, and "does this technique belong to that
 * tactic". Loaded once, on first use; works offline.
 */
import { readFileSync } from 'node:fs';

export interface AttackTactic {
  readonly id: string;
  readonly name: string;
  readonly shortname: string;
  readonly reference: string;
}

export interface AttackTechnique {
  readonly kind: 'technique';
  readonly id: string;
  readonly name: string;
  /** Shortnames of the tactics this technique belongs to, in tactic id order. */
  readonly tactics: readonly string[];
  readonly reference: string;
}

export interface AttackSubtechnique {
  readonly kind: 'subtechnique';
  readonly id: string;
  readonly name: string;
  /** Id of the parent technique (`T1059` for `T1059.004`). */
  readonly techniqueId: string;
  readonly tactics: readonly string[];
  readonly reference: string;
}

export interface AttackTable {
  /** ATT&CK release the table was built from, e.g. `17.1`. */
  readonly version: string;
  /** Sorted by id. */
  readonly tactics: readonly AttackTactic[];
  /** Sorted by id. */
  readonly techniques: readonly AttackTechnique[];
  /** Sorted by id. */
  readonly subtechniques: readonly AttackSubtechnique[];
  /**
   * A tactic by shortname (`command-and-control`, any case), TA id (`TA0011`, any case) or name
   * with spaces written as hyphens (`Command-and-Control`).
   */
  tactic(key: string): AttackTactic | undefined;
  /** A technique (`T1059`) or sub-technique (`T1059.004`) by id, any case. */
  technique(id: string): AttackTechnique | AttackSubtechnique | undefined;
  /** True when the technique or sub-technique `id` belongs to the tactic `tacticKey`. */
  isTechniqueInTactic(id: string, tacticKey: string): boolean;
  /** The tactics a technique or sub-technique belongs to (empty when the id is unknown). */
  tacticsOf(id: string): readonly AttackTactic[];
}

interface AttackData {
  readonly attack_version: string;
  readonly tactics: readonly AttackTactic[];
  readonly techniques: readonly Omit<AttackTechnique, 'kind'>[];
  readonly subtechniques: readonly Omit<AttackSubtechnique, 'kind'>[];
}

const DATA_URL = new URL('../../data/attack.json', import.meta.url);

let cached: AttackTable | undefined;

/** The ATT&CK table, read from `data/attack.json` on first call and shared afterwards. */
export function attackTable(): AttackTable {
  if (cached === undefined) {
    const data = JSON.parse(readFileSync(DATA_URL, 'utf8')) as AttackData;
    cached = buildTable(data);
  }
  return cached;
}

/** Builds the lookup structure over table data (exported for tests with small tables). */
export function buildTable(data: AttackData): AttackTable {
  const tactics = Object.freeze(data.tactics.map((t) => Object.freeze({ ...t })));
  const techniques = Object.freeze(
    data.techniques.map((t) => Object.freeze({ kind: 'technique' as const, ...t, tactics: Object.freeze([...t.tactics]) })),
  );
  const subtechniques = Object.freeze(
    data.subtechniques.map((s) =>
      Object.freeze({ kind: 'subtechnique' as const, ...s, tactics: Object.freeze([...s.tactics]) }),
    ),
  );

  const tacticByKey = new Map<string, AttackTactic>();
  for (const t of tactics) {
    tacticByKey.set(t.shortname.toLowerCase(), t);
    tacticByKey.set(t.id.toLowerCase(), t);
    tacticByKey.set(t.name.toLowerCase().replace(/\s+/g, '-'), t);
  }
  const tacticByShortname = new Map(tactics.map((t) => [t.shortname, t]));
  const techniqueById = new Map<string, AttackTechnique | AttackSubtechnique>();
  for (const t of techniques) techniqueById.set(t.id, t);
  for (const s of subtechniques) techniqueById.set(s.id, s);

  const tactic = (key: string): AttackTactic | undefined => tacticByKey.get(key.trim().toLowerCase());
  const technique = (id: string): AttackTechnique | AttackSubtechnique | undefined =>
    techniqueById.get(id.trim().toUpperCase());

  return Object.freeze({
    version: data.attack_version,
    tactics,
    techniques,
    subtechniques,
    tactic,
    technique,
    isTechniqueInTactic(id: string, tacticKey: string): boolean {
      const t = technique(id);
      const ta = tactic(tacticKey);
      return t !== undefined && ta !== undefined && t.tactics.includes(ta.shortname);
    },
    tacticsOf(id: string): readonly AttackTactic[] {
      const t = technique(id);
      if (t === undefined) return [];
      return t.tactics.map((s) => tacticByShortname.get(s)).filter((x): x is AttackTactic => x !== undefined);
    },
  });
}
