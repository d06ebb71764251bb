/**
 * An output folder on its own mount (a mount point, or a symlink to a folder on another mount):
 * the staging folder goes inside it, so the per-file renames stay on one mount. Needs root and
 * `mount --bind`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/emit/manifest.js';
import { writeOutput } from '../../src/emit/write-output.js';
import { snapshot } from '../cli/helpers.js';

/** Whether a bind mount can be made here (root, and a kernel and container that allow it). */
function canBindMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'detect-mount-probe-'));
  try {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    if (spawnSync('mount', ['--bind', join(dir, 'a'), join(dir, 'b')]).status !== 0) return false;
    spawnSync('umount', [join(dir, 'b')]);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const skip = !canBindMount();
const title = (t: string): string => (skip ? `${t} (skipped: needs root and mount --bind)` : t);

let cwd: string;
let mounted: string | undefined;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'detect-mount-'));
});
afterEach(() => {
  if (mounted) spawnSync('umount', [mounted]);
  mounted = undefined;
  rmSync(cwd, { recursive: true, force: true });
});

function bind(from: string, to: string): void {
  mkdirSync(from, { recursive: true });
  mkdirSync(to, { recursive: true });
  const r = spawnSync('mount', ['--bind', from, to], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount failed: ${r.stderr}`);
  mounted = to;
}

const f = (path: string, content: string) => ({ path, content });

/** Compiles into `out` (relative to cwd) and checks it against what ends up in `real`. */
function compileAndFail(out: string, real: string): void {
  let r = writeOutput(out, [f('ir/a.json', 'a'), f('kql/k.kql', 'k')], ['ir', 'kql'], { cwd });
  expect(r.diagnostics).toEqual([]);
  r = writeOutput(out, [f('ir/b.json', 'b')], ['ir'], { cwd });
  expect(r.diagnostics).toEqual([]);
  expect(r.removed).toEqual(['ir/a.json']);
  expect(snapshot(real)).toEqual({ 'ir/b.json': 'b\n', 'kql/k.kql': 'k\n', '.detect-manifest.json': readFileSync(join(real, '.detect-manifest.json'), 'utf8') });
  expect([...readManifest(real).keys()]).toEqual(['ir/b.json', 'kql/k.kql']);
  // failed compiles change nothing: a write error, and a file of the user's in the way
  writeFileSync(join(real, 'ir/mine.json'), 'mine\n');
  const before = snapshot(real);
  r = writeOutput(out, [f('ir/c.json', 'c'), f('ir/x', 'file'), f('ir/x/y', 'in folder')], ['ir'], { cwd });
  expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6006']);
  expect(snapshot(real)).toEqual(before);
  r = writeOutput(out, [f('ir/c.json', 'c'), f('ir/mine.json', 'generated')], ['ir'], { cwd });
  expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6004']);
  expect(snapshot(real)).toEqual(before);
  expect(readdirSync(real).filter((n) => n.includes('detect-staging'))).toEqual([]);
}

describe('an output folder on its own mount', () => {
  it.skipIf(skip)(title('compiles into a mount point, and a failed compile leaves it byte-identical'), () => {
    bind(join(cwd, 'src'), join(cwd, 'out'));
    compileAndFail('out', join(cwd, 'src'));
    expect(readdirSync(cwd).sort()).toEqual(['out', 'src']);
  });

  it.skipIf(skip)(title('compiles through a symlink to a folder on another mount'), () => {
    bind(join(cwd, 'src'), join(cwd, 'mnt'));
    mkdirSync(join(cwd, 'src/sub'));
    symlinkSync(join(cwd, 'mnt/sub'), join(cwd, 'out'));
    compileAndFail('out', join(cwd, 'src/sub'));
    expect(readdirSync(cwd).sort()).toEqual(['mnt', 'out', 'src']);
  });

  it.skipIf(skip)(title('deletes a staging folder a killed run left inside the output folder'), () => {
    bind(join(cwd, 'src'), join(cwd, 'out'));
    mkdirSync(join(cwd, 'src/.detect-staging-999999/ir'), { recursive: true });
    writeFileSync(join(cwd, 'src/.detect-staging-999999/ir/a.json'), 'half\n');
    const r = writeOutput('out', [f('ir/a.json', 'a')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(existsSync(join(cwd, 'src/.detect-staging-999999'))).toBe(false);
    expect(Object.keys(snapshot(join(cwd, 'src')))).toEqual(['.detect-manifest.json', 'ir/a.json']);
  });
});
