/**
 * Inline test events as `detect fmt` writes them: JSON laid out canonically, with the author's
 * string and number lexemes copied verbatim (`1717406047512771245` stays exact, `1.50` stays
 * `1.50`, `"\u00e9"` stays escaped).
 *
 * Layout, one rule for every JSON value:
 * - 2-space indentation under the line the value starts on;
 * - an empty object or array is `{}` / `[]`;
 * - a non-empty object has one `"key": value` per line;
 * - an array whose items are all scalars stays on one line (`[1, "two", false]`) when it has one
 *   item or when that line, trailing comma included, fits in `MAX_WIDTH` characters (the rule
 *   of bracketed lists in the DSL); otherwise, and always for an array holding an object or an
 *   array, one item per line.
 *
 * The lexemes come from `JsonEvents.raw` (the source text) while it still denotes
 * `JsonEvents.value`; otherwise (an AST built in code, or a value changed after parsing) from
 * the value, each scalar as `JSON.stringify` writes it. Either way the layout is the same, so
 * printing is idempotent.
 */
import type { JsonEvents, JsonValue } from './ast.js';
import { decodeJsonString, encodeJsonString } from './strings.js';

/** Longest line an array of scalars may make before it is written one item per line. */
export const MAX_WIDTH = 100;

/** Deepest JSON read from `raw` (the parser accepts far less); deeper falls back to the value. */
const MAX_DEPTH = 1000;

/** A JSON value as lexemes: each scalar is its source text. */
type Lexemes =
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly Lexemes[] }
  | { readonly kind: 'object'; readonly entries: readonly { readonly key: string; readonly value: Lexemes }[] };

/**
 * The canonical text of inline test events; `column` is the length of the text before it on its
 * line, `indent` the indentation of that line.
 */
export function printJsonEvents(events: JsonEvents, indent: string, column: number): string {
  const fromRaw = events.raw !== undefined ? readRaw(events.raw) : undefined;
  const lexemes = fromRaw !== undefined && denotes(fromRaw, events.value) ? fromRaw : lexemesOf(events.value);
  return layout(lexemes, indent, column, 0);
}

/** The lexemes of a value, each scalar as `JSON.stringify` writes it (which also sets the rules for values JSON has no text for), strings as the printer encodes them. */
function lexemesOf(value: unknown): Lexemes {
  if (Array.isArray(value)) return { kind: 'array', items: value.map((v) => lexemesOf(v ?? null)) };
  if (value !== null && typeof value === 'object') {
    const entries: { key: string; value: Lexemes }[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') entries.push({ key: encodeJsonString(k), value: lexemesOf(v) });
    }
    return { kind: 'object', entries };
  }
  return { kind: 'scalar', text: typeof value === 'string' ? encodeJsonString(value) : (JSON.stringify(value) ?? 'null') };
}

function isScalar(l: Lexemes): boolean {
  return l.kind === 'scalar';
}

/** `used`: characters before the value on its line; `after`: characters after it (a comma). */
function layout(l: Lexemes, indent: string, used: number, after: number): string {
  switch (l.kind) {
    case 'scalar':
      return l.text;
    case 'object': {
      if (l.entries.length === 0) return '{}';
      const inner = indent + '  ';
      const n = l.entries.length;
      const lines = l.entries.map((e, i) => {
        const comma = i < n - 1 ? ',' : '';
        return `${inner}${e.key}: ${layout(e.value, inner, inner.length + e.key.length + 2, comma.length)}${comma}`;
      });
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
    case 'array': {
      if (l.items.length === 0) return '[]';
      if (l.items.every(isScalar)) {
        const one = `[${l.items.map((i) => (i as { text: string }).text).join(', ')}]`;
        if (l.items.length < 2 || used + one.length + after <= MAX_WIDTH) return one;
      }
      const inner = indent + '  ';
      const n = l.items.length;
      const lines = l.items.map((item, i) => {
        const comma = i < n - 1 ? ',' : '';
        return `${inner}${layout(item, inner, inner.length, comma.length)}${comma}`;
      });
      return `[\n${lines.join('\n')}\n${indent}]`;
    }
  }
}

// ---- reading the source text ----------------------------------------------------------------

/** A JSON number, as the lexer takes it. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** White space as the lexer skips it. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
}

/**
 * The lexemes of the JSON source text of test events, or undefined when it is not exactly one
 * well-formed JSON value. White space and `#` comments (attached to the test by the parser) are
 * skipped; strings are read as the lexer reads them (on one line; escapes checked by `denotes`).
 */
function readRaw(raw: string): Lexemes | undefined {
  const n = raw.length;
  let i = 0;

  const skip = (): void => {
    while (i < n) {
      const c = raw.charCodeAt(i);
      if (isSpace(c)) i++;
      else if (c === 35 /* # */) {
        while (i < n && raw.charCodeAt(i) !== 10 && raw.charCodeAt(i) !== 13) i++;
      } else break;
    }
  };
  const punct = (code: number): boolean => {
    skip();
    if (raw.charCodeAt(i) !== code) return false;
    i++;
    return true;
  };
  const string = (): string | undefined => {
    const from = i;
    for (i++; i < n; ) {
      const c = raw.charCodeAt(i);
      if (c === 34 /* " */) return raw.slice(from, ++i);
      if (c === 10 || c === 13) return undefined;
      if (c === 92 /* \ */) {
        const d = raw.charCodeAt(i + 1);
        if (i + 1 >= n || d === 10 || d === 13) return undefined;
        i += 2;
      } else i++;
    }
    return undefined;
  };
  const scalar = (): string | undefined => {
    const c = raw.charCodeAt(i);
    if (c === 34) return string();
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(raw);
      if (!m) return undefined;
      i = NUMBER.lastIndex;
      return m[0];
    }
    for (const word of ['true', 'false', 'null']) {
      if (raw.startsWith(word, i)) {
        i += word.length;
        return word;
      }
    }
    return undefined;
  };

  const value = (depth: number): Lexemes | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    skip();
    const c = raw.charCodeAt(i);
    if (c === 123 /* { */) {
      i++;
      const entries: { key: string; value: Lexemes }[] = [];
      if (punct(125 /* } */)) return { kind: 'object', entries };
      do {
        skip();
        const key = raw.charCodeAt(i) === 34 ? string() : undefined;
        if (key === undefined || !punct(58 /* : */)) return undefined;
        const v = value(depth + 1);
        if (v === undefined) return undefined;
        entries.push({ key, value: v });
      } while (punct(44 /* , */));
      return punct(125) ? { kind: 'object', entries } : undefined;
    }
    if (c === 91 /* [ */) {
      i++;
      const items: Lexemes[] = [];
      if (punct(93 /* ] */)) return { kind: 'array', items };
      do {
        const v = value(depth + 1);
        if (v === undefined) return undefined;
        items.push(v);
      } while (punct(44));
      return punct(93) ? { kind: 'array', items } : undefined;
    }
    const text = scalar();
    return text === undefined ? undefined : { kind: 'scalar', text };
  };

  let result: Lexemes | undefined;
  try {
    result = value(0);
  } catch {
    return undefined; // a stack overflow on absurd nesting: the value is used instead
  }
  if (result === undefined) return undefined;
  skip();
  return i === n ? result : undefined;
}

/** The value of a scalar lexeme (`undefined` for a string with an invalid escape). */
function scalarValue(text: string): JsonValue | undefined {
  if (text.charCodeAt(0) === 34 /* " */) {
    const { value, bad } = decodeJsonString(text.slice(1, -1), 1);
    return bad.length === 0 ? value : undefined;
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return Number(text);
}

/**
 * Whether the lexemes read back as `value`: same scalars (numbers compared as JS numbers, the
 * way the parser reads them), same array items, and the same object keys (a key written twice
 * counts with its last value, as in `JSON.parse`).
 */
function denotes(l: Lexemes, value: unknown): boolean {
  switch (l.kind) {
    case 'scalar': {
      const v = scalarValue(l.text);
      return v !== undefined && Object.is(v, value);
    }
    case 'array':
      return Array.isArray(value) && value.length === l.items.length && l.items.every((item, i) => denotes(item, value[i]));
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      const byKey = new Map<string, Lexemes>();
      for (const e of l.entries) {
        const key = scalarValue(e.key);
        if (typeof key !== 'string') return false;
        byKey.set(key, e.value);
      }
      const keys = Object.keys(value);
      if (keys.length !== byKey.size) return false;
      const record = value as Record<string, unknown>;
      return keys.every((k) => {
        const lex = byKey.get(k);
        return lex !== undefined && denotes(lex, record[k]);
      });
    }
  }
}
