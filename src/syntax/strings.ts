/**
 * String literal semantics, shared by the visitor (decoding) and the printer (encoding), so the
 * two always agree.
 */

/**
 * What the decoder refuses, at `index` (token-relative) with its `text`: `escape`, a backslash
 * JSON does not define (`\x`, `\u12`); `surrogate`, a `\uD800`–`\uDFFF` escape that is not
 * half of a pair (no UTF-8 text, hence no Falco alert, can hold it); `control`, a raw
 * U+0000–U+001F character, which JSON strings must escape.
 */
export interface BadEscape {
  readonly index: number;
  readonly text: string;
  readonly kind: 'escape' | 'surrogate' | 'control';
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const HEX4 = /^[0-9A-Fa-f]{4}$/;

/** A backslash or a raw control character: where decoding has work to do. */
const SPECIAL = /[\\\u0000-\u001f]/g;

function hex4(body: string, at: number): number | undefined {
  const digits = body.slice(at, at + 4);
  return HEX4.test(digits) ? parseInt(digits, 16) : undefined;
}

/**
 * Decode the body of a JSON string (without its quotes). `bodyIndex` is where the body starts in
 * the token, so reported indexes are token-relative. Invalid escapes, lone surrogate escapes and
 * raw control characters are reported and kept as the character read (the value is only used if
 * the file has no errors anyway).
 */
export function decodeJsonString(body: string, bodyIndex: number): { value: string; bad: BadEscape[] } {
  SPECIAL.lastIndex = 0;
  if (!SPECIAL.test(body)) return { value: body, bad: [] };
  let out = '';
  const bad: BadEscape[] = [];
  let i = 0;
  for (;;) {
    SPECIAL.lastIndex = i;
    const m = SPECIAL.exec(body);
    if (m === null) {
      out += body.slice(i);
      break;
    }
    const at = m.index;
    out += body.slice(i, at);
    if (m[0] !== '\\') {
      bad.push({ index: bodyIndex + at, text: m[0], kind: 'control' });
      out += m[0];
      i = at + 1;
      continue;
    }
    const next = body.charAt(at + 1);
    const simple = SIMPLE_ESCAPES[next];
    const code = next === 'u' ? hex4(body, at + 2) : undefined;
    if (simple !== undefined) {
      out += simple;
      i = at + 2;
    } else if (code !== undefined) {
      const low = code >= 0xd800 && code <= 0xdbff && body.startsWith('\\u', at + 6) ? hex4(body, at + 8) : undefined;
      if (low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
        out += String.fromCharCode(code, low);
        i = at + 12;
      } else {
        if (code >= 0xd800 && code <= 0xdfff) bad.push({ index: bodyIndex + at, text: body.slice(at, at + 6), kind: 'surrogate' });
        out += String.fromCharCode(code);
        i = at + 6;
      }
    } else {
      const text = next === 'u' ? `\\u${/^[0-9A-Fa-f]{0,3}/.exec(body.slice(at + 2))![0]}` : body.slice(at, at + 2);
      bad.push({ index: bodyIndex + at, text, kind: 'escape' });
      out += next;
      i = at + 2;
    }
  }
  return { value: out, bad };
}

/**
 * What the printer writes as `\uXXXX` besides what `JSON.stringify` escapes: characters a reader
 * cannot see or that change how the line reads: controls (Cc), format characters (Cf: zero-width
 * spaces and joiners, bidi controls, the BOM), line and paragraph separators (Zl, Zp),
 * private-use (Co) code points, and every space but U+0020 (Zs: NBSP, …). Unassigned code
 * points are written as they are: which ones are unassigned changes with the Unicode version of
 * the Node that runs `fmt`, and the canonical layout must not.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Zs}]/gu;

function escapeUnits(ch: string): string {
  if (ch === ' ') return ch;
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Encode a string as a JSON string literal (the canonical form the printer writes): as
 * `JSON.stringify` does, and with every `INVISIBLE` character escaped (an astral one as its
 * surrogate pair), so `"kube\u200bctl"` does not print as a raw zero-width space.
 */
export function encodeJsonString(value: string): string {
  return JSON.stringify(value).replace(INVISIBLE, escapeUnits);
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && (line.charCodeAt(n) === 32 || line.charCodeAt(n) === 9)) n++;
  return n;
}

function isBlank(line: string): boolean {
  return indentOf(line) === line.length;
}

/**
 * The value of a `"""` block string from its raw content (between the quotes): line breaks
 * become `\n`; a first line break right after the opening `"""` is dropped; a last line holding
 * only spaces is dropped (the closing `"""`'s indentation); the indentation common to all
 * non-blank lines is removed. Text written on the same line as the opening `"""` is kept as is
 * and not counted for the common indentation.
 */
export function blockStringValue(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n');
  let inlineFirst = true;
  if (text.startsWith('\n')) {
    text = text.slice(1);
    inlineFirst = false;
  }
  const lines = text.split('\n');
  if (lines.length > 1 && isBlank(lines[lines.length - 1]!)) lines.pop();
  else if (lines.length === 1 && !inlineFirst && isBlank(lines[0]!)) lines.pop();
  let common = Infinity;
  for (let i = inlineFirst ? 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!isBlank(line)) common = Math.min(common, indentOf(line));
  }
  if (common === Infinity) common = 0;
  if (common > 0) {
    for (let i = inlineFirst ? 1 : 0; i < lines.length; i++) lines[i] = lines[i]!.slice(common);
  }
  return lines.join('\n');
}

/** A line of a `"""` block whose indentation does not start with the block's common one. */
export interface BlockIndentProblem {
  /** Offset in the raw content of the line's indentation, and its length. */
  readonly offset: number;
  readonly length: number;
  /** The line's indentation and the common one (the shortest), as written. */
  readonly indent: string;
  readonly common: string;
}

/**
 * Where the lines of a `"""` block mix tabs and spaces so that no indentation is common to
 * them all (`\t1. …` above `    2. …`): removing the shortest indentation from every line, as
 * `blockStringValue` does, would remove a different text from some, changing what they say
 * (markdown reads the remaining spaces as indentation). The first such line, or undefined.
 * Lines as `blockStringValue` counts them: blank ones and text on the opening line do not count.
 */
export function blockIndentProblem(raw: string): BlockIndentProblem | undefined {
  const lines: { offset: number; indent: string }[] = [];
  const breaks = /\r\n?|\n/g;
  let start = 0;
  let first = true;
  for (;;) {
    const m = breaks.exec(raw);
    const end = m ? m.index : raw.length;
    const line = raw.slice(start, end);
    const n = indentOf(line);
    // text on the opening line is not dedented; blank lines (the closing `"""`'s too) hold no text
    if (!first && n < line.length) lines.push({ offset: start, indent: line.slice(0, n) });
    first = false;
    if (!m) break;
    start = m.index + m[0].length;
  }
  if (lines.length < 2) return undefined;
  const common = lines.reduce((a, b) => (b.indent.length < a.indent.length ? b : a)).indent;
  const bad = lines.find((l) => !l.indent.startsWith(common));
  return bad && { offset: bad.offset, length: bad.indent.length, indent: bad.indent, common };
}

/**
 * The raw content of a `"""` block for `value`, its lines indented by `indent`, or undefined
 * when the value cannot be written as a block and read back identically (it contains `"""`,
 * a carriage return, or all its lines are indented).
 */
export function blockStringRaw(value: string, indent: string): string | undefined {
  if (value.includes('"""') || value.includes('\r')) return undefined;
  const body = value
    .split('\n')
    .map((line) => (line === '' ? '' : indent + line))
    .join('\n');
  const raw = `\n${body}\n${indent}`;
  return blockStringValue(raw) === value ? raw : undefined;
}
