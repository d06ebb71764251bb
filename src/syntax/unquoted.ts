/**
 * Values written without quotes, as Falco writes them: `fd.name startswith /etc`,
 * `fd.name == /etc/shadow`, `proc.exepath in (/bin/sh, /bin/bash)`. The lexer stops at each
 * character no token starts with (`/`, `~`); each piece would be its own error and the words
 * between them names, which the parser then misreads. Instead, a run of such text right after
 * an operator, or as an item of a list (`[/bin/sh, /bin/bash]`, Falco's `in (…)`), is one
 * value: one DET1001 for it, saying to quote it, and the parser sees it as the string it was
 * meant to be, so nothing cascades from it.
 */
import type { ILexingError, IToken } from 'chevrotain';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineIndex } from './positions.js';

/** An unquoted value: its text and where it is. */
export interface UnquotedValue {
  readonly start: number;
  readonly end: number;
  readonly value: string;
  /** The operator before it (`startswith`, `==`), for the hint; absent in a Falco list. */
  readonly op?: string;
  /** Inside Falco's `in (…)`: the list's own syntax error shows the whole list quoted. */
  readonly inList: boolean;
}

/** A character of an unquoted value: not a space, control, bracket, brace, comma, quote, `#` or bidi control. */
const VALUE_CHAR = /[^\s\x00-\x1f\x7f-\x9f,()[\]{}"'#\u202a-\u202e\u2066-\u2069]/;
/** Where a value may begin: a value character that is not part of a comparison operator (`==/etc`). */
const VALUE_START_CHAR = /[^\s\x00-\x1f\x7f-\x9f,()[\]{}"'#\u202a-\u202e\u2066-\u2069=!<>]/;
/** An operator right before a value, at the end of the text before it (on its line); not a field's name part (`user.contains`). */
const OPERATOR_BEFORE = /(==|!=|<=|>=|<|>|(?<![\w.-])(?:contains|startswith|endswith|regex))[ \t]*$/;
/** Falco's `in (` or a `,` of such a list before the value, on its line. */
const IN_LIST_BEFORE = /\bin[ \t]*\((?:[^()\n]*,)?[ \t]*$/;
/** A list's `[`, or a `,` after it, before the value (`list shells = [/bin/sh, /bin/bash]`, as Falco writes lists); the `[` still open. */
const ITEM_BEFORE = /\[[^[\]]*[[,][ \t]*$|\[[ \t]*$/;
/** How far back on the line the operator is looked for. */
const LOOK_BACK = 200;
/** Values longer than this are not taken as one (a stray character in a long line is an ordinary error). */
const MAX_VALUE = 200;

/** The unquoted values holding the lexer's errors, in text order (each error in at most one). */
export function unquotedValues(text: string, errors: readonly ILexingError[]): UnquotedValue[] {
  const out: UnquotedValue[] = [];
  for (const error of errors) {
    if (out.length > 0 && error.offset < out[out.length - 1]!.end) continue;
    let start = error.offset;
    while (start > 0 && VALUE_START_CHAR.test(text.charAt(start - 1)) && error.offset - start < MAX_VALUE) start--;
    let end = error.offset + Math.max(1, error.length);
    while (end < text.length && VALUE_CHAR.test(text.charAt(end)) && end - start < MAX_VALUE) end++;
    // the error's own characters must be value characters (not a stray `'`, `;` or control)
    if (error.length > MAX_VALUE || end - start >= MAX_VALUE) continue;
    if (![...text.slice(error.offset, error.offset + Math.max(1, error.length))].every((ch) => VALUE_CHAR.test(ch) && /[\x21-\x7e]/.test(ch))) continue;
    // the text before it on its line, at most LOOK_BACK characters (a bounded search: many errors on one long line stay linear)
    const window = text.slice(Math.max(0, start - LOOK_BACK), start);
    const before = window.slice(Math.max(window.lastIndexOf('\n'), window.lastIndexOf('\r')) + 1);
    const op = OPERATOR_BEFORE.exec(before)?.[1];
    const inList = op === undefined && IN_LIST_BEFORE.test(before);
    // a list item holds a letter or digit (a stray `/` after a `,` is no value)
    if (op === undefined && !inList && !(ITEM_BEFORE.test(before) && /[A-Za-z0-9]/.test(text.slice(start, end)))) continue;
    out.push({ start, end, value: text.slice(start, end), ...(op !== undefined ? { op } : {}), inList });
  }
  return out;
}

/**
 * One DET1001 per value, except an item of a Falco list `in (…)`: the parser's error at its `(`
 * shows the list quoted. `tokens` are the tokens with the values in them (`quotedStrings`),
 * so a list is told by its tokens, not by text that may be inside a string.
 */
export function unquotedDiagnostics(values: readonly UnquotedValue[], tokens: readonly IToken[], lines: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const index = new Map<number, number>();
  if (values.some((v) => v.inList)) tokens.forEach((t, k) => index.set(t.startOffset, k));
  for (const v of values) {
    if (v.inList && inFalcoList(tokens, index.get(v.start))) continue;
    out.push({
      code: Codes.UnexpectedCharacter.code,
      severity: Codes.UnexpectedCharacter.severity,
      message: `value '${v.value}' is not quoted`,
      span: lines.span(v.start, v.end),
      hint: `Values are written in double quotes: \`${v.op !== undefined ? `${v.op} ` : ''}${JSON.stringify(v.value)}\`.`,
    });
  }
  return out;
}

const LIST_ITEMS = new Set(['StringLiteral', 'NumberLiteral', 'Identifier']);

/** Whether `tokens[at]` is an item of `in (a, b, …)`: items and commas back to `in (`. */
function inFalcoList(tokens: readonly IToken[], at: number | undefined): boolean {
  if (at === undefined) return false;
  let k = at;
  while (tokens[k - 1]?.tokenType.name === 'Comma' && LIST_ITEMS.has(tokens[k - 2]?.tokenType.name ?? '')) k -= 2;
  return tokens[k - 1]?.tokenType.name === 'LParen' && tokens[k - 2]?.tokenType.name === 'In';
}
