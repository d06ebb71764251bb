/**
 * Golden files: a backend's whole output for the seed detections, kept under the test's
 * `golden/` folder and reviewed like code. `UPDATE_GOLDEN=1` rewrites them after an intended
 * change; review the diff before committing.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { EmittedFile } from '../../src/backends/types.js';

/**
 * Asserts that `files` (their paths with `prefix` removed) are exactly the files of the golden
 * folder `goldenDir`, byte for byte; with `UPDATE_GOLDEN=1` first replaces that folder.
 */
export function expectGoldenFiles(goldenDir: URL, files: readonly EmittedFile[], prefix: string): void {
  const dir = fileURLToPath(goldenDir);
  const emitted = new Map(files.map((f) => [f.path.slice(prefix.length), f.content]));
  for (const f of files) expect(f.path.startsWith(prefix), `${f.path} is under ${prefix}`).toBe(true);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of emitted) writeFileSync(dir + name, content);
  }
  expect(readdirSync(dir).sort()).toEqual([...emitted.keys()].sort());
  for (const [name, content] of emitted) {
    expect(content, `${name} differs from ${dir}${name} (UPDATE_GOLDEN=1 to regenerate)`).toBe(readFileSync(dir + name, 'utf8'));
  }
}
