/**
 * Text properties written without quotes, as YAML allows: `title: Netcat in a container`,
 * `description: Detects nc -e`. The words after the first are read as the next members, so
 * the parser reports errors at them that say nothing of the missing quotes. A text property of
 * a detection (at the start of its line, directly in the detection's braces) whose value is more
 * than one token, or holds a character the lexer cannot read, and starts with no quote or
 * bracket, is taken as the string it was meant to be, with one error saying to quote it. The
 * file is parsed again with those values only when its first parse had errors, so a valid file
 * costs nothing.
 */
import type { ILexingError, IToken } from 'chevrotain';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { startsMemberLine, type LineIndex } from './positions.js';

/** The properties whose value is text, and those where a `"""` block is usual. */
const TEXT_PROPERTIES = new Set(['title', 'description', 'author', 'triage', 'response', 'id']);
const BLOCK_PROPERTIES = new Set(['description', 'triage', 'response']);
/** Value tokens that start a value written as this language writes it. */
const WRITTEN = new Set(['StringLiteral', 'BlockString', 'UnterminatedString', 'UnterminatedBlockString', 'LBracket']);

/** An unquoted text property's value. */
export interface UnquotedProperty {
  readonly key: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** Written in YAML's single quotes (`title: 'Netcat'`). */
  readonly singleQuoted?: boolean;
}

/** The end of the line holding `offset` (at its `\r` or `\n`). */
function lineEnd(text: string, offset: number): number {
  let k = offset;
  while (k < text.length && text[k] !== '\n' && text[k] !== '\r') k++;
  return k;
}

/**
 * The value as written up to its line's end, and how much of the line it covers: without a
 * YAML comment (` #…`, a `#` after a space; `C#` and a URL's `/#part` stay), without a `}`
 * closing the detection on that line, and without YAML's single quotes around it.
 */
function valueOf(raw: string): { value: string; length: number; singleQuoted: boolean } {
  let v = raw;
  const comment = /(^|[ \t])#/.exec(v);
  if (comment) v = v.slice(0, comment.index);
  v = v.trimEnd();
  if (v.endsWith('}') && !v.includes('{')) v = v.slice(0, -1).trimEnd();
  const length = v.length;
  const singleQuoted = v.length >= 2 && v.startsWith("'") && v.endsWith("'");
  if (singleQuoted) v = v.slice(1, -1).replaceAll("''", "'");
  return { value: v, length, singleQuoted };
}

/** The unquoted text properties of `tokens`, in text order. */
export function unquotedProperties(text: string, tokens: readonly IToken[], errors: readonly ILexingError[]): UnquotedProperty[] {
  const out: UnquotedProperty[] = [];
  // the open brackets, and whether the outermost `{` is a detection's
  const open: string[] = [];
  let detectionBody = false;
  let e = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const name = t.tokenType.name;
    if (name === 'LCurly' || name === 'LBracket' || name === 'LParen') {
      if (open.length === 0) detectionBody = tokens[k - 2]?.tokenType.name === 'Detection';
      open.push(name);
      continue;
    }
    if (name === 'RCurly' || name === 'RBracket' || name === 'RParen') {
      open.pop();
      continue;
    }
    if (!(open.length === 1 && detectionBody && TEXT_PROPERTIES.has(t.image) && name === 'Identifier')) continue;
    if (tokens[k + 1]?.tokenType.name !== 'Colon' || !startsMemberLine(tokens, k, text)) continue;
    const colonEnd = tokens[k + 1]!.startOffset + 1;
    const end = lineEnd(text, colonEnd);
    // the value's tokens: those after the colon on its line
    let last = k + 2;
    while (last < tokens.length && tokens[last]!.startOffset < end) last++;
    const first = tokens[k + 2];
    while (e < errors.length && errors[e]!.offset < colonEnd) e++;
    const errorOnLine = e < errors.length && errors[e]!.offset < end;
    const count = last - (k + 2);
    if (first !== undefined && first.startOffset < end && WRITTEN.has(first.tokenType.name)) continue;
    if (count < 2 && !errorOnLine) continue;
    const raw = text.slice(colonEnd, end);
    const start = colonEnd + (raw.length - raw.trimStart().length);
    const { value, length, singleQuoted } = valueOf(raw.trimStart());
    if (length === 0) continue;
    out.push({ key: t.image, value, start, end: start + length, ...(singleQuoted ? { singleQuoted } : {}) });
  }
  return out;
}


/** One DET1010 per value. */
export function unquotedPropertyDiagnostics(properties: readonly UnquotedProperty[], lines: LineIndex): Diagnostic[] {
  return properties.map((p) => ({
    code: Codes.SyntaxError.code,
    severity: Codes.SyntaxError.severity,
    message: `the value of \`${p.key}\` is ${p.singleQuoted ? 'in single quotes' : 'not quoted'}`,
    span: lines.span(p.start, p.end),
    hint: `Text is written in double quotes: \`${p.key}: ${JSON.stringify(p.value)}\`${BLOCK_PROPERTIES.has(p.key) ? ' (a `"""` block for several lines)' : ''}.`,
  }));
}
