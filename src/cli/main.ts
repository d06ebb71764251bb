/**
 * Entry point of the `detect` command (`bin/detect.js` calls `main` and sets the exit code).
 */
import { CommanderError } from 'commander';
import { ExitCode } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { buildProgram } from './program.js';

/** The message for an unexpected exception: a compiler bug, never a user error. */
export function internalErrorText(error: unknown): string {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return [
    'detect: internal error (a bug in detect, not in your detections)',
    detail,
    'Please report it with the command you ran and, if you can, the files involved.',
    '',
  ].join('\n');
}

/**
 * Runs the `detect` command line. `argv` is as in `process.argv` (node, script, arguments…);
 * `io` defaults to the real process. Returns the exit code: 0 ok (warnings allowed), 1 invalid
 * detections or failed tests, 2 usage error, 3 internal error.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  try {
    const program = buildProgram(io, (code) => {
      exitCode = code;
    });
    await program.parseAsync([...argv], { from: 'node' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with exit code 0; every other commander error is a usage error.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    io.stderr(internalErrorText(error));
    return ExitCode.Internal;
  }
}
