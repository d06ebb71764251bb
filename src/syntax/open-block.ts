/**
 * A detection left open because a block inside it was: in
 *
 *     detection x {
 *       …
 *       attack {
 *         execution: T1059.004
 *     }
 *
 * the last `}`, written at the detection's indentation to close it, closes `attack {` instead,
 * and the detection runs on into the next block or the end of the file. The parser can only say
 * the detection is not closed, far from the mistake; the indentation shows which `{` lacks its
 * `}`. A test's JSON event read as one token (`JsonText`) is looked into the same way.
 */
import type { IToken } from 'chevrotain';
import { columnOf, startsLine } from './positions.js';

/** A block inside a detection closed by the `}` meant for the detection. */
export interface ClosedTooEarly {
  /** Where the block's `{` is. */
  readonly openOffset: number;
  /** How the block starts: `attack {`, `sequence … {`, `test … {` (absent: just `{`). */
  readonly opening?: string;
  /** Where the `}` that closes it is: the first one starting a line no deeper than `detection`. */
  readonly closeOffset: number;
}

/**
 * In a detection's tokens (`detection name { …`, not closed), the block whose `}` starts its
 * line no deeper than the `detection` keyword, with nothing but `}` after it: that `}` was
 * written for the detection.
 */
export function closedTooEarly(tokens: readonly IToken[], text: string): ClosedTooEarly | undefined {
  const first = tokens[0];
  if (first === undefined) return undefined;
  const indent = columnOf(text, first.startOffset);
  const outdented = (offset: number): boolean => /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset)) && columnOf(text, offset) <= indent;
  // The block's first line is indented deeper than the detection (so indentation means something here).
  const indented = (at: number): boolean => {
    let k = at;
    while (k > 1 && !startsLine(tokens, k, text)) k--;
    return columnOf(text, tokens[k]!.startOffset) > indent;
  };
  // Nothing but `}` after it: members after it show the detection's `}` is missing, not misplaced.
  let lastOther = tokens.length - 1;
  while (lastOther > 0 && tokens[lastOther]!.tokenType.name === 'RCurly') lastOther--;
  const onlyClosingAfter = (k: number): boolean => k >= lastOther;
  const open: number[] = [];
  for (let k = 1; k < tokens.length; k++) {
    const token = tokens[k]!;
    const name = token.tokenType.name;
    if (name === 'LCurly') open.push(k);
    else if (name === 'RCurly') {
      const at = open.pop();
      if (at === undefined) return undefined;
      // Still inside the detection's own `{` (the first one), at its indentation.
      if (open.length > 0 && startsLine(tokens, k, text) && outdented(token.startOffset) && indented(at) && onlyClosingAfter(k)) {
        return { openOffset: tokens[at]!.startOffset, ...opening(tokens, at, open[0]!, text), closeOffset: token.startOffset };
      }
    } else if (name === 'JsonText' && open.length === 1 && token.image.startsWith('{')) {
      const close = token.startOffset + token.image.length - 1;
      if (outdented(close) && indented(k) && onlyClosingAfter(k)) return { openOffset: token.startOffset, ...opening(tokens, k, 0, text), closeOffset: close };
    }
  }
  return undefined;
}

/** How the block opened at `tokens[at]` starts: its line's first word, up to the `{`. */
function opening(tokens: readonly IToken[], at: number, outer: number, text: string): { opening?: string } {
  let k = at;
  while (k > outer + 1 && !startsLine(tokens, k, text)) k--;
  const word = tokens[k]!;
  if (k === at || k <= outer || !/^[A-Za-z_][\w.-]*$/.test(word.image)) return {};
  return { opening: k === at - 1 ? `${word.image} {` : `${word.image} … {` };
}
