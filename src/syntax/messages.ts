/**
 * Readable syntax error messages and hints. Chevrotain's default messages dump token type names
 * ("Expecting token of type --> Colon <--"); this provider says what was expected, where, and what
 * was found instead: `expected ':' after property name 'title', found string "x"`.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { suggest } from '../diagnostics/suggest.js';
import { EOF } from './chevrotain.js';
import { startsLine, startsMemberLine } from './positions.js';
import { memberSynonym, synonymHint } from './members.js';

/** How an expected token type is named in a message. */
const EXPECTED: Record<string, string> = {
  Identifier: 'a name',
  Name: 'a key',
  StringLiteral: 'a string in double quotes',
  UnterminatedString: 'a string in double quotes',
  BlockString: 'a """ block string',
  UnterminatedBlockString: 'a """ block string',
  NumberLiteral: 'a number',
  Duration: 'a duration such as 30s, 5m, 1h or 14d',
  CompareOp: "a comparison operator ('==', '!=', '<', '<=', '>', '>=')",
  StringOp: "'contains', 'startswith', 'endswith' or 'regex'",
  CaseMode: "'cased' or 'nocase'",
  Scalar: 'a value (a string, number, duration, true, false or a name)',
  JsonScalar: 'a JSON value (object, array, string, number, true, false or null)',
  EqEq: "'=='",
  NotEq: "'!='",
  LtEq: "'<='",
  GtEq: "'>='",
  Lt: "'<'",
  Gt: "'>'",
  Equals: "'='",
  LCurly: "'{'",
  RCurly: "'}'",
  LBracket: "'['",
  RBracket: "']'",
  LParen: "'('",
  RParen: "')'",
  Colon: "':'",
  Comma: "','",
};

/** What a rule with alternatives expects, for "no viable alternative" errors. */
const RULE_EXPECTS: Record<string, string> = {
  file: "'list', 'macro' or 'detection'",
  block: "'list', 'macro' or 'detection'",
  member:
    "a member (a property such as 'title: \"…\"', 'condition:', 'schedule:', 'suppress:', 'threshold:', 'sequence', 'test', or a map block such as 'attack { … }')",
  scheduleMember: "'every <duration>' or 'realtime'",
  testDecl: "'matches' or 'does not match'",
  testEvents: 'test events: a JSON object, a JSON array, or file "path"',
  value: 'a value (a string, number, duration, true, false, a name, or a [list])',
  scalar: 'a value (a string, number, duration, true, false or a name)',
  unary: "a condition (a field comparison, a macro name, 'not' or '(')",
  primary: "a condition (a field comparison, a macro name, 'not' or '(')",
  comparisonTail: "a list '[…]' or the name of a list",
  jsonValue: 'a JSON value (object, array, string, number, true, false or null)',
};

/** What may come where a repetition stops, when the closing token is missing. */
const CLOSING_EXPECTS: Record<string, string> = {
  file: "'list', 'macro' or 'detection'",
  detectionDecl: "a member or '}' to close the detection",
  mapBody: "'key: value' or '}' to close the block",
  sequenceMember: "'step' or '}' to close the sequence",
  jsonObject: "',' or '}' in the JSON object",
  jsonArray: "',' or ']' in the JSON array",
  listLiteral: "',' or ']' in the list",
};

/** Hints by innermost grammar rule: how the construct is written. */
const RULE_HINTS: Record<string, string> = {
  file: 'A .det file holds `list`, `macro` and `detection` blocks; `#` starts a comment.',
  block: 'A .det file holds `list`, `macro` and `detection` blocks; `#` starts a comment.',
  listDecl: 'Write a list as `list name = ["a", "b"]`.',
  macroDecl: 'Write a macro as `macro name = <condition>`, e.g. `macro in_container = container.id != "host"`.',
  detectionDecl: 'Write a detection as `detection name { … }` with one member per line, e.g. `title: "…"`.',
  member: 'Members of a detection are `key: value` properties, `condition:`, `schedule:`, `suppress:`, `threshold:`, `sequence … { }`, `test "…" …` and map blocks such as `attack { … }`.',
  keyedMember: 'Write a property as `name: value`, e.g. `title: "Shell in container"`, or a map block as `attack { execution: T1059.004 }`.',
  propertyBody: 'Write a property as `name: value`, e.g. `title: "Shell in container"` or `tags: ["a", "b"]`.',
  mapBody: 'Write a map block as `attack { execution: T1059.004 }`, one `key: value` per line.',
  mapEntry: 'Write a map block as `attack { execution: T1059.004 }`, one `key: value` per line.',
  conditionMember: 'Write `condition: <condition>`, e.g. `condition: proc.name == "nc" and container.id exists`.',
  scheduleMember: 'Write `schedule: every 5m lookback 10m` or `schedule: realtime`.',
  suppressMember: 'Write `suppress: by container.id for 1h` or `suppress: for 1h`.',
  thresholdMember: 'Write `threshold: count >= 5 by container.id within 10m`.',
  sequenceMember: 'Write `sequence by container.id within 10m { step first: <condition> step second: <condition> }`.',
  step: 'Write a sequence step as `step name: <condition>`.',
  testDecl: 'Write `test "name" matches { … }`, `test "name" does not match [ {…}, {…} ]` or `test "name" matches file "events.ndjson"`.',
  testEvents: 'Test events are a JSON object, a JSON array of objects, or `file "events.ndjson"`.',
  keyList: 'List the fields separated by commas: `by container.id, proc.name`.',
  value: 'A value is a string ("…"), a number, a duration (5m), true, false, a name, or a list `[a, b]` / `a, b`.',
  listLiteral: 'Write a list as `["a", "b"]`: values separated by commas, in square brackets.',
  scalar: 'A value is a string ("…"), a number, a duration (5m), true, false or a name.',
  expr: 'A condition compares fields (`proc.name == "nc"`, `fd.name in [...]`, `proc.cmdline contains "x" nocase`, `container.id exists`) combined with and, or, not and parentheses.',
  jsonValue: 'Test events are standard JSON: double-quoted keys and strings, no trailing commas.',
  jsonObject: 'Test events are standard JSON: double-quoted keys and strings, no trailing commas.',
  jsonPair: 'Test events are standard JSON: double-quoted keys and strings, no trailing commas.',
  jsonArray: 'Test events are standard JSON: double-quoted keys and strings, no trailing commas.',
};
for (const r of ['andExpr', 'unary', 'primary', 'comparisonTail']) RULE_HINTS[r] = RULE_HINTS.expr!;

const MAX_IMAGE = 30;

/** Keywords that authors used to other languages write in capitals. */
const LOWERCASE_KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'startswith', 'endswith', 'regex', 'exists']);

function shorten(text: string): string {
  const oneLine = text.replace(/\r?\n[\s\S]*/, '…');
  return oneLine.length > MAX_IMAGE ? `${oneLine.slice(0, MAX_IMAGE)}…` : oneLine;
}

/** `end of file`, `string "abc"`, `number 5`, `name 'proc.name'`, `'{'`. */
export function describeToken(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF || token.tokenType === undefined) return 'end of file';
  const name = token.tokenType.name;
  switch (name) {
    case 'StringLiteral':
    case 'UnterminatedString':
      return `string ${shorten(token.image)}`;
    case 'BlockString':
    case 'UnterminatedBlockString':
      return 'a """ block string';
    case 'NumberLiteral':
      return `number ${shorten(token.image)}`;
    case 'Duration':
      return `duration ${token.image}`;
    case 'Identifier':
      return `name '${shorten(token.image)}'`;
    default:
      return `'${shorten(token.image)}'`;
  }
}

function describeExpected(type: TokenType): string {
  if (type === EOF) return 'end of file';
  const known = EXPECTED[type.name];
  if (known) return known;
  const pattern = type.PATTERN;
  return pattern instanceof RegExp ? `'${pattern.source}'` : `'${type.name}'`;
}

function isReal(token: IToken | undefined): token is IToken {
  return !!token && token.tokenType !== EOF && !token.isInsertedInRecovery && !Number.isNaN(token.startOffset);
}

function after(previous: IToken | undefined): string {
  return isReal(previous) ? ` after '${shorten(previous.image)}'` : '';
}

function firstTokens(paths: TokenType[][]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const first = path[0];
    if (first) {
      const d = describeExpected(first);
      if (!out.includes(d)) out.push(d);
    }
  }
  return out;
}

function oneOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The parser's error message provider (see the file comment). */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const found = describeToken(actual);
    if (expected === EOF) return `expected ${CLOSING_EXPECTS.file}, found ${found}`;
    const closing = CLOSING_EXPECTS[ruleName];
    if (closing && (expected.name === 'RCurly' || expected.name === 'RBracket')) {
      return `expected ${closing}, found ${found}`;
    }
    if (ruleName === 'mapEntry' && expected.name === 'Colon' && isReal(previous)) {
      return `expected ':' after property name '${shorten(previous.image)}', found ${found}`;
    }
    if (ruleName === 'primary' && expected.name === 'RParen') {
      return `expected ')' to close '(', found ${found}`;
    }
    return `expected ${describeExpected(expected)}${after(previous)}, found ${found}`;
  },

  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected ${CLOSING_EXPECTS.file}, found ${describeToken(firstRedundant)}`;
  },

  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    if (ruleName === 'keyedMember' && isReal(previous)) {
      const key = shorten(previous.image);
      const lower = key.toLowerCase();
      if (key !== lower && LOWERCASE_KEYWORDS.has(lower)) {
        return `expected ':' after property name '${key}', found ${describeToken(actual[0])} (keywords are lowercase: '${lower}')`;
      }
      return `expected ':' after property name '${key}' (or '{' to open a block), found ${describeToken(actual[0])}`;
    }
    const what = RULE_EXPECTS[ruleName] ?? oneOf(firstTokens(expectedPathsPerAlt.flat()));
    return `expected ${what}${after(previous)}, found ${describeToken(actual[0])}`;
  },

  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, ruleName }) {
    if (ruleName === 'sequenceMember') {
      return `expected at least one 'step' in the sequence, found ${describeToken(actual[0])}`;
    }
    return `expected at least one ${oneOf(firstTokens(expectedIterationPaths))}${after(previous)}, found ${describeToken(actual[0])}`;
  },
};

/**
 * The hint for a syntax error: what the innermost construct being parsed looks like, or a more
 * specific fix when the found token is a classic slip (`=` for `==`, `AND` for `and`).
 */
export function syntaxHint(ruleStack: readonly string[], found: IToken | undefined, previous?: IToken, condition = false): string {
  if (previous && isReal(previous) && previous.tokenType.name === 'Identifier') {
    const lower = previous.image.toLowerCase();
    if (previous.image !== lower && LOWERCASE_KEYWORDS.has(lower)) return 'Keywords are lowercase: `and`, `or`, `not`, `in`, `contains`, …';
    const foreign = condition ? foreignOperator(previous) : undefined;
    if (foreign) return foreign.hint;
  }
  const rule = ruleStack[ruleStack.length - 1] ?? 'file';
  if (found && isReal(found)) {
    const foreign = condition ? foreignOperator(found) : undefined;
    if (foreign) return foreign.hint;
    if (misusedEquals(found, previous, condition)) {
      return "Compare with '==' (a single '=' only follows the name of a list or macro).";
    }
    if (found.tokenType.name === 'LParen' && rule === 'comparisonTail') {
      return 'A list is written in square brackets, strings in double quotes: `proc.name in ["nc", "ncat"]` (Falco\'s `in (nc, ncat)`), or the name of a `list`.';
    }
    if (found.tokenType.name === 'Identifier' && LOWERCASE_KEYWORDS.has(found.image.toLowerCase()) && found.image !== found.image.toLowerCase()) {
      return 'Keywords are lowercase: `and`, `or`, `not`, `in`, `contains`, …';
    }
    if (found.tokenType.name === 'UnterminatedString' || found.tokenType.name === 'UnterminatedBlockString') {
      return 'Close the string first.';
    }
  }
  return RULE_HINTS[rule] ?? RULE_HINTS.file!;
}

/** Condition operators of other languages (Falco's, KQL's, SQL's), with how each is written here. */
const FOREIGN_OPERATORS: Record<string, { readonly language: string; readonly hint: string }> = {
  icontains: { language: 'Falco', hint: 'Falco\'s `icontains` is `contains "…" nocase` here.' },
  bcontains: { language: 'Falco', hint: 'Falco\'s `bcontains` has no equivalent: compare the text with `contains "…"`.' },
  bstartswith: { language: 'Falco', hint: 'Falco\'s `bstartswith` has no equivalent: compare the text with `startswith "…"`.' },
  glob: { language: 'Falco', hint: 'Falco\'s `glob` has no equivalent: use `startswith`, `endswith`, `contains`, or `regex "…"`.' },
  pmatch: { language: 'Falco', hint: 'Falco\'s `pmatch` (path prefix) is `startswith "/dir/"` here, or `in` with a list of exact paths.' },
  intersects: { language: 'Falco', hint: 'Falco\'s `intersects` has no equivalent: compare the field with `in [ … ]`.' },
  // KQL: comparisons here are case-sensitive unless marked `nocase`, so `_cs` is the default
  contains_cs: { language: 'KQL', hint: 'KQL\'s `contains_cs` is `contains "…"` here: comparisons are case-sensitive unless marked `nocase`.' },
  startswith_cs: { language: 'KQL', hint: 'KQL\'s `startswith_cs` is `startswith "…"` here: comparisons are case-sensitive unless marked `nocase`.' },
  endswith_cs: { language: 'KQL', hint: 'KQL\'s `endswith_cs` is `endswith "…"` here: comparisons are case-sensitive unless marked `nocase`.' },
  has: { language: 'KQL', hint: 'KQL\'s `has` (whole terms) has no equivalent: `contains "…" nocase` matches the text anywhere, `regex "\\bterm\\b"` as a whole word.' },
  has_cs: { language: 'KQL', hint: 'KQL\'s `has_cs` (whole terms) has no equivalent: `contains "…"` matches the text anywhere, `regex "\\bterm\\b"` as a whole word.' },
  hasprefix: { language: 'KQL', hint: 'KQL\'s `hasprefix` (term prefixes) has no equivalent: use `startswith "…"` or `contains "…"`, with `nocase` for KQL\'s case-insensitivity.' },
  hassuffix: { language: 'KQL', hint: 'KQL\'s `hassuffix` (term suffixes) has no equivalent: use `endswith "…"` or `contains "…"`, with `nocase` for KQL\'s case-insensitivity.' },
  has_any: { language: 'KQL', hint: 'KQL\'s `has_any` has no equivalent: compare exact values with `in [ … ]`, or join `contains "…"` comparisons with `or`.' },
  matches: { language: 'KQL', hint: 'KQL\'s `matches regex "…"` is `regex "…"` here: an unanchored search, in the syntax JavaScript and RE2 share.' },
  // SQL
  like: { language: 'SQL', hint: 'SQL\'s `like` has no equivalent: use `startswith`, `endswith`, `contains` or `regex "…"`.' },
  ilike: { language: 'SQL', hint: 'SQL\'s `ilike` has no equivalent: use `startswith`, `endswith`, `contains` or `regex "…"`, with `nocase`.' },
};

/** The comparison operators that are words, and the case modes, for "did you mean" on a misspelling. */
const OPERATOR_WORDS = ['contains', 'startswith', 'endswith', 'regex', 'exists', 'in'];
const CASE_MODES = ['nocase', 'cased'];
/** Tokens a case mode may follow: a comparison's value, a list, a list's name. */
const VALUE_TOKENS = new Set(['StringLiteral', 'NumberLiteral', 'Duration', 'True', 'False', 'RBracket']);

/** The operators and case modes, with how a comparison is written: the hint for a misspelt one. */
export const OPERATORS_HINT =
  'The operators are ==, !=, <, <=, >, >=, in, contains, startswith, endswith, regex and exists; `nocase` (or `cased`) after the value sets the case sensitivity: `proc.cmdline contains "curl" nocase`.';

/**
 * A misspelt operator (`contain`, `startwith`, `regx`, `exist` right after a field) or case
 * mode (`nocas` right after a value), with what it likely is; `undefined` for anything else
 * (another language's operator, a keyword in capitals: said as such elsewhere).
 */
export function misspeltOperator(word: IToken | undefined, before: IToken | undefined): { readonly name: string; readonly meant: string; readonly kind: 'operator' | 'case mode' } | undefined {
  if (!isReal(word) || !isReal(before) || word.tokenType.name !== 'Identifier') return undefined;
  // a short word is no misspelling of these (`is` means `==`, not `in`; `ins` may be a macro after a missing `and`)
  if (word.image.length < 4) return undefined;
  if (Object.hasOwn(FOREIGN_OPERATORS, word.image) || LOWERCASE_KEYWORDS.has(word.image.toLowerCase())) return undefined;
  const afterField = before.tokenType.name === 'Identifier';
  if (!afterField && !VALUE_TOKENS.has(before.tokenType.name)) return undefined;
  const meant = suggest(word.image, afterField ? [...OPERATOR_WORDS, ...CASE_MODES] : CASE_MODES);
  if (meant === undefined) return undefined;
  return { name: word.image, meant, kind: CASE_MODES.includes(meant) ? 'case mode' : 'operator' };
}

/** Another language's operator when `token` is one (`icontains`, `has`, `matches`, …), with its language. */
export function foreignOperator(token: IToken | undefined): { readonly name: string; readonly language: string; readonly hint: string } | undefined {
  if (!token || !isReal(token)) return undefined;
  const kind = token.tokenType.name;
  if (kind !== 'Identifier' && kind !== 'Matches') return undefined;
  return Object.hasOwn(FOREIGN_OPERATORS, token.image) ? { name: token.image, ...FOREIGN_OPERATORS[token.image]! } : undefined;
}

/** Keywords and brackets that end a walk back to the start of a condition: another member or block. */
const NOT_CONDITION = new Set(['Detection', 'List', 'Schedule', 'Suppress', 'Threshold', 'Sequence', 'Test', 'LCurly', 'RCurly']);

/**
 * Whether `tokens[at]` is in a condition or right after one: the nearest `condition:`, `step
 * name:` or `macro name =` before it comes before any other member, property or block.
 */
export function inCondition(tokens: readonly IToken[], at: number): boolean {
  for (let k = at - 1; k >= 0; k--) {
    const name = tokens[k]!.tokenType.name;
    if (name === 'Condition') return true;
    if (name === 'Step' || name === 'Macro') return at > k + 2;
    if (NOT_CONDITION.has(name)) return false;
    // A property's `name:` ends the walk; `condition:` and `step name:` go on to their keyword.
    if (name === 'Colon' && tokens[k - 1]?.tokenType.name !== 'Condition' && tokens[k - 2]?.tokenType.name !== 'Step') return false;
  }
  return false;
}

/** Whether `found` is a single `=` written for `==` after a field in a condition (`condition` from `inCondition`). */
export function misusedEquals(found: IToken | undefined, previous: IToken | undefined, condition: boolean): boolean {
  if (!condition || !found || !isReal(found) || found.tokenType.name !== 'Equals') return false;
  return previous !== undefined && isReal(previous) && previous.tokenType.name === 'Identifier';
}

/** The members whose values have their own grammar, with the rule that parses each. */
export const GRAMMAR_MEMBERS: Record<string, string> = {
  condition: 'conditionMember',
  schedule: 'scheduleMember',
  suppress: 'suppressMember',
  threshold: 'thresholdMember',
  sequence: 'sequenceMember',
  test: 'testDecl',
};

/**
 * Whether what follows the name at `tokens[k]` is how member `member` goes on: `test "…"
 * matches`/`does`, `sequence by`/`within`, else `name:`. (A line `host "y"` continuing a
 * condition is not a misspelt `test`.)
 */
function shapedLike(member: string, tokens: readonly IToken[], k: number): boolean {
  const next = tokens[k + 1]?.tokenType.name;
  if (member === 'test') {
    const after = tokens[k + 2]?.tokenType.name;
    return next === 'StringLiteral' && (after === 'Matches' || after === 'Does');
  }
  if (member === 'sequence') return next === 'By' || next === 'Within';
  return next === 'Colon';
}

/** The keywords that start a member (`condition`, `test`, …), whatever follows them. */
export const MEMBER_KEYWORDS: ReadonlySet<string> = new Set(['Condition', 'Schedule', 'Suppress', 'Threshold', 'Sequence', 'Test']);

/** Tokens after which a name on the next line goes on a condition or a list (`and`, `(`, `==`, `,` …). */
export const CONTINUES: ReadonlySet<string> = new Set(['And', 'Or', 'Not', 'LParen', 'LBracket', 'Comma', 'Colon', 'Equals', 'In', 'EqEq', 'NotEq', 'Lt', 'LtEq', 'Gt', 'GtEq', 'Contains', 'StartsWith', 'EndsWith', 'Regex']);

/**
 * Whether `tokens[k]` is in the body of the detection `tokens` starts with (`detection name {`),
 * not inside a block, list or test event of it: only there is a name a member's.
 */
function inDetectionBody(tokens: readonly IToken[], k: number): boolean {
  let depth = 0;
  for (let i = 3; i < k; i++) {
    const name = tokens[i]!.tokenType.name;
    if (name === 'LCurly' || name === 'LBracket' || name === 'LParen') depth++;
    else if ((name === 'RCurly' || name === 'RBracket' || name === 'RParen') && depth > 0) depth--;
    else if (MEMBER_KEYWORDS.has(name)) depth = 0; // a member keyword: what was left open before it was a broken member's
  }
  return depth === 0;
}

/** A syntax error explained as a misspelt member keyword (see `misspeltMember`). */
export interface MisspeltMember {
  readonly message: string;
  readonly hint: string;
  /** The misspelt name: where the diagnostic points. */
  readonly key: IToken;
}

/**
 * A syntax error caused by a misspelt member keyword: `condtion: proc.name == "nc"` parses as
 * the property `condtion: proc.name` and fails at `==`; `sequnce by …` and `tset "…"` fail
 * right after the name, or at it when recovery from an earlier error has closed the detection. `tokens` is the parsed range, `at` the index of the error's token
 * (`tokens.length` at the end), `text` the source. The name must start its line (or follow
 * `{`) and be close to one of those keywords; then the message names it and the hint shows the
 * member's syntax.
 */
export function misspeltMember(tokens: readonly IToken[], at: number, text: string): MisspeltMember | undefined {
  for (const back of [0, 1, 2, 3]) {
    const k = at - back;
    const key = tokens[k];
    if (!key || !startsMemberLine(tokens, k, text) || !inDetectionBody(tokens, k)) continue;
    // Another format's name for a member (`query:`, Sigma's `detection:`), keywords included,
    // unless it follows what a condition goes on after (`and` at the end of the line before).
    const synonym = memberSynonym(key.image);
    const continuing = CONTINUES.has(tokens[k - 1]?.tokenType.name ?? '');
    if (synonym !== undefined && !continuing && Object.hasOwn(GRAMMAR_MEMBERS, synonym.member) && shapedLike(synonym.member, tokens, k)) {
      return { message: `unknown member '${key.image}'`, hint: synonymHint(key.image, synonym), key };
    }
    if (key.tokenType.name !== 'Identifier') continue;
    const close = suggest(key.image, Object.keys(GRAMMAR_MEMBERS));
    if (close === undefined || !shapedLike(close, tokens, k)) continue;
    return {
      message: `unknown member '${shorten(key.image)}': did you mean '${close}'?`,
      hint: RULE_HINTS[GRAMMAR_MEMBERS[close]!]!,
      key,
    };
  }
  return undefined;
}

/** At most this many items of a Falco list are rewritten in the hint. */
const MAX_LIST_ITEMS = 8;

/**
 * The hint for Falco's list syntax, `evt.type in (open, openat)`, with the author's own list
 * rewritten as this language writes it: `evt.type in ["open", "openat"]`. `tokens[at]` is the
 * `(` after `in`; undefined when the list is not plain words, strings and numbers on one line.
 */
export function falcoListHint(tokens: readonly IToken[], at: number, text: string): string | undefined {
  const open = tokens[at];
  const op = tokens[at - 1];
  if (open?.tokenType.name !== 'LParen' || op?.tokenType.name !== 'In') return undefined;
  const field = tokens[at - 2]?.tokenType.name === 'Identifier' ? tokens[at - 2]!.image : undefined;
  const items: string[] = [];
  for (let k = at + 1; k < tokens.length; k += 2) {
    const item = tokens[k]!;
    if (startsLine(tokens, k, text)) return undefined;
    const kind = item.tokenType.name;
    if (kind === 'StringLiteral' || kind === 'NumberLiteral') items.push(item.image);
    else if (/^[A-Za-z_][\w.\-]*$/.test(item.image)) items.push(JSON.stringify(item.image));
    else return undefined;
    const next = tokens[k + 1]?.tokenType.name;
    if (next === 'RParen') break;
    if (next !== 'Comma' || items.length === MAX_LIST_ITEMS) return undefined;
  }
  if (items.length === 0) return undefined;
  return `A list is written in square brackets, strings in double quotes (Falco's \`in (…)\`): \`${field !== undefined ? `${field} ` : ''}in [${items.join(', ')}]\`, or the name of a \`list\`.`;
}
