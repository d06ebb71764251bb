/**
 * Replacing one file so that readers (and a killed process) only ever see the old or the new
 * content in whole: write a temporary file beside it, then rename it over the target.
 */
import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `path` atomically (temporary file in the same folder, or at `tmp` when
 * given, which must be on the same file system; then rename). An existing file keeps its
 * permission bits.
 */
export function writeFileAtomic(path: string, content: string, tmp = join(dirname(path), `.${basename(path)}.detect-tmp-${process.pid}`)): void {
  try {
    writeFileSync(tmp, content);
    let mode: number | undefined;
    try {
      mode = statSync(path).mode & 0o7777;
    } catch {
      mode = undefined;
    }
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
