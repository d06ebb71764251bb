/**
 * Operators spelt as in other languages, which the lexer cannot read: `&&` and `||` (C,
 * JavaScript) for `and` and `or`, and KQL's case-insensitive `=~`, `!~` and `in~` for `==`,
 * `!=` and `in` with `nocase`. Each is the lexer's DET1001 with a hint saying what to write, and
 * the parser reads it as the operator meant, so the rest of the condition is parsed and nothing
 * cascades from it.
 */
import type { ILexingError } from 'chevrotain';
import { repair, type Repair } from './token-repair.js';
import { And, EqEq, In, NotEq, Or } from './tokens.js';

/** An operator spelt another way: what the parser reads, and the hint for the lexer's error. */
export interface SpeltOperator {
  readonly repair: Repair;
  readonly hint: string;
}

/** The lexer's errors that are another spelling of an operator, by the error's offset. */
export function speltOperators(text: string, errors: readonly ILexingError[]): Map<number, SpeltOperator> {
  const out = new Map<number, SpeltOperator>();
  for (const error of errors) {
    const at = error.offset;
    const chars = text.slice(at, at + error.length);
    const spelt = (type: Parameters<typeof repair>[0], image: string, start: number, hint: string): void => {
      out.set(at, { repair: repair(type, image, start, at + chars.length), hint });
    };
    if (chars === '&&' || chars === '&') spelt(And, 'and', at, 'Combine conditions with `and`.');
    else if (chars === '||' || chars === '|') spelt(Or, 'or', at, 'Combine conditions with `or`.');
    else if (chars === '!~') spelt(NotEq, '!=', at, 'KQL\'s `!~` is `!= "…" nocase` here.');
    else if (chars === '~' && text.slice(at - 1, at) === '=' && !/[=!<>]/.test(text.slice(at - 2, at - 1))) {
      spelt(EqEq, '==', at - 1, 'KQL\'s `=~` is `== "…" nocase` here.');
    } else if (chars === '~' && /(?:^|[^\w.-])in$/.test(text.slice(Math.max(0, at - 3), at))) {
      spelt(In, 'in', at - 2, 'KQL\'s `in~` is `in [ … ] nocase` here.');
    }
  }
  return out;
}
