import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detection, makeProject, removeProject, runCli } from './helpers.js';

const projects: string[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) removeProject(p);
});

function projectWithModules(): string {
  const dir = makeProject({ 'detections/a.det': detection('a') });
  projects.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  return dir;
}

const cacheFile = (dir: string) => join(dir, 'node_modules/.cache/detect/kusto-verdicts.json');

describe('Kusto verdict cache', () => {
  it('is written by validate under node_modules/.cache/detect and reused with the same result', async () => {
    const dir = projectWithModules();
    const first = await runCli(dir, ['validate', 'detections']);
    expect(first.code).toBe(0);
    const cached = JSON.parse(readFileSync(cacheFile(dir), 'utf8'));
    expect(cached.format).toBe(1);
    expect(Object.keys(cached.verdicts).length).toBeGreaterThan(0);
    const second = await runCli(dir, ['validate', 'detections']);
    expect(second).toEqual(first);
  });

  it('is neither read nor written with --no-cache', async () => {
    const dir = projectWithModules();
    expect((await runCli(dir, ['--no-cache', 'validate', 'detections'])).code).toBe(0);
    expect(existsSync(cacheFile(dir))).toBe(false);
  });

  it('does not change what compile writes', async () => {
    const dir = projectWithModules();
    expect((await runCli(dir, ['compile', 'detections', '--target', 'sentinel', '--out', 'cold'])).code).toBe(0);
    expect((await runCli(dir, ['compile', 'detections', '--target', 'sentinel', '--out', 'warm'])).code).toBe(0);
    const read = (out: string) => readFileSync(join(dir, out, 'sentinel/analytics/a.kql'), 'utf8');
    expect(read('warm')).toBe(read('cold'));
  });
});
