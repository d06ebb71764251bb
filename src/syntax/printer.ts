/**
 * AST → canonical `.det` text (what `detect fmt` writes), in the spirit of graphql-js's printer.
 *
 * A formatter changes layout only, never what the author wrote: values, number and test-JSON
 * lexemes, comments, and where the author separated members by blank lines are kept.
 *
 * Canonical format:
 * - 2-space indentation, one member per line, a blank line between blocks, `\n` line ends and a
 *   final newline;
 * - one blank line before a member, map entry or sequence step where the author left one or more
 *   (`blankLineBefore`), none after a `{` or before a `}`; likewise among the comments before a
 *   node and between them and the node (`commentGaps`, `trailingCommentGaps`), and before the
 *   comments that close a `{ … }` (`closingCommentGaps`, none before the `}`); no other blank
 *   lines;
 * - lists as written: `[a, b]` when bracketed, `a, b` when a bare comma sequence; a bracketed
 *   list of a property or `list` declaration that would make its line longer than 100
 *   characters goes one item per line, each followed by a comma;
 * - a condition (`condition:`, `step name:`, `macro name =`) whose top is an `and`/`or` chain goes
 *   on the following lines, indented, one operand per line with the operator leading; other
 *   conditions stay on the same line; chains nested inside an operand stay on its line;
 * - parentheses only where precedence or associativity needs them (`a and (b or c)`,
 *   `a or (b or c)`, `not (a and b)`);
 * - strings re-escaped as JSON; `"""` block strings as blocks indented under their member, or as a
 *   normal string when the value cannot be read back identically from a block;
 * - numbers as written (`NumberValue.raw`: `1.50`, `-1.5e3`), else as JavaScript writes them;
 * - inline test events laid out by `json-layout.ts` (2-space indentation, one key per line, short
 *   arrays of scalars on one line), every string and number lexeme as written;
 * - comments as `# text` lines before the node they belong to, after it on its last line (a
 *   trailing comment), or before the `}` of the block they close.
 *
 * Printing is idempotent, and `parseFile(printFile(ast))` gives `ast` again under `stripSpans`.
 */
import type {
  Block,
  ClosingComments,
  Expr,
  FileNode,
  Leading,
  Member,
  MemberLeading,
  NumberValue,
  Property,
  ScalarValue,
  SequenceStep,
  StringValue,
  Value,
} from './ast.js';
import { MAX_WIDTH, printJsonEvents } from './json-layout.js';
import { blockStringRaw, encodeJsonString } from './strings.js';

const INDENT = '  ';

/** Print a file in the canonical format. */
export function printFile(ast: FileNode): string {
  const parts = ast.blocks.map(printBlock);
  if (ast.trailingComments && ast.trailingComments.length > 0) {
    parts.push(printComments(ast.trailingComments, ast.trailingCommentGaps, '').join('\n'));
  }
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : '';
}

function printComment(text: string, indent: string): string {
  return text === '' ? `${indent}#` : `${indent}# ${text}`;
}

/** Comment lines, with an empty line before `comments[i]` for each i >= 1 in `gaps`. */
function printComments(comments: readonly string[], gaps: readonly number[] | undefined, indent: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < comments.length; i++) {
    if (i > 0 && gaps?.includes(i)) lines.push('');
    lines.push(printComment(comments[i]!, indent));
  }
  return lines;
}

/** `body` (already indented) under the node's leading comments and their blank lines, and followed by its trailing comment. */
function withComments(node: Leading, indent: string, body: string): string {
  const comments = node.comments;
  const printed = node.trailingComment === undefined ? body : `${body} ${printComment(node.trailingComment, '')}`;
  if (!comments || comments.length === 0) return printed;
  const lines = printComments(comments, node.commentGaps, indent);
  if (node.commentGaps?.includes(comments.length)) lines.push('');
  lines.push(printed);
  return lines.join('\n');
}

/** The inside of a `{ … }` at `indent`: its children, then its closing comments; empty when it has neither. */
function braced(children: string, node: ClosingComments, indent: string): string {
  const gaps = node.closingCommentGaps ?? [];
  const closing = (node.closingComments ?? []).flatMap((c, i) => {
    const line = printComment(c, indent);
    return gaps.includes(i) ? ['', line] : [line];
  });
  const lines = children === '' ? closing : [children, ...closing];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** The children of a `{ … }`, one blank line before each but the first that had one or more. */
function joinChildren<T extends MemberLeading>(children: readonly T[], print: (child: T) => string): string {
  return children.map((c, i) => (i > 0 && c.blankLineBefore ? `\n${print(c)}` : print(c))).join('\n');
}

function printBlock(block: Block): string {
  switch (block.kind) {
    case 'List':
      return withComments(block, '', `list ${block.name.name} = ${printLongList(`list ${block.name.name} = `, block.items, '')}`);
    case 'Macro':
      return withComments(block, '', `macro ${block.name.name} =${printCondition(block.body, '')}`);
    case 'Detection': {
      const body = `{\n${braced(joinChildren(block.members, (m) => printMember(m, INDENT)), block, INDENT)}}`;
      return withComments(block, '', `detection ${block.name.name} ${body}`);
    }
  }
}

function printMember(m: Member, ind: string): string {
  return withComments(m, ind, ind + memberBody(m, ind));
}

function memberBody(m: Member, ind: string): string {
  switch (m.kind) {
    case 'Property':
      return printProperty(m, ind);
    case 'MapBlock': {
      const inner = ind + INDENT;
      const entries = joinChildren(m.entries, (e) => withComments(e, inner, inner + printProperty(e, inner)));
      return `${m.key.name} {\n${braced(entries, m, inner)}${ind}}`;
    }
    case 'Condition':
      return `condition:${printCondition(m.expr, ind)}`;
    case 'Schedule':
      return m.mode === 'realtime'
        ? 'schedule: realtime'
        : `schedule: every ${m.every.text}${m.lookback ? ` lookback ${m.lookback.text}` : ''}`;
    case 'Suppress':
      return `suppress: ${printBy(m.by)}for ${m.duration.text}`;
    case 'Threshold':
      return `threshold: count >= ${printNumber(m.count)} ${printBy(m.by)}within ${m.within.text}`;
    case 'Sequence': {
      const inner = ind + INDENT;
      const steps = joinChildren(m.steps, (s) => withComments(s, inner, inner + printStep(s, inner)));
      return `sequence ${printBy(m.by)}within ${m.within.text} {\n${braced(steps, m, inner)}${ind}}`;
    }
    case 'Test': {
      const head = `test ${encodeJsonString(m.name.value)} ${m.expect === 'match' ? 'matches' : 'does not match'} `;
      const events =
        m.events.kind === 'FileEvents'
          ? `file ${encodeJsonString(m.events.path.value)}`
          : printJsonEvents(m.events, ind, ind.length + head.length);
      return head + events;
    }
  }
}

function printStep(s: SequenceStep, ind: string): string {
  return `step ${s.name.name}:${printCondition(s.expr, ind)}`;
}

function printProperty(p: Property, ind: string): string {
  const head = `${p.key.name}: `;
  const v = p.value;
  return head + (v.kind === 'List' && v.bracketed ? printLongList(ind + head, v.items, ind) : printValue(v, ind));
}

/** A bracketed list after `prefix` (the start of its line): on that line, or one item per line if too long. */
function printLongList(prefix: string, items: readonly ScalarValue[], ind: string): string {
  const inline = printList(items, true, ind);
  const firstLine = inline.split('\n', 1)[0]!;
  if (items.length < 2 || prefix.length + firstLine.length <= MAX_WIDTH) return inline;
  const inner = ind + INDENT;
  return `[\n${items.map((i) => `${inner}${printScalar(i, inner)},`).join('\n')}\n${ind}]`;
}

function printBy(by: readonly { name: string }[]): string {
  return by.length > 0 ? `by ${by.map((k) => k.name).join(', ')} ` : '';
}

// ---- values --------------------------------------------------------------------------------

function printValue(v: Value, ind: string): string {
  return v.kind === 'List' ? printList(v.items, v.bracketed, ind) : printScalar(v, ind);
}

function printList(items: readonly ScalarValue[], bracketed: boolean, ind: string): string {
  const text = items.map((i) => printScalar(i, ind)).join(', ');
  return bracketed ? `[${text}]` : text;
}

function printScalar(v: ScalarValue, ind: string): string {
  switch (v.kind) {
    case 'String':
      return printString(v, ind);
    case 'Number':
      return printNumber(v);
    case 'Boolean':
      return v.value ? 'true' : 'false';
    case 'Duration':
      return v.text;
    case 'IdentifierValue':
      return v.name;
  }
}

/** A JSON number literal (what the lexer reads as one number). */
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A number as the author wrote it, while that text still denotes its value; else as JavaScript writes it. */
function printNumber(v: NumberValue): string {
  if (v.raw !== undefined && NUMBER_LITERAL.test(v.raw) && Object.is(Number(v.raw), v.value)) return v.raw;
  return Object.is(v.value, -0) ? '-0' : String(v.value);
}

/** A block string as a `"""` block (content indented one level under `ind`), else JSON. */
function printString(s: StringValue, ind: string): string {
  if (s.block) {
    const raw = blockStringRaw(s.value, ind + INDENT);
    if (raw !== undefined) return `"""${raw}"""`;
  }
  return encodeJsonString(s.value);
}

// ---- conditions ----------------------------------------------------------------------------

const PREC: Record<Expr['kind'] | 'or' | 'and', number> = {
  or: 1,
  and: 2,
  Not: 3,
  Comparison: 4,
  MacroRef: 4,
  Binary: 0,
};

function prec(e: Expr): number {
  return e.kind === 'Binary' ? PREC[e.op] : PREC[e.kind];
}

/** The operands of a left-associative chain of one operator (iterative: chains may be long). */
function chainOperands(e: Expr & { kind: 'Binary' }): Expr[] {
  const rights: Expr[] = [];
  let cur: Expr = e;
  while (cur.kind === 'Binary' && cur.op === e.op) {
    rights.push(cur.right);
    cur = cur.left;
  }
  rights.push(cur);
  return rights.reverse();
}

/** `operand` as written inside a chain of `op`; `first` is the leftmost operand. */
function printOperand(operand: Expr, op: 'and' | 'or', first: boolean, ind: string): string {
  const p = prec(operand);
  const needsParens = first ? p < PREC[op] : p <= PREC[op];
  const text = printExpr(operand, ind);
  return needsParens ? `(${text})` : text;
}

/** A condition after `condition:` / `step x:` / `macro x =`: same line, or a broken chain. */
function printCondition(e: Expr, ind: string): string {
  if (e.kind !== 'Binary') return ` ${printExpr(e, ind)}`;
  const inner = ind + INDENT;
  const operands = chainOperands(e);
  const lines = operands.map((o, i) => {
    const text = printOperand(o, e.op, i === 0, inner);
    return i === 0 ? `${inner}${text}` : `${inner}${e.op} ${text}`;
  });
  return `\n${lines.join('\n')}`;
}

/** A condition on one line (minimal parentheses). */
export function printExpr(e: Expr, ind = ''): string {
  switch (e.kind) {
    case 'Binary':
      return chainOperands(e)
        .map((o, i) => printOperand(o, e.op, i === 0, ind))
        .join(` ${e.op} `);
    case 'Not':
      return e.operand.kind === 'Binary' ? `not (${printExpr(e.operand, ind)})` : `not ${printExpr(e.operand, ind)}`;
    case 'MacroRef':
      return e.name.name;
    case 'Comparison': {
      const value = e.value ? ` ${printValue(e.value, ind)}` : '';
      const mode = e.caseMode ? ` ${e.caseMode}` : '';
      return `${e.field.name} ${e.op}${value}${mode}`;
    }
  }
}
