/**
 * CorrelationKeyRule — DET3019: a `by` key of `threshold`, `sequence` or `suppress` must be a
 * single-valued field (not a `string[]` or a timestamp) and be listed once. Unknown keys are
 * DET3017, reported by lowering (a FieldRef cannot be built without the field).
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { Identifier } from '../../syntax/ast.js';
import type { RuleContext } from '../context.js';

/** `by` keys that cannot group events (DET3019): list or timestamp fields, keys listed twice. */
export function CorrelationKeyRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const types = new Map(ctx.source.fields.map((f) => [f.name, f.type]));
  for (const { decl } of ctx.detectionDecls()) {
    for (const m of decl.members) {
      if (m.kind !== 'Threshold' && m.kind !== 'Sequence' && m.kind !== 'Suppress') continue;
      const what = m.kind.toLowerCase();
      const seen = new Set<string>();
      for (const key of m.by as readonly Identifier[]) {
        if (seen.has(key.name)) {
          out.push(
            diagnostic(
              Codes.InvalidCorrelationKey,
              key.span,
              `\`${key.name}\` is listed twice in the \`by\` keys of the ${what}`,
              'remove the second one',
            ),
          );
          continue;
        }
        seen.add(key.name);
        const type = types.get(key.name);
        if (type === 'string[]' || type === 'timestamp') {
          out.push(
            diagnostic(
              Codes.InvalidCorrelationKey,
              key.span,
              type === 'string[]'
                ? `\`${key.name}\` holds a list of values (string[]), so the ${what} cannot group events by it`
                : `\`${key.name}\` is a timestamp: grouping the ${what} by it would put every event in a group of its own`,
              'group by a field with one value per event, such as `container.id` or `hostname`',
            ),
          );
        }
      }
    }
  }
  return out;
}
