/**
 * What the CLI touches of its process, gathered so `main()` can run inside tests: output
 * streams, the working folder, the environment and the terminal's colour support.
 */
import chalk, { Chalk, type ChalkInstance, type ColorSupportLevel } from 'chalk';

export interface CliIo {
  /** Reports (diagnostics, test results, summaries) go here. */
  readonly stdout: (text: string) => void;
  /** Usage errors and internal errors go here. */
  readonly stderr: (text: string) => void;
  /** Paths are resolved against and shown relative to this folder. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Colour level the terminal supports, before `--no-color` and `NO_COLOR`. */
  readonly colorLevel: ColorSupportLevel;
}

/**
 * A reader that went away (`detect validate | head`) is no error of detect's: the rest of the
 * report is dropped and the run ends with its own exit code, without Node's stack trace for an
 * unhandled `EPIPE`. Any other error of the stream is raised as before.
 */
function dropOutputAfterClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listeners('error').includes(onStreamError)) return;
  stream.on('error', onStreamError);
}

function onStreamError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
}

/** The real process: its streams, `process.cwd()`, `process.env`, chalk's detected level. */
export function processIo(): CliIo {
  dropOutputAfterClosedPipe(process.stdout);
  dropOutputAfterClosedPipe(process.stderr);
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    colorLevel: chalk.level,
  };
}

/**
 * The chalk instance for a run: no colour with `--no-color` (`wantColor` false) or when the
 * `NO_COLOR` environment variable is set to anything non-empty (no-color.org).
 */
export function chalkFor(io: CliIo, wantColor: boolean): ChalkInstance {
  const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return new Chalk({ level: wantColor && !noColorEnv ? io.colorLevel : 0 });
}
