/**
 * Writing generated files below one folder (the staging folder of a compile) and hashing them
 * for the manifest. The first files are written in this thread; past `THREAD_AFTER` files the
 * rest go, as UTF-8 bytes in batches handed over without a copy, to a worker thread that writes
 * and hashes them while the backends make the next ones (10,000 detections to every target:
 * about 0.7 s less on the 2-core reference machine, in RAM; more on a disk).
 *
 * The pipeline stays synchronous: the thread is waited for with `Atomics.wait` on shared
 * counters, at `finish` (then its answer is read with `receiveMessageOnPort`), whenever more
 * than `MAX_BATCHES_IN_FLIGHT` batches are waiting for it (which bounds the memory held by
 * files not yet written), and at `close`, which returns only once the thread writes nothing more (so the
 * caller may delete the folder). A write error is reported by `finish`, not thrown: the first
 * one is kept and later files are not written.
 *
 * A file may come in parts (`'more'` on each but the `'last'`; a part must not end inside a
 * surrogate pair, as each is encoded on its own). Where the thread is not running, its parts are
 * gathered here until it ends (written whole, like a small file) or grows past `HAND_OVER_AT`;
 * from then on, it goes to the thread, which keeps it open and writes and hashes it part by part.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { contentHash } from './manifest.js';

/** Files written in the calling thread before the rest go to a worker thread. */
export const THREAD_AFTER = 256;

/** Files go to the thread in batches: one buffer of this many bytes (or one file's) per message. */
const BATCH_BYTES = 1 << 20;

/** Batches sent to the thread and not yet written before the sender waits (~16 MB). */
export const MAX_BATCHES_IN_FLIGHT = 16;

/** Code units of a file in parts gathered in this thread before it goes to the worker thread. */
const HAND_OVER_AT = 1 << 18;

/** How long the sender waits for the thread without seeing it handle an entry (a file or a part). */
const STALL_MS = 120_000;

/** How long `close` waits for the thread to say it stopped (it finishes the write it is in). */
const STOP_WAIT_MS = 10_000;

export interface FileWriterOptions {
  /** Files written in the calling thread before the rest go to a worker thread (default {@link THREAD_AFTER}). */
  readonly threadAfter?: number;
  /** How long to wait for the thread without seeing it handle a file or a part before giving up (default 2 minutes). */
  readonly stallMs?: number;
  /** How long `close` waits for the thread to stop (default 10 s). */
  readonly stopWaitMs?: number;
  /** Called with the worker thread when it starts (for tests that make it die). */
  readonly onThread?: (worker: Worker) => void;
}

/** The shared counters: entries (files or parts) handled, answered `finish`, asked to stop, stopped. */
const HANDLED = 0;
const ANSWERED = 1;
const STOP = 2;
const STOPPED = 3;

const utf8 = new TextEncoder();

/** What `write` is given: a whole file, or a part of a file with more parts to come, or its last part. */
export type Piece = 'whole' | 'more' | 'last';

/** The pieces as the worker thread's batches carry them. */
const PIECE_CODE: { readonly [P in Piece]: number } = { whole: 0, more: 1, last: 2 };

export interface FileWriter {
  /**
   * Writes `content` to `path` (relative, `/`-separated) below the folder, or appends it for a
   * file given in parts; errors are kept for `finish`. Each path is written once: whole, or in
   * parts given in order (a whole file at the path of one in parts throws: a caller's bug).
   */
  write(path: string, content: string, piece?: Piece): void;
  /** Waits for every write: path → SHA-256 of what was written, or the first error. */
  finish(): { readonly hashes: Map<string, string> } | { readonly error: string };
  /** Stops the thread, if one was started (after `finish`, or to give up); it writes nothing after. */
  close(): void;
}

/** Creates the parent folders of `rel` below `root`, remembering which exist. */
export function ensureParent(root: string, rel: string, made: Set<string>): void {
  const slash = rel.lastIndexOf('/');
  if (slash < 0) return;
  const dir = rel.slice(0, slash);
  if (made.has(dir)) return;
  mkdirSync(join(root, dir), { recursive: true });
  for (let d = dir; d !== ''; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') made.add(d);
}

/**
 * The worker thread's code (CommonJS, evaluated): the calling thread's steps (`ensureParent`,
 * write, `contentHash`, files in parts kept open) over batches `{paths, pieces, ends, bytes}`
 * (entry i is `bytes[ends[i-1]..ends[i]]`, UTF-8, a piece coded as in `PIECE_CODE`), counting
 * each entry in `signal[HANDLED]` (written, or skipped after an error). `'finish'` is answered
 * with `{hashes: [path, sha][]}` or `{error}`; once `signal[STOP]` is set it writes nothing more,
 * closes its open files and sets `signal[STOPPED]`.
 */
const WORKER_SOURCE = `
const { createHash } = require('node:crypto');
const { closeSync, mkdirSync, openSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { workerData } = require('node:worker_threads');
const { root, port, signal } = workerData;
const made = new Set();
const hashes = [];
const open = new Map();
let error;
const closeAll = () => {
  for (const f of open.values()) {
    try {
      closeSync(f.fd);
    } catch {}
  }
  open.clear();
};
const set = (i) => {
  if (i === ${STOPPED}) closeAll();
  Atomics.store(signal, i, 1);
  Atomics.notify(signal, i);
};
const handled = (n) => {
  Atomics.add(signal, ${HANDLED}, n);
  Atomics.notify(signal, ${HANDLED});
};
function write(path, content, piece) {
  let f = open.get(path);
  if (f === undefined) {
    const slash = path.lastIndexOf('/');
    if (slash >= 0 && !made.has(path.slice(0, slash))) {
      mkdirSync(join(root, path.slice(0, slash)), { recursive: true });
      for (let d = path.slice(0, slash); d !== ''; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') made.add(d);
    }
    if (piece === 0) {
      writeFileSync(join(root, path), content);
      hashes.push([path, createHash('sha256').update(content).digest('hex')]);
      return;
    }
    f = { fd: openSync(join(root, path), 'w'), hash: createHash('sha256') };
    open.set(path, f);
  }
  writeFileSync(f.fd, content);
  f.hash.update(content);
  if (piece === 2) {
    open.delete(path);
    closeSync(f.fd);
    hashes.push([path, f.hash.digest('hex')]);
  }
}
port.on('message', (m) => {
  if (Atomics.load(signal, ${STOP}) === 1) return set(${STOPPED});
  if (m === 'finish') {
    port.postMessage(error === undefined ? { hashes } : { error });
    return set(${ANSWERED});
  }
  let done = 0;
  try {
    for (; done < m.paths.length; done++) {
      if (Atomics.load(signal, ${STOP}) === 1) return set(${STOPPED});
      if (error === undefined) write(m.paths[done], m.bytes.subarray(done === 0 ? 0 : m.ends[done - 1], m.ends[done]), m.pieces[done]);
      handled(1);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    closeAll();
    handled(m.paths.length - done);
  }
});
`;

interface Thread {
  readonly worker: Worker;
  readonly stallMs: number;
  readonly stopWaitMs: number;
  readonly port: MessagePort;
  readonly signal: Int32Array;
  /** Entries (files, or parts of files) sent so far. */
  sent: number;
  /** Files sent whole or ended so far. */
  files: number;
  /** For each batch sent and maybe not yet written: the entries sent up to its end. */
  inFlight: number[];
  /** The batch being gathered: paths, pieces (coded), where each entry's bytes end, the bytes. */
  paths: string[];
  pieces: number[];
  ends: number[];
  bytes: Uint8Array;
}

/**
 * Waits until the thread has handled at least `count` entries, or (for `finish`) has answered.
 * False when it stops making progress for `stallMs` (it died, or the disk hangs).
 */
function waitFor(thread: Thread, count: number, answer: boolean): boolean {
  let handled = Atomics.load(thread.signal, HANDLED);
  let since = Date.now();
  while (answer ? Atomics.load(thread.signal, ANSWERED) === 0 : handled < count) {
    if (answer) Atomics.wait(thread.signal, ANSWERED, 0, 1000);
    else Atomics.wait(thread.signal, HANDLED, handled, 1000);
    const now = Atomics.load(thread.signal, HANDLED);
    if (now !== handled) {
      handled = now;
      since = Date.now();
    } else if (Date.now() - since > thread.stallMs) {
      return answer ? Atomics.load(thread.signal, ANSWERED) === 1 : false;
    }
  }
  return true;
}

/** Stops the thread: once this returns, it writes no more files (unless it hung in a write). */
function stop(thread: Thread): void {
  Atomics.store(thread.signal, STOP, 1);
  thread.port.postMessage('stop');
  const until = Date.now() + thread.stopWaitMs;
  while (Atomics.load(thread.signal, STOPPED) === 0 && Date.now() < until) Atomics.wait(thread.signal, STOPPED, 0, 100);
  void thread.worker.terminate();
  thread.port.close();
}

/** Where the batch's bytes end. */
function batchEnd(thread: Thread): number {
  return thread.ends.length === 0 ? 0 : (thread.ends[thread.ends.length - 1] as number);
}

/** Sends the gathered batch to the thread. */
function flush(thread: Thread): void {
  if (thread.paths.length === 0) return;
  thread.port.postMessage({ paths: thread.paths, pieces: thread.pieces, ends: thread.ends, bytes: thread.bytes }, [thread.bytes.buffer as ArrayBuffer]);
  thread.sent += thread.paths.length;
  thread.inFlight.push(thread.sent);
  thread.paths = [];
  thread.pieces = [];
  thread.ends = [];
  thread.bytes = new Uint8Array(BATCH_BYTES);
}

/** Starts the thread writing below `root`. */
function startThread(root: string, options: FileWriterOptions): Thread {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, port: port2, signal }, transferList: [port2] });
  worker.unref();
  // the worker's errors come back in its answer; one it cannot catch must not crash this process
  worker.on('error', () => {});
  options.onThread?.(worker);
  const stallMs = options.stallMs ?? STALL_MS;
  const stopWaitMs = options.stopWaitMs ?? STOP_WAIT_MS;
  return { worker, stallMs, stopWaitMs, port: port1, signal, sent: 0, files: 0, inFlight: [], paths: [], pieces: [], ends: [], bytes: new Uint8Array(BATCH_BYTES) };
}

/** Waits for the thread's answer to `'finish'`; undefined when it stalls or dies. */
function awaitAnswer(thread: Thread): { hashes?: [string, string][]; error?: string } | undefined {
  flush(thread);
  thread.port.postMessage('finish');
  if (!waitFor(thread, thread.sent, true)) return undefined;
  return receiveMessageOnPort(thread.port)?.message as { hashes?: [string, string][]; error?: string } | undefined;
}

/** A writer of files below `root` (which exists). */
export function createFileWriter(root: string, options: FileWriterOptions = {}): FileWriter {
  const threadAfter = options.threadAfter ?? THREAD_AFTER;
  const made = new Set<string>();
  const hashes = new Map<string, string>();
  /** Files begun in this thread (written, or gathered in parts). */
  let begun = 0;
  /** Files in parts gathered here, with their size so far; those whose parts go to the thread. */
  const gathered = new Map<string, { parts: string[]; size: number }>();
  const threaded = new Set<string>();
  let error: string | undefined;
  let thread: Thread | undefined;

  /** Writes a whole file in this thread. */
  const writeHere = (path: string, content: string): void => {
    try {
      ensureParent(root, path, made);
      writeFileSync(join(root, path), content);
      hashes.set(path, contentHash(content));
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  };

  /** Adds an entry to the thread's batch, waiting for the thread when too many are in flight. */
  const send = (path: string, content: string, piece: Piece): void => {
    thread ??= startThread(root, options);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; a large file is measured
    const most = 3 * content.length <= BATCH_BYTES ? 3 * content.length : Buffer.byteLength(content, 'utf8');
    if (batchEnd(thread) + most > thread.bytes.length) {
      flush(thread);
      const handled = Atomics.load(thread.signal, HANDLED);
      while (thread.inFlight.length > 0 && (thread.inFlight[0] as number) <= handled) thread.inFlight.shift();
      if (thread.inFlight.length > MAX_BATCHES_IN_FLIGHT) {
        const until = thread.inFlight[thread.inFlight.length - 1 - MAX_BATCHES_IN_FLIGHT] as number;
        if (!waitFor(thread, until, false)) {
          error = 'the file-writing thread stopped answering';
          return;
        }
      }
      if (most > thread.bytes.length) thread.bytes = new Uint8Array(most);
    }
    const start = batchEnd(thread);
    thread.ends.push(start + utf8.encodeInto(content, thread.bytes.subarray(start)).written);
    thread.paths.push(path);
    thread.pieces.push(PIECE_CODE[piece]);
    if (piece === 'more') threaded.add(path);
    else {
      threaded.delete(path);
      thread.files++;
    }
  };

  return {
    write(path, content, piece = 'whole') {
      if (error !== undefined) return;
      const held = gathered.get(path);
      if (piece === 'whole' && (held !== undefined || threaded.has(path))) {
        throw new Error(`'${path}' is written whole while its parts are being written`);
      }
      if (held !== undefined) {
        held.parts.push(content);
        held.size += content.length;
        if (piece === 'last') {
          gathered.delete(path);
          writeHere(path, held.parts.join(''));
        } else if (held.size >= HAND_OVER_AT) {
          gathered.delete(path);
          send(path, held.parts.join(''), 'more');
        }
        return;
      }
      if (threaded.has(path) || begun >= threadAfter || (piece !== 'whole' && thread !== undefined)) {
        send(path, content, piece);
        return;
      }
      begun++;
      if (piece === 'more') gathered.set(path, { parts: [content], size: content.length });
      else writeHere(path, content);
    },
    finish() {
      if (error !== undefined) return { error };
      const unended = [...gathered.keys(), ...threaded];
      if (unended.length > 0) return { error: `files written in parts were never ended: ${unended.sort().join(', ')}` };
      if (thread) {
        const inThisThread = hashes.size;
        const answer = awaitAnswer(thread);
        if (!answer) return { error: 'the file-writing thread stopped answering' };
        if (answer.error !== undefined) return { error: answer.error };
        for (const [path, sha] of answer.hashes ?? []) hashes.set(path, sha);
        if (hashes.size !== inThisThread + thread.files) return { error: 'the file-writing thread lost files' };
      }
      return { hashes };
    },
    close() {
      gathered.clear();
      if (thread) stop(thread);
      thread = undefined;
    },
  };
}
