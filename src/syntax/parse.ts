/**
 * The syntax stage's entry point: `.det` source text → AST plus every syntax diagnostic.
 *
 * Steps: lex (errors → DET1001, unterminated strings → DET1002), guard against deep nesting
 * (DET1012), parse with recovery (errors → DET1010: one per broken member of a detection, see
 * `resync.ts`), build the AST (invalid escapes → DET1003). Never throws for any input string.
 */
import type { CstNode, ILexingResult, IRecognitionException, IToken } from 'chevrotain';
import { Codes } from '../diagnostics/codes.js';
import { suggest } from '../diagnostics/suggest.js';
import { compareDiagnostics, pushAll, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileNode } from './ast.js';
import { describeToken, falcoListHint, foreignOperator, inCondition, misspeltMember, misspeltOperator, misusedEquals, OPERATORS_HINT, syntaxHint } from './messages.js';
import { foreignFileDiagnostic } from './foreign-file.js';
import { closedTooEarly, type ClosedTooEarly } from './open-block.js';
import { firstParseError, parseTokens } from './parser.js';
import { LineIndex } from './positions.js';
import { parseDetection, type FoundError, type UnclosedBlock } from './resync.js';
import {
  Colon,
  Detection,
  detLexer,
  LBracket,
  LCurly,
  List,
  LParen,
  Macro,
  MAX_NESTING,
  Not,
  RBracket,
  RCurly,
  RParen,
  UnterminatedBlockString,
  UnterminatedString,
} from './tokens.js';
import { quotedStrings, stretchAt, withRepairs } from './token-repair.js';
import { unquotedDiagnostics, unquotedValues } from './unquoted.js';
import { unquotedProperties, unquotedPropertyDiagnostics, type UnquotedProperty } from './unquoted-property.js';
import { outsideStrings, singleQuoted, singleQuotedDiagnostics } from './single-quoted.js';
import { speltOperators } from './word-operators.js';
import { astBuilder } from './visitor.js';

export { MAX_NESTING } from './tokens.js';

/**
 * Parse one `.det` file. `file` is the path used in spans and in `FileNode.path`.
 *
 * The token stream is cut before every `list`, `macro` and `detection` keyword that is not a
 * map key (`list:`): they only ever start a block. Each piece is parsed and turned into AST on
 * its own: a syntax error cannot run past its block, and the CST of one block at a time stays
 * small (fast, little garbage).
 */
export function parseFile(text: string, file: string): { ast: FileNode; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(file, text);
  const foreign = foreignFileDiagnostic(text, lines);
  if (foreign) return { ast: { kind: 'File', path: file, blocks: [], span: lines.span(0, text.length) }, diagnostics: [foreign] };
  let lexed: ILexingResult;
  try {
    lexed = detLexer.tokenize(text);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { ast: { kind: 'File', path: file, blocks: [], span: lines.span(0, text.length) }, diagnostics: [tooLongToLex(lines)] };
  }
  const parsed = parseText(text, file, lines, lexed, []);
  if (parsed.diagnostics.length === 0) return parsed;
  // Text properties written without quotes: parsed again as strings (only a file with errors can hold one).
  const properties = unquotedProperties(text, lexed.tokens, lexed.errors);
  return properties.length > 0 ? parseText(text, file, lines, lexed, properties) : parsed;
}

/**
 * DET1010 for a file the lexer ran out of stack on (its token patterns are written not to, for
 * strings and names of any length, but a pattern may still meet a token of millions of
 * characters it was not written for): at the start of the longest line, where such a token is.
 */
function tooLongToLex(lines: LineIndex): Diagnostic {
  const longest = lines.longestLine();
  return {
    code: Codes.SyntaxError.code,
    severity: Codes.SyntaxError.severity,
    message: `the file could not be read: a token on this line, ${longest.length} characters long, is too long for the lexer`,
    span: lines.span(longest.start, longest.start),
    hint: 'split the value: keep strings and names to a reasonable length (a few thousand characters)',
  };
}

/** Parses the tokens of `text`, reading each of `properties` as the string it holds (see `unquoted-property.ts`). */
function parseText(
  text: string,
  file: string,
  lines: LineIndex,
  lexed: ILexingResult,
  properties: readonly UnquotedProperty[],
): { ast: FileNode; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = unquotedPropertyDiagnostics(properties, lines);
  const inProperty = (offset: number): boolean => stretchAt(properties, offset) !== undefined;
  // (an error inside an unquoted property is the property's)
  const inText = properties.length > 0 ? lexed.errors.filter((e) => !inProperty(e.offset)) : lexed.errors;
  // (an error inside a single-quoted string is the string's)
  const singles = inText.length > 0 ? singleQuoted(text, inText) : [];
  pushAll(diagnostics, singleQuotedDiagnostics(singles, lines));
  const errors = singles.length > 0 ? outsideStrings(inText, singles) : inText;
  const unquoted = errors.length > 0 ? unquotedValues(text, errors) : [];
  // (an `&&` inside an unquoted value is part of the value)
  const operators = speltOperators(text, errors.filter((e) => stretchAt(unquoted, e.offset) === undefined));
  for (const error of errors) {
    const spelt = operators.get(error.offset);
    if (spelt) {
      diagnostics.push({ ...lexerDiagnostic(error.offset, error.length, text, lines), hint: spelt.hint });
      continue;
    }
    // A bidi control is reported below wherever it is: not twice when it is also out of place,
    // so a run of unexpected characters is reported without the bidi controls among them.
    const end = error.offset + Math.max(1, error.length);
    // An unquoted value has its own diagnostic: only what runs past it is reported here.
    const from = Math.max(error.offset, stretchAt(unquoted, error.offset)?.end ?? error.offset);
    for (let at = from; at < end; ) {
      while (at < end && BIDI_CHAR.test(text.charAt(at))) at++;
      let stop = at;
      while (stop < end && !BIDI_CHAR.test(text.charAt(stop))) stop++;
      if (stop > at) diagnostics.push(lexerDiagnostic(at, stop - at, text, lines));
      at = stop;
    }
  }
  pushAll(diagnostics, bidiDiagnostics(text, lines));

  const repairs = [...quotedStrings(singles), ...quotedStrings(unquoted), ...[...operators.values()].map((o) => o.repair), ...quotedStrings(properties)].sort((a, b) => a.start - b.start);
  const tokens = repairs.length > 0 ? withRepairs(lexed.tokens, repairs) : lexed.tokens;
  pushAll(diagnostics, unquotedDiagnostics(unquoted, tokens, lines));
  const starts: number[] = [];
  let depth = 0;
  let nots = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === LParen || type === LBracket || type === LCurly) {
      depth++;
      nots = 0;
    } else if (type === RParen || type === RBracket || type === RCurly) {
      depth = depth > 0 ? depth - 1 : 0;
      nots = 0;
    } else if (type === Not) {
      nots++;
    } else {
      nots = 0;
      if ((type === Detection || type === List || type === Macro) && tokens[i + 1]?.tokenType !== Colon) {
        // Each block is parsed on its own, so its nesting is counted on its own: brackets left
        // open by a broken block are that block's syntax error, not depth for the next one.
        starts.push(i);
        depth = 0;
      }
      else if (type === UnterminatedString || type === UnterminatedBlockString) diagnostics.push(unterminatedDiagnostic(t, lines));
    }
    if (depth + nots > MAX_NESTING) {
      diagnostics.push({
        code: Codes.NestingTooDeep.code,
        severity: Codes.NestingTooDeep.severity,
        message: `nesting deeper than ${MAX_NESTING} levels (parentheses, brackets, braces or 'not')`,
        span: lines.span(t.startOffset, t.startOffset + t.image.length),
        hint: 'Flatten the expression: split it into macros, or use a list with `in` instead of nested conditions.',
      });
      return {
        ast: { kind: 'File', path: file, blocks: [], span: lines.span(0, text.length) },
        diagnostics: diagnostics.sort(compareDiagnostics),
      };
    }
  }
  if (starts[0] !== 0) starts.unshift(0);

  const comments = (lexed.groups.comments ?? []) as IToken[];
  astBuilder.begin(lines, comments);
  const seen = new Set<string>();
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k]!;
    const to = starts[k + 1] ?? tokens.length;
    const segment = tokens.slice(from, to);
    const isDetection = segment[0]?.tokenType === Detection;
    const { cst, found, rest } = isDetection ? parseDetection(segment, text, parseTokens, firstParseError) : parseOther(segment);
    const report = (f: FoundError): void => {
      let d = f.unclosed ? unclosedDiagnostic(f.unclosed, lines) : parserDiagnostic(f.error, lines, tokens[to], f.tokens[f.at - 1], inCondition(f.tokens, f.at), f.tokens[f.at - 2]);
      // The detection left open at the end of its range by a block its `}` closed instead.
      const early = isDetection && !f.unclosed && f.at >= f.tokens.length ? closedTooEarly(f.tokens, text) : undefined;
      if (early) d = closedTooEarlyDiagnostic(early, lines);
      // A misspelt member keyword (`condtion:`): say so, at the name. Only in a detection's
      // range of tokens: a list or macro has no members.
      const misspelt = isDetection && !f.unclosed ? misspeltMember(f.tokens, f.at, text) : undefined;
      const falcoList = f.unclosed ? undefined : falcoListHint(f.tokens, f.at, text);
      if (falcoList !== undefined) d = { ...d, hint: falcoList };
      if (misspelt) {
        const { key, message, hint } = misspelt;
        d = { ...d, message, hint, span: lines.span(key.startOffset, key.startOffset + key.image.length) };
      }
      const seenKey = `${d.span?.start.offset}:${d.message}`;
      if (!seen.has(seenKey)) {
        seen.add(seenKey);
        diagnostics.push(d);
      }
    };
    for (const f of found) report(f);
    // Errors no cut applied to, as Chevrotain found them: one at the token right after the
    // previous error is its echo (the parser re-synced there), so the first only.
    let lastAt = -2;
    for (const f of rest) {
      if (f.at <= lastAt + 1) continue;
      lastAt = f.at;
      report(f);
    }
    astBuilder.addBlocks(cst);
  }

  const built = astBuilder.finish(file, comments);
  pushAll(diagnostics, built.diagnostics);
  return { ast: built.ast, diagnostics: diagnostics.sort(compareDiagnostics) };
}

/** A list or macro: parsed once, its errors as found. */
function parseOther(segment: IToken[]): { cst: CstNode; found: FoundError[]; rest: FoundError[] } {
  const { cst, errors } = parseTokens(segment);
  const rest = errors.map((error) => {
    const i = segment.indexOf(error.token);
    return { error, tokens: segment, at: i >= 0 ? i : segment.length };
  });
  return { cst, found: [], rest };
}

/** DET1010 at the `{` of a map block that a later member's line shows was never closed. */
function unclosedDiagnostic(block: UnclosedBlock, lines: LineIndex): Diagnostic {
  const { key, open, next } = block;
  return {
    code: Codes.SyntaxError.code,
    severity: Codes.SyntaxError.severity,
    message: `the '${key.image} {' block is not closed: no '}' before ${describeToken(next)} on line ${lines.line(next.startOffset)}`,
    span: lines.span(open.startOffset, open.startOffset + 1),
    hint: `Close the block with '}' after its last entry, e.g. \`${key.image} { … }\`.`,
  };
}

/** DET1010 at the `{` of a block whose `}` is the one written to close the detection. */
function closedTooEarlyDiagnostic({ openOffset, opening, closeOffset }: ClosedTooEarly, lines: LineIndex): Diagnostic {
  const block = opening !== undefined ? `'${opening}' block` : `'{' on line ${lines.line(openOffset)}`;
  const closeLine = lines.line(closeOffset);
  return {
    code: Codes.SyntaxError.code,
    severity: Codes.SyntaxError.severity,
    message: `the ${block} is not closed: the '}' on line ${closeLine} closes it, which leaves the detection open`,
    span: lines.span(openOffset, openOffset + 1),
    hint: `Close the block with '}' after its last entry, and keep the '}' on line ${closeLine} for the detection.`,
  };
}

/** Bidirectional embedding, override and isolate controls: U+202A–U+202E, U+2066–U+2069. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
const BIDI_CHAR = /^[\u202a-\u202e\u2066-\u2069]$/;

/**
 * DET1001 at every bidirectional control character, in comments and strings too: it makes the
 * line display in another order than it is parsed ("Trojan Source", CVE-2021-42574), so a
 * reviewer could read a condition or comment that is not what compiles. As rustc does.
 */
function bidiDiagnostics(text: string, lines: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  BIDI.lastIndex = 0;
  for (let m = BIDI.exec(text); m !== null; m = BIDI.exec(text)) {
    const hex = m[0].charCodeAt(0).toString(16).toUpperCase();
    out.push({
      code: Codes.UnexpectedCharacter.code,
      severity: Codes.UnexpectedCharacter.severity,
      message: `bidirectional control character U+${hex}`,
      span: lines.span(m.index, m.index + 1),
      hint: `It makes the line display in another order than it is read (Trojan Source): remove it; in a "…" string that must hold it, write it as \\u${hex.toLowerCase()}.`,
    });
  }
  return out;
}

function describeChars(chars: string): string {
  const shown = [...chars]
    .slice(0, 10)
    .map((ch) => (/^[\x21-\x7e]$/.test(ch) ? ch : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))
    .join('');
  return [...chars].length === 1 ? `unexpected character '${shown}'` : `unexpected characters '${shown}${[...chars].length > 10 ? '…' : ''}'`;
}

function charHint(ch: string): string {
  switch (ch) {
    case "'":
      return 'Strings are written in double quotes: "…".';
    case '!':
      return "Compare with '!=', or negate with `not`.";
    case '&':
      return 'Combine conditions with `and`.';
    case '|':
      return 'Combine conditions with `or`.';
    case ';':
      return 'No `;` is needed: write one member per line.';
    case '/':
      return 'Comments start with `#`.';
    case '\u0085':
    case '\u2028':
    case '\u2029':
      return 'It is not a line break in a .det file: break lines with \\n (or \\r\\n).';
    default:
      return 'Remove it. Names start with a letter or `_`, then letters, digits, `_`, `.` and `-`; strings are written in double quotes; `#` starts a comment.';
  }
}

function lexerDiagnostic(offset: number, length: number, text: string, lines: LineIndex): Diagnostic {
  const chars = text.slice(offset, offset + length);
  return {
    code: Codes.UnexpectedCharacter.code,
    severity: Codes.UnexpectedCharacter.severity,
    message: describeChars(chars),
    span: lines.span(offset, offset + length),
    hint: charHint(chars.charAt(0)),
  };
}

function unterminatedDiagnostic(token: IToken, lines: LineIndex): Diagnostic {
  if (token.tokenType === UnterminatedString) {
    return {
      code: Codes.UnterminatedString.code,
      severity: Codes.UnterminatedString.severity,
      message: 'unterminated string: no closing \'"\' on this line',
      span: lines.span(token.startOffset, token.startOffset + token.image.length),
      hint: 'Close the string with " on the same line (write a quote inside it as \\"); for text over several lines use a """ block string.',
    };
  }
  return {
    code: Codes.UnterminatedString.code,
    severity: Codes.UnterminatedString.severity,
    message: 'unterminated block string: no closing \'"""\'',
    span: lines.span(token.startOffset, token.startOffset + 3),
    hint: 'Close the block string with """ on a line of its own.',
  };
}

/**
 * A parser error as a diagnostic. `next` is the first token after the parsed range: an error at
 * the end of the range ("found end of file") really found that token. `before` is the token
 * before the error's in the parsed range; `condition`, whether the error is in or right after a
 * condition (where `=` and Falco's operators are said as such).
 */
function parserDiagnostic(
  error: IRecognitionException,
  lines: LineIndex,
  next: IToken | undefined,
  before: IToken | undefined,
  condition: boolean,
  twoBefore?: IToken,
): Diagnostic {
  let token: IToken | undefined = error.token;
  let message = error.message;
  const real = token !== undefined && token.startOffset >= 0 && !token.isInsertedInRecovery;
  if (!real && next) {
    token = next;
    message = message.replace(/found end of file$/, `found ${describeToken(next)}`);
  }
  const ruleStack = error.context?.ruleStack ?? [];
  const previous = before ?? (error as IRecognitionException & { previousToken?: IToken }).previousToken;
  const foreign = condition ? (foreignOperator(token) ?? foreignOperator(previous)) : undefined;
  // a misspelt operator or case mode, on the line of the field or value before it (a word on the next line starts a member)
  const onOneLine = (a: IToken | undefined, b: IToken | undefined): boolean => !!a && !!b && a.startOffset >= 0 && b.startOffset >= 0 && lines.line(a.startOffset) === lines.line(b.startOffset);
  const misspeltHere = condition && foreign === undefined && onOneLine(token, previous) ? misspeltOperator(token, previous) : undefined;
  const misspelt = misspeltHere ?? (condition && foreign === undefined && onOneLine(previous, twoBefore) ? misspeltOperator(previous, twoBefore) : undefined);
  // `proc.name not in [...]`: `not` written after the field
  const lateNot = condition && token?.tokenType.name === 'Not' && previous?.tokenType.name === 'Identifier' && onOneLine(token, previous);
  let hint: string | undefined;
  // `stp a:` in a sequence: the only word a sequence's body starts a line with is `step`
  const stepTypo = ruleStack[ruleStack.length - 1] === 'sequenceMember' && token?.tokenType.name === 'Identifier' && token.image !== 'step' && suggest(token.image, ['step']) !== undefined;
  if (stepTypo) message = `unknown keyword '${token!.image}' in the sequence: did you mean 'step'?`;
  else if (misspelt !== undefined) {
    message = `unknown ${misspelt.kind} '${misspelt.name}': did you mean '${misspelt.meant}'?`;
    if (misspeltHere === undefined) token = previous; // the word before the error's token
    hint = OPERATORS_HINT;
  } else if (lateNot) {
    message = `expected an operator after '${previous!.image}', found 'not'`;
    hint = `\`not\` goes before the comparison it negates: \`not ${previous!.image} …\`.`;
  } else if (misusedEquals(token, previous, condition)) message = `expected '==' after '${previous!.image}', found '='`;
  else if (foreign !== undefined) {
    message = `expected an operator of this language, found ${foreign.language}'s '${foreign.name}'`;
    // Pointed at the operator, not at what follows it.
    if (foreignOperator(token) === undefined) token = previous;
  }
  const atToken = token !== undefined && token.startOffset >= 0 && !token.isInsertedInRecovery;
  const start = atToken ? token!.startOffset : lines.length;
  // (`endOffset`, not the image: a repaired token's image is not its text, see token-repair.ts;
  // a token the parser read again after re-syncing may have no `endOffset`)
  const end = atToken ? Math.max(start + 1, (token!.endOffset ?? token!.startOffset + token!.image.length - 1) + 1) : lines.length;
  return {
    code: Codes.SyntaxError.code,
    severity: Codes.SyntaxError.severity,
    message,
    span: lines.span(start, end),
    hint: hint ?? syntaxHint(ruleStack, token, previous, condition),
  };
}
