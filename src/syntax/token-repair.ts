/**
 * Text the lexer could not read, read as the token it was meant to be (an unquoted value as a
 * string, `&&` as `and`), so the parser goes on as the author meant and reports nothing that
 * only follows from it. The lexer's diagnostic (or one for the whole stretch) is still reported:
 * a repaired file never passes.
 */
import type { IToken, TokenType } from 'chevrotain';
import { createTokenInstance } from './chevrotain.js';
import { StringLiteral } from './tokens.js';

/** The text from `start` to `end` read as `token`. */
export interface Repair {
  readonly start: number;
  readonly end: number;
  readonly token: IToken;
}

/** A repair reading `start`–`end` as one token of `type` with `image`. */
export function repair(type: TokenType, image: string, start: number, end: number): Repair {
  return { start, end, token: createTokenInstance(type, image, start, end - 1, NaN, NaN, NaN, NaN) };
}

/** Each stretch of text (an unquoted value or property) read as a string token holding `value`. */
export function quotedStrings(stretches: readonly { readonly value: string; readonly start: number; readonly end: number }[]): Repair[] {
  return stretches.map((v) => repair(StringLiteral, JSON.stringify(v.value), v.start, v.end));
}

/** `tokens` with each repair's token in place of the tokens its text held (repairs in text order, not overlapping). */
export function withRepairs(tokens: readonly IToken[], repairs: readonly Repair[]): IToken[] {
  const out: IToken[] = [];
  let r = 0;
  for (const t of tokens) {
    while (r < repairs.length && repairs[r]!.start <= t.startOffset) out.push(repairs[r++]!.token);
    if (r > 0 && t.startOffset < repairs[r - 1]!.end) continue; // a piece of the text just repaired
    out.push(t);
  }
  while (r < repairs.length) out.push(repairs[r++]!.token);
  return out;
}

/** The stretch (of `stretches`, in text order, not overlapping) holding `offset`, by binary search. */
export function stretchAt<T extends { readonly start: number; readonly end: number }>(stretches: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = stretches.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = stretches[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
