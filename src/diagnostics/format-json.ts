/**
 * The machine form of a report: exactly one JSON document on stdout,
 *
 * ```json
 * { "diagnostics": [ { "code": "DET3003", "severity": "error", "message": "…",
 *     "file": "detections/x.det", "line": 12, "column": 5, "endLine": 12, "endColumn": 13,
 *     "hint": "…", "details": [] } ],
 *   "summary": { "errors": 1, "warnings": 0 } }
 * ```
 *
 * Every diagnostic has every key (`null` when absent: no span, no hint; `details`, the lines
 * explaining a failed test, is `[]` for most). Lines and columns are
 * 1-based; `endColumn` is exclusive. `detect test` adds `tests` and `summary.passed/failed`;
 * `notes` and `output` appear when the command has them.
 */
import type { Diagnostic } from './diagnostic.js';
import { countDiagnostics, displayPath, type FormatContext, type Report } from './format-shared.js';

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
  readonly hint: string | null;
  /** Lines explaining the problem (why a test failed); empty for most diagnostics. */
  readonly details: readonly string[];
}

/** One diagnostic as the JSON form shows it. */
export function toJsonDiagnostic(d: Diagnostic, cwd: string): JsonDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.span ? displayPath(d.span.file, cwd) : null,
    line: d.span?.start.line ?? null,
    column: d.span?.start.column ?? null,
    endLine: d.span?.end.line ?? null,
    endColumn: d.span?.end.column ?? null,
    hint: d.hint ?? null,
    details: d.details ?? [],
  };
}

/** The whole report as one JSON document (2-space indented, newline-terminated). */
export function formatJson(report: Report, context: FormatContext): string {
  const counts = countDiagnostics(report.diagnostics);
  const doc: Record<string, unknown> = {
    diagnostics: report.diagnostics.map((d) => toJsonDiagnostic(d, context.cwd)),
  };
  if (report.tests) {
    doc.tests = report.tests.map((t) => ({
      detection: t.detection,
      test: t.test,
      expect: t.expect,
      passed: t.passed,
      alerts: t.alerts,
      file: displayPath(t.span.file, context.cwd),
      line: t.span.start.line,
      column: t.span.start.column,
    }));
  }
  if (report.notes && report.notes.length > 0) doc.notes = [...report.notes];
  if (report.output) doc.output = { ...report.output, dir: displayPath(report.output.dir, context.cwd) };
  const summary: Record<string, number> = { errors: counts.errors, warnings: counts.warnings };
  if (report.tests) {
    const passed = report.tests.filter((t) => t.passed).length;
    summary.passed = passed;
    summary.failed = report.tests.length - passed;
  }
  doc.summary = summary;
  return JSON.stringify(doc, null, 2) + '\n';
}
