/**
 * Writing the generated files into the output folder (`generated/` by default), all or
 * nothing as far as a file system allows. A compile opens the folder ({@link openOutput}) before
 * its backends run and adds each file as it is made: the file goes into the staging folder at
 * once (through `file-writer.ts`, which moves the writing to a worker thread for large outputs),
 * and `commit` does the rest; {@link writeOutput} does all of it for files already in memory.
 *
 * Guarantee:
 * - Nothing in the output folder changes until every new file has been written completely
 *   into a staging folder beside it (`.<out>.detect-staging-<pid>`; inside it,
 *   `<out>/.detect-staging-<pid>`, when it is on another mount than its parent). A compile that fails
 *   (diagnostics, a write error, a full disk) or is killed before that point leaves the output
 *   folder byte-identical; the staging folder is removed (or, after a kill, by the next compile
 *   that writes; a compile that fails leaves what killed runs left as it is).
 * - When the output folder does not exist yet, the staging folder (manifest included) is
 *   renamed to it in one step: the folder appears complete or not at all.
 * - Otherwise the staging folder is completed into the whole new output folder (files detect
 *   does not replace are hard-linked into it, so they stay the same files; folders keep their
 *   modes and groups) and swapped in by two renames (src/emit/folder-swap.ts). A kill at any moment leaves
 *   the old folder or the new one; only between those two system calls is the folder absent,
 *   the old one whole beside it as `.<out>.detect-backup-<pid>`, which the next compile that
 *   writes renames back. A user file replaced, deleted or created in the old folder while the compile ran is
 *   replaced, deleted or kept in the new one.
 * - One compile at a time writes an output folder: a lock file beside it
 *   (`.<out>.detect-lock`, holding the pid) makes a second one fail with DET6010.
 * - Where the swap is impossible (the output folder is a symlink or a mount point, the file
 *   system has no hard links), the commit is per file: the manifest is renamed in from the
 *   staging folder (where renames cannot reach `out`, this fails having changed nothing) to
 *   list the old and the new files, stale files are removed, each staged file is renamed over
 *   its target, then the final manifest is renamed in. A kill during these milliseconds can
 *   leave a mix of old and new files, each whole, and a manifest listing every file `detect`
 *   may have written, so the next compile repairs it.
 * - Files the manifest does not list are never modified or removed: a new file that would
 *   overwrite one, or something of the user's where the new output needs a file or a folder of
 *   the other kind, is refused (DET6004) before anything in the output folder changes.
 * - Only files under `ownedRoots` (the folders of the targets compiled in this run) are
 *   replaced or removed as stale; files of other targets stay, and stay in the manifest.
 */
import { accessSync, chmodSync, chownSync, constants, existsSync, lstatSync, mkdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { EmittedFile } from '../backends/types.js';
import { writeFileAtomic } from './atomic-file.js';
import { acquireLock, BACKUP_INFIX, besideName, carryOver, InTheWay, kindAt, LOCK_INFIX, recoverAbandoned, removeBackup, removeTree, SETGID, STAGING_INFIX, swapIn, TRASH_INFIX, type Carried } from './folder-swap.js';
import { createFileWriter, ensureParent } from './file-writer.js';
import { readManifest, renderManifest } from './manifest.js';
import { checkOutDir, isUnder, MANIFEST_NAME, onOtherMount, realish, unsafePathReason } from './paths.js';

export interface WriteResult {
  /**
   * Errors that stopped the write (DET6003, DET6004, DET6006, DET6010), or on success warnings
   * (DET6011: a copy of an earlier output folder could not be deleted).
   */
  readonly diagnostics: Diagnostic[];
  /** Paths written (relative to the output folder), sorted. */
  readonly written: string[];
  /** Stale generated paths removed, sorted. */
  readonly removed: string[];
}

export interface WriteOptions {
  /** Folder `outDir` is relative to and the current-folder check uses; default `process.cwd()`. */
  readonly cwd?: string;
}

function fail(message: string, hint: string, code: { code: string } = Codes.OutputUnsafe): WriteResult {
  return { diagnostics: [{ code: code.code, severity: 'error', message, hint }], written: [], removed: [] };
}

/** DET6006 for a file or folder that could not be written into the staging folder. */
function writeFailed(reason: string): WriteResult {
  return fail(`could not write the output: ${reason}`, 'check the free space and the permissions of the output folder', Codes.WriteFailed);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * `content`, the end of a file whose last character is `last` ('' for an empty file), with a
 * final newline unless the file is empty or has one (generated files are LF-terminated text).
 */
function withFinalNewline(content: string, last: string): string {
  return last === '' || last === '\n' ? content : `${content}\n`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Removes `rel`'s parent folders below `root` while they are empty. */
function pruneEmptyParents(root: string, rel: string): void {
  for (let d = rel; d.includes('/'); ) {
    d = d.slice(0, d.lastIndexOf('/'));
    try {
      rmdirSync(join(root, d));
    } catch {
      return;
    }
  }
}

/**
 * An open output folder: files are written into its staging folder as they are added, so a
 * compile never holds all of them in memory; nothing in the output folder changes before
 * `commit`. Exactly one of `commit` and `abort` must be called (it releases the lock).
 */
export interface OutputWriter {
  /**
   * Writes one generated file (path relative to the output folder, `/`-separated) into the
   * staging folder, or one part of a file emitted in parts (`more`; see `partsOf`). A path that
   * is unsafe, or a write that fails, makes `commit` fail (and later files are ignored); a path
   * given twice or outside the owned folders, a part ending inside a surrogate pair, or a file in
   * parts never ended, is a bug: throws.
   */
  add(file: EmittedFile): void;
  /** Checks the staged files against the output folder and moves them in; see the module comment. */
  commit(): WriteResult;
  /** Deletes the staging folder and releases the lock; the output folder is untouched. */
  abort(): void;
}

/**
 * Takes the lock of the output folder `out` beside the folder it is, symlinks resolved, so
 * `--out gen` and `--out link-to-gen` (or `--out link/gen`) take the same lock; beside `out` as
 * spelled when the real folder's parent may not be written (the files then still go into the
 * real folder, one by one).
 */
function lockOutput(out: string): { lock: ReturnType<typeof acquireLock>; lockedAt: string } {
  const real = realish(out);
  if (real !== out) {
    try {
      return { lock: acquireLock(real), lockedAt: real };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw e;
    }
  }
  return { lock: acquireLock(out), lockedAt: out };
}

/**
 * Opens `outDir` for writing: checks it, takes its lock and creates the staging folder beside
 * it. Returns the writer, or the failure (nothing changed). What an interrupted compile left is
 * put back or deleted by `commit`, so a compile that fails does not change the output folder
 * (except that a backup left by a killed run with this very pid is put back at once).
 * Only files under `ownedRoots` (the folders of the targets compiled) may be added, and only
 * files there are removed as stale.
 */
export function openOutput(
  outDir: string,
  ownedRoots: readonly string[],
  options: WriteOptions = {},
): { readonly writer: OutputWriter } | { readonly failed: WriteResult } {
  const cwd = options.cwd ?? process.cwd();
  const refused = checkOutDir(outDir, cwd);
  if (refused.length > 0) return { failed: { diagnostics: refused, written: [], removed: [] } };
  const out = resolve(cwd, outDir);
  const denied = cannotWriteInto(out);
  if (denied !== undefined) {
    return {
      failed: fail(
        `cannot write into the output folder '${outDir}': ${denied}`,
        'make the folder writable for this user (or choose another --out); detect never replaces a folder it may not write into',
        Codes.WriteFailed,
      ),
    };
  }
  let lock: ReturnType<typeof acquireLock>;
  let lockedAt = out;
  try {
    mkdirSync(dirname(out), { recursive: true });
    ({ lock, lockedAt } = lockOutput(out));
  } catch (e) {
    return { failed: fail(`could not lock the output folder '${outDir}': ${errorText(e)}`, 'check the permissions of the folder that holds the output folder', Codes.WriteFailed) };
  }
  if ('heldBy' in lock) {
    return {
      failed: fail(
        `another detect (process ${lock.heldBy}) is writing to '${outDir}'`,
        `wait for it to finish; if no detect is running, delete '${besideName(lockedAt, LOCK_INFIX)}'`,
        Codes.OutputLocked,
      ),
    };
  }
  const held = lock;
  // On another mount than its parent, renames from beside the folder fail: stage inside it.
  const staging = existsSync(out) && onOtherMount(out) ? join(out, `${STAGING_INFIX}${process.pid}`) : besideName(out, STAGING_INFIX, process.pid);
  // A killed run with this very pid (a container where every run has the same pid) left
  // something under the names this run is about to use: deal with it first, as it would be
  // dealt with at commit (its staging folder tells that its backup was taken between the renames).
  const early = [STAGING_INFIX, BACKUP_INFIX, TRASH_INFIX].some((infix) => existsSync(besideName(out, infix, process.pid)));
  let warnings: Diagnostic[] = [];
  if (early) {
    try {
      warnings = leftoverWarnings(recoverAbandoned(out, generatedInFolder));
    } catch (e) {
      held.release();
      return { failed: cannotPutBack(outDir, out, e) };
    }
  }
  try {
    removeTree(staging);
    mkdirSync(staging);
    if (existsSync(out)) neutralGroup(staging);
  } catch (e) {
    removeTree(staging);
    held.release();
    return { failed: writeFailed(errorText(e)) };
  }

  const files = createFileWriter(staging);
  const added = new Set<string>();
  /** Files coming in parts, not ended yet → the last character written so far ('' for none). */
  const partial = new Map<string, string>();
  let failure: WriteResult | undefined;
  let open = true;
  const close = (): void => {
    open = false;
    files.close();
    removeTree(staging);
    held.release();
  };
  return {
    writer: {
      add(file) {
        if (!open) throw new Error('the output folder is closed');
        if (failure !== undefined) return;
        if (file.more && isHighSurrogate(file.content.charCodeAt(file.content.length - 1))) {
          throw new Error(`a part of '${file.path}' ends inside a surrogate pair (parts are encoded one by one)`);
        }
        const before = partial.get(file.path);
        if (before === undefined) {
          const reason = unsafePathReason(file.path) ?? (file.path === MANIFEST_NAME ? 'the path is reserved for the manifest' : undefined);
          if (reason !== undefined) {
            failure = fail(`refusing to write generated file '${file.path}': ${reason}`, 'this is a bug in the backend that produced the file; please report it');
            return;
          }
          if (added.has(file.path)) throw new Error(`two generated files have the same path '${file.path}'`);
          if (!ownedRoots.some((r) => isUnder(file.path, r))) {
            throw new Error(`generated file '${file.path}' is outside the folders of the compiled targets (${ownedRoots.join(', ')})`);
          }
          added.add(file.path);
        }
        if (file.more) {
          partial.set(file.path, file.content === '' ? (before ?? '') : file.content.slice(-1));
          files.write(file.path, file.content, 'more');
        } else if (before !== undefined) {
          partial.delete(file.path);
          files.write(file.path, withFinalNewline(file.content, file.content === '' ? before : file.content.slice(-1)), 'last');
        } else {
          files.write(file.path, withFinalNewline(file.content, file.content.slice(-1)));
        }
      },
      commit() {
        if (!open) throw new Error('the output folder is closed');
        try {
          if (failure !== undefined) return failure;
          if (partial.size > 0) throw new Error(`generated files emitted in parts were never ended: ${[...partial.keys()].sort().join(', ')}`);
          const staged = files.finish();
          if ('error' in staged) {
            return writeFailed(staged.error);
          }
          // What killed runs left is put back or deleted only now, by a compile that writes.
          try {
            warnings.push(...leftoverWarnings(recoverAbandoned(out, generatedInFolder, staging)));
          } catch (e) {
            return cannotPutBack(outDir, out, e);
          }
          const result = commitStaged(out, outDir, staging, staged.hashes, ownedRoots);
          return result.diagnostics.some((d) => d.severity === 'error') ? result : { ...result, diagnostics: [...warnings, ...result.diagnostics] };
        } finally {
          close();
        }
      },
      abort() {
        if (open) close();
      },
    },
  };
}

/**
 * Writes `files` into `outDir` at once (an {@link OutputWriter} given every file, then
 * committed), removes stale files this tool generated earlier under `ownedRoots`, and updates
 * the manifest; see the module comment for the exact guarantee. Emitted paths must be unique
 * and inside one of `ownedRoots` (a backend bug otherwise: throws).
 */
export function writeOutput(
  outDir: string,
  files: readonly EmittedFile[],
  ownedRoots: readonly string[],
  options: WriteOptions = {},
): WriteResult {
  const opened = openOutput(outDir, ownedRoots, options);
  if ('failed' in opened) return opened.failed;
  try {
    for (const f of files) opened.writer.add(f);
  } catch (e) {
    opened.writer.abort();
    throw e;
  }
  return opened.writer.commit();
}

/**
 * The commit of a writer whose files are all staged (`hashes`: path → SHA-256): refuses to
 * overwrite what this tool did not generate, writes the manifest into the staging folder, then
 * swaps it in (or commits file by file).
 */
function commitStaged(
  out: string,
  outDir: string,
  staging: string,
  hashes: ReadonlyMap<string, string>,
  ownedRoots: readonly string[],
): WriteResult {
  const paths = [...hashes.keys()].sort();
  const outExists = existsSync(out);
  const old = outExists ? readManifest(out) : new Map<string, string>();
  /** A file generated earlier in a compiled target's folder and not any more: removed as stale. */
  const staleOwn = (p: string): boolean => old.has(p) && !hashes.has(p) && ownedRoots.some((r) => isUnder(p, r));

  // Refuse to overwrite anything this tool did not generate, or to need a folder where such a
  // file is.
  if (outExists) {
    const checkedFolders = new Set<string>();
    for (const p of paths) {
      if (old.has(p)) continue;
      const folder = fileAtFolderOf(out, p, checkedFolders, staleOwn);
      if (folder !== undefined) {
        return fail(
          `refusing to replace '${join(outDir, folder)}' by a folder: detect did not generate that file`,
          `move or delete it, or choose another --out (only files listed in ${MANIFEST_NAME} are replaced)`,
        );
      }
      const kind = kindAt(join(out, p));
      if (kind !== undefined) {
        return fail(
          `refusing to overwrite '${join(outDir, p)}': a ${kind} detect did not generate is in the way`,
          `move or delete it, or choose another --out (only files listed in ${MANIFEST_NAME} are replaced)`,
        );
      }
    }
  }

  // The new manifest: files of other targets that still exist, plus this run's files.
  const next = new Map<string, string>();
  const stale: string[] = [];
  for (const [p, sha] of old) {
    if (ownedRoots.some((r) => isUnder(p, r))) {
      if (!hashes.has(p)) stale.push(p);
    } else if (existsSync(join(out, p))) {
      next.set(p, sha);
    }
  }
  for (const p of paths) next.set(p, hashes.get(p) as string);
  stale.sort();
  try {
    writeFileSync(join(staging, MANIFEST_NAME), renderManifest(next));
  } catch (e) {
    return writeFailed(errorText(e));
  }

  try {
    if (!outExists) {
      renameSync(staging, out);
      return { diagnostics: [], written: paths, removed: [] };
    }
    const swapped = dirname(staging) === out ? undefined : commitBySwap(out, staging, old, stale, ownedRoots);
    if (swapped instanceof InTheWay) return inTheWay(outDir, swapped);
    if (swapped !== undefined) return { diagnostics: leftoverWarnings(swapped.leftovers), written: paths, removed: swapped.removed };
    // The paths detect wrote before were not checked above; here nothing may be in their way.
    const blocked = firstInTheWay(out, paths.filter((p) => old.has(p)), staleOwn);
    if (blocked) return inTheWay(outDir, blocked);
    return { diagnostics: [], written: paths, removed: commitFileByFile(out, staging, paths, stale, old, next) };
  } catch (e) {
    return fail(`could not update the output folder '${outDir}': ${errorText(e)}`, 'fix the cause and compile again; the manifest lists every generated file, so the next compile cleans up', Codes.WriteFailed);
  }
}

/** Whether something other than a folder (or a symlink to one) is at `path`. */
function notAFolder(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** DET6004 for what is in the way of the new output. */
function inTheWay(outDir: string, e: InTheWay): WriteResult {
  return fail(
    `refusing to replace '${join(outDir, e.path)}': a ${e.kind} detect did not generate is where the new output goes`,
    `move or delete it, or choose another --out (only files listed in ${MANIFEST_NAME} are replaced)`,
  );
}

/**
 * The first of `paths` with a folder at it, or a file at one of its folders that is not a stale
 * generated file (`staleOwn`: the file-by-file commit removes those first), in `out`.
 */
function firstInTheWay(out: string, paths: readonly string[], staleOwn: (path: string) => boolean): InTheWay | undefined {
  const folders = new Set<string>();
  for (const p of paths) {
    const folder = fileAtFolderOf(out, p, folders, staleOwn);
    if (folder !== undefined) return new InTheWay(folder, 'file');
    if (kindAt(join(out, p)) === 'folder') return new InTheWay(p, 'folder');
  }
  return undefined;
}

/**
 * The first folder of `path` (outermost first) where `out` has something other than a folder
 * that is not a stale generated file (`staleOwn`). Folders in `checked` are skipped; those looked
 * at are added to it.
 */
function fileAtFolderOf(out: string, path: string, checked: Set<string>, staleOwn: (path: string) => boolean): string | undefined {
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
    const folder = path.slice(0, slash);
    if (checked.has(folder)) continue;
    checked.add(folder);
    if (!staleOwn(folder) && notAFolder(join(out, folder))) return folder;
  }
  return undefined;
}

/** A manifest's temporary file left by a killed per-file commit (src/emit/atomic-file.ts). */
function isOwnTemporary(path: string): boolean {
  return path.startsWith(`.${MANIFEST_NAME}.detect-tmp-`);
}

/** Whether a path of a folder with `manifest` is detect's: listed, the manifest, or a temporary file. */
function generatedIn(manifest: ReadonlyMap<string, string>): (path: string) => boolean {
  return (p) => p === MANIFEST_NAME || manifest.has(p) || isOwnTemporary(p);
}

/** Whether a path of `folder` is detect's, by the manifest in that folder. */
function generatedInFolder(folder: string): (path: string) => boolean {
  return generatedIn(readManifest(folder));
}

/**
 * Makes a staging folder that will replace an existing output folder what a folder the compile
 * makes inside it would be: the process's group, no setgid bit (it got the folder's above, when
 * that one is setgid). The groups of the output folder's own folders are given at the swap
 * (`carryOver`). Best effort.
 */
function neutralGroup(staging: string): void {
  try {
    const st = statSync(staging);
    if ((st.mode & SETGID) !== 0) chmodSync(staging, st.mode & ~SETGID & 0o7777);
    const gid = process.getegid?.();
    if (gid !== undefined && st.gid !== gid) chownSync(staging, -1, gid);
  } catch {
    // the groups stay as the file system gave them
  }
}

/**
 * Why this process may not create and delete files in the existing folder `out`, or undefined
 * (it may, or `out` does not exist yet). Swapping in a new folder would take the folder from
 * its owner, so such a folder is refused.
 */
function cannotWriteInto(out: string): string | undefined {
  if (!existsSync(out)) return undefined;
  try {
    accessSync(out, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

/** DET6006 when the backup of an interrupted compile cannot be put back. */
function cannotPutBack(outDir: string, out: string, e: unknown): WriteResult {
  return fail(`could not put back the output folder of an interrupted compile beside '${outDir}': ${errorText(e)}`, `rename '${besideName(out, BACKUP_INFIX)}<pid>' to '${outDir}' by hand`, Codes.WriteFailed);
}

/** DET6011 warnings for leftovers of old output folders that could not be deleted. */
function leftoverWarnings(paths: readonly string[]): Diagnostic[] {
  return paths.map((p) => ({
    code: Codes.LeftoverNotRemoved.code,
    severity: Codes.LeftoverNotRemoved.severity,
    message: `could not delete '${p}', a copy of an earlier output folder`,
    hint: 'delete it by hand (make its folders writable first); the next compile tries again',
  }));
}

/**
 * The commit that replaces the whole output folder in two renames (src/emit/folder-swap.ts):
 * every file `detect` does not regenerate is hard-linked into the staging folder first.
 * Returns `undefined`, having changed nothing in `out`, where that cannot be done (`out` a
 * symlink or a mount point, no hard links on this file system): the caller then commits file
 * by file. Returns what is in the way, having changed nothing, when something that is not
 * detect's is where a generated file goes. Otherwise returns the stale files removed and the
 * leftovers it could not delete.
 */
function commitBySwap(
  out: string,
  staging: string,
  old: ReadonlyMap<string, string>,
  stale: readonly string[],
  ownedRoots: readonly string[],
): { removed: string[]; leftovers: string[] } | InTheWay | undefined {
  const ownGenerated = (p: string): boolean => old.has(p) && ownedRoots.some((r) => isUnder(p, r));
  if (lstatSync(out).isSymbolicLink()) return undefined;
  let carried: Carried[];
  try {
    carried = carryOver(out, staging, (p) => !isOwnTemporary(p) && p !== MANIFEST_NAME && !ownGenerated(p));
  } catch (e) {
    if (e instanceof InTheWay) return e;
    return undefined;
  }
  const removed = stale.filter((p) => kindAt(join(out, p)) === 'file');
  const backup = besideName(out, BACKUP_INFIX, process.pid);
  if (!swapIn(staging, out, backup)) return undefined;
  // the backup's own manifest: what is generated in the folder that was swapped out
  const leftovers = removeBackup(backup, out, generatedInFolder(backup), carried);
  return { removed, leftovers };
}

/**
 * The commit where the folder cannot be swapped: the manifest is rewritten (atomically) to list
 * the old and the new files, stale files are removed, each staged file is renamed over its
 * target (each file is replaced atomically), then the final manifest is renamed in. Returns the
 * stale paths removed.
 */
function commitFileByFile(
  out: string,
  staging: string,
  paths: readonly string[],
  stale: readonly string[],
  old: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, string>,
): string[] {
  const union = new Map([...old, ...next]);
  // The first change is a rename from the staging folder: where renames cannot reach the output
  // folder (another file system or mount), it fails and nothing has changed.
  try {
    writeFileAtomic(join(out, MANIFEST_NAME), renderManifest(union), join(staging, `.${MANIFEST_NAME}.detect-union`));
  } catch (e) {
    throw new Error(`${errorText(e)} (nothing in the output folder was changed)`);
  }
  const removed: string[] = [];
  for (const p of stale) {
    const target = join(out, p);
    if (kindAt(target) !== 'file') continue;
    unlinkSync(target);
    removed.push(p);
    pruneEmptyParents(out, p);
  }
  const made = new Set<string>();
  for (const p of paths) {
    ensureParent(out, p, made);
    renameSync(join(staging, p), join(out, p));
  }
  writeFileAtomic(join(out, MANIFEST_NAME), renderManifest(next));
  return removed;
}
