/**
 * RegexRule — DET3005: a `regex` pattern must compile as a JavaScript regular expression with
 * the `u` flag (the reference evaluator) AND stay within the RE2 subset (KQL's regex engine):
 * no lookahead or lookbehind, no backreferences, no possessive quantifiers or atomic groups;
 * and no RE2-only syntax JavaScript rejects (`(?P<name>…)`, inline flags `(?i)`: use `nocase`). The message names the construct and where it is in the pattern.
 * A backspace character in the pattern is refused too: it comes from the string escape `\b`,
 * written for a word boundary (`"\bcurl\b"` where `"\\bcurl\\b"` was meant).
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { RuleContext } from '../context.js';

/** A construct outside the RE2 subset, found at `index` (0-based) of the pattern. */
export interface UnsupportedConstruct {
  /** What it is, with its article: "a lookahead `(?=…)`", "inline flags `(?i)`". */
  readonly construct: string;
  /** The engine that rejects it (RE2 for most; JavaScript for RE2-only syntax). */
  readonly engine?: 'JavaScript';
  readonly index: number;
  readonly hint: string;
}

const LOOKAROUND_HINT =
  'RE2 has no lookaround; split the test into two comparisons, e.g. `f regex "a" and not f regex "ab"`';
const BACKREF_HINT = 'RE2 cannot refer back to a group; spell the alternatives out, e.g. `(ab|cd)`';
const NO_BACKTRACK_HINT = 'RE2 never backtracks, so possessive and atomic forms are not needed: drop the `+` or write `(?:…)`';

/** Two or three octal digits at `lastIndex`: after a backslash, RE2's octal character code. */
const OCTAL = /[0-7]{2,3}/y;

/** The first construct of `pattern` that RE2 does not support, if any. */
export function findUnsupported(pattern: string): UnsupportedConstruct | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const next = pattern[i + 1];
    if (ch === '\\') {
      OCTAL.lastIndex = i + 1;
      const octal = inClass ? undefined : OCTAL.exec(pattern)?.[0];
      if (octal !== undefined) {
        // RE2 reads `\101` as an octal character code; JavaScript (the `u` flag) rejects it.
        const code = parseInt(octal.length === 3 && octal > '377' ? octal.slice(0, 2) : octal, 8);
        return {
          construct: `an octal escape \`\\${octal}\``,
          engine: 'JavaScript',
          index: i,
          hint: `write the character as a hex escape, e.g. \`\\x${code.toString(16).padStart(2, '0')}\``,
        };
      }
      if (!inClass && next !== undefined && next >= '1' && next <= '9') {
        return { construct: `a backreference \`\\${next}\``, index: i, hint: BACKREF_HINT };
      }
      if (!inClass && next === 'k' && pattern[i + 2] === '<') {
        return { construct: 'a named backreference `\\k<…>`', index: i, hint: BACKREF_HINT };
      }
      // `\p{Lu}`, `\P{L}`, `\u{41}`: the escape runs to its `}`, which ends no `{n}` quantifier.
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        if (close > 0) {
          i = close;
          continue;
        }
      }
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      continue;
    }
    if (ch === '(' && next === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith('=')) return { construct: 'a lookahead `(?=…)`', index: i, hint: LOOKAROUND_HINT };
      if (rest.startsWith('!')) return { construct: 'a negative lookahead `(?!…)`', index: i, hint: LOOKAROUND_HINT };
      if (rest.startsWith('<=')) return { construct: 'a lookbehind `(?<=…)`', index: i, hint: LOOKAROUND_HINT };
      if (rest.startsWith('<!')) return { construct: 'a negative lookbehind `(?<!…)`', index: i, hint: LOOKAROUND_HINT };
      if (rest.startsWith('>')) return { construct: 'an atomic group `(?>…)`', index: i, hint: NO_BACKTRACK_HINT };
      if (rest.startsWith('P<')) {
        return {
          construct: 'a Python-style named group `(?P<…>…)`',
          engine: 'JavaScript',
          index: i,
          hint: 'JavaScript does not accept it; write the named group as `(?<name>…)`, which RE2 accepts too',
        };
      }
      const flags = /^[a-zA-Z-]+[:)]/.exec(rest);
      if (flags !== null) {
        return {
          construct: `inline flags \`(?${flags[0]}\``,
          engine: 'JavaScript',
          index: i,
          hint: 'the evaluator (JavaScript) has no inline flags; write `nocase` after the pattern for a case-insensitive match',
        };
      }
      continue;
    }
    if ((ch === '*' || ch === '+' || ch === '?' || ch === '}') && next === '+') {
      return { construct: `a possessive quantifier \`${ch}+\``, index: i, hint: NO_BACKTRACK_HINT };
    }
  }
  return undefined;
}

/** What is wrong with a pattern: a message and a hint, or `undefined` when it is fine. */
type Problem = { readonly message: string; readonly hint: string } | undefined;

function problemOf(pattern: string): Problem {
  // `"\bcurl\b"`: the string escape `\b` is a backspace (as in JSON), never a word boundary.
  const backspace = pattern.indexOf('\b');
  if (backspace >= 0) {
    return {
      message: `regular expression ${JSON.stringify(pattern)} holds a backspace character (U+0008, at character ${backspace + 1}): in a string, \`\\b\` is a backspace, not a word boundary`,
      hint: 'for a word boundary write `\\\\b` (the pattern is a JSON string: a `\\` is written `\\\\`); for a backspace itself write `\\\\x08`',
    };
  }
  const bad = findUnsupported(pattern);
  if (bad !== undefined) {
    return {
      message: `regular expression ${JSON.stringify(pattern)} uses ${bad.construct} (at character ${bad.index + 1}), which ${bad.engine ?? 'RE2'} does not support`,
      hint: bad.hint,
    };
  }
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /s, '');
    return {
      message: `invalid regular expression ${JSON.stringify(pattern)}: ${reason}`,
      hint: 'escape characters that have a meaning in patterns (`\\.`, `\\(`, `\\[`, `\\{`), and remember the pattern is a JSON string: a `\\` is written `\\\\`',
    };
  }
  return undefined;
}

/** `regex` patterns that JavaScript cannot compile or that leave the RE2 subset (DET3005). */
export function RegexRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Each distinct pattern is checked once; the value's span is looked up only for a problem.
  const problems = new Map<string, Problem>();
  for (const c of ctx.leafConditions()) {
    if (c.kind !== 'compare' || c.op !== 'regex' || typeof c.value !== 'string') continue;
    const pattern = c.value;
    let problem = problems.get(pattern);
    if (problem === undefined && !problems.has(pattern)) {
      problem = problemOf(pattern);
      problems.set(pattern, problem);
    }
    if (problem === undefined) continue;
    const span = ctx.comparisonAt(c.span)?.value?.span ?? c.span;
    out.push(diagnostic(Codes.InvalidRegex, span, problem.message, problem.hint));
  }
  return out;
}
