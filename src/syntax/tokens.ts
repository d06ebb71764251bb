/**
 * Every token of the `.det` language, in one place (as in Chevrotain's own examples).
 *
 * Order matters: Chevrotain tries token types in the order of `allTokens`, first match wins.
 * - `BlockString` (`"""…"""`) comes before `StringLiteral` (`"…"`).
 * - `Duration` (`5m`), then `MalformedDuration` (`5M`, `1.5h`), come before `NumberLiteral` (`5`).
 * - Keywords come before `Identifier` and are whole words: each has `longer_alt: Identifier`, so
 *   `in_container`, `not-a-keyword` and `list.size` are identifiers. Keywords are listed longest
 *   first, so a keyword never shadows a longer one (`matches` before `match`).
 * - Two-character operators come before their one-character prefixes (`==` before `=`).
 *
 * Unterminated strings are tokens too (`UnterminatedString`, `UnterminatedBlockString`): the
 * lexer keeps them, so one missing quote is one diagnostic (DET1002, reported by `parse.ts`)
 * instead of a cascade of errors over the rest of the line. They belong to the categories of
 * their terminated forms, so the grammar accepts them where a string is expected.
 *
 * `#` comments are not skipped: they go to the `comments` token group, and the visitor attaches
 * them to the nodes they precede (see `visitor.ts`).
 *
 * Categories group tokens the grammar treats alike (`Scalar`, `CompareOp`, `Name`, …), so a rule
 * consumes one category instead of choosing among alternatives. `JsonText` is a custom pattern:
 * the fast path for a whole JSON value of test events (see its comment).
 *
 * Whitespace (including a byte order mark) is skipped; `positions.ts` makes a leading BOM take no
 * column.
 */
import type { CustomPatternMatcherReturn, IToken, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

/**
 * Deepest nesting accepted: parentheses, brackets and braces open at once, plus a run of
 * consecutive `not`s (enforced by `parse.ts` before parsing, so recursion stays shallow).
 */
export const MAX_NESTING = 128;

// ---- categories (pattern NA: never produced by the lexer, only matched by the parser) ---------

/** Any word: an identifier or a keyword (map block keys may be keywords: `entities { file: … }`). */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** `==`, `!=`, `<`, `<=`, `>`, `>=` */
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA });
/** `contains`, `startswith`, `endswith`, `regex` */
export const StringOp = createToken({ name: 'StringOp', pattern: Lexer.NA });
/** `cased`, `nocase` */
export const CaseMode = createToken({ name: 'CaseMode', pattern: Lexer.NA });
/** A scalar value: STRING, BLOCK_STRING, NUMBER, DURATION, `true`, `false` or IDENT. */
export const Scalar = createToken({ name: 'Scalar', pattern: Lexer.NA });
/** A JSON scalar: STRING, NUMBER, `true`, `false` or `null`. */
export const JsonScalar = createToken({ name: 'JsonScalar', pattern: Lexer.NA });

// ---- trivia ---------------------------------------------------------------------------------

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/**
 * `# text` to the end of the line; kept in the `comments` group. It also ends at U+0085,
 * U+2028 and U+2029, which other tools show as line breaks (they are not: the lexer then refuses
 * them), so a comment cannot hide what an editor shows as the next lines.
 */
export const Comment = createToken({
  name: 'Comment',
  pattern: /#[^\r\n\u0085\u2028\u2029]*/,
  group: 'comments',
});

// ---- literals -------------------------------------------------------------------------------

/** `"""` raw multi-line text `"""` (no escapes; dedented by the visitor). */
export const BlockString = createToken({
  name: 'BlockString',
  pattern: /"""[\s\S]*?"""/,
  line_breaks: true,
  categories: [Scalar],
});

/** `"""` with no closing `"""`: runs to the end of the file. Reported as DET1002. */
export const UnterminatedBlockString = createToken({
  name: 'UnterminatedBlockString',
  pattern: /"""[\s\S]*/,
  line_breaks: true,
  categories: [BlockString],
});

/**
 * A JSON string: `"` … `"` on one line, with backslash escapes. Any character may follow a
 * backslash here; the visitor decodes the escapes and reports invalid ones (DET1003) with their
 * exact position, which is more useful than a lexer error for the whole string.
 */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: { exec: (text: string, offset: number) => matchString(text, offset, true) },
  start_chars_hint: ['"'],
  line_breaks: false,
  categories: [Scalar, JsonScalar],
});

/** A string with no closing `"` on its line. Reported as DET1002. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: { exec: (text: string, offset: number) => matchString(text, offset, false) },
  start_chars_hint: ['"'],
  line_breaks: false,
  categories: [StringLiteral],
});

/**
 * `"` then characters other than `"`, `\`, CR and LF, or a `\` and any character but CR and LF;
 * then the closing `"` (`closed`), or (unterminated) an optional last `\`. What the regular
 * expressions `"(?:[^"\\\r\n]|\\[^\r\n])*"` and `…*\\?` match, scanned in a loop: those
 * regular expressions ran out of stack on a string of millions of characters.
 */
function matchString(text: string, offset: number, closed: boolean): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 34 /* " */) return null;
  const stop = stringStop(text, offset);
  if (closed) return text.charCodeAt(stop) === 34 ? ([text.slice(offset, stop + 1)] as CustomPatternMatcherReturn) : null;
  return [text.slice(offset, stop)] as CustomPatternMatcherReturn;
}

/**
 * Where the string opened by the `"` at `offset` stops: at its closing `"`, else at the CR, LF
 * or end of text that leaves it open (after a `\` just before them). Backslash escapes are
 * skipped whole, whatever they are: the visitor checks them.
 */
function stringStop(text: string, offset: number): number {
  const n = text.length;
  let i = offset + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 10 || c === 13) return i;
    if (c === 92 /* \ */) {
      const d = text.charCodeAt(i + 1);
      if (i + 1 >= n || d === 10 || d === 13) return i + 1; // a last backslash stays with the open string
      i += 2;
    } else i++;
  }
  return n;
}

/** `30s`, `5m`, `1h`, `14d` — not followed by more word characters (`5min` is not a duration). */
export const Duration = createToken({
  name: 'Duration',
  pattern: /\d+[smhd](?![A-Za-z0-9_])/,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  categories: [Scalar],
});

/**
 * A number run into letters that do not make a duration (`5M`, `1.5h`, `1y`, `5min`, `-5m`,
 * `1e5s`): one token, read as a duration, so lowering says what is wrong with it (DET2006)
 * instead of the parser tripping over the letters. A whole number, exponent included (`1e5`,
 * `-3`, `1.5E-3`), is not one: the lookahead leaves it to `NumberLiteral`.
 */
export const MalformedDuration = createToken({
  name: 'MalformedDuration',
  pattern: /(?!-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[A-Za-z_]\w*/,
  start_chars_hint: ['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  categories: [Duration, Scalar],
});

/** A JSON number: `-` allowed, no leading zeros, optional fraction and exponent. */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  categories: [Scalar, JsonScalar],
});

/**
 * `proc.cmdline`, `command-and-control`, `T1059.004`, `proc.aname[2]`, `ka.uri.param[command]`:
 * a word, then any number of `.`/`-` + word parts, then an optional `[argument]` suffix (what a
 * source's field names allow). `in[` is never one: `proc.name in[shells]` is the keyword.
 */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: { exec: matchIdentifier },
  line_breaks: false,
  start_chars_hint: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'],
  categories: [Name, Scalar],
});

/** [A-Za-z0-9_] */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * What `(?!in\[)[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*(?:\[[A-Za-z0-9_.-]+\])?` matches,
 * scanned in a loop: that regular expression (and its variants) ran out of stack on a name of
 * millions of characters or parts.
 */
function matchIdentifier(text: string, offset: number): CustomPatternMatcherReturn | null {
  const first = text.charCodeAt(offset);
  if (!((first >= 97 && first <= 122) || (first >= 65 && first <= 90) || first === 95)) return null;
  if (first === 105 /* i */ && text.charCodeAt(offset + 1) === 110 /* n */ && text.charCodeAt(offset + 2) === 91 /* [ */) return null;
  const n = text.length;
  let i = offset + 1;
  for (;;) {
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    // `.` or `-` continues the name only before a word character
    if ((c === 46 || c === 45) && isWordChar(text.charCodeAt(i + 1))) i += 2;
    else break;
  }
  if (text.charCodeAt(i) === 91 /* [ */) {
    let j = i + 1;
    for (let c = text.charCodeAt(j); isWordChar(c) || c === 46 || c === 45; c = text.charCodeAt(++j));
    if (j > i + 1 && text.charCodeAt(j) === 93 /* ] */) i = j + 1;
  }
  return [text.slice(offset, i)] as CustomPatternMatcherReturn;
}

// ---- keywords -------------------------------------------------------------------------------

function keyword(word: string, extraCategories: TokenType[] = []): TokenType {
  const name = word.charAt(0).toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name, ...extraCategories],
  });
}

export const List = keyword('list');
export const Macro = keyword('macro');
export const Detection = keyword('detection');
export const Condition = keyword('condition');
export const Schedule = keyword('schedule');
export const Every = keyword('every');
export const Lookback = keyword('lookback');
export const Realtime = keyword('realtime');
export const Suppress = keyword('suppress');
export const By = keyword('by');
export const For = keyword('for');
export const Threshold = keyword('threshold');
export const Count = keyword('count');
export const Within = keyword('within');
export const Sequence = keyword('sequence');
export const Step = keyword('step');
export const Test = keyword('test');
export const Matches = keyword('matches');
export const Does = keyword('does');
export const Match = keyword('match');
export const File = keyword('file');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const In = keyword('in');
export const Contains = keyword('contains', [StringOp]);
export const StartsWith = keyword('startswith', [StringOp]);
export const EndsWith = keyword('endswith', [StringOp]);
export const Regex = keyword('regex', [StringOp]);
export const Exists = keyword('exists');
export const Cased = keyword('cased', [CaseMode]);
export const NoCase = keyword('nocase', [CaseMode]);
export const True = keyword('true', [Scalar, JsonScalar]);
export const False = keyword('false', [Scalar, JsonScalar]);
export const Null = keyword('null', [JsonScalar]);

/** All keywords, longest first (so no keyword is matched as the prefix of a longer one). */
export const keywords: readonly TokenType[] = [
  List, Macro, Detection, Condition, Schedule, Every, Lookback, Realtime, Suppress, By, For,
  Threshold, Count, Within, Sequence, Step, Test, Matches, Does, Match, File, And, Or, Not, In,
  Contains, StartsWith, EndsWith, Regex, Exists, Cased, NoCase, True, False, Null,
].sort((a, b) => keywordText(b).length - keywordText(a).length || (keywordText(a) < keywordText(b) ? -1 : 1));

function keywordText(t: TokenType): string {
  return (t.PATTERN as RegExp).source;
}

// ---- test events: the fast path --------------------------------------------------------------

/**
 * A whole JSON object or array right after `matches` / `match`, as one token whose `payload` is
 * the parsed value. Only strictly valid JSON with no `#` comment outside its strings, no
 * surrogate escape and no nesting deeper than `MAX_NESTING` is taken; anything else is not matched here, so it is lexed
 * token by token and parsed by the JSON grammar rules, which report errors precisely. The result
 * is the same either way; this path only saves tokens (test events are half of a typical file).
 */
export const JsonText = createToken({
  name: 'JsonText',
  pattern: { exec: matchJsonText },
  start_chars_hint: ['{', '['],
  line_breaks: true,
});

function matchJsonText(text: string, offset: number, tokens: IToken[]): CustomPatternMatcherReturn | null {
  const prev = tokens[tokens.length - 1];
  if (prev === undefined || (prev.tokenType !== Matches && prev.tokenType !== Match)) return null;
  const n = text.length;
  let depth = 0;
  let i = offset;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = stringStop(text, i);
      if (text.charCodeAt(i) !== 34) return null; // (a string open at its line end is no JSON)
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_NESTING) return null;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (--depth === 0) {
        i++;
        break;
      }
    } else if (c === 35 /* # */) {
      return null;
    }
    i++;
  }
  if (depth !== 0) return null;
  const image = text.slice(offset, i);
  // `JSON.parse` takes lone surrogate escapes (`"\ud800"`), which the DSL refuses (DET1003):
  // with any surrogate escape, leave the value to the grammar rules, which decode and check it.
  if (/\\u[dD][89a-fA-F]/.test(image)) return null;
  let value: unknown;
  try {
    value = JSON.parse(image);
  } catch {
    return null;
  }
  const result = [image] as CustomPatternMatcherReturn;
  result.payload = value;
  return result;
}

// ---- operators and punctuation --------------------------------------------------------------

export const EqEq = createToken({ name: 'EqEq', pattern: /==/, categories: [CompareOp] });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, categories: [CompareOp] });
export const LtEq = createToken({ name: 'LtEq', pattern: /<=/, categories: [CompareOp] });
export const GtEq = createToken({ name: 'GtEq', pattern: />=/, categories: [CompareOp] });
export const Lt = createToken({ name: 'Lt', pattern: /</, categories: [CompareOp] });
export const Gt = createToken({ name: 'Gt', pattern: />/, categories: [CompareOp] });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });

/** Token types in lexing order (see the file comment for why the order matters). */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  BlockString,
  UnterminatedBlockString,
  StringLiteral,
  UnterminatedString,
  Duration,
  MalformedDuration,
  NumberLiteral,
  ...keywords,
  Identifier,
  JsonText,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Equals,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Colon,
  Comma,
  // Categories are listed too, so the parser knows them; the lexer ignores NA patterns.
  Name,
  CompareOp,
  StringOp,
  CaseMode,
  Scalar,
  JsonScalar,
];

/**
 * Build a lexer for the token list. `validate` runs Chevrotain's checks of the token definitions
 * (the tests do); the shared lexer skips them, as they only cost startup time.
 */
export function createLexer(validate: boolean): InstanceType<typeof Lexer> {
  return new Lexer(allTokens as TokenType[], {
    positionTracking: 'onlyOffset',
    ensureOptimizations: true,
    skipValidations: !validate,
  });
}

/** The one lexer (stateless between calls, so shared). */
export const detLexer = createLexer(false);
