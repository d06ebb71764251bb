/**
 * The Elastic query tree (src/backends/elastic/tree.ts: leaf queries over document fields whose
 * matches equal the evaluator's verdicts) written as an Elasticsearch EQL condition. EQL
 * translates each of these forms back into the same Elasticsearch query (`==` a term query,
 * `in` terms, `startsWith` a prefix query, `stringContains`/`endsWith` wildcard queries,
 * `regex` a regexp query, `!= null` exists, `not` a `must_not`), so the EQL condition matches
 * the same documents as the tree:
 *
 * | tree node                  | EQL                                                   |
 * |----------------------------|-------------------------------------------------------|
 * | all / none                 | `true` / `false`                                      |
 * | term f v                   | `f == v`                                              |
 * | terms f [a, b]             | `f in (a, b)`                                         |
 * | prefix f v                 | `startsWith(f, "v")`                                  |
 * | wildcard f *v* / *v        | `stringContains(f, "v")` / `endsWith(f, "v")`         |
 * | wildcard (other shapes)    | `f regex "<Lucene regex>"`                            |
 * | regexp f r                 | `f regex "r"`                                         |
 * | nocase (native term/prefix/wildcard) | `f : "v"`, `startsWith~`, `stringContains~`, `endsWith~` |
 * | nocase (otherwise)         | `f regex "<exact regex>"`                             |
 * | exists f                   | `f != null`                                           |
 * | range f > a, <= b          | `f > a and f <= b`                                    |
 * | and / or / not             | `a and (b or c)` / `a or (b and c)` / `not (…)`       |
 *
 * Elasticsearch builds the wildcard query of `stringContains`/`endsWith` (and the `:` term)
 * from the raw value, so values holding `*`, `?` or `\` are written as `regex` instead.
 */
import { regexLiteralString } from '../elastic/lucene-regex.js';
import { EQL_WILDCARD_CHARS, nativeInEql, type EsNode, type TermValue, type WildcardPart } from '../elastic/tree.js';
import { eqlField, eqlLiteral, eqlString } from './syntax.js';


function literal(value: TermValue): string {
  return eqlLiteral(value);
}

/** A wildcard pattern as a whole-value Lucene regular expression. */
function wildcardRegex(parts: readonly WildcardPart[]): string {
  return parts.map((p) => ('any' in p ? '.*' : regexLiteralString(p.literal))).join('');
}

/** The single literal of `*literal*`, `*literal` or `literal*` shapes, with the shape. */
function wildcardShape(parts: readonly WildcardPart[]): { shape: 'contains' | 'endswith' | 'startswith' | 'exact'; text: string } | undefined {
  const kinds = parts.map((p) => ('any' in p ? '*' : 'l')).join('');
  const lit = parts.find((p): p is { literal: string } => 'literal' in p)?.literal;
  if (kinds === '*l*' && lit !== undefined) return { shape: 'contains', text: lit };
  if (kinds === '*l' && lit !== undefined) return { shape: 'endswith', text: lit };
  if (kinds === 'l*' && lit !== undefined) return { shape: 'startswith', text: lit };
  if (kinds === 'l' && lit !== undefined) return { shape: 'exact', text: lit };
  return undefined;
}

function wildcard(name: string, parts: readonly WildcardPart[], tilde: '' | '~'): string | undefined {
  const shape = wildcardShape(parts);
  if (!shape) return undefined;
  if (shape.shape === 'startswith') return `startsWith${tilde}(${name}, ${eqlString(shape.text)})`;
  if (EQL_WILDCARD_CHARS.test(shape.text)) return undefined;
  switch (shape.shape) {
    case 'contains':
      return `stringContains${tilde}(${name}, ${eqlString(shape.text)})`;
    case 'endswith':
      return `endsWith${tilde}(${name}, ${eqlString(shape.text)})`;
    case 'exact':
      return tilde === '' ? `${name} == ${eqlString(shape.text)}` : `${name} : ${eqlString(shape.text)}`;
  }
}

/** `node` as an EQL boolean expression (`and` and `or` inside each other parenthesised, `not` always). */
export function renderEql(node: EsNode): string {
  switch (node.kind) {
    case 'all':
      return 'true';
    case 'none':
      return 'false';
    case 'term':
      return `${eqlField(node.field)} == ${literal(node.value)}`;
    case 'terms':
      return `${eqlField(node.field)} in (${node.values.map(literal).join(', ')})`;
    case 'prefix':
      return `startsWith(${eqlField(node.field)}, ${eqlString(node.value)})`;
    case 'wildcard': {
      const name = eqlField(node.field);
      return wildcard(name, node.parts, '') ?? `${name} regex ${eqlString(wildcardRegex(node.parts))}`;
    }
    case 'regexp':
      return `${eqlField(node.field)} regex ${eqlString(node.regex)}`;
    case 'nocase': {
      const name = eqlField(node.field);
      const native = node.native;
      if (native && nativeInEql(native)) {
        return native.op === 'term' ? `${name} : ${eqlString(native.value)}` : `startsWith~(${name}, ${eqlString(native.value)})`;
      }
      return `${name} regex ${eqlString(node.regex)}`;
    }
    case 'exists':
      return `${eqlField(node.field)} != null`;
    case 'range': {
      const name = eqlField(node.field);
      const parts: string[] = [];
      if (node.gt !== undefined) parts.push(`${name} > ${literal(node.gt)}`);
      if (node.gte !== undefined) parts.push(`${name} >= ${literal(node.gte)}`);
      if (node.lt !== undefined) parts.push(`${name} < ${literal(node.lt)}`);
      if (node.lte !== undefined) parts.push(`${name} <= ${literal(node.lte)}`);
      return parts.length === 0 ? `${name} != null` : parts.length === 1 ? parts[0]! : `(${parts.join(' and ')})`;
    }
    case 'and':
      return node.args.map((a) => (a.kind === 'or' ? `(${renderEql(a)})` : renderEql(a))).join(' and ');
    case 'or':
      return node.args.map((a) => (a.kind === 'and' ? `(${renderEql(a)})` : renderEql(a))).join(' or ');
    case 'not':
      return `not (${renderEql(node.arg)})`;
  }
}
