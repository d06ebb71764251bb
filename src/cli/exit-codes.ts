/**
 * Exit codes of `detect`: 0 success (warnings allowed), 1 invalid detections or failed
 * tests, 2 usage error (bad arguments, missing paths, unusable --out, unavailable target),
 * 3 internal error (a compiler bug; user errors never get there).
 */
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export const ExitCode = {
  Ok: 0,
  Invalid: 1,
  Usage: 2,
  Internal: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Diagnostics about how the command was called rather than about the detections. */
const USAGE_CODES: ReadonlySet<string> = new Set([
  Codes.TargetNotAvailable.code,
  Codes.PathNotFound.code,
  Codes.NoInputFiles.code,
  Codes.OutputNotDirectory.code,
  Codes.OutputUnsafe.code,
  Codes.UnknownElasticProfile.code,
  Codes.BaseUnavailable.code,
  Codes.OutputLocked.code,
]);

/** The exit code for a run that reported `diagnostics`: 2 for usage errors, 1 for others. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): ExitCodeValue {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return ExitCode.Ok;
  return errors.some((d) => USAGE_CODES.has(d.code)) ? ExitCode.Usage : ExitCode.Invalid;
}
