/**
 * The real executable: `node bin/detect.js` as a child process, against a fresh build in a
 * scratch folder (so the test never depends on, or disturbs, the project's own `dist/`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detection, makeProject, removeProject } from './helpers.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const build = join(root, 'test/.tmp', `cli-build-${process.pid}`);
const bin = join(build, 'bin/detect.js');
let project: string;

beforeAll(() => {
  rmSync(build, { recursive: true, force: true });
  mkdirSync(join(build, 'bin'), { recursive: true });
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', join(build, 'dist')], {
    encoding: 'utf8',
  });
  // Type errors are the typecheck's business (`npm run typecheck`); tsc still emits JavaScript.
  if (!existsSync(join(build, 'dist/cli/main.js'))) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`);
  const bundle = spawnSync(process.execPath, [join(root, 'scripts/bundle.mjs'), join(build, 'dist')], { encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bundling failed:\n${bundle.stdout}${bundle.stderr}`);
  copyFileSync(join(root, 'bin/detect.js'), bin);
  copyFileSync(join(root, 'package.json'), join(build, 'package.json'));
  // Data files the modules find relative to themselves (`../../src/...`, `../../data/...`).
  symlinkSync(join(root, 'src'), join(build, 'src'));
  if (existsSync(join(root, 'data'))) symlinkSync(join(root, 'data'), join(build, 'data'));
  project = makeProject({ 'detections/a.det': detection('a'), 'bad/x.det': 'detection x {\n  condition: proc.name ==\n}\n' });
});

afterAll(() => {
  rmSync(build, { recursive: true, force: true });
  if (project) removeProject(project);
});

function detect(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });
}

describe('bin/detect.js', () => {
  it('sets the exit code: 0 valid, 1 invalid, 2 usage', () => {
    const ok = detect(['validate', 'detections']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('0 errors, 0 warnings\n');
    expect(detect(['validate', 'bad']).status).toBe(1);
    const usage = detect(['compile']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'paths'");
  });

  it('compiles and runs tests as a process', () => {
    const compiled = detect(['compile', 'detections', '--target', 'ir', '--out', 'gen', '--no-color']);
    expect(compiled.status, compiled.stdout + compiled.stderr).toBe(0);
    expect(existsSync(join(project, 'gen/ir/program.json'))).toBe(true);
    const tested = detect(['test']);
    expect(tested.status).toBe(0);
    expect(tested.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('honours NO_COLOR even when colour is forced', () => {
    expect(detect(['validate', 'bad'], { FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(detect(['validate', 'bad'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  it('ends with its own exit code, without a stack trace, when the reader of its output goes away', async () => {
    // `detect validate … | head`: the pipe is closed before detect writes its report.
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => done({ status, stderr }));
      });
    expect(await run(['validate', 'detections'])).toEqual({ status: 0, stderr: '' });
    expect(await run(['validate', 'bad'])).toEqual({ status: 1, stderr: '' });
  });
});
