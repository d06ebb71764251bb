/**
 * One syntax error per broken member of a detection, instead of the cascade Chevrotain's
 * re-synchronisation leaves after it.
 *
 * Chevrotain recovers from an error by skipping or inserting tokens, then goes on; when its
 * guess is wrong, the rest of the member (or of the detection) yields errors that only echo
 * the first: a `}` inside a test event's JSON taken for the end of the detection, a Falco
 * spelling `in (nc, ncat)` read as three members. A compiler should report the first error of
 * each broken member and nothing that follows from it.
 *
 * So the range of tokens of a detection is parsed; at its first error the member holding that
 * error is cut out (from the line that starts it to the line that starts the next: see
 * `memberStarts`), and the rest is parsed again. An error at the first or second token of a
 * member cuts out the member before it too: at the first token, that one was left unfinished
 * (a test's JSON missing its `}`); at the second, it may have taken this one's name for its
 * value (`severity:` with no value takes the next line's `description` and fails at its `:`),
 * unless it ends with a bracket. Each round reports one error and removes one member,
 * until the range parses. When no member can be cut (an error in the `detection name {`
 * header, at the end of the range, or one that a cut did not remove), that error is reported
 * and what follows it in the detection is taken for its echo; after `MAX_REPAIRS` rounds, all
 * that is left is. Errors after an unterminated `"""` are not reported: it runs to the end of
 * the file, and DET1002 says so. Only ranges with errors take more than one parse, so valid
 * input costs nothing more.
 *
 * A map block left open (`attack { execution: T1059.004` with no `}`) swallows the members
 * after it as its entries; when the member after it starts a line no deeper than the block's
 * own name, the error is said as that (`UnclosedBlock`) and the block is cut out.
 */
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import { suggest } from '../diagnostics/suggest.js';
import { CONTINUES, GRAMMAR_MEMBERS, MEMBER_KEYWORDS } from './messages.js';
import { columnOf, startsLine } from './positions.js';

/**
 * Where the member starting at `tokens[start]` ends: at the next member's start, or at a `}`
 * beginning a line that closes no bracket of the member (a map block's, the detection's), which
 * stays. The detection's last `}` stays wherever it is.
 */
function memberEnd(tokens: readonly IToken[], start: number, starts: readonly boolean[], text: string): number {
  const open = new Brackets();
  let end = start + 1;
  for (; end < tokens.length; end++) {
    if (starts[end]) break;
    const name = tokens[end]!.tokenType.name;
    if (name === 'RCurly' && open.depth === 0 && startsLine(tokens, end, text)) break;
    open.step(name);
  }
  if (end === tokens.length && tokens[end - 1]?.tokenType.name === 'RCurly') end--;
  return end;
}

const CLOSER_OF: Record<string, string> = { LCurly: 'RCurly', LBracket: 'RBracket', LParen: 'RParen' };
const CLOSERS = new Set(Object.values(CLOSER_OF));

/** The brackets open at a point of a range of tokens; a closing bracket that does not match the last one open is ignored (it is the error). */
class Brackets {
  private open: string[] = [];
  get depth(): number {
    return this.open.length;
  }
  reset(): void {
    this.open = [];
  }
  step(name: string): void {
    const closer = CLOSER_OF[name];
    if (closer !== undefined) this.open.push(closer);
    else if (this.open[this.open.length - 1] === name) this.open.pop();
  }
}

/** How many broken members of one detection are reported: past them, the detection's errors are taken for echoes. */
export const MAX_REPAIRS = 20;

/** A map block (`attack {`) not closed before a line that starts another member of the detection. */
export interface UnclosedBlock {
  /** The block's name (`attack`). */
  readonly key: IToken;
  /** Its `{`. */
  readonly open: IToken;
  /** The first token of the member the block swallowed. */
  readonly next: IToken;
}

/** One error to report: the parser's, seen in the tokens it was parsed from. */
export interface FoundError {
  readonly error: IRecognitionException;
  /** The tokens of the parse that found it. */
  readonly tokens: readonly IToken[];
  /** The index of the error's token in `tokens` (`tokens.length` at the end of the range). */
  readonly at: number;
  /** Set when the error is an unclosed map block. */
  readonly unclosed?: UnclosedBlock;
}

export type Parse = (tokens: IToken[]) => { cst: CstNode; errors: IRecognitionException[] };
export type FirstParseError = (tokens: IToken[]) => IRecognitionException | undefined;

/**
 * Parses a detection's range of tokens, cutting out each member with an error (see the file
 * comment). `parse` parses with recovery (its CST is returned: the AST is built from it);
 * `firstParseError` finds the first error without recovery, for the parses after a cut, which
 * start at the cut (the members before it parsed). Returns the first error of each member cut
 * out, and the first error of the last parse when no cut applied to it.
 */
export function parseDetection(
  tokens: IToken[],
  text: string,
  parse: Parse,
  firstParseError: FirstParseError,
): { cst: CstNode; found: FoundError[]; rest: FoundError[] } {
  const { cst, errors } = parse(tokens);
  if (errors.length === 0) return { cst, found: [], rest: [] };
  // The members start after `detection name {`.
  const bodyStart = 3;
  const header = tokens.slice(0, bodyStart);
  const unterminated = tokens.find((t) => t.tokenType.name === 'UnterminatedBlockString')?.startOffset;
  const afterUnterminated = (f: FoundError): boolean => unterminated !== undefined && (f.at >= f.tokens.length || f.tokens[f.at]!.startOffset >= unterminated);
  // Members are told apart by the lines of the whole range, once: a cut removes whole members.
  const startFlags = memberStarts(tokens, text);
  const isStart = new Set(tokens.filter((_, k) => startFlags[k]));
  let current = tokens;
  let first: FoundError | undefined = firstError(errors, current);
  const found: FoundError[] = [];
  let echoes = false;
  for (let round = 0; first !== undefined && round < MAX_REPAIRS; round++) {
    const at = first.at;
    if (at < bodyStart || at >= current.length || afterUnterminated(first)) break;
    // The same token failing again: the cut did not help, and would not next time.
    if (found.some((f) => f.error.token === first!.error.token)) break;
    // The detection ended before its range did: a `}` too many (reported, the rest of the
    // range skipped, as Chevrotain does), or, after a cut, one the cut left unmatched (not).
    if (!(first.error.context?.ruleStack ?? []).includes('detectionDecl')) {
      echoes = found.length > 0;
      break;
    }
    const starts = current.map((t) => isStart.has(t));
    let start = at;
    while (start > bodyStart && !starts[start]) start--;
    if (!starts[start]) break;
    let from = start;
    let end: number;
    const unclosed = unclosedBlockBefore(current, start, bodyStart, first.error, text);
    if (unclosed) {
      found.push({ ...first, unclosed });
      from = unclosed.keyAt;
      end = unclosed.nextAt;
    } else {
      end = memberEnd(current, start, starts, text);
      if (end < at) break;
      if (at <= start + 1) {
        // The member before goes too: an error at a member's first token is the member before
        // left unfinished; at its second, the member before may have taken this one's name
        // for its value, unless it ends with a bracket.
        let k = start - 1;
        while (k > bodyStart && !starts[k] && (at === start || !CLOSERS.has(current[k]!.tokenType.name))) k--;
        if (k >= bodyStart && starts[k]) from = k;
      }
      found.push(first);
    }
    current = [...current.slice(0, from), ...current.slice(end)];
    // The members before the cut parsed: the next parse starts at it.
    const error = firstParseError([...header, ...current.slice(from)]);
    first = error === undefined ? undefined : { error, tokens: current, at: indexOf(current, error) };
  }
  // Where no cut applies, the first error is reported and what follows it is taken for its
  // echo; past the cap, all that is left is (text read as code, say, when a """ string closed
  // early and its lines became members).
  const rest = echoes || found.length >= MAX_REPAIRS || first === undefined || afterUnterminated(first) ? [] : [first];
  return { cst, found, rest };
}

function indexOf(tokens: readonly IToken[], error: IRecognitionException): number {
  const i = tokens.indexOf(error.token);
  return i >= 0 ? i : tokens.length;
}

/**
 * The error at the earliest token (Chevrotain lists them as met, which is not always in order).
 * The tokens are indexed once: a long line of text read as code can give thousands of errors.
 */
function firstError(errors: readonly IRecognitionException[], tokens: readonly IToken[]): FoundError {
  const index = new Map<IToken, number>();
  tokens.forEach((t, i) => {
    if (!index.has(t)) index.set(t, i);
  });
  let best: FoundError | undefined;
  for (const error of errors) {
    const at = index.get(error.token) ?? tokens.length;
    if (best === undefined || at < best.at) best = { error, tokens, at };
  }
  return best!;
}

/**
 * The map block still open at `tokens[start]`, when the error happened in a map block and
 * `tokens[start]` starts its line no deeper than the block's name: the block's `{` was not
 * closed, and the member at `start` is the detection's, not the block's entry. The block is
 * taken to end before the first line after its `{` that starts no deeper than its name
 * (`nextAt`): entries valid in themselves (`severity: high`) may lie between that line and
 * `start`.
 */
function unclosedBlockBefore(
  tokens: readonly IToken[],
  start: number,
  bodyStart: number,
  error: IRecognitionException,
  text: string,
): (UnclosedBlock & { keyAt: number; nextAt: number }) | undefined {
  if (!(error.context?.ruleStack ?? []).includes('mapBody')) return undefined;
  let depth = 0;
  for (let k = start - 1; k >= bodyStart; k--) {
    const name = tokens[k]!.tokenType.name;
    if (name === 'RCurly') depth++;
    else if (name === 'LCurly') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const key = tokens[k - 1];
      if (!key || k - 1 < bodyStart) return undefined;
      const indent = columnOf(text, key.startOffset);
      let nextAt = k + 1;
      while (nextAt <= start && !(startsLine(tokens, nextAt, text) && columnOf(text, tokens[nextAt]!.startOffset) <= indent)) nextAt++;
      if (nextAt > start) return undefined;
      return { key, open: tokens[k]!, next: tokens[nextAt]!, keyAt: k - 1, nextAt };
    }
  }
  return undefined;
}

/**
 * Which tokens of a detection's range start one of its members: the first token on its line,
 * and a member keyword (`condition`, `test`, …, which also closes what brackets were left open
 * before it), or, outside any bracket (not in a map block, a list, nor a test's JSON), a name
 * followed by `:` or `{`, a name close to a member keyword (`condtion`, `tset`), or a name that
 * does not go on the line before (`title "t"`, where `and proc.name …` or a name after `or`
 * goes on a condition, and one after a member keyword is its value).
 */
function memberStarts(tokens: readonly IToken[], text: string): boolean[] {
  const starts = new Array<boolean>(tokens.length).fill(false);
  const open = new Brackets();
  for (let k = 3; k < tokens.length; k++) {
    const token = tokens[k]!;
    const name = token.tokenType.name;
    if (startsLine(tokens, k, text) && name !== 'StringLiteral' && name !== 'UnterminatedString' && name !== 'RCurly' && name !== 'RBracket') {
      const next = tokens[k + 1]?.tokenType.name;
      const word = /^[A-Za-z_]/.test(token.image);
      const previous = tokens[k - 1]!.tokenType.name;
      if (MEMBER_KEYWORDS.has(name)) {
        // Brackets left open before it were a broken member's.
        starts[k] = true;
        open.reset();
      } else if (open.depth === 0) {
        starts[k] =
          (word && (next === 'Colon' || next === 'LCurly')) ||
          (name === 'Identifier' && suggest(token.image, Object.keys(GRAMMAR_MEMBERS)) !== undefined) ||
          (name === 'Identifier' && !CONTINUES.has(previous) && !MEMBER_KEYWORDS.has(previous));
      }
    }
    open.step(name);
  }
  return starts;
}
