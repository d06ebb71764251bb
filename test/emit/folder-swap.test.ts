/**
 * src/emit/folder-swap.ts on its own: what a swap does with files changed in the old folder
 * while the compile ran (between the carry-over and the swap).
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carryOver, removeBackup, removeTree, swapIn } from '../../src/emit/folder-swap.js';

let root: string;
let out: string;
let staging: string;
let backup: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'detect-swap-'));
  out = join(root, 'generated');
  staging = join(root, '.generated.detect-staging-1');
  backup = join(root, '.generated.detect-backup-1');
  mkdirSync(join(out, 'docs'), { recursive: true });
  writeFileSync(join(out, 'README.md'), 'v1');
  writeFileSync(join(out, 'docs', 'keep.md'), 'keep');
  writeFileSync(join(out, 'docs', 'doomed.md'), 'doomed');
  writeFileSync(join(out, 'gen.json'), 'generated');
  mkdirSync(staging);
  writeFileSync(join(staging, 'gen.json'), 'generated v2');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('a swap', () => {
  it('keeps edits, deletions and new files made in the old folder while the compile ran', () => {
    const carried = carryOver(out, staging, (p) => p !== 'gen.json');
    expect(carried.map((c) => c.path).sort()).toEqual(['README.md', 'docs/doomed.md', 'docs/keep.md']);
    // meanwhile: an editor saves README.md by rename, a file is deleted, one is created
    writeFileSync(join(out, 'README.md.tmp'), 'v2');
    renameSync(join(out, 'README.md.tmp'), join(out, 'README.md'));
    unlinkSync(join(out, 'docs', 'doomed.md'));
    writeFileSync(join(out, 'docs', 'new.md'), 'new');
    expect(swapIn(staging, out, backup)).toBe(true);
    expect(removeBackup(backup, out, (p) => p === 'gen.json', carried)).toEqual([]);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('v2');
    expect(existsSync(join(out, 'docs', 'doomed.md'))).toBe(false);
    expect(readFileSync(join(out, 'docs', 'new.md'), 'utf8')).toBe('new');
    expect(readFileSync(join(out, 'docs', 'keep.md'), 'utf8')).toBe('keep');
    expect(readFileSync(join(out, 'gen.json'), 'utf8')).toBe('generated v2');
    expect(existsSync(backup)).toBe(false);
  });

  it('changes nothing and says so when the folder cannot be renamed', () => {
    expect(swapIn(staging, join(root, 'missing'), backup)).toBe(false);
    expect(existsSync(staging)).toBe(true);
    expect(existsSync(backup)).toBe(false);
  });
});

describe('removeTree', () => {
  it('deletes a nested tree and the symlinks in it, never what they point to', () => {
    const tree = join(root, 'trash');
    mkdirSync(join(tree, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(tree, 'a', 'b', 'c', 'deep.json'), '{}');
    writeFileSync(join(tree, 'top.txt'), 'x');
    symlinkSync(join(out, 'docs'), join(tree, 'a', 'to-docs'));
    symlinkSync(join(out, 'README.md'), join(tree, 'to-readme'));
    expect(removeTree(tree)).toBe(true);
    expect(existsSync(tree)).toBe(false);
    expect(readFileSync(join(out, 'docs', 'keep.md'), 'utf8')).toBe('keep');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('v1');
  });

  it('removes a symlink given as the path, to a folder or dangling, and never what it points to', () => {
    const link = join(root, '.generated.detect-trash-4242');
    symlinkSync(join(out, 'docs'), link);
    expect(removeTree(link)).toBe(true);
    expect(existsSync(link)).toBe(false);
    expect(readFileSync(join(out, 'docs', 'keep.md'), 'utf8')).toBe('keep');
    expect(readFileSync(join(out, 'docs', 'doomed.md'), 'utf8')).toBe('doomed');
    const dangling = join(root, 'dangling');
    symlinkSync(join(root, 'nowhere'), dangling);
    expect(removeTree(dangling)).toBe(true);
    expect(() => lstatSync(dangling)).toThrow(/ENOENT/);
  });

  it('is done when there is nothing at the path', () => {
    expect(removeTree(join(root, 'missing'))).toBe(true);
  });

  it('deletes a file given instead of a folder', () => {
    expect(removeTree(join(out, 'gen.json'))).toBe(true);
    expect(existsSync(join(out, 'gen.json'))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)('makes read-only folders writable to delete them (needs a non-root user)', () => {
    const tree = join(root, 'locked');
    mkdirSync(join(tree, 'inner'), { recursive: true });
    writeFileSync(join(tree, 'inner', 'f.txt'), 'x');
    chmodSync(join(tree, 'inner'), 0o500);
    expect(removeTree(tree)).toBe(true);
    expect(existsSync(tree)).toBe(false);
  });
});
