import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, readManifest, renderManifest } from '../../src/emit/manifest.js';
import { MANIFEST_NAME } from '../../src/emit/paths.js';
import { openOutput, writeOutput } from '../../src/emit/write-output.js';
import { snapshot } from '../cli/helpers.js';

let root: string;
let cwd: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'detect-emit-'));
  cwd = join(root, 'project');
  mkdirSync(cwd);
});
afterEach(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

const f = (path: string, content: string) => ({ path, content });

describe('writeOutput', () => {
  it('creates the output folder with the files and a sorted manifest with content hashes', () => {
    const r = writeOutput('generated', [f('ir/b.json', '{}\n'), f('ir/a.json', 'x')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(r.written).toEqual(['ir/a.json', 'ir/b.json']);
    const out = join(cwd, 'generated');
    expect(readFileSync(join(out, 'ir/a.json'), 'utf8')).toBe('x\n'); // trailing newline ensured
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_NAME), 'utf8'));
    expect(manifest.files).toEqual([
      { path: 'ir/a.json', sha256: contentHash('x\n') },
      { path: 'ir/b.json', sha256: contentHash('{}\n') },
    ]);
    // Nothing left beside the output folder.
    expect(readdirSync(cwd)).toEqual(['generated']);
  });

  it('is deterministic: the same files give byte-identical output', () => {
    writeOutput('a', [f('ir/p.json', '1\n'), f('ir/q.json', '2\n')], ['ir'], { cwd });
    writeOutput('b', [f('ir/q.json', '2\n'), f('ir/p.json', '1\n')], ['ir'], { cwd });
    expect(snapshot(join(cwd, 'a'))).toEqual(snapshot(join(cwd, 'b')));
  });

  it('removes stale generated files and never touches files it did not generate', () => {
    const out = join(cwd, 'generated');
    writeOutput('generated', [f('ir/old.json', 'old\n'), f('ir/keep.json', 'v1\n'), f('ir/deep/gone.json', 'g\n')], ['ir'], { cwd });
    writeFileSync(join(out, 'README.md'), 'mine\n');
    writeFileSync(join(out, 'ir', 'NOTES.md'), 'also mine\n');
    const r = writeOutput('generated', [f('ir/keep.json', 'v2\n'), f('ir/new.json', 'n\n')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(r.removed).toEqual(['ir/deep/gone.json', 'ir/old.json']);
    expect(snapshot(out)).toMatchObject({ 'README.md': 'mine\n', 'ir/NOTES.md': 'also mine\n', 'ir/keep.json': 'v2\n', 'ir/new.json': 'n\n' });
    expect(existsSync(join(out, 'ir/old.json'))).toBe(false);
    expect(existsSync(join(out, 'ir/deep'))).toBe(false); // emptied folder pruned
    expect([...readManifest(out).keys()]).toEqual(['ir/keep.json', 'ir/new.json']);
    expect(readdirSync(cwd)).toEqual(['generated']);
  });

  it('keeps the files of targets not compiled in this run', () => {
    const out = join(cwd, 'generated');
    writeOutput('generated', [f('ir/p.json', 'p\n'), f('kql/a.kql', 'a\n')], ['ir', 'kql'], { cwd });
    writeOutput('generated', [f('ir/p.json', 'p2\n')], ['ir'], { cwd });
    expect(readFileSync(join(out, 'kql/a.kql'), 'utf8')).toBe('a\n');
    expect([...readManifest(out).keys()]).toEqual(['ir/p.json', 'kql/a.kql']);
  });

  it('refuses to overwrite a file it did not generate, leaving the folder as it was', () => {
    const out = join(cwd, 'generated');
    mkdirSync(join(out, 'ir'), { recursive: true });
    writeFileSync(join(out, 'ir', 'program.json'), 'hand written\n');
    const before = snapshot(out);
    const r = writeOutput('generated', [f('ir/program.json', '{}\n')], ['ir'], { cwd });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6004']);
    expect(r.diagnostics[0]!.hint).toBeTruthy();
    expect(snapshot(out)).toEqual(before);
  });

  it('leaves an existing output folder byte-identical when writing fails', () => {
    const out = join(cwd, 'generated');
    writeOutput('generated', [f('ir/a.json', 'a\n'), f('ir/old.json', 'o\n')], ['ir'], { cwd });
    const before = snapshot(out);
    // `ir/x` as a file and as a folder: staging fails after some files were written.
    const r = writeOutput('generated', [f('ir/a.json', 'changed\n'), f('ir/x', 'file\n'), f('ir/x/y', 'in folder\n')], ['ir'], { cwd });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6006']);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(cwd)).toEqual(['generated']); // staging folder removed
  });

  // Root ignores permissions, so this can only be observed as another user.
  it.skipIf(process.getuid?.() === 0)('reports a write error when the folder beside the output cannot be written', () => {
    chmodSync(cwd, 0o555);
    try {
      const r = writeOutput('generated', [f('ir/a.json', 'a\n')], ['ir'], { cwd });
      expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6006']);
    } finally {
      chmodSync(cwd, 0o755);
    }
    expect(existsSync(join(cwd, 'generated'))).toBe(false);
  });

  it('refuses to need a folder where a file it did not generate is', () => {
    const out = join(cwd, 'generated');
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    writeFileSync(join(out, 'ir', 'sub'), 'mine\n');
    const before = snapshot(out);
    const r = writeOutput('generated', [f('ir/sub/x', 'x')], ['ir'], { cwd });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6004']);
    expect(snapshot(out)).toEqual(before);
  });

  it('replaces a stale generated file by a folder of the same name', () => {
    const out = join(cwd, 'generated');
    writeOutput('generated', [f('ir/sub', 'old')], ['ir'], { cwd });
    const r = writeOutput('generated', [f('ir/sub/x', 'x')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(readFileSync(join(out, 'ir/sub/x'), 'utf8')).toBe('x\n');
  });

  it.each(['swapped', 'symlinked (file by file)'])(
    'refuses, changing nothing, where a user put a folder at a generated file or a file at a generated folder (%s)',
    (how) => {
      const dir = how === 'swapped' ? join(cwd, 'generated') : join(root, 'real');
      if (how !== 'swapped') {
        mkdirSync(dir);
        symlinkSync(dir, join(cwd, 'generated'));
      }
      const files = [f('ir/a', 'a'), f('ir/sub/b', 'b')];
      writeOutput('generated', files, ['ir'], { cwd });
      // a folder of the user's where the generated file ir/a was
      rmSync(join(dir, 'ir/a'));
      mkdirSync(join(dir, 'ir/a'));
      writeFileSync(join(dir, 'ir/a/mine'), 'mine\n');
      let before = snapshot(dir);
      let r = writeOutput('generated', files, ['ir'], { cwd });
      expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
        ['DET6004', "refusing to replace 'generated/ir/a': a folder detect did not generate is where the new output goes"],
      ]);
      expect(snapshot(dir)).toEqual(before);
      // a file of the user's where the generated folder ir/sub was
      rmSync(join(dir, 'ir/a'), { recursive: true });
      rmSync(join(dir, 'ir/sub'), { recursive: true });
      writeFileSync(join(dir, 'ir/sub'), 'mine\n');
      before = snapshot(dir);
      r = writeOutput('generated', files, ['ir'], { cwd });
      expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
        ['DET6004', "refusing to replace 'generated/ir/sub': a file detect did not generate is where the new output goes"],
      ]);
      expect(snapshot(dir)).toEqual(before);
      expect(readdirSync(cwd)).toEqual(['generated']);
    },
  );

  it('repairs a file-by-file commit killed after its first manifest write, where a generated file becomes a folder', () => {
    const real = join(root, 'real');
    mkdirSync(real);
    symlinkSync(real, join(cwd, 'generated'));
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    // what the commit from ir/a to ir/a/b leaves when killed after writing the union manifest
    writeFileSync(join(real, MANIFEST_NAME), renderManifest(new Map([['ir/a', contentHash('a\n')], ['ir/a/b', contentHash('b\n')]])));
    const r = writeOutput('generated', [f('ir/a/b', 'b')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(snapshot(real)).sort()).toEqual([MANIFEST_NAME, 'ir/a/b']);
  });

  it('refuses emitted paths that leave the output folder', () => {
    for (const bad of ['ir/../../x', '/etc/passwd', 'ir//x', 'ir\\x', 'C:/x', MANIFEST_NAME]) {
      const r = writeOutput('generated', [f(bad, 'x')], ['ir', bad, ''], { cwd });
      expect(r.diagnostics.map((d) => d.code), bad).toEqual(['DET6004']);
    }
    expect(existsSync(join(cwd, 'generated'))).toBe(false);
  });

  it('throws on duplicate paths and on paths outside the owned folders (backend bugs)', () => {
    expect(() => writeOutput('generated', [f('ir/a', 'x'), f('ir/a', 'y')], ['ir'], { cwd })).toThrow(/same path/);
    expect(() => writeOutput('generated', [f('kql/a', 'x')], ['ir'], { cwd })).toThrow(/outside/);
  });

  it('writes a file emitted in parts as their concatenation, with the final newline a whole file would get', () => {
    const opened = openOutput('generated', ['kibana'], { cwd });
    if (!('writer' in opened)) throw new Error('not opened');
    const w = opened.writer;
    w.add({ path: 'kibana/a.ndjson', content: '{"a":1}\n', more: true });
    w.add({ path: 'kibana/b.ndjson', content: '{"b":1}', more: true });
    w.add({ path: 'kibana/whole.json', content: '{}' });
    w.add({ path: 'kibana/a.ndjson', content: '{"a":2}\n', more: true });
    w.add({ path: 'kibana/b.ndjson', content: '', more: true });
    w.add({ path: 'kibana/a.ndjson', content: '' });
    w.add({ path: 'kibana/b.ndjson', content: '' });
    w.add({ path: 'kibana/empty.ndjson', content: '', more: true });
    w.add({ path: 'kibana/empty.ndjson', content: '' });
    expect(() => w.add({ path: 'kibana/a.ndjson', content: 'again' })).toThrow(/same path/);
    expect(() => w.add({ path: 'kibana/split.ndjson', content: '"\uD83D', more: true })).toThrow(/inside a surrogate pair/);
    const r = w.commit();
    expect(r.diagnostics).toEqual([]);
    const out = join(cwd, 'generated');
    expect(readFileSync(join(out, 'kibana/a.ndjson'), 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(readFileSync(join(out, 'kibana/b.ndjson'), 'utf8')).toBe('{"b":1}\n');
    expect(readFileSync(join(out, 'kibana/empty.ndjson'), 'utf8')).toBe('');
    expect(readFileSync(join(out, 'kibana/whole.json'), 'utf8')).toBe('{}\n');
    expect(readManifest(out).get('kibana/b.ndjson')).toBe(contentHash('{"b":1}\n'));
  });

  it('throws at commit on a file in parts never ended (a backend bug), leaving no output folder', () => {
    const opened = openOutput('generated', ['kibana'], { cwd });
    if (!('writer' in opened)) throw new Error('not opened');
    opened.writer.add({ path: 'kibana/open.ndjson', content: 'x\n', more: true });
    expect(() => opened.writer.commit()).toThrow(/never ended: kibana\/open\.ndjson/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses an --out that is a file, the root, the working folder or one of its parents', () => {
    writeFileSync(join(cwd, 'afile'), 'x');
    const code = (out: string) => writeOutput(out, [f('ir/a', 'x')], ['ir'], { cwd }).diagnostics.map((d) => d.code);
    expect(code('afile')).toEqual(['DET6003']);
    expect(code('/')).toEqual(['DET6004']);
    expect(code('.')).toEqual(['DET6004']);
    expect(code(cwd)).toEqual(['DET6004']);
    expect(code('..')).toEqual(['DET6004']);
    expect(code(root)).toEqual(['DET6004']);
    symlinkSync(cwd, join(root, 'link'));
    expect(code(join(root, 'link'))).toEqual(['DET6004']);
    expect(readFileSync(join(cwd, 'afile'), 'utf8')).toBe('x');
  });

  it('refuses an --out inside a file with DET6003 naming the file, changing nothing', () => {
    writeFileSync(join(cwd, 'afile'), 'x');
    const r = writeOutput('afile/sub/deeper', [f('ir/a', 'x')], ['ir'], { cwd });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['DET6003', "output path 'afile/sub/deeper' is not a folder: 'afile' is a file"]]);
    expect(readdirSync(cwd)).toEqual(['afile']);
    expect(readFileSync(join(cwd, 'afile'), 'utf8')).toBe('x');
  });

  it('ignores unsafe entries of a tampered manifest instead of deleting outside the folder', () => {
    const out = join(cwd, 'generated');
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    writeFileSync(join(cwd, 'precious'), 'keep');
    writeFileSync(
      join(out, MANIFEST_NAME),
      JSON.stringify({ files: [{ path: 'ir/a', sha256: '' }, { path: 'ir/../../precious', sha256: '' }, { path: '/abs', sha256: '' }] }),
    );
    expect(writeOutput('generated', [f('ir/b', 'b')], ['ir'], { cwd }).diagnostics).toEqual([]);
    expect(readFileSync(join(cwd, 'precious'), 'utf8')).toBe('keep');
    expect(existsSync(join(out, 'ir/a'))).toBe(false);
  });

  it('treats an unreadable manifest as listing nothing (removes nothing)', () => {
    const out = join(cwd, 'generated');
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    writeFileSync(join(out, MANIFEST_NAME), '{not json');
    expect(writeOutput('generated', [f('ir/b', 'b')], ['ir'], { cwd }).diagnostics).toEqual([]);
    expect(readFileSync(join(out, 'ir/a'), 'utf8')).toBe('a\n');
  });

  it('removes a staging folder abandoned by a killed run', () => {
    const abandoned = join(cwd, '.generated.detect-staging-999999999');
    mkdirSync(join(abandoned, 'ir'), { recursive: true });
    writeFileSync(join(abandoned, 'ir', 'x'), 'half');
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    expect(existsSync(abandoned)).toBe(false);
  });
});

describe('writeOutput: the folder swap', () => {
  const out = (): string => join(cwd, 'generated');
  const dead = 999999999;

  it('replaces the folder, keeping user files as the same files (same inode) and empty user folders', () => {
    writeOutput('generated', [f('ir/a', 'a'), f('kibana/k', 'k')], ['ir', 'kibana'], { cwd });
    const o = out();
    writeFileSync(join(o, 'README.md'), 'mine');
    mkdirSync(join(o, 'ir', 'notes'), { recursive: true });
    writeFileSync(join(o, 'ir', 'notes', 'n.txt'), 'note');
    mkdirSync(join(o, 'empty'));
    chmodSync(join(o, 'ir', 'notes'), 0o700);
    chmodSync(join(o, 'ir'), 0o710); // a folder that also holds generated files
    chmodSync(join(o, 'empty'), 0o750);
    const inode = statSync(join(o, 'README.md')).ino;
    const folder = statSync(o).ino;
    const r = writeOutput('generated', [f('ir/b', 'b')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(r.removed).toEqual(['ir/a']);
    expect(statSync(o).ino).not.toBe(folder); // swapped, not edited in place
    expect(statSync(join(o, 'README.md')).ino).toBe(inode);
    expect(statSync(join(o, 'ir', 'notes')).mode & 0o777).toBe(0o700);
    expect(statSync(join(o, 'ir')).mode & 0o777).toBe(0o710);
    expect(statSync(join(o, 'empty')).mode & 0o777).toBe(0o750);
    expect(lstatSync(join(o, 'empty')).isDirectory()).toBe(true);
    expect(snapshot(o)).toEqual({
      [MANIFEST_NAME]: expect.any(String),
      'README.md': 'mine',
      'ir/b': 'b\n',
      'ir/notes/n.txt': 'note',
      'kibana/k': 'k\n', // another target's file stays
    });
    expect(readdirSync(cwd)).toEqual(['generated']); // no staging or backup left beside it
  });

  it("keeps the output folder's mode", () => {
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    chmodSync(out(), 0o750);
    writeOutput('generated', [f('ir/a', 'b')], ['ir'], { cwd });
    expect(statSync(out()).mode & 0o777).toBe(0o750);
  });

  // Root may give any group; another user needs a second group of its own to try this.
  const otherGroup = process.getuid?.() === 0 ? 4242 : process.getgroups?.().find((g) => g !== process.getgid?.());
  it.skipIf(otherGroup === undefined)("keeps the folders' group, and a setgid folder's group for what detect writes in it", () => {
    const gid = otherGroup as number;
    writeOutput('generated', [f('ir/a', 'a'), f('ir/old/b', 'b')], ['ir'], { cwd });
    writeFileSync(join(out(), 'ir/mine'), 'mine\n');
    chownSync(join(out(), 'ir'), -1, gid);
    chmodSync(join(out(), 'ir'), 0o2755);
    const r = writeOutput('generated', [f('ir/a', 'a2'), f('ir/old/b', 'b'), f('ir/new/c', 'c')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    const ir = statSync(join(out(), 'ir'));
    expect([ir.gid, ir.mode & 0o7777]).toEqual([gid, 0o2755]);
    for (const p of ['ir/a', 'ir/new', 'ir/new/c']) expect(statSync(join(out(), p)).gid, p).toBe(gid);
    expect(statSync(join(out(), 'ir/new')).mode & 0o2000).toBe(0o2000);
    // ir/old existed with the process's group: it keeps it, and so does a file of the user's
    expect(statSync(join(out(), 'ir/old')).gid).toBe(process.getgid?.());
    expect(statSync(join(out(), 'ir/old/b')).gid).toBe(process.getgid?.());
    expect(statSync(join(out(), 'ir/mine')).gid).toBe(process.getgid?.());
  });

  it.skipIf(otherGroup === undefined)('gives what it writes the group writing in place would, below a setgid folder holding the output folder', () => {
    const gid = otherGroup as number;
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    chownSync(cwd, -1, gid);
    chmodSync(cwd, 0o2755);
    const r = writeOutput('generated', [f('ir/a', 'a2'), f('ir/new/c', 'c')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    for (const p of ['', 'ir', 'ir/a', 'ir/new', 'ir/new/c', MANIFEST_NAME]) expect(statSync(join(out(), p)).gid, p).toBe(process.getegid?.());
    for (const p of ['', 'ir', 'ir/new']) expect(statSync(join(out(), p)).mode & 0o2000, p).toBe(0);
  });

  it('writes through a symlinked output folder file by file, keeping the symlink', () => {
    const real = join(root, 'real');
    mkdirSync(real);
    symlinkSync(real, out());
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    const r = writeOutput('generated', [f('ir/b', 'b')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(lstatSync(out()).isSymbolicLink()).toBe(true);
    expect(Object.keys(snapshot(real)).sort()).toEqual([MANIFEST_NAME, 'ir/b']);
  });

  it('puts back the old folder when a run was killed between the two renames (backup and staging left)', () => {
    writeOutput('generated', [f('ir/a', 'old')], ['ir'], { cwd });
    writeFileSync(join(out(), 'README.md'), 'mine');
    renameSync(out(), join(cwd, `.generated.detect-backup-${dead}`));
    mkdirSync(join(cwd, `.generated.detect-staging-${dead}`));
    const r = writeOutput('generated', [f('ir/b', 'b')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    // the old folder was put back before the compile read it: its stale file is removed, the
    // user's file kept
    expect(r.removed).toEqual(['ir/a']);
    expect(Object.keys(snapshot(out())).sort()).toEqual([MANIFEST_NAME, 'README.md', 'ir/b']);
    expect(readdirSync(cwd)).toEqual(['generated']);
  });

  it('recovers leftovers named with its own pid (a container where every run has the same pid)', () => {
    writeOutput('generated', [f('ir/a', 'old')], ['ir'], { cwd });
    renameSync(out(), join(cwd, `.generated.detect-backup-${process.pid}`));
    mkdirSync(join(cwd, `.generated.detect-staging-${process.pid}`));
    writeFileSync(join(cwd, '.generated.detect-lock'), `${process.pid}\n`);
    const r = writeOutput('generated', [f('ir/a', 'new')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(readFileSync(join(out(), 'ir', 'a'), 'utf8')).toBe('new\n');
    expect(readdirSync(cwd)).toEqual(['generated']);
  });

  it('does not bring back a folder deleted after a completed swap (a backup without staging)', () => {
    writeOutput('generated', [f('ir/a', 'old')], ['ir'], { cwd });
    renameSync(out(), join(cwd, `.generated.detect-backup-${dead}`));
    writeOutput('generated', [f('ir/b', 'b')], ['ir'], { cwd });
    expect(Object.keys(snapshot(out())).sort()).toEqual([MANIFEST_NAME, 'ir/b']);
    expect(readdirSync(cwd)).toEqual(['generated']);
  });

  it('removes a backup left by a kill after the swap, rescuing only a file that is neither generated nor in the folder', () => {
    writeOutput('generated', [f('ir/a', 'new')], ['ir'], { cwd });
    const backup = join(cwd, `.generated.detect-backup-${dead}`);
    mkdirSync(join(backup, 'ir'), { recursive: true });
    writeFileSync(join(backup, 'ir', 'a'), 'old');
    writeFileSync(join(backup, 'ir', 'gone'), 'a generated file the new output no longer has');
    writeFileSync(join(backup, MANIFEST_NAME), JSON.stringify({ files: [{ path: 'ir/a', sha256: '' }, { path: 'ir/gone', sha256: '' }] }));
    writeFileSync(join(backup, 'late.txt'), 'put there during the swap');
    writeOutput('generated', [f('ir/a', 'new')], ['ir'], { cwd });
    expect(existsSync(backup)).toBe(false);
    expect(readFileSync(join(out(), 'ir', 'a'), 'utf8')).toBe('new\n');
    expect(Object.keys(snapshot(out())).sort()).toEqual([MANIFEST_NAME, 'ir/a', 'late.txt']);
  });

  it('leaves alone a symlink or a file named like a leftover (not detect\'s), and what a symlink points to', () => {
    writeOutput('generated', [f('ir/a', 'old')], ['ir'], { cwd });
    const precious = join(root, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'data.txt'), 'keep');
    for (const infix of ['backup', 'trash', 'staging']) symlinkSync(precious, join(cwd, `.generated.detect-${infix}-${dead}`));
    writeFileSync(join(cwd, `.generated.detect-backup-${dead + 1}`), 'a file of the user');
    const r = writeOutput('generated', [f('ir/a', 'new')], ['ir'], { cwd });
    expect(r.diagnostics).toEqual([]);
    expect(readFileSync(join(precious, 'data.txt'), 'utf8')).toBe('keep');
    for (const infix of ['backup', 'trash', 'staging']) expect(lstatSync(join(cwd, `.generated.detect-${infix}-${dead}`)).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(cwd, `.generated.detect-backup-${dead + 1}`), 'utf8')).toBe('a file of the user');
    expect(Object.keys(snapshot(out())).sort()).toEqual([MANIFEST_NAME, 'ir/a']);
  });

  it('deletes a half-deleted old folder (trash) of a killed run without rescuing anything from it', () => {
    writeOutput('generated', [f('ir/a', 'new')], ['ir'], { cwd });
    const trash = join(cwd, `.generated.detect-trash-${dead}`);
    mkdirSync(join(trash, 'ir'), { recursive: true });
    writeFileSync(join(trash, 'ir', 'stale'), 'old generated file, its manifest already deleted');
    writeOutput('generated', [f('ir/a', 'new')], ['ir'], { cwd });
    expect(existsSync(trash)).toBe(false);
    expect(Object.keys(snapshot(out())).sort()).toEqual([MANIFEST_NAME, 'ir/a']);
  });

  it("drops a manifest temporary file left by a killed per-file commit", () => {
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    writeFileSync(join(out(), `.${MANIFEST_NAME}.detect-tmp-${dead}`), '{}');
    writeOutput('generated', [f('ir/a', 'b')], ['ir'], { cwd });
    expect(Object.keys(snapshot(out())).sort()).toEqual([MANIFEST_NAME, 'ir/a']);
  });

  it('refuses to write while another live detect holds the lock (DET6010), and takes over a stale lock', () => {
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    const lock = join(cwd, '.generated.detect-lock');
    writeFileSync(lock, `${process.ppid}\n`); // a live process that is not this one
    const r = writeOutput('generated', [f('ir/a', 'b')], ['ir'], { cwd });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6010']);
    expect(r.diagnostics[0]!.message).toBe(`another detect (process ${process.ppid}) is writing to 'generated'`);
    expect(readFileSync(join(out(), 'ir', 'a'), 'utf8')).toBe('a\n');
    writeFileSync(lock, `${dead}\n`);
    expect(writeOutput('generated', [f('ir/a', 'b')], ['ir'], { cwd }).diagnostics).toEqual([]);
    expect(readFileSync(join(out(), 'ir', 'a'), 'utf8')).toBe('b\n');
    expect(existsSync(lock)).toBe(false); // released
  });

  it('takes the lock of the folder itself: through a symlink to it, a live lock on the folder is DET6010 too', () => {
    writeOutput('generated', [f('ir/a', 'a')], ['ir'], { cwd });
    symlinkSync('generated', join(cwd, 'link'));
    mkdirSync(join(cwd, 'sub'));
    symlinkSync('..', join(cwd, 'sub/up'));
    writeFileSync(join(cwd, '.generated.detect-lock'), `${process.ppid}\n`);
    for (const spelled of ['link', 'sub/up/generated']) {
      const r = writeOutput(spelled, [f('ir/a', 'b')], ['ir'], { cwd });
      expect(r.diagnostics.map((d) => d.code), spelled).toEqual(['DET6010']);
      expect(r.diagnostics[0]!.hint).toContain('.generated.detect-lock');
    }
    expect(readFileSync(join(out(), 'ir', 'a'), 'utf8')).toBe('a\n');
    rmSync(join(cwd, '.generated.detect-lock'));
    expect(writeOutput('link', [f('ir/a', 'b')], ['ir'], { cwd }).diagnostics).toEqual([]);
    expect(readFileSync(join(out(), 'ir', 'a'), 'utf8')).toBe('b\n');
    expect(readdirSync(cwd).filter((n) => n.includes('detect-lock'))).toEqual([]); // released
  });
});
