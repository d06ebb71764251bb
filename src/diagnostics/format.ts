/**
 * The output forms of `validate`, `compile` and `test`, in one table: adding a form is one
 * formatter module and one entry here. `junit` is refused by `compile` and `fmt` (see
 * `FORMATS_WITHOUT_JUNIT`): they have no test cases to report.
 */
import { formatGithub } from './format-github.js';
import { formatJson } from './format-json.js';
import { formatJunit } from './format-junit.js';
import type { Formatter } from './format-shared.js';
import { formatText } from './format-text.js';

export type FormatName = 'text' | 'json' | 'github' | 'junit';

export interface FormatEntry {
  readonly format: Formatter;
  /** Whether the form may be coloured (only the human form is). */
  readonly color: boolean;
  /** One line for `--help`. */
  readonly description: string;
}

export const FORMATS: Readonly<Record<FormatName, FormatEntry>> = {
  text: { format: formatText, color: true, description: 'file:line:col diagnostics with code frames' },
  json: { format: formatJson, color: false, description: 'one JSON document {diagnostics, summary}' },
  github: { format: formatGithub, color: false, description: 'GitHub Actions annotations' },
  junit: { format: formatJunit, color: false, description: 'JUnit XML, one testsuite per file (validate and test only)' },
};

/** The names accepted by `--format`, in table order. */
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

/** The forms of commands that have no test cases to report (`compile`, `fmt`). */
export const FORMATS_WITHOUT_JUNIT = FORMAT_NAMES.filter((f) => f !== 'junit');
