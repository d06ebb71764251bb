/**
 * What every validation rule gets: the IR program, the source, the ASTs it was lowered from
 * (for exact spans and for what the IR no longer holds, such as unused lists), and the ATT&CK
 * table; plus lookups from IR nodes back to the AST.
 */
import type { AttackTable } from '../attack/table.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { Detection, Program } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';
import type { Comparison, DetectionDecl, FileNode } from '../syntax/ast.js';
import { detectionDecls, detectionExprs, macroDecls, walkExpr } from './ast-walk.js';

export interface RuleContext {
  readonly program: Program;
  readonly source: SourceDefinition;
  readonly files: readonly FileNode[];
  readonly attack: AttackTable;
  /** The AST comparison an IR condition with this span came from. */
  comparisonAt(span: Span): Comparison | undefined;
  /** The AST block an IR detection came from. */
  detectionDecl(detection: Detection): DetectionDecl | undefined;
}

/** A validation rule: one semantic check over the program. */
export type Rule = (ctx: RuleContext) => Diagnostic[];

const key = (span: Span): string => `${span.file}\u0000${span.start.offset}`;

/** Builds the context for one validation run (AST indexes are built on first use). */
export function createContext(
  program: Program,
  source: SourceDefinition,
  files: readonly FileNode[],
  attack: AttackTable,
): RuleContext {
  let comparisons: Map<string, Comparison> | undefined;
  let detections: Map<string, DetectionDecl> | undefined;
  return {
    program,
    source,
    files,
    attack,
    comparisonAt(span: Span): Comparison | undefined {
      if (comparisons === undefined) {
        const index = new Map<string, Comparison>();
        const add = (c: Comparison): void => void index.set(key(c.span), c);
        for (const m of macroDecls(files)) walkExpr(m.body, add);
        for (const { decl } of detectionDecls(files)) for (const e of detectionExprs(decl)) walkExpr(e, add);
        comparisons = index;
      }
      return comparisons.get(key(span));
    },
    detectionDecl(detection: Detection): DetectionDecl | undefined {
      if (detections === undefined) {
        detections = new Map(detectionDecls(files).map(({ decl }) => [key(decl.span), decl]));
      }
      return detections.get(key(detection.span));
    },
  };
}
