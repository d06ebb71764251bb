/**
 * The human form of a report:
 *
 * ```
 * detections/x.det:12:5: error DET3003: unknown field 'proc.nme'
 *   12 |     proc.nme == "nc"
 *      |     ^~~~~~~~
 *   hint: did you mean 'proc.name'?
 *
 * 1 error, 0 warnings
 * ```
 *
 * `detect test` puts one `✓`/`✗` line per case first and closes with `N passed, N failed`.
 * Every text taken from the input (paths, messages, hints, notes, test names, the code frame's
 * line) goes through `printable`: no control character, line separator or bidi control is
 * printed raw.
 */
import type { ChalkInstance } from 'chalk';
import { codeFrame } from './code-frame.js';
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

/** Formats one diagnostic: header line, code frame (when the source is known), hint. */
export function formatDiagnosticText(d: Diagnostic, sources: ReadonlyMap<string, string>, context: FormatContext): string[] {
  const c = context.chalk;
  const severity = d.severity === 'error' ? c.red.bold('error') : c.yellow.bold('warning');
  const location = d.span
    ? c.bold(`${printable(displayPath(d.span.file, context.cwd))}:${d.span.start.line}:${d.span.start.column}:`) + ' '
    : '';
  const lines = [`${location}${severity} ${c.dim(printable(d.code))}: ${printable(d.message)}`];
  if (d.span) {
    const text = sources.get(d.span.file);
    if (text !== undefined) lines.push(...codeFrame(text, d.span, { chalk: c, severity: d.severity }));
  }
  // Each detail and the hint are one line: they may quote the input, so a line break in it is shown as `\n`.
  for (const detail of d.details ?? []) lines.push(`  ${c.dim('·')} ${printable(detail)}`);
  if (d.hint) lines.push(`  ${c.cyan('hint:')} ${printable(d.hint)}`);
  return lines;
}

function testLine(passed: boolean, title: string, c: ChalkInstance): string {
  return passed ? `${c.green('✓')} ${title}` : `${c.red('✗')} ${title}`;
}

/** The whole report in the human form, ending with its summary line and a newline. */
export function formatText(report: Report, context: FormatContext): string {
  const c = context.chalk;
  const out: string[] = [];
  if (report.tests) {
    for (const t of report.tests) out.push(testLine(t.passed, printable(testTitle(t)), c));
    if (report.tests.length > 0) out.push('');
  }
  for (const d of report.diagnostics) {
    out.push(...formatDiagnosticText(d, report.sources, context), '');
  }
  for (const note of report.notes ?? []) out.push(`${c.blue('note:')} ${printable(note)}`);
  if (report.tests) {
    // Exactly `N passed, N failed`, plain, alone on the last line: CI reads it.
    out.push(testSummaryLine(report.tests));
  } else {
    // Plain, never coloured: scripts read the closing line.
    out.push(diagnosticsSummaryLine(countDiagnostics(report.diagnostics)));
  }
  return out.join('\n') + '\n';
}
