/**
 * CST → AST. One visit method per grammar rule (checked by `validateVisitor`).
 *
 * Recovered CSTs: with error recovery on, a rule may come back partial (`recoveredNode`), with
 * children missing or tokens inserted by the parser (`isInsertedInRecovery`, no position). Every
 * method reads its children defensively and returns `undefined` for a node whose essential parts
 * are missing; parents skip those. So the visitor never throws on a recovered CST, and the AST of
 * a broken file holds the parts that were complete.
 *
 * Spans are `TextSpan`s: token offsets, with lines and columns computed when read (`positions.ts`).
 *
 * Comments: `#` comments are attached to the blocks, members, map entries, steps and tests
 * (the commentable nodes): a comment on the line where such a node ends, after it, is its
 * `trailingComment`; one after the last child of a `{ … }` (a detection, `attack`/`entities`, a
 * sequence), before its `}`, is one of that node's `closingComments`; any other is a leading
 * comment (`comments`) of the node it precedes in the same parent, or, when it precedes none
 * (inside an expression, inside test JSON), of the innermost enclosing node, as one more leading
 * comment line. Comments after the last block are the file's `trailingComments`.
 *
 * Blank lines (see `markBlankLines`): one or more blank lines before a member, map entry or step
 * that is not the first of its `{ … }` set its `blankLineBefore`; blank lines among the comments
 * written before a node (its leading comments: those between the previous token and the node,
 * which comment attachment gives to the node, first), or between them and the node, are its
 * `commentGaps`; among the closing comments of a `{ … }` and between its last child and them,
 * its `closingCommentGaps`; among the trailing comments, the file's `trailingCommentGaps`. Blank lines
 * anywhere else (inside an expression, a list, test JSON) are layout the printer decides.
 *
 * Source lexemes: number literals keep their text (`NumberValue.raw`) and inline test events
 * their JSON source text (`JsonEvents.raw`), so `detect fmt` writes them back verbatim.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { escapeChar } from '../diagnostics/printable.js';
import type {
  Block,
  ComparisonOp,
  DetectionDecl,
  DurationValue,
  Expr,
  FileNode,
  Identifier,
  JsonValue,
  ListDecl,
  ListValue,
  MacroDecl,
  MapBlock,
  Member,
  NumberValue,
  Property,
  ScalarValue,
  ScheduleMember,
  SequenceMember,
  SequenceStep,
  StringValue,
  SuppressMember,
  TestDecl,
  ThresholdMember,
  ConditionMember,
  Value,
  FileEvents,
  JsonEvents,
} from './ast.js';
import { detParser } from './parser.js';
import { endOffset, startOffset, TextSpan, type LineIndex } from './positions.js';
import { blockIndentProblem, blockStringValue, decodeJsonString, type BadEscape } from './strings.js';

/** The children of a CST node, by rule or token type name; any of them may be missing. */
type Ctx = Readonly<Record<string, CstElement[] | undefined>>;

/** Something with a source range: a token, or an AST node with a span. */
type Part = IToken | { readonly span: Span } | undefined;

/** A node that can carry leading comments. */
type Commentable = { readonly kind: string; readonly comments?: readonly string[]; readonly span: Span };

/** A commentable node as the visitor completes it (set once, while the AST is still private here). */
type Completed = {
  comments?: string[];
  commentGaps?: number[];
  blankLineBefore?: true;
  trailingComment?: string;
  closingComments?: string[];
  closingCommentGaps?: number[];
};

/** The commentable nodes written as `{ … }`, whose comments after the last child stay before the `}`. */
const BRACED = new Set(['Detection', 'MapBlock', 'Sequence']);

interface TailResult {
  readonly op: ComparisonOp;
  readonly value?: Value;
  readonly caseMode?: 'cased' | 'nocase';
  readonly last: Part;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

const OP_BY_TOKEN: Record<string, ComparisonOp> = {
  EqEq: '==',
  NotEq: '!=',
  Lt: '<',
  LtEq: '<=',
  Gt: '>',
  GtEq: '>=',
  Contains: 'contains',
  Startswith: 'startswith',
  Endswith: 'endswith',
  Regex: 'regex',
};

// The helpers below take the child list (`ctx.Identifier`), not its name: property reads with a
// literal name at each call site stay fast (no megamorphic keyed lookups).

/** The i-th token of a child list, if it really is in the text (not inserted by recovery). */
function tok(list: CstElement[] | undefined, i = 0): IToken | undefined {
  const e = list?.[i] as IToken | undefined;
  return e !== undefined && e.tokenType !== undefined && !e.isInsertedInRecovery && e.startOffset >= 0 ? e : undefined;
}

/** Whether a child is there (a token inserted by recovery counts: it was expected). */
function has(list: CstElement[] | undefined): boolean {
  return list !== undefined && list.length > 0;
}

/** The first sub-rule node of a child list (rule-named children are always CST nodes). */
function sub(list: CstElement[] | undefined): CstNode | undefined {
  return list?.[0] as CstNode | undefined;
}

function last<T>(list: readonly T[]): T | undefined {
  return list[list.length - 1];
}

const BaseVisitor = detParser.getBaseCstVisitorConstructor();

/**
 * The CST visitor. One instance is shared: `begin` a file, `addBlocks` for each parsed `file`
 * CST (the parser may be run on several token ranges of one file), then `finish`.
 */
export class AstBuilder extends BaseVisitor {
  private lines!: LineIndex;
  private diagnostics: Diagnostic[] = [];
  private targets: Commentable[] = [];
  /** The start offsets of the file's comments, ascending. */
  private commentStarts: number[] = [];
  private blocks: Block[] = [];
  private readonly names = new Map<string, string>();

  constructor() {
    super();
    this.validateVisitor();
  }

  /**
   * Visits a CST node (or the first of a list): the base visitor's `visit`, with a native array
   * test instead of Chevrotain's generic helpers (measurable: it runs for every CST node).
   */
  override visit(node: CstNode | CstNode[]): unknown {
    const n = Array.isArray(node) ? node[0] : node;
    if (n === undefined) return undefined;
    return (this as unknown as Record<string, (ctx: Ctx) => unknown>)[n.name]!(n.children);
  }

  /** Start a file; `comments` are its comment tokens, in source order. */
  begin(lines: LineIndex, comments: readonly IToken[]): void {
    this.lines = lines;
    this.diagnostics = [];
    this.targets = [];
    this.commentStarts = comments.map((c) => c.startOffset);
    this.blocks = [];
  }

  /** Add the blocks of a `file` CST. */
  addBlocks(cst: CstNode): void {
    if (cst.name !== 'file') return;
    for (const block of this.visit(cst) as Block[]) this.blocks.push(block);
  }

  /**
   * The file's AST (with comments and blank lines attached) and the diagnostics found while
   * building it. `comments` are the file's comment tokens (as given to `begin`).
   */
  finish(path: string, comments: readonly IToken[]): { ast: FileNode; diagnostics: Diagnostic[] } {
    const blocks = this.blocks;
    for (let i = 0; i < blocks.length; i++) this.markBlankLines(i > 0 ? endOffset(blocks[i - 1]!.span) : undefined, blocks[i]!, false, i > 0);
    const trailing = this.attachComments(comments);
    const trailingGaps = this.gapsAmong(trailing);
    const ast: FileNode = {
      kind: 'File',
      path,
      blocks: this.blocks,
      ...(trailing.length > 0 ? { trailingComments: trailing.map((c) => commentText(c.image)) } : {}),
      ...(trailingGaps.length > 0 ? { trailingCommentGaps: trailingGaps } : {}),
      span: new TextSpan(this.lines, 0, this.lines.length),
    };
    const diagnostics = this.diagnostics;
    this.blocks = [];
    this.targets = [];
    this.commentStarts = [];
    this.diagnostics = [];
    return { ast, diagnostics };
  }

  // ---- helpers -----------------------------------------------------------------------------

  /**
   * The span from the start of `first` to the end of `end` (each falls back to the other); a
   * node with the span of its only part shares it.
   */
  private span(first: Part, end: Part): Span | undefined {
    const a = first ?? end;
    const b = end ?? first;
    if (a === undefined || b === undefined) return undefined;
    if (a === b && 'span' in a) return a.span;
    const start = 'span' in a ? startOffset(a.span) : a.startOffset;
    const stop = 'span' in b ? endOffset(b.span) : b.startOffset + b.image.length;
    return new TextSpan(this.lines, start, stop);
  }

  private target<T extends Commentable>(node: T): T {
    this.targets.push(node);
    return node;
  }

  /** Record the blank lines of the children of a `{ … }` (see `markBlankLines`). */
  private markChildren(open: IToken | undefined, children: readonly Commentable[]): void {
    for (let i = 0; i < children.length; i++) {
      const prevEnd = i > 0 ? endOffset(children[i - 1]!.span) : open ? open.startOffset + 1 : undefined;
      this.markBlankLines(prevEnd, children[i]!, i > 0, i > 0);
    }
  }

  private identifier(t: IToken | undefined): Identifier | undefined {
    return t ? { kind: 'Identifier', name: this.intern(t.image), span: this.tokenSpan(t) } : undefined;
  }

  private one<T>(list: CstElement[] | undefined): T | undefined {
    const n = sub(list);
    return n ? (this.visit(n) as T | undefined) : undefined;
  }

  private all<T>(list: CstElement[] | undefined): T[] {
    const out: T[] = [];
    if (list) {
      for (const n of list as CstNode[]) {
        const v = this.visit(n) as T | undefined;
        if (v !== undefined) out.push(v);
      }
    }
    return out;
  }

  /**
   * One string per distinct name (`proc.cmdline` is written thousands of times in a large
   * project; each token image is a string of its own). The table is cleared when it grows large,
   * so it stays bounded in a long-running process.
   */
  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    if (this.names.size >= 100_000) this.names.clear();
    this.names.set(name, name);
    return name;
  }

  private tokenSpan(t: IToken): Span {
    // (`endOffset`, not the image: a repaired token's image is not its text, see token-repair.ts)
    return new TextSpan(this.lines, t.startOffset, (t.endOffset ?? t.startOffset + t.image.length - 1) + 1);
  }

  private stringValue(t: IToken | undefined): StringValue | undefined {
    if (!t) return undefined;
    const span = this.tokenSpan(t);
    const type = t.tokenType.name;
    if (type === 'BlockString' || type === 'UnterminatedBlockString') {
      const raw = type === 'BlockString' ? t.image.slice(3, -3) : t.image.slice(3);
      const mixed = blockIndentProblem(raw);
      if (mixed) {
        const at = t.startOffset + 3 + mixed.offset;
        this.diagnostics.push({
          code: Codes.MixedBlockIndentation.code,
          severity: Codes.MixedBlockIndentation.severity,
          message: `this line of the """ block is indented with ${indentText(mixed.indent)}, its least indented line with ${indentText(mixed.common)}: no indentation is common to every line, so none can be removed without changing the text`,
          span: this.lines.span(at, at + Math.max(1, mixed.length)),
          hint: 'indent every line of the block alike: with spaces only (or tabs only)',
        });
      }
      return { kind: 'String', value: blockStringValue(raw), block: true, span };
    }
    return { kind: 'String', value: this.decode(t), block: false, span };
  }

  /**
   * The value of a `"…"` token; invalid and lone surrogate escapes are reported (DET1003), raw
   * control characters too (DET1001: JSON strings escape them).
   */
  private decode(t: IToken): string {
    const terminated = t.tokenType.name === 'StringLiteral';
    const body = terminated ? t.image.slice(1, -1) : t.image.slice(1).replace(/\\$/, '');
    const { value, bad } = decodeJsonString(body, 1);
    if (terminated) {
      for (const b of bad) {
        const span = this.lines.span(t.startOffset + b.index, t.startOffset + b.index + b.text.length);
        this.diagnostics.push({ ...badStringDiagnostic(b), span });
      }
    }
    return value;
  }

  private duration(t: IToken | undefined): DurationValue | undefined {
    if (!t) return undefined;
    const unit = t.image.charAt(t.image.length - 1);
    // a malformed duration (`5M`) has no length: lowering reports it
    const seconds = t.tokenType.name === 'MalformedDuration' ? Number.NaN : Number(t.image.slice(0, -1)) * (UNIT_SECONDS[unit] ?? 1);
    return { kind: 'Duration', text: t.image, seconds, span: this.tokenSpan(t) };
  }

  private numberValue(t: IToken | undefined): NumberValue | undefined {
    return t ? { kind: 'Number', value: Number(t.image), raw: t.image, span: this.tokenSpan(t) } : undefined;
  }

  private keys(ctx: Ctx): Identifier[] {
    const list = sub(ctx.keyList);
    return list ? (this.visit(list) as Identifier[]) : [];
  }

  /** Whether a comment at `comment` trails a node ending at `end`: on its line, only spaces between. */
  private trailsOn(end: number, comment: number): boolean {
    return end <= comment && this.lines.line(end) === this.lines.line(comment) && this.lines.onlySpaces(end, comment);
  }

  /** Attach comments (see the file comment); returns the file's trailing comments. */
  private attachComments(comments: readonly IToken[]): IToken[] {
    const trailing: IToken[] = [];
    if (comments.length === 0) return trailing;
    const targets = this.targets
      .map((node) => ({ node, start: startOffset(node.span), end: endOffset(node.span) }))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    // by end, the outermost first among equal ends: the node a comment after them trails
    const byEnd = [...targets].sort((a, b) => a.end - b.end || a.start - b.start);
    const stack: (typeof targets)[number][] = [];
    const closingLine = new Map<Completed, number>();
    let ti = 0;
    let ei = 0;
    for (const c of comments) {
      const o = c.startOffset;
      while (ti < targets.length && targets[ti]!.start < o) {
        const t = targets[ti]!;
        while (stack.length > 0 && last(stack)!.end <= t.start) stack.pop();
        stack.push(t);
        ti++;
      }
      while (stack.length > 0 && last(stack)!.end <= o) stack.pop();
      const text = commentText(c.image);
      // the node ending last before the comment (outermost among those ending there)
      while (ei < byEnd.length && byEnd[ei]!.end <= o) ei++;
      let k = ei - 1;
      while (k > 0 && byEnd[k - 1]!.end === byEnd[k]!.end) k--;
      const before = k >= 0 ? byEnd[k] : undefined;
      if (before && this.trailsOn(before.end, o) && (before.node as Completed).trailingComment === undefined) {
        (before.node as Completed).trailingComment = text;
        continue;
      }
      const enclosing = last(stack);
      const next = targets[ti];
      if (next && (!enclosing || next.start < enclosing.end)) ((next.node as Completed).comments ??= []).push(text);
      else if (enclosing && BRACED.has(enclosing.node.kind)) {
        const node = enclosing.node as Completed;
        const line = this.lines.line(o);
        // the line above: the previous closing comment's, else the last child's end (none after the `{`)
        const above = closingLine.get(node) ?? (before && before.start > enclosing.start ? this.lines.line(before.end) : undefined);
        if (above !== undefined && line - above >= 2) (node.closingCommentGaps ??= []).push(node.closingComments?.length ?? 0);
        (node.closingComments ??= []).push(text);
        closingLine.set(node, line);
      }
      else if (enclosing) ((enclosing.node as Completed).comments ??= []).push(text);
      else trailing.push(c);
    }
    return trailing;
  }

  /**
   * Record the blank lines before `node` and among its leading comments (see the file comment).
   * `prevEnd` is the end of the token before it (undefined at the start of the file);
   * `blankLineBefore` is set only if `canBeBlank` (not the first child of its `{ … }`). When
   * `afterSibling` (`prevEnd` ends the node before it), a comment on that node's last line is its
   * trailing comment, not one of this node's. Between two adjacent tokens there are only white
   * space and comments, so a line number that grows by two or more is a blank line.
   */
  private markBlankLines(prevEnd: number | undefined, node: Commentable, canBeBlank: boolean, afterSibling: boolean): void {
    const lines = this.lines;
    const start = startOffset(node.span);
    const cs = this.commentStarts;
    let lastLine = prevEnd === undefined ? -1 : lines.line(prevEnd);
    let ci = cs.length === 0 ? 0 : lowerBound(cs, prevEnd ?? 0);
    if (afterSibling && prevEnd !== undefined && ci < cs.length && cs[ci]! < start && this.trailsOn(prevEnd, cs[ci]!)) ci++;
    let k = 0;
    let blank = false;
    let gaps: number[] | undefined;
    for (;;) {
      const c = ci < cs.length && cs[ci]! < start ? cs[ci]! : undefined;
      const line = lines.line(c ?? start);
      if (lastLine >= 0 && line - lastLine >= 2) {
        if (k === 0) blank = true;
        else (gaps ??= []).push(k);
      }
      if (c === undefined) break;
      lastLine = line;
      ci++;
      k++;
    }
    if (blank && canBeBlank) (node as Completed).blankLineBefore = true;
    if (gaps) (node as Completed).commentGaps = gaps;
  }

  /** Indexes i >= 1 of consecutive comments with a blank line before `comments[i]`. */
  private gapsAmong(comments: readonly IToken[]): number[] {
    const gaps: number[] = [];
    for (let i = 1; i < comments.length; i++) {
      if (this.lines.line(comments[i]!.startOffset) - this.lines.line(comments[i - 1]!.startOffset) >= 2) gaps.push(i);
    }
    return gaps;
  }

  // ---- rules -------------------------------------------------------------------------------

  file(ctx: Ctx): Block[] {
    return this.all<Block>(ctx.block);
  }

  block(ctx: Ctx): Block | undefined {
    const n = sub(ctx.detectionDecl) ?? sub(ctx.listDecl) ?? sub(ctx.macroDecl);
    return n ? (this.visit(n) as Block | undefined) : undefined;
  }

  listDecl(ctx: Ctx): ListDecl | undefined {
    const name = this.identifier(tok(ctx.Identifier));
    const list = this.one<ListValue>(ctx.listLiteral);
    const span = this.span(tok(ctx.List), list);
    if (!name || !list || !span) return undefined;
    return this.target<ListDecl>({ kind: 'List', name, items: list.items, span });
  }

  macroDecl(ctx: Ctx): MacroDecl | undefined {
    const name = this.identifier(tok(ctx.Identifier));
    const body = this.one<Expr>(ctx.expr);
    const span = this.span(tok(ctx.Macro), body);
    if (!name || !body || !span) return undefined;
    return this.target<MacroDecl>({ kind: 'Macro', name, body, span });
  }

  detectionDecl(ctx: Ctx): DetectionDecl | undefined {
    const name = this.identifier(tok(ctx.Identifier));
    const members = this.all<Member>(ctx.member);
    this.markChildren(tok(ctx.LCurly), members);
    const span = this.span(tok(ctx.Detection), tok(ctx.RCurly) ?? last(members) ?? tok(ctx.LCurly) ?? name);
    if (!name || !span) return undefined;
    return this.target<DetectionDecl>({ kind: 'Detection', name, members, span });
  }

  member(ctx: Ctx): Member | undefined {
    const n =
      sub(ctx.keyedMember) ??
      sub(ctx.conditionMember) ??
      sub(ctx.testDecl) ??
      sub(ctx.scheduleMember) ??
      sub(ctx.suppressMember) ??
      sub(ctx.thresholdMember) ??
      sub(ctx.sequenceMember);
    return n ? (this.visit(n) as Member | undefined) : undefined;
  }

  keyedMember(ctx: Ctx): Property | MapBlock | undefined {
    const key = this.identifier(tok(ctx.Identifier));
    if (!key) return undefined;
    const body = sub(ctx.propertyBody);
    if (body) {
      const value = this.visit(body) as Value | undefined;
      const span = this.span(key, value);
      if (!value || !span) return undefined;
      return this.target<Property>({ kind: 'Property', key, value, span });
    }
    const map = sub(ctx.mapBody);
    if (!map) return undefined;
    const entries = this.all<Property>(map.children.mapEntry);
    this.markChildren(tok(map.children.LCurly), entries);
    const span = this.span(key, tok(map.children.RCurly) ?? last(entries) ?? tok(map.children.LCurly));
    if (!span) return undefined;
    return this.target<MapBlock>({ kind: 'MapBlock', key, entries, span });
  }

  propertyBody(ctx: Ctx): Value | undefined {
    return this.one<Value>(ctx.value);
  }

  /** Visited through `keyedMember`, which reads its children directly. */
  mapBody(): undefined {
    return undefined;
  }

  mapEntry(ctx: Ctx): Property | undefined {
    const key = this.identifier(tok(ctx.Name));
    const value = this.one<Value>(ctx.value);
    const span = this.span(key, value);
    if (!key || !value || !span) return undefined;
    return this.target<Property>({ kind: 'Property', key, value, span });
  }

  conditionMember(ctx: Ctx): ConditionMember | undefined {
    const expr = this.one<Expr>(ctx.expr);
    const span = this.span(tok(ctx.Condition), expr);
    if (!expr || !span) return undefined;
    return this.target<ConditionMember>({ kind: 'Condition', expr, span });
  }

  scheduleMember(ctx: Ctx): ScheduleMember | undefined {
    const realtime = tok(ctx.Realtime);
    if (realtime) {
      const span = this.span(tok(ctx.Schedule), realtime);
      return span ? this.target<ScheduleMember>({ kind: 'Schedule', mode: 'realtime', span }) : undefined;
    }
    const every = this.duration(tok(ctx.Duration, 0));
    const hasLookback = has(ctx.Lookback);
    const lookback = hasLookback ? this.duration(tok(ctx.Duration, 1)) : undefined;
    const span = this.span(tok(ctx.Schedule), lookback ?? every);
    if (!every || !span || (hasLookback && !lookback)) return undefined;
    return this.target<ScheduleMember>(
      lookback ? { kind: 'Schedule', mode: 'every', every, lookback, span } : { kind: 'Schedule', mode: 'every', every, span },
    );
  }

  suppressMember(ctx: Ctx): SuppressMember | undefined {
    const duration = this.duration(tok(ctx.Duration));
    const span = this.span(tok(ctx.Suppress), duration);
    if (!duration || !span) return undefined;
    return this.target<SuppressMember>({ kind: 'Suppress', by: this.keys(ctx), duration, span });
  }

  thresholdMember(ctx: Ctx): ThresholdMember | undefined {
    const count = this.numberValue(tok(ctx.NumberLiteral));
    const within = this.duration(tok(ctx.Duration));
    const span = this.span(tok(ctx.Threshold), within);
    if (!count || !within || !span) return undefined;
    return this.target<ThresholdMember>({ kind: 'Threshold', count, by: this.keys(ctx), within, span });
  }

  sequenceMember(ctx: Ctx): SequenceMember | undefined {
    const within = this.duration(tok(ctx.Duration));
    const steps = this.all<SequenceStep>(ctx.step);
    this.markChildren(tok(ctx.LCurly), steps);
    const span = this.span(tok(ctx.Sequence), tok(ctx.RCurly) ?? last(steps) ?? within);
    if (!within || steps.length === 0 || !span) return undefined;
    return this.target<SequenceMember>({ kind: 'Sequence', by: this.keys(ctx), within, steps, span });
  }

  step(ctx: Ctx): SequenceStep | undefined {
    const name = this.identifier(tok(ctx.Identifier));
    const expr = this.one<Expr>(ctx.expr);
    const span = this.span(tok(ctx.Step), expr);
    if (!name || !expr || !span) return undefined;
    return this.target<SequenceStep>({ kind: 'Step', name, expr, span });
  }

  testDecl(ctx: Ctx): TestDecl | undefined {
    const name = this.stringValue(tok(ctx.StringLiteral));
    const expect = has(ctx.Matches) ? 'match' : has(ctx.Does) ? 'no-match' : undefined;
    const events = this.one<JsonEvents | FileEvents>(ctx.testEvents);
    const span = this.span(tok(ctx.Test), events);
    if (!name || !expect || !events || !span) return undefined;
    return this.target<TestDecl>({ kind: 'Test', name, expect, events, span });
  }

  testEvents(ctx: Ctx): JsonEvents | FileEvents | undefined {
    if (has(ctx.File)) {
      const path = this.stringValue(tok(ctx.StringLiteral));
      const span = this.span(tok(ctx.File), path);
      return path && span ? { kind: 'FileEvents', path, span } : undefined;
    }
    const text = tok(ctx.JsonText);
    if (text) return { kind: 'JsonEvents', value: text.payload as JsonValue, raw: text.image, span: this.tokenSpan(text) };
    const obj = sub(ctx.jsonObject);
    const node = obj ?? sub(ctx.jsonArray);
    if (!node) return undefined;
    const value = this.visit(node) as JsonValue | undefined;
    const c = node.children;
    const open = obj ? tok(c.LCurly) : tok(c.LBracket);
    const span = this.span(open, (obj ? tok(c.RCurly) : tok(c.RBracket)) ?? lastToken(c));
    if (value === undefined || !span) return undefined;
    return { kind: 'JsonEvents', value, raw: this.lines.slice(startOffset(span), endOffset(span)), span };
  }

  keyList(ctx: Ctx): Identifier[] {
    const out: Identifier[] = [];
    const n = ctx.Identifier?.length ?? 0;
    for (let i = 0; i < n; i++) {
      const id = this.identifier(tok(ctx.Identifier, i));
      if (id) out.push(id);
    }
    return out;
  }

  value(ctx: Ctx): Value | undefined {
    const list = sub(ctx.listLiteral);
    if (list) return this.visit(list) as ListValue | undefined;
    const items = this.all<ScalarValue>(ctx.scalar);
    if (items.length === 0) return undefined;
    if (items.length === 1 && !has(ctx.Comma)) return items[0];
    const span = this.span(items[0], last(items));
    return span ? { kind: 'List', items, bracketed: false, span } : undefined;
  }

  listLiteral(ctx: Ctx): ListValue | undefined {
    const items = this.all<ScalarValue>(ctx.scalar);
    const span = this.span(tok(ctx.LBracket) ?? items[0], tok(ctx.RBracket) ?? last(items));
    return span ? { kind: 'List', items, bracketed: true, span } : undefined;
  }

  scalar(ctx: Ctx): ScalarValue | undefined {
    const t = tok(ctx.Scalar);
    if (!t) return undefined;
    switch (t.tokenType.name) {
      case 'StringLiteral':
      case 'UnterminatedString':
      case 'BlockString':
      case 'UnterminatedBlockString':
        return this.stringValue(t);
      case 'NumberLiteral':
        return this.numberValue(t);
      case 'Duration':
      case 'MalformedDuration':
        return this.duration(t);
      case 'True':
      case 'False':
        return { kind: 'Boolean', value: t.tokenType.name === 'True', span: this.tokenSpan(t) };
      case 'Identifier':
        return { kind: 'IdentifierValue', name: this.intern(t.image), span: this.tokenSpan(t) };
      default:
        return undefined;
    }
  }

  expr(ctx: Ctx): Expr | undefined {
    return this.chain(this.all<Expr>(ctx.andExpr), 'or');
  }

  andExpr(ctx: Ctx): Expr | undefined {
    return this.chain(this.all<Expr>(ctx.unary), 'and');
  }

  private chain(operands: Expr[], op: 'and' | 'or'): Expr | undefined {
    let acc = operands[0];
    if (!acc) return undefined;
    for (let i = 1; i < operands.length; i++) {
      const right = operands[i]!;
      acc = { kind: 'Binary', op, left: acc, right, span: new TextSpan(this.lines, startOffset(acc.span), endOffset(right.span)) };
    }
    return acc;
  }

  unary(ctx: Ctx): Expr | undefined {
    if (has(ctx.Not)) {
      const operand = this.one<Expr>(ctx.unary);
      const span = this.span(tok(ctx.Not), operand);
      return operand && span ? { kind: 'Not', operand, span } : undefined;
    }
    return this.one<Expr>(ctx.primary);
  }

  primary(ctx: Ctx): Expr | undefined {
    if (has(ctx.LParen)) {
      const inner = this.one<Expr>(ctx.expr);
      const span = this.span(tok(ctx.LParen) ?? inner, tok(ctx.RParen) ?? inner);
      return inner && span ? { ...inner, span } : undefined;
    }
    const field = this.identifier(tok(ctx.Identifier));
    if (!field) return undefined;
    const tailNode = sub(ctx.comparisonTail);
    if (!tailNode) return { kind: 'MacroRef', name: field, span: field.span };
    const tail = this.visit(tailNode) as TailResult | undefined;
    const span = tail && this.span(field, tail.last);
    if (!tail || !span) return undefined;
    const { op, value, caseMode } = tail;
    if (!value) return { kind: 'Comparison', field, op, span };
    return caseMode ? { kind: 'Comparison', field, op, value, caseMode, span } : { kind: 'Comparison', field, op, value, span };
  }

  comparisonTail(ctx: Ctx): TailResult | undefined {
    const exists = tok(ctx.Exists);
    if (exists) return { op: 'exists', last: exists };
    const opTok = tok(ctx.CompareOp) ?? tok(ctx.StringOp) ?? tok(ctx.In);
    if (!opTok) return undefined;
    const op: ComparisonOp | undefined = opTok.tokenType.name === 'In' ? 'in' : OP_BY_TOKEN[opTok.tokenType.name];
    if (!op) return undefined;
    let value: Value | undefined;
    if (op === 'in') {
      const listName = tok(ctx.Identifier);
      value = listName
        ? { kind: 'IdentifierValue', name: this.intern(listName.image), span: this.tokenSpan(listName) }
        : this.one<ListValue>(ctx.listLiteral);
    } else {
      value = this.one<ScalarValue>(ctx.scalar);
    }
    if (!value) return undefined;
    const caseTok = tok(ctx.CaseMode);
    if (!caseTok) return { op, value, last: value };
    return { op, value, caseMode: caseTok.image as 'cased' | 'nocase', last: caseTok };
  }

  jsonValue(ctx: Ctx): JsonValue | undefined {
    const node = sub(ctx.jsonObject) ?? sub(ctx.jsonArray);
    if (node) return this.visit(node) as JsonValue | undefined;
    const t = tok(ctx.JsonScalar);
    if (!t) return undefined;
    switch (t.tokenType.name) {
      case 'StringLiteral':
      case 'UnterminatedString':
        return this.decode(t);
      case 'NumberLiteral':
        return Number(t.image);
      case 'True':
        return true;
      case 'False':
        return false;
      case 'Null':
        return null;
      default:
        return undefined;
    }
  }

  jsonObject(ctx: Ctx): JsonValue {
    const obj: { [key: string]: JsonValue } = {};
    const pairs = (ctx.jsonPair ?? []) as CstNode[];
    for (const pair of pairs) {
      const c = pair.children;
      const keyTok = tok(c.StringLiteral);
      const valueNode = sub(c.jsonValue);
      if (!keyTok || !valueNode) continue;
      const value = this.visit(valueNode) as JsonValue | undefined;
      if (value === undefined) continue;
      const key = this.decode(keyTok);
      // A "__proto__" key is an ordinary key, as with JSON.parse.
      if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else obj[key] = value;
    }
    return obj;
  }

  /** Visited through `jsonObject`, which reads its children directly. */
  jsonPair(): undefined {
    return undefined;
  }

  jsonArray(ctx: Ctx): JsonValue {
    return this.all<JsonValue>(ctx.jsonValue);
  }
}

/** The last real token directly under a CST node (for the end of a recovered JSON value). */
function lastToken(ctx: Ctx): IToken | undefined {
  let best: IToken | undefined;
  for (const key in ctx) {
    for (const e of ctx[key] ?? []) {
      const t = e as IToken;
      if (t.tokenType !== undefined && !t.isInsertedInRecovery && t.startOffset >= 0) {
        if (!best || t.startOffset > best.startOffset) best = t;
      }
    }
  }
  return best;
}

/** The index of the first element of `sorted` that is >= `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `# text` → `text`: the `#`, one space after it and trailing spaces removed. */
export function commentText(image: string): string {
  const body = image.slice(1);
  return (body.startsWith(' ') ? body.slice(1) : body).trimEnd();
}

/** The shared visitor instance (see `AstBuilder`). */
export const astBuilder = new AstBuilder();

/** The diagnostic (without its span) for what `decodeJsonString` refused. */
/** `a tab and 2 spaces`, `4 spaces`, `nothing`: an indentation in words, in the order written. */
function indentText(indent: string): string {
  if (indent === '') return 'nothing';
  const runs = indent.match(/\t+| +/g) ?? [];
  return runs.map((r) => (r[0] === '\t' ? (r.length === 1 ? 'a tab' : `${r.length} tabs`) : r.length === 1 ? 'a space' : `${r.length} spaces`)).join(' and ');
}

function badStringDiagnostic(b: BadEscape): Omit<Diagnostic, 'span'> {
  if (b.kind === 'control') {
    const hex = b.text.charCodeAt(0).toString(16).padStart(4, '0');
    const escape = escapeChar(b.text);
    return {
      code: Codes.UnexpectedCharacter.code,
      severity: Codes.UnexpectedCharacter.severity,
      message: `raw control character U+${hex.toUpperCase()} in string`,
      hint: `Strings use JSON syntax, which escapes control characters: write it as ${escape} (\\t, \\n, \\u0001, …), or use a """ block string for text with tabs or line breaks.`,
    };
  }
  if (b.kind === 'surrogate') {
    return {
      code: Codes.InvalidEscape.code,
      severity: Codes.InvalidEscape.severity,
      message: `invalid escape sequence '${b.text}' in string: a lone surrogate`,
      hint: 'A \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF escape, the two making one character ("\\ud83d\\ude00" is 😀); a lone surrogate is no character, and no UTF-8 text (no Falco alert) can hold it.',
    };
  }
  return {
    code: Codes.InvalidEscape.code,
    severity: Codes.InvalidEscape.severity,
    message: `invalid escape sequence '${b.text}' in string`,
    hint: 'Valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as \\\\ (also in regular expressions: "\\\\d+"), or use a """ block string for raw text.',
  };
}
