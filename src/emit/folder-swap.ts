/**
 * Replacing a whole output folder at once. The staging folder beside it is made a complete copy
 * of the new output folder: the new generated files, plus every file `detect` does not replace
 * (a user's README, another target's files) as a hard link, so those files are the same files,
 * not copies. Then two renames swap the folders: `out` → backup, staging → `out`.
 *
 * A process killed before the first rename leaves `out` untouched; after the second, `out` is
 * complete and new. Between the two renames (two consecutive system calls) `out` does not exist
 * and the old folder is whole under its backup name; the next run puts it back
 * ({@link recoverAbandoned}). A backup left by a kill after the swap is removed by the next run.
 */
import { lstatSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, chmodSync, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const BACKUP_INFIX = '.detect-backup-';
export const STAGING_INFIX = '.detect-staging-';
/** A backup being deleted: renamed first, so a half-deleted backup is never mistaken for one. */
export const TRASH_INFIX = '.detect-trash-';

/** Whether the process `pid` still runs (a folder named after it is then not abandoned). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The folders beside `out` named `.<outName><infix><pid>` whose process is gone. */
function abandoned(parent: string, outName: string, infix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const prefix = `.${outName}${infix}`;
  return names
    .filter((name) => {
      if (!name.startsWith(prefix)) return false;
      const pid = Number(name.slice(prefix.length));
      return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
    })
    .sort()
    .map((name) => join(parent, name));
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves into `out` every file of `backup` that is neither generated (`generated` lists the
 * paths the backup's manifest names, plus the manifest) nor already in `out`: a file someone put
 * into the output folder while a compile was swapping it is kept, not deleted with the backup.
 */
function rescue(backup: string, out: string, generated: ReadonlySet<string>, rel = ''): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(backup, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      rescue(backup, out, generated, p);
      continue;
    }
    if (generated.has(p) || exists(join(out, p))) continue;
    mkdirSync(join(out, rel), { recursive: true });
    renameSync(join(backup, p), join(out, p));
  }
}

/**
 * Removes a backup folder once `out` is in place, keeping any file only it holds. The backup is
 * renamed to a trash name before it is deleted: a kill during the deletion must not leave a
 * backup whose manifest is gone, whose generated files would then look like a user's.
 */
export function removeBackup(backup: string, out: string, generated: ReadonlySet<string>): void {
  rescue(backup, out, generated);
  const trash = join(dirname(backup), basename(backup).replace(BACKUP_INFIX, TRASH_INFIX));
  renameSync(backup, trash);
  rmSync(trash, { recursive: true, force: true });
}

/**
 * Cleans up after runs that were killed: staging and trash folders are removed; a backup is renamed back
 * to `out` when `out` is missing (a kill between the two renames of a swap), removed otherwise.
 * `generatedOf(folder)` lists the generated paths of a folder (its manifest).
 */
export function recoverAbandoned(parent: string, outName: string, generatedOf: (folder: string) => ReadonlySet<string>): void {
  const out = join(parent, outName);
  for (const infix of [STAGING_INFIX, TRASH_INFIX]) {
    for (const folder of abandoned(parent, outName, infix)) rmSync(folder, { recursive: true, force: true });
  }
  for (const backup of abandoned(parent, outName, BACKUP_INFIX)) {
    if (!exists(out)) renameSync(backup, out);
    else removeBackup(backup, out, generatedOf(backup));
  }
}

/**
 * Hard-links into `staging` every entry of `out` that `keep(path)` accepts (paths relative,
 * `/`-separated; folders are walked, never linked), creating folders as needed with their
 * modes. Empty folders of `out` are recreated too. Throws when a link cannot be made (another
 * file system, a file system without hard links): the caller then falls back.
 */
export function carryOver(out: string, staging: string, keep: (path: string) => boolean, rel = ''): void {
  const entries = readdirSync(join(out, rel), { withFileTypes: true });
  if (rel !== '' && entries.length === 0) {
    mkdirSync(join(staging, rel), { recursive: true });
    chmodSync(join(staging, rel), statSync(join(out, rel)).mode & 0o7777);
    return;
  }
  for (const e of entries) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      carryOver(out, staging, keep, p);
      continue;
    }
    if (!keep(p)) continue;
    ensureFolder(out, staging, rel);
    linkSync(join(out, p), join(staging, p));
  }
}

/** Creates `rel` and its parents in `staging` with the modes they have in `out`. */
function ensureFolder(out: string, staging: string, rel: string): void {
  if (rel === '') return;
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const target = join(staging, sub);
    if (exists(target)) continue;
    mkdirSync(target);
    chmodSync(target, statSync(join(out, sub)).mode & 0o7777);
  }
}

/**
 * Swaps `staging` in for `out`: returns the backup folder (the old `out`), which the caller
 * removes with {@link removeBackup}. Throws if the first rename fails (nothing changed); if the
 * second fails, the first is undone before throwing.
 */
export function swapIn(staging: string, out: string, backup: string): void {
  chmodSync(staging, statSync(out).mode & 0o7777);
  renameSync(out, backup);
  try {
    renameSync(staging, out);
  } catch (e) {
    renameSync(backup, out);
    throw e;
  }
}
