/**
 * Validation: the IR JSON Schema check, then every rule of `rules/index.ts`. Diagnostics are
 * de-duplicated and sorted (file, position, code).
 */
import { attackTable, type AttackTable } from '../attack/table.js';
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { checkIrSchema } from '../ir/schema.js';
import type { Program } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';
import type { FileNode } from '../syntax/ast.js';
import { createContext } from './context.js';
import { RULES } from './rules/index.js';

/**
 * Validates `program` (lowered from `files` against `source`). A program that fails its JSON
 * Schema is a compiler bug: only those DET2099 diagnostics are returned then.
 */
export function validateProgram(
  program: Program,
  source: SourceDefinition,
  files: readonly FileNode[],
  attack: AttackTable = attackTable(),
): Diagnostic[] {
  const schema = checkIrSchema(program);
  if (schema.length > 0) return schema;
  const ctx = createContext(program, source, files, attack);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const rule of RULES) {
    for (const d of rule.check(ctx)) {
      const k = JSON.stringify([d.code, d.span?.file, d.span?.start.offset, d.message]);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(d);
    }
  }
  return out.sort(compareDiagnostics);
}
