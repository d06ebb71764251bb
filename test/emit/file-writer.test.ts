import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileWriter, THREAD_AFTER } from '../../src/emit/file-writer.js';
import { contentHash } from '../../src/emit/manifest.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'detect-file-writer-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Files with non-ASCII text and nested folders, so bytes and hashes are checked in UTF-8. */
function files(n: number): [string, string][] {
  return Array.from({ length: n }, (_, i) => [`t${i % 3}/sub${i % 5}/f${i}.txt`, `file ${i}: é ü 漢字 😀 ${'x'.repeat(i % 700)}\n`]);
}

describe('createFileWriter', () => {
  it('writes every file and hashes it, in this thread and then in its worker thread', () => {
    // a file larger than one batch buffer among them
    const all = files(1500);
    all.splice(700, 0, ['big/large.txt', `${'é漢'.repeat(600_000)}\n`]);
    const writer = createFileWriter(root, 100);
    for (const [p, c] of all) writer.write(p, c);
    const result = writer.finish();
    writer.close();
    if ('error' in result) throw new Error(result.error);
    expect(result.hashes.size).toBe(all.length);
    for (const [p, c] of all) {
      expect(readFileSync(join(root, p), 'utf8')).toBe(c);
      expect(result.hashes.get(p)).toBe(contentHash(c));
    }
  });

  it('uses no thread for a small output (the default threshold)', () => {
    const all = files(THREAD_AFTER);
    const writer = createFileWriter(root);
    for (const [p, c] of all) writer.write(p, c);
    const result = writer.finish();
    writer.close();
    expect('hashes' in result && result.hashes.size).toBe(THREAD_AFTER);
  });

  it('reports the first write error at finish, from either thread, and writes nothing after it', () => {
    for (const threadAfter of [0, 10_000]) {
      const dir = join(root, `case-${threadAfter}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'blocker'), 'a file where a folder is needed\n');
      const writer = createFileWriter(dir, threadAfter);
      writer.write('a.txt', 'a\n');
      writer.write('blocker/b.txt', 'b\n');
      writer.write('c.txt', 'c\n');
      const result = writer.finish();
      writer.close();
      expect('error' in result && result.error, `threadAfter ${threadAfter}`).toMatch(/ENOTDIR|EEXIST/);
      expect(readdirSync(dir).sort()).toEqual(['a.txt', 'blocker']);
    }
  });

  it('writes nothing more once close returns, even with files still waiting (a failed compile deletes the folder)', async () => {
    const writer = createFileWriter(root, 0);
    for (const [p, c] of files(6000)) writer.write(p, c);
    writer.close();
    rmSync(root, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(root)).toBe(false);
  });
});
