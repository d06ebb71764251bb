/**
 * The `attack { tactic: techniques }` block → `AttackMapping[]`, through the bundled ATT&CK
 * table. Only the block's shape is checked here (DET2002 duplicate keys, DET2004 values that
 * are not ids); whether tactics and techniques exist and fit together is checked, with exact
 * spans and suggestions, by `src/validate/rules/AttackRule.ts`. Entries that do not resolve
 * are left out of the mapping.
 *
 * A sub-technique also implies its technique. Output order: tactics by id, techniques by id,
 * sub-techniques by id.
 */
import type { AttackTable } from '../attack/table.js';
import { Codes } from '../diagnostics/codes.js';
import type { MapBlock, ScalarValue } from '../syntax/ast.js';
import { where, type Reporter } from './report.js';
import type { AttackMapping, AttackRef } from './types.js';
import { describeValue, itemsOf } from './values.js';

/** The technique and sub-technique ids written for one tactic, with their spans. */
export interface AttackEntryIds {
  readonly text: string;
  readonly node: ScalarValue;
}

/** The ids of an attack entry's value that are written as ids (bare words or strings). */
export function attackIds(value: Parameters<typeof itemsOf>[0]): AttackEntryIds[] {
  const out: AttackEntryIds[] = [];
  for (const item of itemsOf(value)) {
    if (item.kind === 'IdentifierValue') out.push({ text: item.name, node: item });
    else if (item.kind === 'String') out.push({ text: item.value, node: item });
  }
  return out;
}

/** Lowers an `attack { … }` block (see the file comment). */
export function lowerAttack(block: MapBlock, table: AttackTable, reporter: Reporter): AttackMapping[] {
  const seenKeys = new Map<string, MapBlock['entries'][number]>();
  const byTactic = new Map<string, { ref: AttackMapping['tactic']; techniques: Map<string, Map<string, AttackRef>> }>();
  const techniqueRefs = new Map<string, AttackRef>();

  for (const entry of block.entries) {
    const first = seenKeys.get(entry.key.name);
    if (first !== undefined) {
      reporter.report(
        Codes.DuplicateProperty,
        entry.key.span,
        `tactic \`${entry.key.name}\` is given twice in \`attack\` (first at ${where(first.key.span)})`,
        'list all its techniques in one entry: `tactic: T1234, T5678`',
      );
      continue;
    }
    seenKeys.set(entry.key.name, entry);
    for (const item of itemsOf(entry.value)) {
      if (item.kind !== 'IdentifierValue' && item.kind !== 'String') {
        reporter.report(
          Codes.InvalidValue,
          item.span,
          `\`attack\` entries list technique ids, not ${describeValue(item)}`,
          'write ATT&CK ids such as `T1059` or `T1059.004`, separated by commas, or `[]`',
        );
      }
    }
    const tactic = table.tactic(entry.key.name);
    if (tactic === undefined) continue;
    let group = byTactic.get(tactic.id);
    if (group === undefined) {
      group = {
        ref: { id: tactic.id, name: tactic.name, reference: tactic.reference, shortname: tactic.shortname },
        techniques: new Map(),
      };
      byTactic.set(tactic.id, group);
    }
    for (const { text } of attackIds(entry.value)) {
      const t = table.technique(text);
      if (t === undefined || !t.tactics.includes(tactic.shortname)) continue;
      const parent = t.kind === 'subtechnique' ? table.technique(t.techniqueId) : t;
      if (parent === undefined) continue;
      techniqueRefs.set(parent.id, { id: parent.id, name: parent.name, reference: parent.reference });
      let subs = group.techniques.get(parent.id);
      if (subs === undefined) {
        subs = new Map();
        group.techniques.set(parent.id, subs);
      }
      if (t.kind === 'subtechnique') subs.set(t.id, { id: t.id, name: t.name, reference: t.reference });
    }
  }

  return [...byTactic.keys()].sort().map((tacticId) => {
    const group = byTactic.get(tacticId)!;
    return {
      tactic: group.ref,
      techniques: [...group.techniques.keys()].sort().map((techId) => ({
        technique: techniqueRefs.get(techId)!,
        subtechniques: [...group.techniques.get(techId)!.keys()].sort().map((s) => group.techniques.get(techId)!.get(s)!),
      })),
    };
  });
}
