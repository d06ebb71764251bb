/**
 * UnusedListRule — DET3012 (warning): a `list` no condition, macro or other list refers to.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { RuleContext } from '../context.js';

/** Lists never referred to (DET3012, warning). */
export function UnusedListRule(ctx: RuleContext): Diagnostic[] {
  const used = ctx.references().lists;
  return ctx
    .listDecls()
    .filter((l) => !used.has(l.name.name))
    .map((l) =>
      diagnostic(
        Codes.UnusedList,
        l.name.span,
        `list \`${l.name.name}\` is never used`,
        `use it in a condition (\`<field> in ${l.name.name}\`), or remove it`,
      ),
    );
}
