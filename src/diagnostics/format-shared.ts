/**
 * What every diagnostics formatter shares: the report it prints, display paths, counts and
 * the summary lines. The formatters themselves are `format-text.ts`, `format-json.ts`,
 * `format-github.ts` and `format-junit.ts`; `format.ts` is the one table the CLI selects from.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { Diagnostic, Span } from './diagnostic.js';

/**
 * The outcome of one test case, as the test runner (`src/eval/run-tests.ts`) reports it.
 * Declared here structurally so formatting does not depend on the evaluator.
 */
export interface TestOutcome {
  readonly detection: string;
  readonly test: string;
  readonly expect: 'match' | 'no-match';
  readonly passed: boolean;
  readonly alerts: number;
  readonly span: Span;
}

/** Everything one command has to say, handed to a formatter. */
export interface Report {
  readonly diagnostics: readonly Diagnostic[];
  /** Source text by the file name used in spans, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /** Informational lines (`wrote 3 files to generated`, unavailable targets, …). */
  readonly notes?: readonly string[];
  /** Present for `detect test`: one entry per test case, in run order. */
  readonly tests?: readonly TestOutcome[];
  /** Present for `detect compile` when output was written. */
  readonly output?: { readonly dir: string; readonly written: number; readonly removed: number };
  /** The detection files read (names as in spans), for forms that list every file (JUnit). */
  readonly files?: readonly string[];
  /** Every detection declared in those files, for forms with one entry per detection (JUnit). */
  readonly detections?: readonly { readonly name: string; readonly span: Span }[];
  /**
   * Why the run did not check every detection (it stopped at errors): forms with one entry per
   * detection or test (JUnit) mark those without an error of their own as skipped, not passed.
   * The commands also give it as a note.
   */
  readonly unchecked?: string;
}

export interface FormatContext {
  /** Paths are shown relative to this folder. */
  readonly cwd: string;
  /** Colour for the text form; a level-0 instance prints plain text. */
  readonly chalk: ChalkInstance;
}

/** A formatter turns a report into the complete text to print (ending with a newline). */
export type Formatter = (report: Report, context: FormatContext) => string;

/** `file` as shown to the user: relative to `cwd`, with `/` separators. */
export function displayPath(file: string, cwd: string): string {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(cwd, absolute);
  const shown = rel === '' ? '.' : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
}

/** Number of errors and warnings in `diagnostics`. */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): Counts {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line of `validate`/`compile`: `2 errors, 1 warning`. */
export function diagnosticsSummaryLine(counts: Counts): string {
  return `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}`;
}

/** The closing line of `detect test`, exactly `N passed, N failed`. */
export function testSummaryLine(tests: readonly TestOutcome[]): string {
  const passed = tests.filter((t) => t.passed).length;
  return `${passed} passed, ${tests.length - passed} failed`;
}

/** `detection › test`, how a test case is named in every output form. */
export function testTitle(test: TestOutcome): string {
  return `${test.detection} › ${test.test}`;
}
