/**
 * Reading the NDJSON file of a `test … file "…"` for lowering, confined to the project: a
 * `.det` file under review must not make `detect` read, and print into a CI log, lines of files
 * elsewhere (`/proc/self/environ`, `~/.ssh/…`), and a clone of the project holds only what is
 * inside it. The project of a `.det` file is the git repository holding it (the nearest folder
 * above it with a `.git`), else the working folder when the file is inside it, else the file's
 * own folder; never the file system's root. Paths are compared after symbolic links.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { isUnder } from '../emit/paths.js';
import { readRegularFile } from '../io/read-file.js';
import { decodeUtf8 } from './read-text.js';

/** What lowering gets for an events file: its text, what is wrong with it, or `undefined` when it does not exist. */
export type EventsFileRead = string | { problem: string; hint?: string } | undefined;

/** `path` after symbolic links, or `path` itself when it cannot be resolved. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The projects of the `.det` files at `detPaths` (absolute), as real paths, each once. */
export function projectRoots(detPaths: readonly string[], cwd: string): string[] {
  const here = real(cwd);
  const repoOf = new Map<string, string | null>();
  const repository = (dir: string): string | null => {
    const known = repoOf.get(dir);
    if (known !== undefined) return known;
    const parent = dirname(dir);
    const found = existsSync(join(dir, '.git')) ? dir : parent === dir ? null : repository(parent);
    repoOf.set(dir, found);
    return found;
  };
  const roots = new Set<string>();
  for (const p of detPaths) {
    const folder = real(dirname(p));
    let root = repository(folder) ?? (isUnder(folder, here) ? here : folder);
    if (root === parse(root).root) root = folder;
    roots.add(root);
  }
  return [...roots];
}

/** Reads the events file at `absPath` if it is inside one of `roots` (see the module comment). */
export function readEventsFile(absPath: string, roots: readonly string[]): EventsFileRead {
  let resolved: string;
  try {
    resolved = realpathSync(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
    resolved = resolve(absPath); // unreadable: reading it says why
  }
  if (!roots.some((root) => isUnder(resolved, root))) {
    const linked = resolved !== resolve(absPath) ? ', through a symbolic link,' : '';
    return {
      problem: `it is${linked} outside the project, where test events must be: the git repository holding the .det file (outside one, the working folder)`,
      hint: 'keep the events file in the project, e.g. beside the .det file, so every clone has it',
    };
  }
  const read = readRegularFile(absPath);
  if (!('bytes' in read)) return read.missing ? undefined : { problem: read.problem };
  const decoded = decodeUtf8(read.bytes);
  if ('text' in decoded) return decoded.text;
  return {
    problem: `it is not valid UTF-8 (byte 0x${decoded.byte} at line ${decoded.start.line}, column ${decoded.start.column})`,
    hint: 'save it as UTF-8, as Falco writes its JSON alerts',
  };
}
