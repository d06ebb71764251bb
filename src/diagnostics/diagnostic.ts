/**
 * A diagnostic is how every user error travels through the pipeline: stages collect them
 * instead of throwing, so one run reports every problem at once. Only compiler bugs throw.
 */

/** A position in a source file. `line` and `column` are 1-based; `offset` is 0-based. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A half-open range [start, end) in one file. */
export interface Span {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Catalog code, e.g. `DET1001`; see `codes.ts`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Where the problem is. Absent only for problems with no file (e.g. a missing input path). */
  readonly span?: Span;
  /**
   * Lines that explain it, shown after the code frame, before the hint: why a test failed (the
   * comparisons that decided it, with the events' values). Each is one line.
   */
  readonly details?: readonly string[];
  /** How to fix it, shown after the code frame. */
  readonly hint?: string;
  /**
   * Where in a `.det` file the problem comes from when `span` is in another file: the
   * `file "…"` of the test whose events file holds a bad line. Reports that group diagnostics by
   * detection (JUnit, the gate) use it.
   */
  readonly origin?: Span;
}

/** Collects diagnostics for one run. */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];

  add(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
  }

  addAll(diagnostics: Iterable<Diagnostic>): void {
    for (const d of diagnostics) this.items.push(d);
  }

  get all(): readonly Diagnostic[] {
    return this.items;
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /** Diagnostics sorted by file, line, column, then code: deterministic output. */
  sorted(): Diagnostic[] {
    return [...this.items].sort(compareDiagnostics);
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.span?.file ?? '';
  const fb = b.span?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const oa = a.span?.start.offset ?? -1;
  const ob = b.span?.start.offset ?? -1;
  if (oa !== ob) return oa - ob;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return compareNatural(a.message, b.message);
}

const RUNS = /\d+|\D+/g;

/**
 * Orders text with its numbers by value (`line 2` before `line 10`), the rest by UTF-16 code
 * units; equal numbers written differently (`01`, `1`) by their digits.
 */
export function compareNatural(a: string, b: string): number {
  if (a === b) return 0;
  const ra = a.match(RUNS) ?? [];
  const rb = b.match(RUNS) ?? [];
  for (let i = 0; i < ra.length && i < rb.length; i++) {
    const x = ra[i] as string;
    const y = rb[i] as string;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length;
}

/**
 * Appends `items` to `target` one by one: `target.push(...items)` passes each item as an
 * argument, and a run with hundreds of thousands of diagnostics (a megabyte of stray
 * characters) would overflow the stack.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
