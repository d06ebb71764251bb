/**
 * Regular expressions that must behave the same in JavaScript (the evaluator, `u` flag) and in
 * RE2 (KQL): the cluster host name pattern here, and usable for `regex` conditions.
 */
import { toKustoRegex } from '../regex/kusto.js';

/**
 * Why `pattern` is not usable in both JavaScript (with the `u` flag) and RE2, or `undefined`
 * when it is. Rejects what JavaScript does not parse, look-around and back-references (RE2 has
 * neither).
 */
export function regexProblem(pattern: string): string | undefined {
  // In a YAML double-quoted string `\b` is a backspace, never the word boundary it was meant as.
  if (pattern.includes('\b')) return 'it holds a backspace character (U+0008): in a double-quoted YAML string `\\b` is a backspace; write the pattern in single quotes, or `\\\\b`, for a word boundary';
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `not a valid regular expression (${(e as Error).message})`;
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return 'back-references (\\1 …) are not supported by RE2';
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return 'named back-references (\\k<…>) are not supported by RE2';
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') {
        return 'look-around ((?=…), (?!…), (?<=…), (?<!…)) is not supported by RE2';
      }
    }
  }
  return undefined;
}

/** Number of capture groups of a valid JavaScript `u` pattern. */
export function captureGroupCount(pattern: string): number {
  const m = new RegExp(`${pattern}|`, 'u').exec('');
  return m ? m.length - 1 : 0;
}

/**
 * Why `pattern` cannot recognise a cluster in a host name, or `undefined` when it can: the
 * Sentinel parser runs it in KQL through the same translation as `regex` conditions
 * (`toKustoRegex`: `.`, `\s`, `\d`, `\w` rewritten to their JavaScript meaning), so what that
 * translation refuses is refused here, at the source.
 */
export function checkHostnamePattern(pattern: string): string | undefined {
  const problem = regexProblem(pattern);
  if (problem) return problem;
  const groups = captureGroupCount(pattern);
  if (groups !== 1) return `needs exactly one capture group (the cluster name), has ${groups}`;
  const kql = toKustoRegex(pattern);
  if ('refused' in kql) return `has no exact KQL equivalent for the Sentinel parser: ${kql.refused}`;
  return undefined;
}
