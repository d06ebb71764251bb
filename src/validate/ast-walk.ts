/**
 * Walking the AST for rules that look at what was written (names, spans) rather than at the IR.
 */
import type { Comparison, DetectionDecl, Expr, FileNode, ListDecl, MacroDecl, MacroRef, StringValue } from '../syntax/ast.js';

/** Every detection block of `files`, with its file, in file order. */
export function detectionDecls(files: readonly FileNode[]): { file: FileNode; decl: DetectionDecl }[] {
  const out: { file: FileNode; decl: DetectionDecl }[] = [];
  for (const file of files) for (const b of file.blocks) if (b.kind === 'Detection') out.push({ file, decl: b });
  return out;
}

/** Every list declaration of `files`, in file order. */
export function listDecls(files: readonly FileNode[]): ListDecl[] {
  return files.flatMap((f) => f.blocks.filter((b): b is ListDecl => b.kind === 'List'));
}

/** Every macro declaration of `files`, in file order. */
export function macroDecls(files: readonly FileNode[]): MacroDecl[] {
  return files.flatMap((f) => f.blocks.filter((b): b is MacroDecl => b.kind === 'Macro'));
}

/** The expressions of a detection: its condition and its sequence steps. */
export function detectionExprs(decl: DetectionDecl): Expr[] {
  const out: Expr[] = [];
  for (const m of decl.members) {
    if (m.kind === 'Condition') out.push(m.expr);
    else if (m.kind === 'Sequence') out.push(...m.steps.map((s) => s.expr));
  }
  return out;
}

/** Calls `onComparison` / `onMacroRef` for every leaf of `expr` (iteratively: no stack limit). */
export function walkExpr(
  expr: Expr,
  onComparison: (c: Comparison) => void,
  onMacroRef: (m: MacroRef) => void = () => {},
): void {
  const pending: Expr[] = [expr];
  while (pending.length > 0) {
    const e = pending.pop()!;
    switch (e.kind) {
      case 'Binary':
        pending.push(e.right, e.left);
        break;
      case 'Not':
        pending.push(e.operand);
        break;
      case 'Comparison':
        onComparison(e);
        break;
      case 'MacroRef':
        onMacroRef(e);
        break;
    }
  }
}

/** The first `id:` of a detection when it is a non-empty string. */
export function idValue(decl: DetectionDecl): StringValue | undefined {
  for (const m of decl.members) {
    if (m.kind === 'Property' && m.key.name === 'id') {
      return m.value.kind === 'String' && m.value.value.trim() !== '' ? m.value : undefined;
    }
  }
  return undefined;
}
