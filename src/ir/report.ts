/**
 * Small helpers to build diagnostics from catalog entries, shared by lowering and validation.
 */
import type { CodeInfo } from '../diagnostics/codes.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';

/** A diagnostic for catalog entry `info` (its code and severity) at `span`. */
export function diagnostic(info: CodeInfo, span: Span | undefined, message: string, hint: string): Diagnostic {
  return span === undefined
    ? { code: info.code, severity: info.severity, message, hint }
    : { code: info.code, severity: info.severity, message, span: copySpan(span), hint };
}

/** A fresh copy of a span, so the IR never shares (and freezes) objects of the AST. */
export function copySpan(span: Span): Span {
  return {
    file: span.file,
    start: { offset: span.start.offset, line: span.start.line, column: span.start.column },
    end: { offset: span.end.offset, line: span.end.line, column: span.end.column },
  };
}

/** Collects diagnostics and counts errors, so a caller can tell whether a step added any. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private errors = 0;

  /** Reports a problem of catalog entry `info` at `span`. */
  report(info: CodeInfo, span: Span | undefined, message: string, hint: string): void {
    this.diagnostics.push(diagnostic(info, span, message, hint));
    if (info.severity === 'error') this.errors++;
  }

  /** Number of errors reported so far. */
  get errorCount(): number {
    return this.errors;
  }
}

/** `file:line:column` of a span's start, for messages that point at another place. */
export function where(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}
