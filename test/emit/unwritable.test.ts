/**
 * An output folder the user may not write into (owned by another user, mode 555, in a folder the
 * user may write): refused with DET6006, never swapped for a new folder the user owns. Needs root
 * to set that up and to run the writer as `nobody` in a child process.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot } from '../cli/helpers.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;
const why = !isRoot ? 'needs root' : !setpriv ? 'needs setpriv' : '';
const srcRoot = resolve(fileURLToPath(import.meta.url), '../../..');

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe('an output folder the user cannot write into', () => {
  it.skipIf(why !== '')(`is refused with DET6006, unchanged${why ? ` (skipped: ${why})` : ''}`, () => {
    root = mkdtempSync(join(tmpdir(), 'detect-unwritable-'));
    chmodSync(root, 0o755);
    const script = join(root, 'write.mjs');
    buildSync({ entryPoints: [join(srcRoot, 'src/emit/write-output.ts')], bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'silent' });
    const project = join(root, 'project');
    const out = join(project, 'out');
    mkdirSync(join(out, 'ir'), { recursive: true });
    writeFileSync(join(out, 'ir/old.json'), 'old\n');
    chmodSync(out, 0o555); // owned by root
    for (const p of [project, join(out, 'ir'), join(out, 'ir/old.json')]) chownSync(p, NOBODY, NOBODY);
    const before = snapshot(out);
    const ino = statSync(out).ino;
    const code = `import('${script}').then((m) => console.log(JSON.stringify(m.writeOutput('out', [{ path: 'ir/a.json', content: '{}' }], ['ir']))))`;
    const run = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', code], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { diagnostics: { code: string; message: string; hint: string }[] };
    expect(result.diagnostics.map((d) => d.code), run.stdout).toEqual(['DET6006']);
    expect(result.diagnostics[0]!.message, run.stdout).toMatch(/^cannot write into the output folder 'out': EACCES/);
    const st = statSync(out);
    expect([st.ino, st.uid, st.mode & 0o777]).toEqual([ino, 0, 0o555]);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(project)).toEqual(['out']);
    chmodSync(out, 0o755);
  });
});
