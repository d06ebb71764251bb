/**
 * Golden files: what the esdsl target writes for the five seed detections (default Elastic
 * profile, falcosidekick), reviewed like code. Each one was checked by hand against the
 * evaluator and is executed by Lucene in test/engine. After an intended change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/backends/esdsl/golden.test.ts` and review the diff.
 */
import { describe, expect, it } from 'vitest';
import { expectGoldenFiles } from '../../helpers/golden.js';
import { esdslBackend } from '../../../src/backends/esdsl/index.js';
import { seedProgram } from '../../engine/seeds.js';
import { emitFiles } from '../../../src/backends/types.js';

describe('esdsl target golden files (seed detections)', () => {
  const { program, source } = seedProgram();
  const out = emitFiles(esdslBackend, program, source, {});

  it('compiles every seed without diagnostics, one file each', () => {
    expect(out.diagnostics).toEqual([]);
    expect(out.files.map((f) => f.path)).toEqual(program.detections.map((d) => `elastic/esdsl/${d.name}.json`));
  });

  it('writes exactly the golden files', () => {
    expectGoldenFiles(new URL('./golden/', import.meta.url), out.files, 'elastic/esdsl/');
  });
});
