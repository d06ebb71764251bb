/**
 * Shared by the bad-input tests (issue #5): a seeded PRNG, the seed detections, and running
 * `validate()` (front end + every backend `detect validate` checks) over a throw-away folder.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { validate } from '../../src/cli/pipeline.js';

const here = dirname(fileURLToPath(import.meta.url));
export const DETECTIONS_DIR = join(here, '..', '..', 'detections');

export { prng } from '../helpers/prng.js';

/** The seed detections (`detections/*.det`), sorted by name. */
export function seedDetections(): { name: string; text: string }[] {
  return readdirSync(DETECTIONS_DIR)
    .filter((f) => f.endsWith('.det'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(DETECTIONS_DIR, name), 'utf8') }));
}

/**
 * Codes that legitimately carry no span: problems with the command line, a path, a folder or
 * the run as a whole, never with a place in a `.det` file.
 */
export const FILE_LEVEL_CODES: ReadonlySet<string> = new Set([
  'DET5002', // target not available
  'DET5004', // the rules together exceed a deployment or workspace limit
  'DET6001', // input path not found
  'DET6002', // no .det files found
  'DET6003', // output path is not a directory
  'DET6004', // refusing to write there
  'DET6005', // file or folder could not be read
  'DET6006', // output could not be written
  'DET6008', // unknown Elastic profile
  'DET7001', // invalid source definition (more than one given)
]);

/**
 * A project folder for fuzzing: the seed `events/` folder is copied in, so test cases with
 * `file "events/…"` resolve; the input under test is written to `input.det`.
 */
export class FuzzProject {
  readonly dir: string;
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'detect-fuzz-'));
    cpSync(join(DETECTIONS_DIR, 'events'), join(this.dir, 'events'), { recursive: true });
  }

  /** Writes `content` (text or raw bytes) as `input.det` and runs `validate()` the way the CLI does. */
  validate(content: string | Uint8Array): Diagnostic[] {
    writeFileSync(join(this.dir, 'input.det'), content);
    const previous = process.cwd();
    process.chdir(this.dir);
    try {
      return validate(['input.det'], { cwd: this.dir }).diagnostics;
    } finally {
      process.chdir(previous);
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Problems with `diagnostics`' locations (empty when every one is well placed). */
export function locationProblems(diagnostics: readonly Diagnostic[], file: string): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    if (!d.code || !d.message) problems.push(`diagnostic without code or message: ${JSON.stringify(d)}`);
    if (d.span === undefined) {
      if (!FILE_LEVEL_CODES.has(d.code)) problems.push(`${d.code} without a span: ${d.message}`);
      continue;
    }
    const { start, end } = d.span;
    if (d.span.file !== file) problems.push(`${d.code} in file '${d.span.file}', expected '${file}': ${d.message}`);
    const ok =
      Number.isInteger(start.line) && start.line >= 1 && Number.isInteger(start.column) && start.column >= 1 &&
      Number.isInteger(start.offset) && start.offset >= 0 && end.offset >= start.offset;
    if (!ok) problems.push(`${d.code} with a bad span ${JSON.stringify(d.span)}: ${d.message}`);
  }
  return problems;
}
