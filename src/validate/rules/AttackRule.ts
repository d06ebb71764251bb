/**
 * AttackRule — the `attack { tactic: techniques }` block against the bundled ATT&CK table,
 * on the ASTs (exact spans):
 * - DET3006: unknown tactic (shortname, TA id or hyphenated name);
 * - DET3007: unknown technique or sub-technique id;
 * - DET3008: a technique that does not belong to the tactic it is listed under (the hint names
 *   the tactics it does belong to).
 * Lowering builds the IR mapping from the entries that pass these checks.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { suggest } from '../../diagnostics/suggest.js';
import { attackIds } from '../../ir/attack.js';
import { diagnostic } from '../../ir/report.js';
import type { MapBlock } from '../../syntax/ast.js';
import type { RuleContext } from '../context.js';

/** Unknown tactics (DET3006), unknown techniques (DET3007), techniques under a foreign tactic (DET3008). */
export function AttackRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const table = ctx.attack;
  const tacticNames = table.tactics.map((t) => t.shortname);
  const techniqueIds = [...table.techniques, ...table.subtechniques].map((t) => t.id);
  for (const { decl } of ctx.detectionDecls()) {
    const block = decl.members.find((m): m is MapBlock => m.kind === 'MapBlock' && m.key.name === 'attack');
    if (block === undefined) continue;
    const seen = new Set<string>();
    for (const entry of block.entries) {
      if (seen.has(entry.key.name)) continue; // reported by lowering (DET2002)
      seen.add(entry.key.name);
      const tactic = table.tactic(entry.key.name);
      if (tactic === undefined) {
        // Falco's tags name tactics `mitre_privilege_escalation`: the shortname is `privilege-escalation`
        const falco = /^mitre_/i.exec(entry.key.name) ? entry.key.name.slice(6).toLowerCase().replaceAll('_', '-') : undefined;
        const close = falco !== undefined && table.tactic(falco) !== undefined ? falco : suggest(entry.key.name, tacticNames);
        out.push(
          diagnostic(
            Codes.UnknownTactic,
            entry.key.span,
            `unknown ATT&CK tactic \`${entry.key.name}\``,
            close !== undefined
              ? `did you mean \`${close}\`?`
              : `use a tactic shortname or id: ${table.tactics.map((t) => t.shortname).join(', ')}`,
          ),
        );
      }
      for (const { text, node } of attackIds(entry.value)) {
        const t = table.technique(text);
        if (t === undefined) {
          const isTactic = table.tactic(text) !== undefined;
          // An id of a well-formed technique number (`T1086`, `T1059.04`) is corrected within that
          // number only: T1006 is no correction of T1086, which ATT&CK revoked (now T1059.001).
          // Any other shape (`T059.004`, `TT1059`, `T1O59`) is a typo in the number itself.
          const number = /^T\d{4}(?![\dA-Za-z])/i.exec(text)?.[0]?.toUpperCase();
          const close = suggest(text.toUpperCase(), number === undefined ? techniqueIds : techniqueIds.filter((id) => id.startsWith(number)));
          out.push(
            diagnostic(
              Codes.UnknownTechnique,
              node.span,
              `unknown ATT&CK technique \`${text}\` (ATT&CK ${table.version})`,
              isTactic
                ? `\`${text}\` is a tactic: write it as the key, \`${text}: <technique ids>\``
                : close !== undefined
                  ? `did you mean \`${close}\`?`
                  : `write a technique id such as \`T1059\` or a sub-technique id such as \`T1059.004\` of ATT&CK ${table.version}${number !== undefined ? '; an id ATT&CK revoked or deprecated (such as T1086, now T1059.001) is not in it: look it up on attack.mitre.org' : ''}`,
            ),
          );
          continue;
        }
        if (tactic === undefined || t.tactics.includes(tactic.shortname)) continue;
        const belongs = table.tacticsOf(t.id).map((x) => x.shortname);
        out.push(
          diagnostic(
            Codes.TechniqueNotInTactic,
            node.span,
            `\`${t.id}\` (${t.name}) is not a technique of tactic \`${tactic.shortname}\``,
            `it belongs to ${belongs.map((b) => `\`${b}\``).join(', ')}; list it there, e.g. \`${belongs[0]}: ${t.id}\``,
          ),
        );
      }
    }
  }
  return out;
}
