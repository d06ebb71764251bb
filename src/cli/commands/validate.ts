/** `detect validate <paths...>`. */
import { kustoCacheFor } from '../cache.js';
import { exitCodeFor } from '../exit-codes.js';
import { validate } from '../pipeline.js';
import { printReport, type CommandContext } from '../report.js';

/** Parses, lowers and validates `paths` and reports; returns the exit code. */
export function runValidate(paths: readonly string[], context: CommandContext): number {
  const kustoCache = kustoCacheFor(context.io.cwd, context.cache);
  const result = validate(paths, { cwd: context.io.cwd, ...(kustoCache ? { kustoCache } : {}) });
  kustoCache?.flush();
  printReport(context, { diagnostics: result.diagnostics, sources: result.sources });
  return exitCodeFor(result.diagnostics);
}
