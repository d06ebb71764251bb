/**
 * Printing a command's report in the form chosen with `--format`, through the one formatter
 * table in `src/diagnostics/format.ts`.
 */
import type { ChalkInstance } from 'chalk';
import { Chalk } from 'chalk';
import { FORMATS, type FormatName } from '../diagnostics/format.js';
import type { Report } from '../diagnostics/format-shared.js';
import type { CliIo } from './io.js';

/** What every command needs to talk to the user. */
export interface CommandContext {
  readonly io: CliIo;
  readonly format: FormatName;
  /** Colour for the text form (level 0 with `--no-color` or `NO_COLOR`). */
  readonly chalk: ChalkInstance;
  /** Whether the Kusto verdict cache may be used (`--no-cache` turns it off). */
  readonly cache: boolean;
}

const PLAIN = new Chalk({ level: 0 });

/** Writes `report` to stdout in the context's format. */
export function printReport(context: CommandContext, report: Report): void {
  const entry = FORMATS[context.format];
  context.io.stdout(entry.format(report, { cwd: context.io.cwd, chalk: entry.color ? context.chalk : PLAIN }));
}
