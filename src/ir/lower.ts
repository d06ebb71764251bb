/**
 * Lowering: the ASTs of all `.det` files of a run → one IR `Program`. Lists and macros are
 * collected across files and inlined, fields resolved against the source, properties given
 * their meaning, ATT&CK ids resolved, test events read. Detections with errors are left out
 * (after every problem is reported), so one run reports everything; the program is sorted by
 * detection name and deep-frozen.
 */
import { attackTable, type AttackTable } from '../attack/table.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileNode } from '../syntax/ast.js';
import type { SourceDefinition } from '../source/types.js';
import { ConditionLowerer } from './conditions.js';
import { collectDefinitions } from './definitions.js';
import { lowerDetection } from './detection.js';
import { FieldIndex } from './fields.js';
import { deepFreeze } from './freeze.js';
import { ListResolver } from './lists.js';
import { Reporter } from './report.js';
import type { ReadFile } from './test-cases.js';
import { IR_VERSION, type Detection, type Program } from './types.js';

export type { ReadFile } from './test-cases.js';

/**
 * Lowers `files` against `source`. `readFile` reads test NDJSON files (absolute paths);
 * returns the best-effort program and the diagnostics (sorted by file, position, code).
 */
export function lowerProgram(
  files: readonly FileNode[],
  source: SourceDefinition,
  readFile: ReadFile,
  attack: AttackTable = attackTable(),
): { program: Program; diagnostics: Diagnostic[] } {
  const reporter = new Reporter();
  const defs = collectDefinitions(files, reporter);
  const fields = new FieldIndex(source);
  const lists = new ListResolver(defs.lists, reporter);
  lists.resolveAll();
  const conditions = new ConditionLowerer(fields, lists, defs.macros, reporter);
  conditions.lowerAllMacros();

  const detections: Detection[] = [];
  for (const file of files) {
    for (const block of file.blocks) {
      if (block.kind !== 'Detection') continue;
      const before = reporter.errorCount;
      const d = lowerDetection(block, { file, fields, conditions, attack, readFile, reporter });
      if (d !== undefined && reporter.errorCount === before) detections.push(d);
    }
  }
  detections.sort(compareDetections);

  const program: Program = deepFreeze({ irVersion: IR_VERSION, source: source.name, detections });
  return { program, diagnostics: [...reporter.diagnostics].sort(compareDiagnostics) };
}

function compareDetections(a: Detection, b: Detection): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  return a.span.start.offset - b.span.start.offset;
}
