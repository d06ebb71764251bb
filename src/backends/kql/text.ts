/**
 * KQL text with its literals marked. Every literal the compiler writes goes through `str`,
 * `num` or `bool`, which escape it into exactly one KQL token; the builder keeps, beside the
 * text, a *shape* in which each literal is a placeholder of the same type. Two queries with the
 * same shape differ only in literal values, so the Kusto analyser need only see one of them
 * (see `src/kusto/analyser.ts`).
 */

/** A fragment of KQL: its text and its shape. */
export interface Kql {
  readonly text: string;
  readonly shape: string;
}

/** Code written by the compiler itself (no user values). */
export function code(text: string): Kql {
  return { text, shape: text };
}

/** The fragments concatenated, with `separator` (plain code) between them. */
export function join(parts: readonly Kql[], separator = ''): Kql {
  return {
    text: parts.map((p) => p.text).join(separator),
    shape: parts.map((p) => p.shape).join(separator),
  };
}

/** Template tag: `kql\`where ${a} and ${b}\``; interpolated strings are code, Kql values keep their shape. */
export function kql(strings: TemplateStringsArray, ...values: readonly (Kql | string)[]): Kql {
  let text = strings[0] ?? '';
  let shape = text;
  values.forEach((v, i) => {
    const tail = strings[i + 1] ?? '';
    if (typeof v === 'string') {
      text += v + tail;
      shape += v + tail;
    } else {
      text += v.text + tail;
      shape += v.shape + tail;
    }
  });
  return { text, shape };
}

/** A string literal holding exactly `value`. */
export function str(value: string): Kql {
  return { text: kqlString(value), shape: '""' };
}

/** A numeric literal equal to `value` (a finite JSON number). */
export function num(value: number): Kql {
  const text = kqlNumber(value);
  return { text, shape: text.startsWith('real(') ? 'real(0)' : '0' };
}

/** `true` or `false`. */
export function bool(value: boolean): Kql {
  return { text: value ? 'true' : 'false', shape: 'true' };
}

/** Characters a verbatim literal may not hold: controls, line and paragraph separators, surrogates. */
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;

/**
 * `value` as one KQL string literal. Values with a backslash and nothing else special use the
 * verbatim form `@"…"` (readable regular expressions and paths; `"` doubled); everything else
 * uses `"…"` with escapes: `\\`, `\"`, `\n`, `\r`, `\t`, and `\uXXXX` for other control
 * characters and for surrogates (so a lone surrogate survives the UTF-8 file). Pairs of
 * surrogates (characters beyond U+FFFF) are written as `\uXXXX\uXXXX` too, which Kusto reads back
 * as the same character.
 */
export function kqlString(value: string): string {
  if (value.includes('\\') && !NEEDS_ESCAPE.test(value)) return `@"${value.replace(/"/g, '""')}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const c = value.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) {
      out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

/**
 * `value` as a KQL number literal with the same numeric value: integers up to 2^63 as long
 * literals (their exact decimal digits), anything else as `real(…)`.
 */
export function kqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return (Object.is(value, -0) ? 0n : BigInt(value)).toString();
  return `real(${String(value).replace('e+', 'e')})`;
}

/** KQL keywords that cannot name a column without brackets (lower case, as Kusto spells them). */
const RESERVED = new Set([
  'and', 'as', 'by', 'consume', 'contains', 'count', 'datatable', 'default', 'distinct', 'evaluate', 'extend', 'false',
  'find', 'from', 'has', 'in', 'invoke', 'join', 'kind', 'let', 'limit', 'not', 'null', 'of', 'on', 'or', 'order',
  'parse', 'print', 'project', 'range', 'render', 'sample', 'search', 'set', 'sort', 'step', 'summarize', 'take', 'time',
  'to', 'top', 'true', 'typeof', 'union', 'where', 'with',
]);

/** A column name as a KQL identifier: bare when it is a plain identifier, else `['…']`. */
export function kqlName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** A KQL timespan literal for `seconds` (`5m`, `1h`, `2d`, `90s`). */
export function kqlTimespan(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** `text` made safe for a `//` comment: one line, no control characters. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
