/**
 * The JUnit XML form, for CI test reporters:
 *
 * ```xml
 * <?xml version="1.0" encoding="UTF-8"?>
 * <testsuites name="detect" tests="2" failures="1" errors="0" skipped="0">
 *   <testsuite name="detections/a.det" tests="2" failures="1" errors="0" skipped="0">
 *     <testcase classname="netcat" name="fires">
 *       <failure type="DET4001" message="test &quot;fires&quot; of netcat expects a match, …">…</failure>
 *     </testcase>
 *   </testsuite>
 * </testsuites>
 * ```
 *
 * One `<testsuite>` per `.det` file (sorted by path). `detect test`: one `<testcase>` per test
 * case (classname = detection, name = test). `detect validate`: one `<testcase>` per detection
 * (classname = detection, name = `validate`), failing with its errors. Diagnostics tied to
 * neither (a syntax error between blocks, an unused list) go to one `(file)` testcase of their
 * file, those without a file to a suite named `detect`. Warnings never fail a case; they are
 * listed in `<system-out>`. When the run stopped at errors before checking everything
 * (`Report.unchecked`), a case without an error of its own is `<skipped>`, never a pass.
 * Deterministic: sorted, no timestamps, no durations.
 */
import type { Diagnostic, Span } from './diagnostic.js';
import { displayPath, type FormatContext, type Report, type TestOutcome } from './format-shared.js';

/**
 * Replaces by a visible `\uXXXX` what XML 1.0 cannot hold at all (C0 controls other than tab,
 * LF and CR, lone surrogates, U+FFFE and U+FFFF), and what it can but a report viewer would act
 * on instead of showing (DEL and C1 controls, U+2028/U+2029, bidi controls such as U+202E,
 * which reorder the text around them), as the text form does (`printable.ts`). Tab, LF and
 * CR stay: XML holds them exactly.
 */
export function stripInvalidXmlChars(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (ch) =>
    `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** Escapes text content: `&`, `<`, `>` (and invalid characters). */
export function escapeXmlText(s: string): string {
  return stripInvalidXmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted): also `"`, `'`, and tab/LF/CR so they survive normalisation. */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly order: number;
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
  /** A failed test case (with no DET4001 diagnostic to describe it). */
  failedTest?: TestOutcome;
}

function contains(outer: Span, d: Diagnostic): boolean {
  // A diagnostic in another file (a test's events file) belongs where it comes from.
  const s = d.origin ?? d.span;
  return s !== undefined && s.file === outer.file && s.start.offset >= outer.start.offset && s.start.offset < outer.end.offset;
}

function sameSpan(a: Span, b: Span | undefined): boolean {
  return b !== undefined && a.file === b.file && a.start.offset === b.start.offset && a.end.offset === b.end.offset;
}

function diagnosticLine(d: Diagnostic, cwd: string): string {
  const at = d.span ? `${displayPath(d.span.file, cwd)}:${d.span.start.line}:${d.span.start.column}: ` : '';
  const details = (d.details ?? []).map((l) => `\n· ${l}`).join('');
  return `${at}${d.severity} ${d.code}: ${d.message}${details}${d.hint ? `\nhint: ${d.hint}` : ''}`;
}

function caseXml(c: Case, cwd: string, unchecked: string | undefined): string[] {
  const head = `    <testcase classname="${escapeXmlAttr(c.classname)}" name="${escapeXmlAttr(c.name)}"`;
  const body: string[] = [];
  if (skipped(c, unchecked)) body.push(`      <skipped message="${escapeXmlAttr(unchecked as string)}"/>`);
  else if (c.errors.length > 0) {
    const first = c.errors[0] as Diagnostic;
    const text = c.errors.map((d) => diagnosticLine(d, cwd)).join('\n\n');
    body.push(`      <failure type="${escapeXmlAttr(first.code)}" message="${escapeXmlAttr(first.message)}">${escapeXmlText(text)}</failure>`);
  } else if (c.failedTest) {
    const t = c.failedTest;
    const message = `test "${t.test}" of ${t.detection} failed`;
    const at = `${displayPath(t.span.file, cwd)}:${t.span.start.line}:${t.span.start.column}`;
    body.push(`      <failure type="DET4001" message="${escapeXmlAttr(message)}">${escapeXmlText(`${at}: ${message}`)}</failure>`);
  }
  if (c.warnings.length > 0) {
    body.push(`      <system-out>${escapeXmlText(c.warnings.map((d) => diagnosticLine(d, cwd)).join('\n\n'))}</system-out>`);
  }
  return body.length === 0 ? [`${head}/>`] : [`${head}>`, ...body, '    </testcase>'];
}

function failed(c: Case): boolean {
  return c.errors.length > 0 || c.failedTest !== undefined;
}

/** A case the run did not get to check: nothing failed in it, but the run stopped before it could pass. */
function skipped(c: Case, unchecked: string | undefined): boolean {
  return unchecked !== undefined && !failed(c);
}

function compareCases(a: Case, b: Case): number {
  if (a.classname !== b.classname) return a.classname < b.classname ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.order - b.order;
}

/** The whole report as one JUnit XML document. */
export function formatJunit(report: Report, context: FormatContext): string {
  const cwd = context.cwd;
  const suites = new Map<string, Case[]>();
  const suite = (file: string): Case[] => {
    let cases = suites.get(file);
    if (!cases) suites.set(file, (cases = []));
    return cases;
  };
  for (const f of report.files ?? []) suite(displayPath(f, cwd));

  // Units a diagnostic can belong to, most specific first: test cases, then detections.
  const units: { span: Span; c: Case }[] = [];
  const testUnits: { span: Span; c: Case }[] = [];
  let order = 0;
  if (report.tests) {
    for (const t of report.tests) {
      const c: Case = { classname: t.detection, name: t.test, order: order++, errors: [], warnings: [] };
      if (!t.passed) c.failedTest = t;
      suite(displayPath(t.span.file, cwd)).push(c);
      testUnits.push({ span: t.span, c });
    }
  } else {
    for (const d of report.detections ?? []) {
      const c: Case = { classname: d.name, name: 'validate', order: order++, errors: [], warnings: [] };
      suite(displayPath(d.span.file, cwd)).push(c);
      units.push({ span: d.span, c });
    }
  }

  const fileCases = new Map<string, Case>();
  const fileCase = (file: string): Case => {
    let c = fileCases.get(file);
    if (!c) {
      c = { classname: file, name: '(file)', order: order++, errors: [], warnings: [] };
      fileCases.set(file, c);
      suite(file).push(c);
    }
    return c;
  };
  for (const d of report.diagnostics) {
    const unit =
      (d.code === 'DET4001' || d.code === 'DET4007' ? testUnits.find((u) => sameSpan(u.span, d.span)) : undefined) ??
      testUnits.find((u) => contains(u.span, d)) ??
      units.find((u) => contains(u.span, d));
    const c = unit ? unit.c : fileCase(d.span ? displayPath(d.span.file, cwd) : 'detect');
    (d.severity === 'error' ? c.errors : c.warnings).push(d);
  }

  let total = 0;
  let failures = 0;
  let skips = 0;
  const body: string[] = [];
  for (const name of [...suites.keys()].sort()) {
    const cases = [...(suites.get(name) as Case[])].sort(compareCases);
    const f = cases.filter(failed).length;
    const s = cases.filter((c) => skipped(c, report.unchecked)).length;
    total += cases.length;
    failures += f;
    skips += s;
    const head = `  <testsuite name="${escapeXmlAttr(name)}" tests="${cases.length}" failures="${f}" errors="0" skipped="${s}"`;
    if (cases.length === 0) {
      body.push(`${head}/>`);
      continue;
    }
    body.push(`${head}>`);
    for (const c of cases) body.push(...caseXml(c, cwd, report.unchecked));
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="detect" tests="${total}" failures="${failures}" errors="0" skipped="${skips}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
