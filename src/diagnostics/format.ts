/**
 * The output forms of `validate`, `compile` and `test`, in one table: adding a form (JUnit
 * XML is next) is one formatter module and one entry here.
 */
import { formatGithub } from './format-github.js';
import { formatJson } from './format-json.js';
import type { Formatter } from './format-shared.js';
import { formatText } from './format-text.js';

export type FormatName = 'text' | 'json' | 'github';

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
};

/** The names accepted by `--format`, in table order. */
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];
