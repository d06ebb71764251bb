/**
 * TestsPresentRule — warnings about a detection's tests, as written:
 * - DET3014: no tests at all;
 * - DET3015: no test that must match, or none that must not match.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../ir/report.js';
import type { RuleContext } from '../context.js';

/** Detections without tests (DET3014) or without both kinds of test (DET3015); warnings. */
export function TestsPresentRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { decl } of ctx.detectionDecls()) {
    const tests = decl.members.filter((m) => m.kind === 'Test');
    const name = decl.name.name;
    if (tests.length === 0) {
      out.push(
        diagnostic(
          Codes.NoTests,
          decl.name.span,
          `detection \`${name}\` has no tests`,
          'add `test "…" matches { <event> }` and `test "…" does not match { <event> }`',
        ),
      );
      continue;
    }
    if (!tests.some((t) => t.expect === 'match')) {
      out.push(
        diagnostic(
          Codes.MissingMatchTest,
          decl.name.span,
          `detection \`${name}\` has no test that must match`,
          'add `test "…" matches { <an event it must alert on> }`',
        ),
      );
    }
    if (!tests.some((t) => t.expect === 'no-match')) {
      out.push(
        diagnostic(
          Codes.MissingMatchTest,
          decl.name.span,
          `detection \`${name}\` has no test that must not match`,
          'add `test "…" does not match { <a similar, benign event> }`',
        ),
      );
    }
  }
  return out;
}
