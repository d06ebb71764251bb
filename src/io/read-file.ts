/**
 * Reading an input file safely: only a regular file (after following symlinks) and at most
 * `MAX_INPUT_BYTES`, checked before reading, so `/dev/zero`, a FIFO or a huge file gives a
 * reason instead of reading forever or exhausting memory. The file is opened non-blocking (a
 * FIFO does not wait for a writer) and checked through its descriptor (no race with a rename).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';

/** The largest input file read: `.det`, test events (`.ndjson`) and `*.source.yaml` alike. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export type ReadBytes =
  | { readonly bytes: Buffer }
  /** `missing` when the file does not exist; `problem` says what is wrong in a few words. */
  | { readonly problem: string; readonly missing: boolean };

function kindOf(st: Stats): string {
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** For a symbolic link whose target does not exist: says so, naming the target. */
function danglingLink(absPath: string): string | undefined {
  try {
    if (!lstatSync(absPath).isSymbolicLink()) return undefined;
    return `it is a symbolic link to '${readlinkSync(absPath)}', which does not exist`;
  } catch {
    return undefined;
  }
}

function errorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return e instanceof Error ? e.message : String(e);
}

/** Reads `absPath` whole when it is a regular file of at most `limit` bytes. */
export function readRegularFile(absPath: string, limit = MAX_INPUT_BYTES): ReadBytes {
  // what the path is, before opening it (opening a device can act on it); checked again on the
  // open file, which may have been replaced in between
  let fd: number;
  try {
    const st = statSync(absPath);
    if (st.isDirectory()) return { problem: 'it is a folder', missing: false };
    if (!st.isFile()) return { problem: `it is not a regular file (${kindOf(st)})`, missing: false };
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    return { problem: missing ? danglingLink(absPath) ?? errorReason(e) : errorReason(e), missing };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { problem: 'it is a folder', missing: false };
    if (!st.isFile()) return { problem: `it is not a regular file (${kindOf(st)})`, missing: false };
    if (st.size > limit) return { problem: `it is too large: ${st.size} bytes, limit ${limit} bytes`, missing: false };
    // The file may grow after fstat: read to its end, but never more than `limit` + 1 bytes.
    const chunks: Buffer[] = [];
    let total = 0;
    for (let size = st.size + 1; ; size = 64 * 1024) {
      const chunk = Buffer.allocUnsafe(Math.min(size, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) return { problem: `it is too large: more than ${limit} bytes`, missing: false };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    return { problem: errorReason(e), missing: false };
  } finally {
    closeSync(fd);
  }
}
