/**
 * A small YAML writer for the Azure-Sentinel templates: maps keep the order they are built in,
 * multi-line strings become literal blocks (`|`, `|-`, `|+` so the value is kept exactly),
 * other strings are plain when that cannot be misread and double-quoted otherwise. Faster than
 * a general YAML library for thousands of rules, and its output is checked in the tests by
 * parsing it back with the `yaml` package.
 */

export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** `value` (a map) as a YAML document, LF line ends, ending with a newline. */
export function yamlDocument(value: { readonly [key: string]: YamlValue }): string {
  const lines: string[] = [];
  writeMap(value, 0, lines);
  return lines.join('\n') + '\n';
}

const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/;
const AMBIGUOUS = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|\.inf|\.nan|[-+]?\.inf)$/i;
/**
 * Characters a YAML literal block cannot hold: controls, line separators, the BOM, U+FFFE,
 * U+FFFF and lone surrogates (a surrogate pair is one printable character, U+10000 and above,
 * written as it is: `\ud83d\udea8` would be two lone surrogates to readers that do not pair
 * escapes, such as PyYAML).
 */
const NOT_PRINTABLE_SOURCE = String.raw`[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`;
const NOT_PRINTABLE = new RegExp(NOT_PRINTABLE_SOURCE);
/** What a double-quoted scalar escapes: its quote, the backslash, and what is not printable. */
const ESCAPED = new RegExp(String.raw`["\\\n\t\r]|${NOT_PRINTABLE_SOURCE}`, 'g');
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function isPlain(s: string): boolean {
  return PLAIN.test(s) && !AMBIGUOUS.test(s) && !/\d[-:]\d\d[-:]/.test(s.slice(0, 8));
}

/** A one-line scalar. */
function scalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  return isPlain(v) ? v : quoted(v);
}

function quoted(s: string): string {
  return `"${s.replace(ESCAPED, (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Whether `s` is written as a literal block. */
function isBlock(s: string): boolean {
  return s.includes('\n') && !NOT_PRINTABLE.test(s) && !/^[ \t]/.test(s) && !/\r/.test(s) && !/^\n/.test(s);
}

function blockLines(s: string, indent: number): { header: string; lines: string[] } {
  let trailing = 0;
  while (trailing < s.length && s.charCodeAt(s.length - 1 - trailing) === 10) trailing++;
  const content = s.slice(0, s.length - trailing);
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const pad = ' '.repeat(indent);
  const lines = content.split('\n').map((l) => (l === '' ? '' : pad + l));
  for (let i = 1; i < trailing; i++) lines.push('');
  return { header: `|${chomp}`, lines };
}

function isScalar(v: YamlValue): v is string | number | boolean {
  return typeof v !== 'object';
}

function writeMap(map: { readonly [key: string]: YamlValue }, indent: number, out: string[], firstPrefix?: string): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const key of Object.keys(map)) {
    const v = map[key] as YamlValue;
    const lead = first && firstPrefix !== undefined ? firstPrefix : pad;
    first = false;
    const k = scalar(key);
    if (typeof v === 'string' && isBlock(v)) {
      const b = blockLines(v, indent + 2);
      out.push(`${lead}${k}: ${b.header}`, ...b.lines);
    } else if (isScalar(v)) {
      out.push(`${lead}${k}: ${scalar(v)}`);
    } else if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${lead}${k}: []`);
      else {
        out.push(`${lead}${k}:`);
        writeList(v, indent + 2, out);
      }
    } else {
      const m = v as { readonly [key: string]: YamlValue };
      if (Object.keys(m).length === 0) out.push(`${lead}${k}: {}`);
      else {
        out.push(`${lead}${k}:`);
        writeMap(m, indent + 2, out);
      }
    }
  }
}

function writeList(list: readonly YamlValue[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of list) {
    if (typeof item === 'string' && isBlock(item)) {
      const b = blockLines(item, indent + 2);
      out.push(`${pad}- ${b.header}`, ...b.lines);
    } else if (isScalar(item)) {
      out.push(`${pad}- ${scalar(item)}`);
    } else if (Array.isArray(item)) {
      if (item.length === 0) out.push(`${pad}- []`);
      else {
        out.push(`${pad}-`);
        writeList(item, indent + 2, out);
      }
    } else {
      const m = item as { readonly [key: string]: YamlValue };
      if (Object.keys(m).length === 0) out.push(`${pad}- {}`);
      else writeMap(m, indent + 2, out, `${pad}- `);
    }
  }
}
