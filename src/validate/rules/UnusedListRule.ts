/**
 * UnusedListRule — DET3012 (warning): a `list` no condition, macro or other list refers to.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { Comparison, ScalarValue } from '../../syntax/ast.js';
import { detectionDecls, detectionExprs, listDecls, macroDecls, walkExpr } from '../ast-walk.js';
import type { RuleContext } from '../context.js';

/** Lists never referred to (DET3012, warning). */
export function UnusedListRule(ctx: RuleContext): Diagnostic[] {
  const used = new Set<string>();
  const addItems = (items: readonly ScalarValue[], except?: string): void => {
    for (const i of items) if (i.kind === 'IdentifierValue' && i.name !== except) used.add(i.name);
  };
  const onComparison = (c: Comparison): void => {
    if (c.op !== 'in' || c.value === undefined) return;
    if (c.value.kind === 'IdentifierValue') used.add(c.value.name);
    else if (c.value.kind === 'List') addItems(c.value.items);
  };
  for (const l of listDecls(ctx.files)) addItems(l.items, l.name.name);
  for (const m of macroDecls(ctx.files)) walkExpr(m.body, onComparison);
  for (const { decl } of detectionDecls(ctx.files)) for (const e of detectionExprs(decl)) walkExpr(e, onComparison);

  return listDecls(ctx.files)
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
