/**
 * Small helpers to build diagnostics from catalog entries, shared by lowering and validation.
 */
import type { CodeInfo } from '../diagnostics/codes.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { TextSpan } from '../syntax/positions.js';

/** A diagnostic for catalog entry `info` (its code and severity) at `span`. */
export function diagnostic(info: CodeInfo, span: Span | undefined, message: string, hint: string, origin?: Span): Diagnostic {
  const d: Diagnostic =
    span === undefined ? { code: info.code, severity: info.severity, message, hint } : { code: info.code, severity: info.severity, message, span: copySpan(span), hint };
  return origin === undefined ? d : { ...d, origin: copySpan(origin) };
}

/** A fresh copy of a span, so the IR never shares (and freezes) objects of the AST. */
export function copySpan(span: Span): Span {
  // A TextSpan (AST) computes fresh Position objects on each read: they are copies already.
  if (span instanceof TextSpan) return { file: span.file, start: span.start, end: span.end };
  const { start, end } = span;
  return {
    file: span.file,
    start: { offset: start.offset, line: start.line, column: start.column },
    end: { offset: end.offset, line: end.line, column: end.column },
  };
}

/**
 * A copy of a span for the IR, frozen now (the IR is deep-frozen anyway; `deepFreeze` then
 * stops at it instead of walking it).
 */
export function irSpan(span: Span): Span {
  const copy = copySpan(span);
  Object.freeze(copy.start);
  Object.freeze(copy.end);
  return Object.freeze(copy);
}

/** Collects diagnostics and counts errors, so a caller can tell whether a step added any. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private errors = 0;

  /** Reports a problem of catalog entry `info` at `span`. */
  report(info: CodeInfo, span: Span | undefined, message: string, hint: string, origin?: Span): void {
    this.diagnostics.push(diagnostic(info, span, message, hint, origin));
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
