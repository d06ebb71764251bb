/**
 * The `detect` command line (commander): commands, options and their help. Actions only parse
 * options and call the command modules; each reports its exit code through `setExit`.
 * Command modules (and with them the whole compiler) are imported when a command runs, so
 * `--help`, `--version` and usage errors answer without loading the parser.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { TARGET_REGISTRY, TARGET_SELECTIONS, type TargetSelection } from '../backends/index.js';
import { TARGETS } from '../backends/types.js';
import { FORMAT_NAMES, FORMATS, FORMATS_WITHOUT_JUNIT, type FormatName } from '../diagnostics/format.js';
import { suggest } from '../diagnostics/suggest.js';
import { chalkFor, type CliIo } from './io.js';
import type { CommandContext } from './report.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * An option taking one of `values` (listed in its help); another value is a usage error that
 * lists them and, for a likely typo, names the closest (`--target kibna`: did you mean kibana?).
 */
function choiceOption(flags: string, description: string, values: readonly string[]): Option {
  return new Option(flags, description).choices(values).argParser((value: string) => {
    if (values.includes(value)) return value;
    const close = suggest(value, values);
    throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')}.${close !== undefined ? ` (Did you mean ${close}?)` : ''}`);
  });
}

/** `--format`; `compile` and `fmt` refuse `junit` (they have no test cases to report). */
function formatOption(names: readonly FormatName[] = FORMAT_NAMES): Option {
  const described = names.map((f) => `${f}: ${FORMATS[f].description}`).join('; ');
  return choiceOption('--format <format>', `output form (${described})`, names).default('text');
}

/**
 * Builds the `detect` program writing through `io`. Usage errors throw `CommanderError`
 * (exitOverride) instead of exiting the process; `main` turns them into exit code 2.
 */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('detect');
  program
    .description('Detection-as-code compiler: detections over Falco alerts, compiled to Sentinel and Elastic.')
    .version(packageVersion(), '-V, --version')
    .option('--no-color', 'plain output without colours (also when NO_COLOR is set)')
    .option('--no-cache', 'do not read or write the Kusto verdict cache (node_modules/.cache/detect)')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (str, write) => write(str),
    })
    .showSuggestionAfterError(true);

  const contextOf = (command: Command): CommandContext => {
    const opts = command.optsWithGlobals() as { color?: boolean; cache?: boolean; format?: FormatName };
    return { io, format: opts.format ?? 'text', chalk: chalkFor(io, opts.color !== false), cache: opts.cache !== false };
  };
  const usage = (name: string): string => `(run "detect ${name} --help" for usage)`;

  const targets = TARGETS.map((t) => `${t}${TARGET_REGISTRY[t].backend ? '' : ' (not available yet)'}`).join(', ');
  program
    .command('compile')
    .description('compile detections for a target and write the output folder')
    .argument('<paths...>', '.det files or folders (searched recursively); a *.source.yaml replaces the built-in source')
    .addOption(choiceOption('--target <target>', `what to compile to: ${targets}, or all`, TARGET_SELECTIONS).default('all'))
    .option('--out <dir>', 'output folder (only files listed in its .detect-manifest.json are replaced)', 'generated')
    .option('--elastic-profile <name>', "Elastic field profile instead of the source's default")
    .addOption(formatOption(FORMATS_WITHOUT_JUNIT))
    .showHelpAfterError(usage('compile'))
    .action(async (paths: string[], opts: { target: TargetSelection; out: string; elasticProfile?: string }, command: Command) => {
      const { runCompile } = await import('./commands/compile.js');
      const flags = { target: opts.target, out: opts.out, ...(opts.elasticProfile !== undefined ? { elasticProfile: opts.elasticProfile } : {}) };
      setExit(runCompile(paths, flags, contextOf(command)));
    });

  program
    .command('validate')
    .description('parse, lower and validate detections and report every problem')
    .argument('<paths...>', '.det files or folders (searched recursively)')
    .option(
      '--base <git-ref>',
      'also compare with the detections at this git revision: a changed id, an id reused by another detection, or a changed query without a higher version is an error',
    )
    .addOption(
      choiceOption('--target <target>', `check against this target only (its limits and what it cannot express): ${targets}, or all (ir: none)`, TARGET_SELECTIONS).default('all'),
    )
    .option('--elastic-profile <name>', "Elastic field profile to check with instead of the source's default")
    .addOption(formatOption())
    .showHelpAfterError(usage('validate'))
    .action(async (paths: string[], opts: { base?: string; target: TargetSelection; elasticProfile?: string }, command: Command) => {
      const { runValidate } = await import('./commands/validate.js');
      const flags = {
        target: opts.target,
        ...(opts.base !== undefined ? { base: opts.base } : {}),
        ...(opts.elasticProfile !== undefined ? { elasticProfile: opts.elasticProfile } : {}),
      };
      setExit(runValidate(paths, contextOf(command), flags));
    });

  program
    .command('test')
    .description('run the test cases of detections')
    .argument('[paths...]', '.det files or folders (searched recursively)', ['detections'])
    .addOption(formatOption())
    .showHelpAfterError(usage('test'))
    .action(async (paths: string[], _opts: unknown, command: Command) => {
      const { runTest } = await import('./commands/test.js');
      setExit(runTest(paths, contextOf(command)));
    });

  program
    .command('fmt')
    .description('rewrite .det files in the canonical format')
    .argument('<paths...>', '.det files or folders (searched recursively)')
    .option('--check', 'list files that are not formatted and exit 1, writing nothing', false)
    .addOption(formatOption(FORMATS_WITHOUT_JUNIT))
    .showHelpAfterError(usage('fmt'))
    .action(async (paths: string[], opts: { check: boolean }, command: Command) => {
      const { runFmt } = await import('./commands/fmt.js');
      setExit(runFmt(paths, { check: opts.check }, contextOf(command)));
    });

  program.showHelpAfterError('(run "detect --help" for usage)');
  return program;
}
