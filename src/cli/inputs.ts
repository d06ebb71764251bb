/**
 * Turning the paths on the command line into input files: `.det` files given directly or
 * found in folders (recursively, hidden folders and `node_modules` skipped), and `*.source.yaml`
 * source definitions. Sorted and de-duplicated, so the order of arguments does not matter: a
 * file reached by two paths (a symlink beside its target, two hard links) is read once.
 */
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath } from '../diagnostics/format-shared.js';
import { readRegularFile } from '../io/read-file.js';
import { looksLikeFalcoRules } from '../syntax/foreign-file.js';

export interface InputFile {
  /** Relative to the working folder with `/` separators: the name used in spans and output. */
  readonly path: string;
  readonly absPath: string;
}

export interface Inputs {
  /** Detection files, sorted by `path`. */
  readonly detFiles: readonly InputFile[];
  /** Source definitions (`*.source.yaml`), sorted by `path`. */
  readonly sourceFiles: readonly InputFile[];
  /** DET6001 for a path that does not exist, DET6002 when no `.det` file was found, DET6005 for an unreadable folder. */
  readonly diagnostics: readonly Diagnostic[];
}

const SOURCE_SUFFIX = '.source.yaml';

function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Lists the files below `dir` (absolute), depth first; folder symlinks are not followed.
 * Folders that cannot be read are added to `unreadable`.
 */
function walk(dir: string, out: string[], unreadable: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    unreadable.push(dir);
    return;
  }
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (!isSkippedFolder(e.name)) walk(abs, out, unreadable);
    } else if (e.isFile() || isInputName(e.name)) {
      // An input name that is not a regular file (a dangling symlink, a FIFO, a device) is
      // listed too: reading it reports why, where skipping it would silently drop its
      // detections (and remove their generated files as stale).
      out.push(abs);
    } else if (e.isSymbolicLink()) {
      try {
        if (statSync(abs).isFile()) out.push(abs);
      } catch {
        // A dangling link of another name is not an input.
      }
    }
  }
}

/** Whether a file of this name is an input: a `.det` file or a `*.source.yaml` source. */
function isInputName(name: string): boolean {
  return name.endsWith('.det') || name.endsWith(SOURCE_SUFFIX);
}

function byPath(a: InputFile, b: InputFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The file's identity (device and inode, symlinks followed), or its path when it cannot be read. */
function identity(abs: string): string {
  try {
    const st = statSync(abs);
    return `${st.dev}:${st.ino}`;
  } catch {
    return abs;
  }
}

function isSymlink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Of two paths to one file, the one to read: the file itself rather than a symlink to it,
 * else the first by path (so the choice does not depend on the order of the arguments).
 */
function preferred(a: InputFile, b: InputFile): InputFile {
  const aLink = isSymlink(a.absPath);
  if (aLink !== isSymlink(b.absPath)) return aLink ? b : a;
  return byPath(a, b) <= 0 ? a : b;
}

/** How many YAML files a DET6002 looks into, and the largest file looked at. */
const MAX_LOOKED_INTO = 50;
const MAX_LOOKED_AT = 1024 * 1024;

/** Of `paths` (in path order), the first four Falco rules files among the first `MAX_LOOKED_INTO`. */
function falcoRulesFiles(paths: readonly string[]): string[] {
  return [...paths].sort().slice(0, MAX_LOOKED_INTO).filter(isFalcoRulesFile).slice(0, 4);
}

/** Whether `abs` is a regular file that starts like a Falco rules file (`- rule:`, `- list:`, …). */
function isFalcoRulesFile(abs: string): boolean {
  const read = readRegularFile(abs, MAX_LOOKED_AT);
  return 'bytes' in read && looksLikeFalcoRules(read.bytes.subarray(0, 4096).toString('utf8'));
}

/**
 * Resolves the command-line `paths` (relative to `cwd`). Files given directly and found in
 * folders alike are read when they are `*.det` or `*.source.yaml`; another file given directly
 * is skipped with a DET6012 warning (a shell glob such as `detections/*` also names a README,
 * and `fmt` must not rewrite it). A folder that cannot be read gives DET6005.
 */
export function collectInputs(paths: readonly string[], cwd: string): Inputs {
  const diagnostics: Diagnostic[] = [];
  const det = new Map<string, InputFile>();
  const sources = new Map<string, InputFile>();
  /** YAML files in the folders: those that are Falco rules files are named when no .det file is found. */
  const yaml: string[] = [];
  const add = (abs: string): void => {
    const file = { path: displayPath(abs, cwd), absPath: abs };
    const files = abs.endsWith(SOURCE_SUFFIX) ? sources : det;
    const key = identity(abs);
    const seen = files.get(key);
    files.set(key, seen === undefined ? file : preferred(seen, file));
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      diagnostics.push({
        code: Codes.PathNotFound.code,
        severity: 'error',
        message: `input path '${p}' not found`,
        hint: 'give .det files or folders that contain them (searched recursively)',
      });
      continue;
    }
    if (!isDir) {
      if (isInputName(abs)) add(abs);
      else {
        diagnostics.push({
          code: Codes.NotADetectionFile.code,
          severity: 'warning',
          message: `skipped '${p}': not a .det file`,
          hint: isFalcoRulesFile(abs)
            ? 'it is a Falco rules file (YAML): write its rules as `detection name { … }` blocks in .det files (see the README)'
            : 'detections are read from files ending in .det (and a source from *.source.yaml); rename the file if it holds detections',
        });
      }
      continue;
    }
    const found: string[] = [];
    const unreadable: string[] = [];
    walk(abs, found, unreadable);
    for (const f of found) {
      if (isInputName(f)) add(f);
      else if (/\.ya?ml$/i.test(f)) yaml.push(f);
    }
    for (const u of unreadable) {
      diagnostics.push({
        code: Codes.ReadFailed.code,
        severity: 'error',
        message: `cannot read folder '${displayPath(u, cwd)}'`,
        hint: 'check the permissions of the folder, or leave it out of the inputs',
      });
    }
  }
  if (!diagnostics.some((d) => d.code === Codes.PathNotFound.code) && det.size === 0) {
    const rules = falcoRulesFiles(yaml);
    diagnostics.push({
      code: Codes.NoInputFiles.code,
      severity: 'error',
      message: `no .det files found in ${paths.map((p) => `'${p}'`).join(', ')}`,
      hint:
        rules.length > 0
          ? `detections are written in files ending in .det; the Falco rules files there (${rules.slice(0, 3).map((f) => displayPath(f, cwd)).join(', ')}${rules.length > 3 ? ', …' : ''}) are not read: write their rules as \`detection name { … }\` blocks in .det files (see the README)`
          : 'detections are written in files ending in .det; give such files or folders that contain them',
    });
  }
  return {
    detFiles: [...det.values()].sort(byPath),
    sourceFiles: [...sources.values()].sort(byPath),
    diagnostics,
  };
}
