/** `detect test [paths...]`. */
import { ExitCode, exitCodeFor } from '../exit-codes.js';
import { reportUnits, test } from '../pipeline.js';
import { printReport, type CommandContext } from '../report.js';

/**
 * Runs every test case of `paths`: one `✓`/`✗` line per case, the failures with their
 * location, then `N passed, N failed`. Exit 1 when a case failed or the detections are invalid.
 */
export function runTest(paths: readonly string[], context: CommandContext): number {
  const result = test(paths, { cwd: context.io.cwd });
  printReport(context, {
    diagnostics: result.diagnostics,
    sources: result.sources,
    ...reportUnits(result),
    ...(result.tests ? { tests: result.tests } : {}),
  });
  const code = exitCodeFor(result.diagnostics);
  if (code !== ExitCode.Ok) return code;
  return result.tests?.some((t) => !t.passed) ? ExitCode.Invalid : ExitCode.Ok;
}
