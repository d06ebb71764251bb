/**
 * Case-insensitive string comparisons (`nocase`) as exact Lucene regular expressions.
 *
 * The evaluator lower-cases both sides with `toLowerCase()` (Unicode, no locale) and compares.
 * A document character therefore matches a value character c when its lower case is c: for
 * `k` that is k, K and U+212A KELVIN SIGN; for `é` it is é and É. Elasticsearch's
 * `case_insensitive` flag only pairs ASCII letters (k with K), so it is used only when it gives
 * exactly these sets; otherwise the comparison is a `regexp` over the exact character sets.
 *
 * One character lower-cases to two code points (U+0130 → "i̇"): a value containing U+0307
 * after lower-casing is refused; a document's U+0130 can only supply a final `i` of a
 * `contains`/`startswith` value, and is added to that position's set.
 *
 * One character lower-cases by context: Σ becomes final ς after a letter at the end of a word,
 * σ elsewhere. A value holding Σ, σ or ς is refused (validation refuses it first, DET3030); a
 * value without one is exact, as a document's Σ, in either lower case, matches none of its
 * characters.
 */
import { regexClassText, regexLiteral } from './lucene-regex.js';
import { lowerClass, multiCodePointLowerCases } from './lower-case.js';

export type NocaseOp = 'eq' | 'startswith' | 'endswith' | 'contains';

export type NocaseTranslation =
  | {
      readonly regex: string;
      /** Elasticsearch's own case-insensitive query, when it is exact. */
      readonly native?: { readonly op: 'term' | 'prefix' | 'wildcard'; readonly value: string };
    }
  | { readonly refused: string };

/** Σ U+03A3, σ U+03C3, ς U+03C2: `toLowerCase()` maps Σ to σ or ς by context. */
const GREEK_SIGMA = /[\u03a3\u03c3\u03c2]/u;

/** What Elasticsearch's `case_insensitive` accepts for a query character: ASCII letters pair up. */
function elasticCaseSet(cp: number): number[] {
  if (cp > 128) return [cp];
  const ch = String.fromCodePoint(cp);
  const other = /[a-z]/.test(ch) ? ch.toUpperCase() : /[A-Z]/.test(ch) ? ch.toLowerCase() : ch;
  const alt = other.codePointAt(0)!;
  return alt === cp ? [cp] : [cp, alt].sort((a, b) => a - b);
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Escapes `*`, `?` and `\` for an Elasticsearch wildcard pattern. */
export function wildcardEscape(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** The exact Lucene form of `actual.toLowerCase() <op> value.toLowerCase()` over a keyword. */
export function translateNocase(op: NocaseOp, value: string): NocaseTranslation {
  if (GREEK_SIGMA.test(value)) {
    return { refused: 'the value holds a Greek sigma (Σ, σ, ς), whose lower case depends on the letters around it (ς at the end of a word, σ elsewhere), which a per-character match cannot reproduce' };
  }
  const lower = [...value.toLowerCase()].map((c) => c.codePointAt(0)!);
  const multi = multiCodePointLowerCases();
  for (const [source, lowered] of multi) {
    const tails = lowered.slice(1);
    if (lower.some((cp) => tails.includes(cp))) {
      return {
        refused: `the value lower-cases to text containing U+${tails[0]!.toString(16).toUpperCase().padStart(4, '0')} (from characters such as U+${source.toString(16).toUpperCase().padStart(4, '0')}), which a per-character match cannot reproduce`,
      };
    }
  }
  const sets = lower.map((cp) => lowerClass(cp));
  let widened = false;
  const last = lower[lower.length - 1];
  if ((op === 'contains' || op === 'startswith') && last !== undefined) {
    for (const [source, lowered] of multi) {
      if (lowered[0] === last) {
        sets[sets.length - 1] = [...sets[sets.length - 1]!, source].sort((a, b) => a - b);
        widened = true;
      }
    }
  }
  const parts: string[] = [];
  for (const [i, set] of sets.entries()) {
    const text = regexClassText(set);
    parts.push(text ?? regexLiteral(lower[i]!));
  }
  const body = parts.join('');
  const regex = op === 'eq' ? body : op === 'startswith' ? `${body}.*` : op === 'endswith' ? `.*${body}` : `.*${body}.*`;

  const original = [...value].map((c) => c.codePointAt(0)!);
  const nativeExact =
    !widened && original.length === sets.length && original.every((cp, i) => sameSet(elasticCaseSet(cp), sets[i]!));
  if (!nativeExact) return { regex };
  const native =
    op === 'eq'
      ? ({ op: 'term', value } as const)
      : op === 'startswith'
        ? ({ op: 'prefix', value } as const)
        : op === 'endswith'
          ? ({ op: 'wildcard', value: `*${wildcardEscape(value)}` } as const)
          : ({ op: 'wildcard', value: `*${wildcardEscape(value)}*` } as const);
  return { regex, native };
}
