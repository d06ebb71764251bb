/**
 * String literal semantics, shared by the visitor (decoding) and the printer (encoding), so the
 * two always agree.
 */

/** An escape the decoder could not read: offset of the backslash within the token, and its text. */
export interface BadEscape {
  readonly index: number;
  readonly text: string;
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

/**
 * Decode the body of a JSON string (without its quotes). `bodyIndex` is where the body starts in
 * the token, so reported indexes are token-relative. Invalid escapes are reported and kept as
 * the escaped character (the value is only used if the file has no errors anyway).
 */
export function decodeJsonString(body: string, bodyIndex: number): { value: string; bad: BadEscape[] } {
  if (!body.includes('\\')) return { value: body, bad: [] };
  let out = '';
  const bad: BadEscape[] = [];
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf('\\', i);
    if (slash < 0) {
      out += body.slice(i);
      break;
    }
    out += body.slice(i, slash);
    const next = body.charAt(slash + 1);
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i = slash + 2;
    } else if (next === 'u' && HEX4.test(body.slice(slash + 2, slash + 6))) {
      out += String.fromCharCode(parseInt(body.slice(slash + 2, slash + 6), 16));
      i = slash + 6;
    } else {
      const text = next === 'u' ? `\\u${/^[0-9A-Fa-f]{0,3}/.exec(body.slice(slash + 2))![0]}` : body.slice(slash, slash + 2);
      bad.push({ index: bodyIndex + slash, text });
      out += next;
      i = slash + 2;
    }
  }
  return { value: out, bad };
}

/** Encode a string as a JSON string literal (the canonical form the printer writes). */
export function encodeJsonString(value: string): string {
  return JSON.stringify(value);
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
