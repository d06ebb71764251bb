/**
 * Query trees as Lucene query strings, in the syntax of Lucene's classic query parser as
 * Elasticsearch's `query_string` (and Kibana's Lucene mode) reads it:
 * - exact values quoted (`field:"value"`, only `"` and `\` escaped inside; quoting also keeps
 *   Elasticsearch from reading a leading `<`/`>` as a range); the empty string is `field://`
 *   (an empty regular expression), as an empty phrase yields no term;
 * - prefix and wildcard terms unquoted with every reserved character and whitespace escaped by
 *   `\`, so only the `*` that are meant stay wildcards; regular expressions as `/…/`;
 * - field names escaped the same way (`output_fields.proc.aname\[2\]`); `_exists_:field`;
 * - every group parenthesised and never mixing AND with OR (the classic parser has no operator
 *   precedence); a negation always next to a positive clause (`*:* AND NOT …` when alone), so
 *   nothing relies on pure-negative groups.
 */
import type { EsNode, TermValue } from './tree.js';

/** Characters the classic query parser treats specially outside quotes. */
const RESERVED = new Set([...'+-=&|><!(){}[]^"~*?:\\/']);

/** Escapes `text` for use as an unquoted term (or field name) of a Lucene query string. */
export function escapeTerm(text: string): string {
  let out = '';
  for (const ch of text) out += RESERVED.has(ch) || /\s/u.test(ch) ? `\\${ch}` : ch;
  // A bare AND/OR/NOT would be read as an operator.
  if (out === 'AND' || out === 'OR' || out === 'NOT') out = `\\${out}`;
  return out;
}

/** `text` as a quoted phrase: only `"` and `\` need escaping inside quotes. */
export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function value(v: TermValue): string {
  if (typeof v === 'string') return v === '' ? '//' : quote(v);
  return escapeTerm(String(v));
}

/**
 * `/regex/`. The regex already escapes every ASCII non-alphanumeric character, `/` included;
 * but the query parser reads `\/` as an escaped slash wherever it occurs, so a regex ending in
 * an escaped backslash would swallow the closing `/`: an empty group `()` goes in between.
 */
function regexTerm(regex: string): string {
  return regex.endsWith('\\') ? `/${regex}()/` : `/${regex}/`;
}

function bound(v: TermValue | undefined): string {
  return v === undefined ? '*' : quote(String(v));
}

/** The query string for `node` (no enclosing parentheses at the top). */
export function renderLucene(node: EsNode): string {
  return render(node, true);
}

function render(node: EsNode, top: boolean): string {
  const group = (s: string): string => (top ? s : `(${s})`);
  switch (node.kind) {
    case 'all':
      return '*:*';
    case 'none':
      return group('*:* AND NOT *:*');
    case 'term':
      return `${escapeTerm(node.field)}:${value(node.value)}`;
    case 'terms':
      if (node.values.some((v) => v === '')) return render({ kind: 'or', args: node.values.map((v) => ({ kind: 'term', field: node.field, value: v })) }, top);
      return `${escapeTerm(node.field)}:(${node.values.map(value).join(' OR ')})`;
    case 'prefix':
      return `${escapeTerm(node.field)}:${escapeTerm(node.value)}*`;
    case 'wildcard':
      return `${escapeTerm(node.field)}:${node.parts.map((p) => ('any' in p ? '*' : escapeTerm(p.literal))).join('')}`;
    case 'regexp':
    case 'nocase':
      return `${escapeTerm(node.field)}:${regexTerm(node.regex)}`;
    case 'exists':
      return `_exists_:${escapeTerm(node.field)}`;
    case 'range': {
      const lower = node.gt ?? node.gte;
      const upper = node.lt ?? node.lte;
      const open = node.gt !== undefined ? '{' : '[';
      const close = node.lt !== undefined ? '}' : ']';
      return `${escapeTerm(node.field)}:${open}${bound(lower)} TO ${bound(upper)}${close}`;
    }
    case 'and': {
      const positive = node.args.filter((a) => a.kind !== 'not').map((a) => render(a, false));
      const negative = node.args.flatMap((a) => (a.kind === 'not' ? [`NOT ${render(a.arg, false)}`] : []));
      if (positive.length === 0) positive.push('*:*');
      return group([...positive, ...negative].join(' AND '));
    }
    case 'or':
      return group(node.args.map((a) => render(a, false)).join(' OR '));
    case 'not':
      return group(`*:* AND NOT ${render(node.arg, false)}`);
  }
}
