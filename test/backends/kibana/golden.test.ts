/**
 * Golden files: what the kibana target writes for the five seed detections, reviewed like code.
 * After an intended change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/backends/kibana/golden.test.ts` and review the diff.
 */
import { describe, expect, it } from 'vitest';
import { expectGoldenFiles } from '../../helpers/golden.js';
import { kibanaBackend } from '../../../src/backends/kibana/index.js';
import { seedProgram } from './helpers.js';
import { emitFiles } from '../../../src/backends/types.js';

describe('kibana target golden files (seed detections)', () => {
  const { program, source } = seedProgram();
  const out = emitFiles(kibanaBackend, program, source, {});

  it('compiles every seed without diagnostics', () => {
    expect(out.diagnostics).toEqual([]);
    expect(out.files.filter((f) => f.path.endsWith('.json'))).toHaveLength(5);
  });

  it('writes exactly the golden files', () => {
    expectGoldenFiles(new URL('./golden/', import.meta.url), out.files, 'kibana/');
  });
});
