/**
 * Golden files: what the kibana target writes for the five seed detections, reviewed like code.
 * After an intended change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/backends/kibana/golden.test.ts` and review the diff.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kibanaBackend } from '../../../src/backends/kibana/index.js';
import { seedProgram } from './helpers.js';

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

describe('kibana target golden files (seed detections)', () => {
  const { program, source } = seedProgram();
  const out = kibanaBackend.emit(program, source, {});

  it('compiles every seed without diagnostics', () => {
    expect(out.diagnostics).toEqual([]);
    expect(out.files.filter((f) => f.path.endsWith('.json'))).toHaveLength(5);
  });

  it('writes exactly the golden files', () => {
    const emitted = new Map(out.files.map((f) => [f.path.replace(/^kibana\//, ''), f.content]));
    if (UPDATE) {
      rmSync(GOLDEN_DIR, { recursive: true, force: true });
      mkdirSync(GOLDEN_DIR, { recursive: true });
      for (const [name, content] of emitted) writeFileSync(GOLDEN_DIR + name, content);
    }
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual([...emitted.keys()].sort());
    for (const [name, content] of emitted) {
      expect(content, `${name} differs from test/backends/kibana/golden/${name} (UPDATE_GOLDEN=1 to regenerate)`).toBe(
        readFileSync(GOLDEN_DIR + name, 'utf8'),
      );
    }
  });
});
