/** `detect validate <paths...>`. */
import type { TargetSelection } from '../../backends/index.js';
import { kustoCacheFor } from '../cache.js';
import { exitCodeFor } from '../exit-codes.js';
import { reportUnits, validate } from '../pipeline.js';
import { printReport, type CommandContext } from '../report.js';

export interface ValidateFlags {
  /** Compare with the detections at this git revision (`--base`). */
  readonly base?: string;
  /** The targets checked against (`--target`, default all): their limits and what they cannot express. */
  readonly target?: TargetSelection;
  /** The Elastic field profile (`--elastic-profile`, default: the source's). */
  readonly elasticProfile?: string;
}

/** Parses, lowers and validates `paths` and reports; returns the exit code. */
export function runValidate(paths: readonly string[], context: CommandContext, flags: ValidateFlags = {}): number {
  const kustoCache = kustoCacheFor(context.io.cwd, context.cache);
  const result = validate(paths, {
    cwd: context.io.cwd,
    ...(kustoCache ? { kustoCache } : {}),
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    ...(flags.target !== undefined ? { target: flags.target } : {}),
    ...(flags.elasticProfile !== undefined ? { elasticProfile: flags.elasticProfile } : {}),
  });
  kustoCache?.flush();
  printReport(context, { diagnostics: result.diagnostics, sources: result.sources, ...reportUnits(result) });
  return exitCodeFor(result.diagnostics);
}
