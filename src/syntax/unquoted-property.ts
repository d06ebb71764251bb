/**
 * Text properties written without quotes, as YAML allows: `title: Netcat in a container`,
 * `description: Detects nc -e`. The words after the first are read as the next members, so
 * the parser reports errors at them that say nothing of the missing quotes. When a line of
 * the form `<text property>: <words>` holds a syntax error, its value is taken as the string it
 * was meant to be (the file is parsed again with it), with one error saying to quote it.
 */
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineIndex } from './positions.js';
import { repair, type Repair } from './token-repair.js';
import { StringLiteral } from './tokens.js';

/** The properties whose value is text. */
const TEXT_PROPERTIES = ['title', 'description', 'author', 'triage', 'response', 'id'];
/** `  title: Netcat in a container`: the key, and the value up to a `#` comment (not starting with a quote or bracket). */
const PROPERTY_LINE = new RegExp(`^[ \\t]*(${TEXT_PROPERTIES.join('|')})[ \\t]*:[ \\t]*([^"\\[\\s#][^#\\r\\n]*?)[ \\t]*(?:#.*)?$`);

/** An unquoted text property's value. */
export interface UnquotedProperty {
  readonly key: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** The unquoted text properties on the lines of `errors` (each line once), in text order. */
export function unquotedProperties(text: string, errors: readonly Diagnostic[]): UnquotedProperty[] {
  const lineStarts = new Set<number>();
  for (const d of errors) {
    if (d.severity !== 'error' || d.span === undefined) continue;
    lineStarts.add(text.lastIndexOf('\n', d.span.start.offset - 1) + 1);
  }
  const out: UnquotedProperty[] = [];
  for (const start of [...lineStarts].sort((a, b) => a - b)) {
    const newline = text.indexOf('\n', start);
    const line = text.slice(start, newline < 0 ? text.length : newline).replace(/\r$/, '');
    const m = PROPERTY_LINE.exec(line);
    if (!m) continue;
    const value = m[2]!;
    const at = start + line.indexOf(value, line.indexOf(':') + 1);
    out.push({ key: m[1]!, value, start: at, end: at + value.length });
  }
  return out;
}

/** Each value read as a string token holding it. */
export function quotedProperties(properties: readonly UnquotedProperty[]): Repair[] {
  return properties.map((p) => repair(StringLiteral, JSON.stringify(p.value), p.start, p.end));
}

/** One DET1010 per value. */
export function unquotedPropertyDiagnostics(properties: readonly UnquotedProperty[], lines: LineIndex): Diagnostic[] {
  return properties.map((p) => ({
    code: Codes.SyntaxError.code,
    severity: Codes.SyntaxError.severity,
    message: `the value of \`${p.key}\` is not quoted`,
    span: lines.span(p.start, p.end),
    hint: `Text is written in double quotes: \`${p.key}: ${JSON.stringify(p.value)}\` (a \`"""\` block for several lines).`,
  }));
}
