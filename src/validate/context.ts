/**
 * What every validation rule gets: the IR program, the source, the ASTs it was lowered from
 * (for exact spans and for what the IR no longer holds, such as unused lists), and the ATT&CK
 * table; plus lookups from IR nodes back to the AST.
 */
import type { AttackTable } from '../attack/table.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { CompareCondition, Detection, InCondition, Program } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';
import type { Comparison, DetectionDecl, FileNode, ListDecl, MacroDecl, ScalarValue } from '../syntax/ast.js';
import { startOffset } from '../syntax/positions.js';
import { detectionDecls, detectionExprs, listDecls, macroDecls, walkExpr } from './ast-walk.js';
import { leafConditions } from './conditions.js';

/** Names the ASTs refer to (see `RuleContext.references`). */
export interface References {
  /** Lists named after `in`, or as items of a list literal or of another list. */
  readonly lists: ReadonlySet<string>;
  /** Macros used in a condition, a step or another macro. */
  readonly macros: ReadonlySet<string>;
}

export interface RuleContext {
  readonly program: Program;
  readonly source: SourceDefinition;
  readonly files: readonly FileNode[];
  readonly attack: AttackTable;
  /** The AST comparison an IR condition with this span came from. */
  comparisonAt(span: Span): Comparison | undefined;
  /** The AST block an IR detection came from. */
  detectionDecl(detection: Detection): DetectionDecl | undefined;
  // The lookups below are computed once per validation run and shared by the rules.
  /** Every detection block of `files`, with its file, in file order. */
  detectionDecls(): readonly { file: FileNode; decl: DetectionDecl }[];
  /** Every list declaration of `files`, in file order. */
  listDecls(): readonly ListDecl[];
  /** Every macro declaration of `files`, in file order. */
  macroDecls(): readonly MacroDecl[];
  /** Every `compare` and `in` condition of the program, each object once, in program order. */
  leafConditions(): readonly (CompareCondition | InCondition)[];
  /** The lists and macros referred to anywhere (a list or macro referring to itself does not count). */
  references(): References;
}

/** A validation rule: one semantic check over the program. */
export type Rule = (ctx: RuleContext) => Diagnostic[];

/** Values by file, then by start offset: no key strings to build per lookup. */
class SpanIndex<T> {
  private readonly byFile = new Map<string, Map<number, T>>();

  /** Sets `value` at `span` (replacing a value at the same place: the last one wins). */
  add(span: Span, value: T): void {
    let inFile = this.byFile.get(span.file);
    if (inFile === undefined) this.byFile.set(span.file, (inFile = new Map()));
    inFile.set(startOffset(span), value);
  }

  get(span: Span): T | undefined {
    return this.byFile.get(span.file)?.get(startOffset(span));
  }
}

/** Builds the context for one validation run (AST indexes are built on first use). */
export function createContext(
  program: Program,
  source: SourceDefinition,
  files: readonly FileNode[],
  attack: AttackTable,
): RuleContext {
  let comparisons: SpanIndex<Comparison> | undefined;
  let detections: SpanIndex<DetectionDecl> | undefined;
  let decls: { file: FileNode; decl: DetectionDecl }[] | undefined;
  let lists: ListDecl[] | undefined;
  let macros: MacroDecl[] | undefined;
  let leaves: (CompareCondition | InCondition)[] | undefined;
  let references: References | undefined;
  const ctx: RuleContext = {
    program,
    source,
    files,
    attack,
    comparisonAt(span: Span): Comparison | undefined {
      if (comparisons === undefined) {
        const index = new SpanIndex<Comparison>();
        const add = (c: Comparison): void => index.add(c.span, c);
        for (const m of ctx.macroDecls()) walkExpr(m.body, add);
        for (const { decl } of ctx.detectionDecls()) for (const e of detectionExprs(decl)) walkExpr(e, add);
        comparisons = index;
      }
      return comparisons.get(span);
    },
    detectionDecl(detection: Detection): DetectionDecl | undefined {
      if (detections === undefined) {
        const index = new SpanIndex<DetectionDecl>();
        for (const { decl } of ctx.detectionDecls()) index.add(decl.span, decl);
        detections = index;
      }
      return detections.get(detection.span);
    },
    detectionDecls() {
      decls ??= detectionDecls(files);
      return decls;
    },
    listDecls() {
      lists ??= listDecls(files);
      return lists;
    },
    macroDecls() {
      macros ??= macroDecls(files);
      return macros;
    },
    leafConditions() {
      leaves ??= leafConditions(program);
      return leaves;
    },
    references() {
      references ??= collectReferences(ctx);
      return references;
    },
  };
  return ctx;
}

/** One walk over every list, macro and detection expression for `RuleContext.references`. */
function collectReferences(ctx: RuleContext): References {
  const lists = new Set<string>();
  const macros = new Set<string>();
  const addItems = (items: readonly ScalarValue[], except?: string): void => {
    for (const i of items) if (i.kind === 'IdentifierValue' && i.name !== except) lists.add(i.name);
  };
  const onComparison = (c: Comparison): void => {
    if (c.op !== 'in' || c.value === undefined) return;
    if (c.value.kind === 'IdentifierValue') lists.add(c.value.name);
    else if (c.value.kind === 'List') addItems(c.value.items);
  };
  for (const l of ctx.listDecls()) addItems(l.items, l.name.name);
  for (const m of ctx.macroDecls()) {
    const self = m.name.name;
    walkExpr(m.body, onComparison, (ref) => {
      if (ref.name.name !== self) macros.add(ref.name.name);
    });
  }
  const onMacroRef = (ref: { readonly name: { readonly name: string } }): void => void macros.add(ref.name.name);
  for (const { decl } of ctx.detectionDecls()) for (const e of detectionExprs(decl)) walkExpr(e, onComparison, onMacroRef);
  return { lists, macros };
}
