/** Git repositories for the gate's tests: a base commit, then changes on top of it. */
import { execFileSync } from 'node:child_process';
import { afterEach } from 'vitest';
import { makeProject, removeProject, runCli, writeFile } from '../cli/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});

export function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'ignore',
  });
}

/** A folder holding `files`, not a git repository (removed after the test). */
export function project(files: Record<string, string>): string {
  const dir = makeProject(files);
  dirs.push(dir);
  return dir;
}

/** A git repository whose first commit holds `files` (removed after the test). */
export function repo(files: Record<string, string>): string {
  const dir = project(files);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

/** Writes `files` and commits them, so `HEAD~1` is the base. */
export function change(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) writeFile(dir, rel, content);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'change');
}

export const withVersion = (text: string, v: number): string => text.replace('  severity: critical', `  severity: critical\n  version: ${v}`);
export const changedQuery = (text: string): string => text.replace('["nc", "ncat"]', '["nc", "ncat", "netcat"]');

/** `validate detections --base HEAD~1 --format json` in `dir`. */
export async function gate(dir: string, ...extra: string[]) {
  return runCli(dir, ['validate', 'detections', '--base', 'HEAD~1', '--format', 'json', ...extra]);
}

/** The diagnostic codes of a JSON report, in order. */
export function codes(stdout: string): string[] {
  return (JSON.parse(stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
}
