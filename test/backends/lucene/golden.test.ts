/**
 * Golden files: what the lucene target writes for the five seed detections (default Elastic
 * profile, falcosidekick), reviewed like code. Each one was checked by hand against the
 * evaluator and is executed by Lucene in test/engine. After an intended change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/backends/lucene/golden.test.ts` and review the diff.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { luceneBackend } from '../../../src/backends/lucene/index.js';
import { seedProgram } from '../../engine/seeds.js';

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

describe('lucene target golden files (seed detections)', () => {
  const { program, source } = seedProgram();
  const out = luceneBackend.emit(program, source, {});

  it('compiles every seed without diagnostics, one file each', () => {
    expect(out.diagnostics).toEqual([]);
    expect(out.files.map((f) => f.path)).toEqual(program.detections.map((d) => `elastic/lucene/${d.name}.lucene`));
  });

  it('writes exactly the golden files', () => {
    const emitted = new Map(out.files.map((f) => [f.path.replace(/^elastic\/lucene\//, ''), f.content]));
    if (UPDATE) {
      rmSync(GOLDEN_DIR, { recursive: true, force: true });
      mkdirSync(GOLDEN_DIR, { recursive: true });
      for (const [name, content] of emitted) writeFileSync(GOLDEN_DIR + name, content);
    }
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual([...emitted.keys()].sort());
    for (const [name, content] of emitted) {
      expect(content, `${name} differs from test/backends/lucene/golden/${name} (UPDATE_GOLDEN=1 to regenerate)`).toBe(
        readFileSync(GOLDEN_DIR + name, 'utf8'),
      );
    }
  });
});
