/**
 * A `.det` file that is another format's rules file: Falco's rules YAML (`- rule: …`,
 * `- macro: …`, `- list: …`) or a Sigma rule (`logsource:` and `detection:` at the start of
 * lines). Its lines are not this language's, so reporting each one's syntax error would only
 * bury the one thing to say: it needs to be written as detections. That is said once, at its
 * first line, and the file is not parsed further.
 */
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineIndex } from './positions.js';

/** The first line that is neither blank, a `#` comment nor YAML's `---`: where the file's content starts. */
function firstContent(text: string): { offset: number; line: string } | undefined {
  const lines = /[^\r\n]*/g;
  for (let m = lines.exec(text); m !== null && m.index < text.length; m = lines.exec(text)) {
    const line = m[0].replace(/^\ufeff/, '');
    if (line.trim() !== '' && !line.trimStart().startsWith('#') && line.trim() !== '---') return { offset: m.index + (m[0].length - m[0].trimStart().length), line: m[0] };
    lines.lastIndex = m.index + m[0].length + 1;
  }
  return undefined;
}

/** A Falco rules file's entry: `- rule:`, `- macro:`, … */
export const FALCO_ENTRY = /^\s*-\s+(rule|macro|list|required_engine_version|required_plugin_versions)\s*:/;
/** A Sigma rule's first line: one of its top-level keys, at the start of the line (no .det file starts so). */
const SIGMA_FIRST = /^(title|id|name|status|description|author|logsource|detection)[ \t]*:/;
/** Only this much of a file is looked at for Sigma's two keys (they come first in a rule). */
const SIGMA_SCAN = 64 * 1024;

/** Whether the first content line of `text` is a Falco rules file's entry. */
export function looksLikeFalcoRules(text: string): boolean {
  const first = firstContent(text);
  return first !== undefined && FALCO_ENTRY.test(first.line);
}

/** DET1010 for a Falco or Sigma rules file, or undefined for anything else. */
export function foreignFileDiagnostic(text: string, lines: LineIndex): Diagnostic | undefined {
  const first = firstContent(text);
  if (first === undefined) return undefined;
  const falco = FALCO_ENTRY.exec(first.line);
  if (falco) {
    return {
      code: Codes.SyntaxError.code,
      severity: Codes.SyntaxError.severity,
      message: `this is a Falco rules file (YAML, \`- ${falco[1]}:\`), not a .det file`,
      span: lines.span(first.offset, first.offset + first.line.trimStart().length),
      hint: 'Write each rule as `detection name { … }` (see the README): `desc:` is `description:`, `priority:` is `severity:`, a list is `list name = ["a", "b"]`, a macro `macro name = <condition>`; values are quoted, `=` is `==`, `in (a, b)` is `in ["a", "b"]`.',
    };
  }
  const head = text.slice(0, SIGMA_SCAN);
  if (SIGMA_FIRST.test(first.line.replace(/^\ufeff/, '')) && /^logsource:[ \t]*\r?$/m.test(head) && /^detection:[ \t]*\r?$/m.test(head)) {
    return {
      code: Codes.SyntaxError.code,
      severity: Codes.SyntaxError.severity,
      message: 'this is a Sigma rule (YAML, `logsource:` and `detection:`), not a .det file',
      span: lines.span(first.offset, first.offset + first.line.trimStart().length),
      hint: "Write it as `detection name { … }` (see the README): `level:` is `severity:`, the `detection:` selections become a `condition:` over Falco's fields, `falsepositives:` is `false_positives:`.",
    };
  }
  return undefined;
}
