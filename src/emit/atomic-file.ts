/**
 * Replacing one file so that readers (and a killed process) only ever see the old or the new
 * content in whole: write a temporary file beside it, then rename it over the target.
 */
import { chmodSync, chownSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `path` atomically (temporary file in the same folder, or at `tmp` when
 * given, which must be on the same file system; then rename). An existing file keeps its
 * permission bits, and its owner and group where this process may set them (root may; a user
 * may give it a group of theirs).
 */
export function writeFileAtomic(path: string, content: string, tmp = join(dirname(path), `.${basename(path)}.detect-tmp-${process.pid}`)): void {
  try {
    writeFileSync(tmp, content);
    let before: Stats | undefined;
    try {
      before = statSync(path);
    } catch {
      before = undefined;
    }
    if (before !== undefined) {
      keepOwner(tmp, before);
      chmodSync(tmp, before.mode & 0o7777);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Gives `tmp` the owner and group of the file it replaces, as far as this process may. */
function keepOwner(tmp: string, before: Stats): void {
  const now = statSync(tmp);
  if (now.uid === before.uid && now.gid === before.gid) return;
  try {
    chownSync(tmp, before.uid, before.gid);
  } catch {
    try {
      chownSync(tmp, now.uid, before.gid); // the group alone, when the owner cannot be given
    } catch {
      // neither: the file becomes this user's, as any editor's save would make it
    }
  }
}
