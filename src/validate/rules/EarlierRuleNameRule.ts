/**
 * EarlierRuleNameRule — DET3031 (warning): `rule` compared (`==`, `!=`, `in`) with an earlier
 * name of a renamed Falco rule (`ruleAliases` of the source).
 *
 * The field named `rule` reads an alert's earlier rule name as the current one, so alerts of
 * old and new Falco versions both match `rule == "<current name>"`; it never holds an earlier
 * name, so `rule == "<earlier name>"` never matches (and `!=` always does), in the evaluator as
 * in every target. The fix is the current name, which covers both. A `nocase` comparison
 * finds an earlier name in any case (`rule == "the docker client …" nocase` misses the alerts
 * named "The docker client …" just the same), unless it also equals the current name then.
 * In an `in` list the warning is about the value: the list's other values may still match.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { RuleContext } from '../context.js';

/** DET3031 for each comparison of `rule` with an earlier rule name. */
export function EarlierRuleNameRule(ctx: RuleContext): Diagnostic[] {
  const current = new Map<string, string>();
  const currentNocase = new Map<string, string>();
  for (const [name, earlier] of Object.entries(ctx.source.ruleAliases)) {
    for (const e of earlier) {
      current.set(e, name);
      if (!currentNocase.has(e.toLowerCase())) currentNocase.set(e.toLowerCase(), name);
    }
  }
  if (current.size === 0) return [];
  /** The current name `v` is an earlier name of, compared as `c` compares. */
  const renamed = (v: string, caseSensitive: boolean): string | undefined => {
    if (caseSensitive) return current.get(v);
    const now = current.get(v) ?? currentNocase.get(v.toLowerCase());
    // `nocase` equal to the current name too (names differing in case only): it matches.
    return now !== undefined && now.toLowerCase() !== v.toLowerCase() ? now : undefined;
  };
  const out: Diagnostic[] = [];
  for (const c of ctx.leafConditions()) {
    if (c.field.name !== 'rule') continue;
    if (c.kind === 'compare' && c.op !== 'eq' && c.op !== 'ne') continue;
    const values = c.kind === 'in' ? c.values : [c.value];
    for (const v of values) {
      const now = typeof v === 'string' ? renamed(v, c.caseSensitive) : undefined;
      if (now === undefined) continue;
      out.push(
        diagnostic(
          Codes.EarlierRuleName,
          ctx.comparisonAt(c.span)?.value?.span ?? c.span,
          `"${v}" is an earlier name of the Falco rule "${now}": \`rule\` reads it as the current name, so ${c.kind === 'in' ? 'this value of the list never matches' : `this comparison never ${c.op === 'ne' ? 'fails' : 'matches'}`}`,
          `compare with the current name, "${now}": alerts carrying either name match it`,
        ),
      );
    }
  }
  return out;
}
