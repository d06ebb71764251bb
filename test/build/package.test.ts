/**
 * The npm package (`files` in package.json): everything the bundled CLI reads at run time is in
 * it, and none of the per-module build output, source maps or tests (the CLI runs only
 * `dist/bundle/detect.mjs`). Reads `npm pack --dry-run --json` with scripts off, so nothing is
 * built or written.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, GENERATED_FILES } from '../../src/build/generated.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return pack!.files.map((f) => f.path).sort();
}

describe('npm package', () => {
  const files = packedFiles();

  it('holds the CLI, its bundle and every data file it reads', () => {
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/detect.js',
      'dist/bundle/detect.mjs',
      'src/source/falco.source.yaml',
      'data/attack.json',
      'data/sentinel-tables.json',
      ...Object.values(GENERATED_FILES).map((name) => `${GENERATED_DIR}/${name}`),
    ]) {
      expect(files, f).toContain(f);
    }
  });

  it('holds every file the bundle names relative to itself', () => {
    const bundle = readFileSync(new URL('../../dist/bundle/detect.mjs', import.meta.url), 'utf8');
    const named = [...bundle.matchAll(/new URL\("\.\.\/\.\.\/([^"]+)", import\.meta\.url\)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(3);
    for (const path of named) {
      expect(
        files.some((f) => (path.endsWith('/') ? f.startsWith(path) : f === path)),
        path,
      ).toBe(true);
    }
  });

  it('leaves out the per-module build output, source maps, sources and tests', () => {
    expect(files.filter((f) => f.startsWith('dist/') && f !== 'dist/bundle/detect.mjs')).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') || f.startsWith('test/') || f.startsWith('generated/'))).toEqual([]);
  });
});
