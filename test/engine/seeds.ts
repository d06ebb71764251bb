/**
 * The seed detections (`detections/`) compiled through the front end, for the Elastic query
 * tests: the program, the source, and each detection's test events.
 */
import { fileURLToPath } from 'node:url';
import { frontEnd } from '../../src/cli/pipeline.js';
import type { Program } from '../../src/ir/types.js';
import type { SourceDefinition } from '../../src/source/types.js';

/** The project folder (where `detections/` lives). */
export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

let cached: { program: Program; source: SourceDefinition } | undefined;

/** The seed program and its source; throws when the seeds do not compile (a test bug). */
export function seedProgram(): { program: Program; source: SourceDefinition } {
  if (!cached) {
    const front = frontEnd(['detections'], { cwd: PROJECT_DIR });
    const errors = front.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || !front.program || !front.source) {
      throw new Error(`the seed detections do not compile: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    }
    cached = { program: front.program, source: front.source };
  }
  return cached;
}
