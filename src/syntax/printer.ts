/**
 * AST → canonical `.det` text (what `detect fmt` writes), in the spirit of graphql-js's printer.
 *
 * Canonical format:
 * - 2-space indentation, one member per line, a blank line between blocks, `\n` line ends and a
 *   final newline;
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
 * - inline test events as `JSON.stringify(…, null, 2)`, indented under the test;
 * - comments as `# text` lines before the node they belong to.
 *
 * Printing is idempotent, and `parseFile(printFile(ast))` gives `ast` again under `stripSpans`.
 */
import type {
  Block,
  Expr,
  FileNode,
  JsonValue,
  Member,
  Property,
  ScalarValue,
  SequenceStep,
  StringValue,
  Value,
} from './ast.js';
import { blockStringRaw, encodeJsonString } from './strings.js';

const INDENT = '  ';
/** Longest line a bracketed property list may make before it is written one item per line. */
const MAX_WIDTH = 100;

/** Print a file in the canonical format. */
export function printFile(ast: FileNode): string {
  const parts = ast.blocks.map(printBlock);
  if (ast.trailingComments && ast.trailingComments.length > 0) {
    parts.push(ast.trailingComments.map((c) => printComment(c, '')).join('\n'));
  }
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : '';
}

function printComment(text: string, indent: string): string {
  return text === '' ? `${indent}#` : `${indent}# ${text}`;
}

function withComments(comments: readonly string[] | undefined, indent: string, body: string): string {
  if (!comments || comments.length === 0) return body;
  return `${comments.map((c) => printComment(c, indent)).join('\n')}\n${body}`;
}

function printBlock(block: Block): string {
  switch (block.kind) {
    case 'List':
      return withComments(block.comments, '', `list ${block.name.name} = ${printLongList(`list ${block.name.name} = `, block.items, '')}`);
    case 'Macro':
      return withComments(block.comments, '', `macro ${block.name.name} =${printCondition(block.body, '')}`);
    case 'Detection': {
      const members = block.members.map((m) => printMember(m, INDENT));
      const body = members.length > 0 ? `{\n${members.join('\n')}\n}` : '{\n}';
      return withComments(block.comments, '', `detection ${block.name.name} ${body}`);
    }
  }
}

function printMember(m: Member, ind: string): string {
  return withComments(m.comments, ind, ind + memberBody(m, ind));
}

function memberBody(m: Member, ind: string): string {
  switch (m.kind) {
    case 'Property':
      return printProperty(m, ind);
    case 'MapBlock': {
      const inner = ind + INDENT;
      const entries = m.entries.map((e) => withComments(e.comments, inner, inner + printProperty(e, inner)));
      return entries.length > 0 ? `${m.key.name} {\n${entries.join('\n')}\n${ind}}` : `${m.key.name} {\n${ind}}`;
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
      return `threshold: count >= ${printNumber(m.count.value)} ${printBy(m.by)}within ${m.within.text}`;
    case 'Sequence': {
      const inner = ind + INDENT;
      const steps = m.steps.map((s) => withComments(s.comments, inner, inner + printStep(s, inner)));
      return `sequence ${printBy(m.by)}within ${m.within.text} {\n${steps.join('\n')}\n${ind}}`;
    }
    case 'Test': {
      const expect = m.expect === 'match' ? 'matches' : 'does not match';
      const events =
        m.events.kind === 'FileEvents' ? `file ${encodeJsonString(m.events.path.value)}` : printJson(m.events.value, ind);
      return `test ${encodeJsonString(m.name.value)} ${expect} ${events}`;
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

function printJson(value: JsonValue, ind: string): string {
  return (JSON.stringify(value, null, 2) ?? 'null').split('\n').join(`\n${ind}`);
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
      return printNumber(v.value);
    case 'Boolean':
      return v.value ? 'true' : 'false';
    case 'Duration':
      return v.text;
    case 'IdentifierValue':
      return v.name;
  }
}

function printNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
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
