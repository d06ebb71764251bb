/**
 * `&&` and `||` written for `and` and `or`, as in C, JavaScript and Falco's exceptions: each is
 * the lexer's DET1001 (hinted "Combine conditions with `and`"), and the parser reads it as the
 * word, so the rest of the condition is parsed as meant and nothing cascades from it.
 */
import type { ILexingError } from 'chevrotain';
import { repair, type Repair } from './token-repair.js';
import { And, Or } from './tokens.js';

/** The lexer's errors that are exactly `&&`, `&`, `||` or `|`, read as `and` / `or`. */
export function wordOperators(text: string, errors: readonly ILexingError[]): Repair[] {
  const out: Repair[] = [];
  for (const error of errors) {
    const chars = text.slice(error.offset, error.offset + error.length);
    if (chars === '&&' || chars === '&') out.push(repair(And, 'and', error.offset, error.offset + chars.length));
    else if (chars === '||' || chars === '|') out.push(repair(Or, 'or', error.offset, error.offset + chars.length));
  }
  return out;
}
