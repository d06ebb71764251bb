/**
 * The GitHub Actions form: one workflow command per diagnostic, which GitHub turns into an
 * annotation on the pull request's diff,
 *
 * ```
 * ::error file=detections/x.det,line=12,col=5,endLine=12,endColumn=13,title=DET3003::unknown field 'proc.nme'%0Ahint: …
 * ```
 *
 * then the plain summary line. `endColumn` is the span's exclusive end, as in the JSON form.
 * Escaping follows `@actions/core`: in the message `%`, `\r`, `\n`; in properties also `:`
 * and `,`. Before that, the message, hint, notes and file name are escaped as in the text form
 * (`printable`: controls such as ESC, U+2028/U+2029, bidi characters), and so are the names of
 * the test result lines that come first: a raw line break in a name would start a workflow
 * command of its own.
 */
import type { Diagnostic } from './diagnostic.js';
import {
  countDiagnostics,
  diagnosticsSummaryLine,
  displayPath,
  testSummaryLine,
  testTitle,
  type FormatContext,
  type Report,
} from './format-shared.js';
import { printable } from './printable.js';

/** Escapes the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…::message` for one diagnostic. */
export function formatDiagnosticGithub(d: Diagnostic, cwd: string): string {
  const props: [string, string][] = [];
  if (d.span) {
    props.push(
      ['file', printable(displayPath(d.span.file, cwd))],
      ['line', String(d.span.start.line)],
      ['col', String(d.span.start.column)],
      ['endLine', String(d.span.end.line)],
      ['endColumn', String(d.span.end.column)],
    );
  }
  props.push(['title', d.code]);
  // The message, details and hint may quote the input: its controls, separators and bidi
  // characters are shown escaped as in the text form; the only line breaks are those between them (%0A).
  const message = [printable(d.message), ...(d.details ?? []).map((l) => `· ${printable(l)}`), ...(d.hint ? [`hint: ${printable(d.hint)}`] : [])].join('\n');
  const command = d.severity === 'error' ? 'error' : 'warning';
  return `::${command} ${props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',')}::${escapeData(message)}`;
}

/** The whole report as workflow commands, then the summary line. */
export function formatGithub(report: Report, context: FormatContext): string {
  const out: string[] = [];
  for (const t of report.tests ?? []) out.push(`${t.passed ? '✓' : '✗'} ${printable(testTitle(t))}`);
  for (const d of report.diagnostics) out.push(formatDiagnosticGithub(d, context.cwd));
  for (const note of report.notes ?? []) out.push(`::notice::${escapeData(printable(note))}`);
  out.push(report.tests ? testSummaryLine(report.tests) : diagnosticsSummaryLine(countDiagnostics(report.diagnostics)));
  return out.join('\n') + '\n';
}
