/**
 * Replacing a whole output folder at once. The staging folder beside it is made a complete copy
 * of the new output folder: the new generated files, plus every file `detect` does not replace
 * (a user's README, another target's files) as a hard link, so those files are the same files,
 * not copies. Then two renames swap the folders: `out` → backup, staging → `out`.
 *
 * A process killed before the first rename leaves `out` untouched; after the second, `out` is
 * complete and new. Between the two renames (two consecutive system calls) `out` does not exist,
 * the old folder is whole under its backup name and the staging folder still exists: the next
 * run sees both and puts the backup back ({@link recoverAbandoned}). A backup without a staging
 * folder is from after the swap and is deleted.
 *
 * Everything here runs under the lock of the output folder ({@link acquireLock}), so the
 * leftovers it finds beside the folder are from runs that died, whatever their pid.
 */
import { chmodSync, chownSync, closeSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const BACKUP_INFIX = '.detect-backup-';
export const STAGING_INFIX = '.detect-staging-';
/** A backup being deleted: renamed first, so a half-deleted backup is never mistaken for one. */
export const TRASH_INFIX = '.detect-trash-';
export const LOCK_INFIX = '.detect-lock';

/** `.<out>` + infix (+ pid): the name of a folder or file beside the output folder. */
export function besideName(out: string, infix: string, pid?: number): string {
  return join(dirname(out), `.${basename(out)}${infix}${pid ?? ''}`);
}

function exists(p: string): boolean {
  return kindAt(p) !== undefined;
}

/** Whether the process `pid` runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of the output folder `out` (a file beside it holding this process's pid,
 * created exclusively). Returns a function that releases it, or the pid of the live process
 * that holds it. A lock whose process is gone (or that names this very pid: a killed run in a
 * container where every run has the same pid) is taken over.
 */
export function acquireLock(out: string): { release: () => void } | { heldBy: number } {
  const path = besideName(out, LOCK_INFIX);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return { release: () => rmSync(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = NaN;
    try {
      pid = Number(readFileSync(path, 'utf8').trim());
    } catch {
      continue; // released meanwhile
    }
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return { heldBy: pid };
    rmSync(path, { force: true });
  }
  throw new Error(`could not take the lock ${path}`);
}

/**
 * The leftovers beside `out` named `.<out><infix><pid>` (`inside`: in `out`, named
 * `<infix><pid>`: staging folders of an output folder on its own mount), sorted by pid: folders only (detect
 * makes them as folders; a symlink or a file with such a name is not detect's and is left alone).
 */
function leftovers(out: string, infix: string, inside = false): { path: string; pid: number }[] {
  const dir = inside ? out : dirname(out);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const prefix = inside ? infix : `.${basename(out)}${infix}`;
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)) && kindAt(join(dir, name)) === 'folder')
    .map((name) => ({ path: join(dir, name), pid: Number(name.slice(prefix.length)) }))
    .sort((a, b) => a.pid - b.pid);
}

/**
 * Deletes the folder (not a symlink to one) at `path` and everything in it: one `unlink` per
 * file and one `rmdir` per folder, from the folder listings, where Node's `rmSync` also `lstat`s
 * every entry (twice as many system calls for the 60,000 files of a large output folder).
 * Symlinks inside are removed, never followed. Throws at the first failure.
 */
function unlinkTree(path: string): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const e of entries) {
    const p = join(path, e.name);
    if (e.isDirectory()) unlinkTree(p);
    else unlinkSync(p);
  }
  rmdirSync(path);
}

/**
 * Deletes a folder tree, making its folders writable first if it must; never throws. Returns
 * whether the tree is gone.
 */
export function removeTree(path: string): boolean {
  const kind = kindAt(path); // a symlink, even to a folder, is removed itself, never followed
  if (kind === undefined) return true;
  try {
    if (kind === 'folder') unlinkTree(path);
    else unlinkSync(path);
    return true;
  } catch {
    // a read-only folder, or something that changed meanwhile: the slower ways below
  }
  try {
    rmSync(path, { recursive: true, force: true });
    return true;
  } catch {
    const writable = (dir: string): void => {
      try {
        chmodSync(dir, statSync(dir).mode | 0o700);
        for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) writable(join(dir, e.name));
      } catch {
        // best effort
      }
    };
    writable(path);
    try {
      rmSync(path, { recursive: true, force: true });
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Puts back or deletes what killed runs left beside `out`. A backup with its staging folder
 * beside it was taken between the two renames of a swap: when `out` is missing it is renamed
 * back; otherwise (and a backup without staging, from after the swap) it is deleted, after its
 * files that are neither generated (`generatedOf`, its manifest) nor in `out` are moved into
 * `out`. Staging (beside `out` or in it) and trash folders are deleted, except `ownStaging` (the running compile's: a
 * backup beside it of an earlier run with the same pid counts as taken between the renames).
 * Returns the leftovers that could not be deleted; throws only when a backup cannot be put back.
 */
export function recoverAbandoned(out: string, generatedOf: (folder: string) => (path: string) => boolean, ownStaging?: string): string[] {
  const failed: string[] = [];
  const stagings = new Set(leftovers(out, STAGING_INFIX).map((s) => s.pid));
  for (const backup of leftovers(out, BACKUP_INFIX)) {
    if (!exists(out) && stagings.has(backup.pid)) renameSync(backup.path, out);
    else if (exists(out)) failed.push(...removeBackup(backup.path, out, generatedOf(backup.path), []));
    else if (!removeTree(backup.path)) failed.push(backup.path);
  }
  for (const found of [leftovers(out, STAGING_INFIX), leftovers(out, TRASH_INFIX), leftovers(out, STAGING_INFIX, true)]) {
    for (const folder of found) if (folder.path !== ownStaging && !removeTree(folder.path)) failed.push(folder.path);
  }
  return failed;
}

/** Inode of `p`, or undefined when it does not exist. */
function inode(p: string): number | undefined {
  try {
    return lstatSync(p).ino;
  } catch {
    return undefined;
  }
}

/**
 * After a swap, reconciles `out` with what happened to the old folder (`backup`) while the
 * compile ran, then deletes the backup:
 * - a carried file (hard-linked into the new folder) that was replaced in the old folder is
 *   replaced in `out` by its newer version; one that was deleted is deleted from `out`;
 * - any other file of the backup that is neither generated (`generated`: listed in the backup's
 *   manifest, or a temporary file of detect) nor in `out` (a file created during the compile) is moved into `out`.
 * The backup is renamed to a trash name before it is deleted, so a kill during the deletion never
 * leaves a backup whose manifest is gone. Returns the paths that could not be deleted.
 */
export function removeBackup(backup: string, out: string, generated: (path: string) => boolean, carried: readonly Carried[]): string[] {
  for (const c of carried) {
    const now = inode(join(backup, c.path));
    if (now === c.ino) continue;
    const target = join(out, c.path);
    if (now === undefined) {
      if (inode(target) === c.ino) unlinkSync(target);
    } else if (inode(target) === c.ino) {
      renameSync(join(backup, c.path), target);
    }
  }
  rescue(backup, out, generated);
  const trash = join(dirname(backup), basename(backup).replace(BACKUP_INFIX, TRASH_INFIX));
  try {
    renameSync(backup, trash);
  } catch {
    return removeTree(backup) ? [] : [backup];
  }
  return removeTree(trash) ? [] : [trash];
}

/** Moves into `out` the files of `backup` that are neither `generated` nor already in `out`. */
function rescue(backup: string, out: string, generated: (path: string) => boolean, rel = ''): void {
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
    if (generated(p) || exists(join(out, p))) continue;
    try {
      mkdirSync(join(out, rel), { recursive: true });
      renameSync(join(backup, p), join(out, p));
    } catch {
      // a file of `out` is where the folder would be: the backup's file is kept in the trash
    }
  }
}

/**
 * Something that is not detect's in the output folder, where the new output needs a file or a
 * folder of the other kind: a folder where a generated file goes, or a file where a generated
 * file or folder goes (`kind` says what is in the way).
 */
export class InTheWay extends Error {
  constructor(
    readonly path: string,
    readonly kind: 'file' | 'folder',
  ) {
    super(`a ${kind} detect did not generate is at '${path}'`);
  }
}

/** What is at `p` without following a symlink: a folder, something else, or nothing. */
export function kindAt(p: string): 'file' | 'folder' | undefined {
  try {
    return lstatSync(p).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}

/** A file hard-linked from the old folder into the new one, with its inode at that moment. */
export interface Carried {
  readonly path: string;
  readonly ino: number;
}

/**
 * Hard-links into `staging` every file of `out` that `keep(path)` accepts (paths relative,
 * `/`-separated; folders are walked, never linked), recreating folders as needed and the empty
 * ones too, then gives every staging folder that exists in `out` the mode and the group it has
 * there (see {@link giveGroups}). Returns the files linked. Throws {@link InTheWay} when a kept
 * file or a folder of `out` is where the staging folder has a generated file (or a generated
 * folder, for a kept file), and otherwise when a link cannot be made (another file system, a
 * file system without hard links): the caller then falls back.
 */
export function carryOver(out: string, staging: string, keep: (path: string) => boolean): Carried[] {
  const carried: Carried[] = [];
  const folders = new Map<string, { mode: number; gid: number }>();
  const made = new Set<string>(); // staging folders known to exist
  const walk = (rel: string): void => {
    const entries = readdirSync(join(out, rel), { withFileTypes: true });
    if (rel !== '' && entries.length === 0) mkdirSync(join(staging, rel), { recursive: true });
    for (const e of entries) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (kindAt(join(staging, p)) === 'file') throw new InTheWay(p, 'folder');
        walk(p);
        continue;
      }
      if (!keep(p)) continue;
      try {
        if (!made.has(rel)) {
          mkdirSync(join(staging, rel), { recursive: true });
          made.add(rel);
        }
        linkSync(join(out, p), join(staging, p));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTDIR') throw new InTheWay(p, 'file');
        throw err;
      }
      carried.push({ path: p, ino: lstatSync(join(staging, p)).ino });
    }
    if (exists(join(staging, rel))) {
      const st = statSync(join(out, rel));
      folders.set(rel, { mode: st.mode & 0o7777, gid: st.gid });
    }
  };
  walk('');
  const stagingGid = statSync(staging).gid;
  if ([...folders.values()].some((f) => f.gid !== stagingGid || (f.mode & SETGID) !== 0)) {
    giveGroups(staging, '', folders, new Set(carried.map((c) => c.path)), undefined);
  }
  // deepest first, once everything is in place (a read-only folder is filled before it is one)
  for (const [rel, f] of folders) chmodSync(join(staging, rel), f.mode);
  return carried;
}

/** The set-group-ID bit of a folder's mode: what is made in it gets the folder's group. */
export const SETGID = 0o2000;

/**
 * Gives the staging folders the groups they would have had if the compile had written into
 * `out`: a folder that exists in `out` gets its group there; a new folder inside a setgid folder
 * gets that folder's group and the setgid bit, and so does every file detect wrote in one (the
 * files carried over keep their own). Best effort: a group this process may not give is left.
 */
function giveGroups(
  staging: string,
  rel: string,
  folders: ReadonlyMap<string, { mode: number; gid: number }>,
  carried: ReadonlySet<string>,
  inherited: number | undefined,
): void {
  const dir = join(staging, rel);
  const own = folders.get(rel);
  const gid = own?.gid ?? inherited;
  if (gid !== undefined) {
    try {
      chownSync(dir, -1, gid);
      if (!own && inherited !== undefined) chmodSync(dir, (statSync(dir).mode & 0o7777) | SETGID);
    } catch {
      // not a group of this process's
    }
  }
  const setgid = own ? (own.mode & SETGID) !== 0 : inherited !== undefined;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) giveGroups(staging, p, folders, carried, setgid ? gid : undefined);
    else if (setgid && gid !== undefined && !carried.has(p)) {
      try {
        chownSync(join(staging, p), -1, gid);
      } catch {
        // not a group of this process's
      }
    }
  }
}

/**
 * Swaps `staging` in for `out`, leaving the old folder at `backup`. Returns false, having
 * changed nothing, when the folders cannot be swapped; throws if the output folder could not
 * be put back after a failed second rename.
 */
export function swapIn(staging: string, out: string, backup: string): boolean {
  try {
    renameSync(out, backup);
  } catch {
    return false;
  }
  try {
    renameSync(staging, out);
    return true;
  } catch {
    renameSync(backup, out);
    return false;
  }
}
