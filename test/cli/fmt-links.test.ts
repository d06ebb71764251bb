/** `detect fmt` on links: a symlink is written through, a hard-linked file is refused; owners are kept. */
import { chmodSync, chownSync, linkSync, lstatSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, runCli } from './helpers.js';

const FORMATTED = [
  'detection a {',
  '  title: "t"',
  '  id: "2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11"',
  '  severity: high',
  '  description: "d"',
  '  condition: rule == "x"',
  '}',
  '',
].join('\n');
const UNFORMATTED = FORMATTED.replace('  severity: high', 'severity:     high');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});

function project(): string {
  const dir = makeProject({ 'real/a.det': UNFORMATTED });
  dirs.push(dir);
  return dir;
}

describe('detect fmt and links', () => {
  it('formats the file a symlink points to and keeps the symlink', async () => {
    const dir = project();
    symlinkSync('real/a.det', join(dir, 'link.det'));
    const r = await runCli(dir, ['fmt', 'link.det']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('formatted link.det');
    expect(lstatSync(join(dir, 'link.det')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real/a.det'), 'utf8')).toBe(FORMATTED);
  });

  it('refuses a file with two hard links (DET6006, exit 1) and changes neither', async () => {
    const dir = project();
    linkSync(join(dir, 'real/a.det'), join(dir, 'hard.det'));
    const r = await runCli(dir, ['fmt', 'hard.det', '--format', 'json']);
    expect(r.code).toBe(1);
    const diags = (JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;
    expect(diags.map((d) => d.code)).toEqual(['DET6006']);
    expect(diags[0]!.message).toBe("cannot format 'hard.det': it has 2 hard links, and formatting replaces the file (which would break them)");
    expect(statSync(join(dir, 'hard.det')).nlink).toBe(2);
    expect(readFileSync(join(dir, 'real/a.det'), 'utf8')).toBe(UNFORMATTED);
  });

  // Only root can give a file to another user: elsewhere the case cannot arise, and is skipped.
  it.skipIf(process.getuid?.() !== 0)('keeps the owner, group and mode of the file it rewrites (run as root, it does not take the file over)', async () => {
    const dir = project();
    const file = join(dir, 'real/a.det');
    chownSync(file, 65534, 65534);
    chmodSync(file, 0o640);
    const r = await runCli(dir, ['fmt', 'real/a.det']);
    expect(r.code, r.stdout).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(FORMATTED);
    const st = statSync(file);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
  });
});
