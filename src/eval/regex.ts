/**
 * `regex` in the reference evaluator: an unanchored search with a JavaScript RegExp (`u`, plus
 * `i` under `nocase`), with a time limit where backtracking could make it run for minutes.
 *
 * V8 backtracks, and the `u` flag rules out its linear-time engine, so a pattern that nests
 * repetitions (`^(.*)*x$`, `(\w+\s?)*$`) or chains them (`.*a.*b.*c`) can take exponential or
 * high polynomial time on a text it does not match. The targets do not (RE2, Lucene automata).
 * Such a pattern (two or more choice points, see `mayBacktrack`), and any pattern over a long
 * text, runs in a `vm` context with a timeout, which interrupts the regular expression engine; past it the search throws `RegexTimeout`:
 * `detect test` reports the test case as undecided (DET4007), the rules that evaluate test
 * events skip the detection. Other searches (at most one choice point over a short text, whose
 * cost is at most quadratic in 256) run directly: the `vm` route costs ~65 µs a search.
 */
import vm from 'node:vm';

/** How long one search may run. */
export const REGEX_TIME_LIMIT_MS = 1000;

/** Texts longer than this are searched with the time limit, whatever the pattern. */
const SHORT_TEXT = 256;

/**
 * A search that did not finish within `REGEX_TIME_LIMIT_MS`, or that ran out of stack (V8's
 * engine does on a very long text, e.g. `(?:a|b)*c` over 10 million characters, or on a very
 * long pattern at its first search): either way the evaluator cannot tell.
 */
export class RegexTimeout extends Error {
  constructor(
    readonly pattern: string,
    readonly caseSensitive: boolean,
    readonly textLength: number,
    readonly outOfStack = false,
  ) {
    super(
      `the regular expression ${JSON.stringify(pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern)} ${outOfStack ? 'ran out of stack' : `ran over ${REGEX_TIME_LIMIT_MS} ms`} on a text of ${textLength} characters`,
    );
  }
}

interface Compiled {
  readonly re: RegExp;
  /** The pattern has two or more choice points (repetitions, optionals, alternations), or is long. */
  readonly mayBacktrack: boolean;
}

const cache = new Map<string, Compiled>();

function compiled(pattern: string, caseSensitive: boolean): Compiled {
  const flags = caseSensitive ? 'u' : 'iu';
  const key = `${flags}/${pattern}`;
  let found = cache.get(key);
  if (!found) {
    let re: RegExp;
    try {
      re = new RegExp(pattern, flags);
    } catch (e) {
      throw new Error(`invalid regular expression reached the evaluator (validation should reject it): ${(e as Error).message}`);
    }
    found = { re, mayBacktrack: mayBacktrack(pattern) };
    if (cache.size > 1000) cache.clear();
    cache.set(key, found);
  }
  return found;
}

let sandbox: { context: vm.Context; test: vm.Script; exec: vm.Script; slot: { re?: RegExp; text?: string } } | undefined;

/** `re.test(text)` or `re.exec(text)` in the `vm` context, with the time limit (throws past it). */
function timed<T>(what: 'test' | 'exec', re: RegExp, text: string): T {
  if (!sandbox) {
    const slot: { re?: RegExp; text?: string } = {};
    sandbox = { slot, context: vm.createContext({ slot }), test: new vm.Script('slot.re.test(slot.text)'), exec: new vm.Script('slot.re.exec(slot.text)') };
  }
  sandbox.slot.re = re;
  sandbox.slot.text = text;
  try {
    return sandbox[what].runInContext(sandbox.context, { timeout: REGEX_TIME_LIMIT_MS }) as T;
  } finally {
    sandbox.slot.re = undefined;
    sandbox.slot.text = undefined;
  }
}

function isTimeout(e: unknown): boolean {
  return (e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** V8's "Maximum call stack size exceeded" (RangeError) or "Invalid regular expression: …: Stack overflow" (SyntaxError). */
function isOutOfStack(e: unknown): boolean {
  const { name, message } = (e ?? {}) as { name?: unknown; message?: unknown };
  return (name === 'RangeError' && message === 'Maximum call stack size exceeded') || (name === 'SyntaxError' && typeof message === 'string' && message.endsWith(': Stack overflow'));
}

function undecided(e: unknown, pattern: string, caseSensitive: boolean, text: string): unknown {
  if (isTimeout(e)) return new RegexTimeout(pattern, caseSensitive, text.length);
  if (isOutOfStack(e)) return new RegexTimeout(pattern, caseSensitive, text.length, true);
  return e;
}

/** Whether `pattern` occurs in `text`; throws `RegexTimeout` when that takes too long (or too much stack) to tell. */
export function regexTest(pattern: string, caseSensitive: boolean, text: string): boolean {
  const { re, mayBacktrack } = compiled(pattern, caseSensitive);
  if (!mayBacktrack && text.length <= SHORT_TEXT) return re.test(text);
  try {
    return timed<boolean>('test', re, text) === true;
  } catch (e) {
    throw undecided(e, pattern, caseSensitive, text);
  }
}

/**
 * `new RegExp(pattern, 'u').exec(text)` (the source's host name pattern over `hostname`), with
 * the same time limit as `regexTest`; throws `RegexTimeout` past it.
 */
export function regexExec(pattern: string, text: string): RegExpExecArray | null {
  const { re, mayBacktrack } = compiled(pattern, true);
  if (!mayBacktrack && text.length <= SHORT_TEXT) return re.exec(text);
  try {
    return timed<RegExpExecArray | null>('exec', re, text);
  } catch (e) {
    throw undecided(e, pattern, true, text);
  }
}

const QUANTIFIER = /^\{(\d+)(,(\d*))?\}/;

/**
 * Whether `pattern` (a valid JavaScript `u` pattern) has two or more choice points, where the
 * engine may come back to try another way: a quantifier that varies (`*`, `+`, `?`, `{n,}`,
 * `{n,m}` with m > n), an exact count of a group (`(…){n}` with n > 1, the group may hold a
 * choice), a group (or the whole pattern) holding `|` (once, whatever its branches); or is
 * longer than 256 characters. An over-approximation: a pattern it flags only runs slower (with
 * the time limit). One it misses makes at most one choice per start position of the search, so
 * it backtracks at most quadratically (times the pattern's length) on a short text. Counting
 * repetitions only is not enough: the optional in `(\w\w?)+$` and the chained alternations of
 * `(a|aa)(a|aa)…$` each backtrack exponentially with one repetition or none.
 */
export function mayBacktrack(pattern: string): boolean {
  if (pattern.length > SHORT_TEXT) return true;
  let choices = 0;
  /** For the whole pattern, then each open group: whether a `|` of it was counted. */
  const groups: boolean[] = [false];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    let atomEnd = i + 1;
    let group = false;
    if (ch === '\\') {
      const next = pattern[i + 1];
      atomEnd = i + 2;
      // \p{…}, \P{…}, \u{…} and \k<…> carry braces or brackets that are not quantifiers
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i + 2] === '{') atomEnd = pattern.indexOf('}', i) + 1;
      else if (next === 'k' && pattern[i + 2] === '<') atomEnd = pattern.indexOf('>', i) + 1;
    } else if (ch === '[') {
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
    } else if (ch === '(') {
      groups.push(false);
      i++;
      continue;
    } else if (ch === ')') {
      if (groups.length > 1) groups.pop();
      group = true;
    } else if (ch === '|') {
      if (!groups[groups.length - 1]) {
        groups[groups.length - 1] = true;
        choices++;
      }
      i++;
      if (choices >= 2) return true;
      continue;
    }
    i = atomEnd > i ? atomEnd : pattern.length;
    const q = pattern[i];
    if (q === '*' || q === '+' || q === '?') {
      choices++;
      i++;
    } else if (q === '{') {
      const m = QUANTIFIER.exec(pattern.slice(i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (max > min || (group && max > 1)) choices++;
        i += m[0].length;
      }
    }
    if (pattern[i] === '?' && i > atomEnd) i++; // lazy
    if (choices >= 2) return true;
  }
  return false;
}
