/**
 * UnusedMacroRule — DET3013 (warning): a `macro` no detection or other macro refers to.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import { detectionDecls, detectionExprs, macroDecls, walkExpr } from '../ast-walk.js';
import type { RuleContext } from '../context.js';

/** Macros never referred to (DET3013, warning). */
export function UnusedMacroRule(ctx: RuleContext): Diagnostic[] {
  const used = new Set<string>();
  const none = (): void => {};
  for (const m of macroDecls(ctx.files)) {
    walkExpr(m.body, none, (ref) => {
      if (ref.name.name !== m.name.name) used.add(ref.name.name);
    });
  }
  for (const { decl } of detectionDecls(ctx.files)) {
    for (const e of detectionExprs(decl)) walkExpr(e, none, (ref) => used.add(ref.name.name));
  }
  return macroDecls(ctx.files)
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
