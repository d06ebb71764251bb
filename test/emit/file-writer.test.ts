import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileWriter, MAX_BATCHES_IN_FLIGHT, THREAD_AFTER } from '../../src/emit/file-writer.js';
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
    const writer = createFileWriter(root, { threadAfter: 100 });
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
      const writer = createFileWriter(dir, { threadAfter });
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
    const writer = createFileWriter(root, { threadAfter: 0 });
    for (const [p, c] of files(6000)) writer.write(p, c);
    writer.close();
    rmSync(root, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(root)).toBe(false);
  });

  it('writes files given in parts, among whole files: gathered here while small, then in the worker thread', () => {
    // `small` begins and ends before the threshold: gathered and written here; `a` begins here
    // and grows past what is gathered: handed to the worker; `b` and `c` begin after the
    // threshold (in the worker); parts interleave
    const parts: Record<string, string[]> = {
      'agg/small.ndjson': ['{"s":1}\n', '', '{"s":2}\n'],
      'agg/a.json': ['{"a": [', '1, ', '2'.repeat(300_000), ']}\n'],
      'agg/b.ndjson': ['é漢😀\n', 'x'.repeat(2_000_000), '\n', ''],
      'agg/c.ndjson': ['only part\n'],
    };
    let threads = 0;
    const writer = createFileWriter(root, { threadAfter: 4, onThread: () => threads++ });
    const small = parts['agg/small.ndjson']!;
    small.forEach((c, i) => writer.write('agg/small.ndjson', c, i === small.length - 1 ? 'last' : 'more'));
    expect(readFileSync(join(root, 'agg/small.ndjson'), 'utf8')).toBe(small.join(''));
    expect(threads).toBe(0);
    writer.write('agg/a.json', parts['agg/a.json']![0]!, 'more');
    const whole = files(40);
    for (const [p, c] of whole.slice(0, 20)) writer.write(p, c);
    for (let i = 1; i < 4; i++) {
      writer.write('agg/a.json', parts['agg/a.json']![i]!, i === 3 ? 'last' : 'more');
      writer.write('agg/b.ndjson', parts['agg/b.ndjson']![i - 1]!, 'more');
      writer.write(whole[20 + i]![0], whole[20 + i]![1]);
    }
    writer.write('agg/b.ndjson', parts['agg/b.ndjson']![3]!, 'last');
    writer.write('agg/c.ndjson', parts['agg/c.ndjson']![0]!, 'last');
    const result = writer.finish();
    writer.close();
    if ('error' in result) throw new Error(result.error);
    expect(threads).toBe(1);
    for (const [p, pieces] of Object.entries(parts)) {
      const text = pieces.join('');
      expect(readFileSync(join(root, p), 'utf8'), p).toBe(text);
      expect(result.hashes.get(p), p).toBe(contentHash(text));
    }
  });

  it('throws on a whole file at the path of one in parts (a caller bug), gathered here or in the thread', () => {
    for (const threadAfter of [0, 10_000]) {
      const writer = createFileWriter(root, { threadAfter });
      writer.write(`p-${threadAfter}.ndjson`, 'x\n', 'more');
      expect(() => writer.write(`p-${threadAfter}.ndjson`, 'y\n')).toThrow(/written whole while its parts are being written/);
      writer.close();
    }
  });

  it.skipIf(!existsSync('/proc/self/fd'))('leaves no file open once closed, with files in parts still open in the thread', async () => {
    /** Files below the folder that this process (either thread) has open. */
    const openBelow = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          return target.startsWith(root) ? [target] : [];
        } catch {
          return []; // closed meanwhile
        }
      });
    const writer = createFileWriter(root, { threadAfter: 0 });
    // parts larger than a batch: each is sent on its own as the next one comes
    for (let i = 0; i < 5; i++) writer.write(`open/${i}.ndjson`, 'x'.repeat(400_000), 'more');
    for (let waited = 0; waited < 20_000 && openBelow().length < 4; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(openBelow().length).toBe(4);
    writer.close();
    expect(openBelow()).toEqual([]);
  });

  it("does not let an error event of the thread crash the process (Node emits one when a worker throws)", () => {
    const writer = createFileWriter(root, { threadAfter: 0, onThread: (w) => void w.emit('error', new Error('uncaught in the worker')) });
    for (const [p, c] of files(10)) writer.write(p, c);
    const result = writer.finish();
    writer.close();
    expect('hashes' in result && result.hashes.size).toBe(10);
  });

  it('reports files in parts that were never ended', () => {
    for (const threadAfter of [0, 10_000]) {
      const writer = createFileWriter(root, { threadAfter });
      writer.write(`open-${threadAfter}.ndjson`, 'x\n', 'more');
      const result = writer.finish();
      writer.close();
      expect('error' in result && result.error).toBe(`files written in parts were never ended: open-${threadAfter}.ndjson`);
    }
  });

  // A named pipe nobody reads stands for a disk that hangs: the thread's write to it blocks in
  // open() until the test opens the pipe for reading.
  describe('a thread that stops making progress', () => {
    let reader: number | undefined;
    const hang = (): { path: string; release: () => void } => {
      const path = join(root, 'hang');
      execFileSync('mkfifo', [path]);
      // the read end stays open until the test ends, so the thread's small write succeeds
      return { path: 'hang', release: () => void (reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)) };
    };
    afterEach(() => {
      if (reader !== undefined) closeSync(reader);
      reader = undefined;
    });

    it('is reported by finish once it has written nothing for the stall time, instead of being waited for forever', () => {
      const pipe = hang();
      const writer = createFileWriter(root, { threadAfter: 0, stallMs: 300 });
      writer.write(pipe.path, 'x\n');
      writer.write('after.txt', 'y\n');
      const started = Date.now();
      const result = writer.finish();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect('error' in result && result.error).toBe('the file-writing thread stopped answering');
      pipe.release();
      writer.close();
    });

    it('holds at most MAX_BATCHES_IN_FLIGHT batches for it: later files are not sent, and finish reports it', async () => {
      const pipe = hang();
      const writer = createFileWriter(root, { threadAfter: 0, stallMs: 300 });
      writer.write(pipe.path, 'x\n');
      // each file fills a batch of its own
      const big = 'z'.repeat(1 << 20);
      for (let i = 0; i < 3 * MAX_BATCHES_IN_FLIGHT; i++) writer.write(`big/${i}.txt`, big);
      expect('error' in writer.finish()).toBe(true);
      pipe.release();
      // what was sent is written once the pipe is read; nothing else was sent
      const written = (): number => (existsSync(join(root, 'big')) ? readdirSync(join(root, 'big')).length : 0);
      for (let waited = 0; waited < 20_000 && written() < MAX_BATCHES_IN_FLIGHT; waited += 50) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      writer.close();
      expect(written()).toBe(MAX_BATCHES_IN_FLIGHT);
    });

    it('counts progress per file, so a batch slower than the stall time is not taken for a stall while files get written', async () => {
      // one batch of 8 pipes, which a shell reads one after the other, 0.3 s apart: the batch
      // takes ~2.4 s, twice the stall time, and no file takes more than a quarter of it
      const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
      for (const n of names) execFileSync('mkfifo', [join(root, n)]);
      const script = names.map((n) => `sleep 0.3; cat '${join(root, n)}' > /dev/null`).join('; ');
      const shell = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
      const exited = new Promise((r) => shell.on('exit', r));
      const writer = createFileWriter(root, { threadAfter: 0, stallMs: 1200 });
      for (const n of names) writer.write(n, `${n}\n`);
      const result = writer.finish();
      writer.close();
      if ('error' in result) process.kill(-(shell.pid as number)); // its `cat` would wait for a writer
      await exited;
      if ('error' in result) throw new Error(result.error);
      expect([...result.hashes.keys()].sort()).toEqual(names);
    });

    it('is reported when the thread dies, and close does not wait for it longer than told', () => {
      const writer = createFileWriter(root, { threadAfter: 0, stallMs: 300, stopWaitMs: 300, onThread: (w) => void w.terminate() });
      for (const [p, c] of files(2000)) writer.write(p, c);
      const result = writer.finish();
      expect('error' in result && result.error).toBe('the file-writing thread stopped answering');
      const started = Date.now();
      writer.close();
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });
});
