/**
 * UnusedMacroRule — DET3013 (warning): a `macro` no detection or other macro refers to.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { RuleContext } from '../context.js';

/** Macros never referred to (DET3013, warning). */
export function UnusedMacroRule(ctx: RuleContext): Diagnostic[] {
  const used = ctx.references().macros;
  return ctx
    .macroDecls()
    .filter((m) => !used.has(m.name.name))
    .map((m) =>
      diagnostic(
        Codes.UnusedMacro,
        m.name.span,
        `macro \`${m.name.name}\` is never used`,
        `use it in a condition (\`… and ${m.name.name}\`), or remove it`,
      ),
    );
}
