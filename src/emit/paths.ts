/**
 * Where output may go: the `--out` folder check and the check of every path a backend emits.
 * Both run before anything is written.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** The manifest's name in the output folder; no backend may emit a file with this path. */
export const MANIFEST_NAME = '.detect-manifest.json';

function error(code: { code: string }, message: string, hint: string): Diagnostic {
  return { code: code.code, severity: 'error', message, hint };
}

/** The real path of `p`, resolving the symlinks of its longest existing ancestor. */
export function realish(p: string): string {
  let existing = p;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) return p;
    rest.unshift(basename(existing));
    existing = parent;
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return p;
  }
}

function isSameOrAncestor(ancestor: string, p: string): boolean {
  if (ancestor === p) return true;
  const prefix = ancestor.endsWith(sep) ? ancestor : ancestor + sep;
  return p.startsWith(prefix);
}

/**
 * Diagnostics for an unusable output folder: DET6003 when `outDir` exists and is not a
 * folder, or a folder it would be in is a file; DET6004 when it is the file-system root, the current folder or one of its parents
 * (writing there would mix generated files with the project itself). `outDir` is as the user
 * gave it; `cwd` is the folder it is relative to.
 */
export function checkOutDir(outDir: string, cwd: string): Diagnostic[] {
  const abs = resolve(cwd, outDir);
  if (existsSync(abs) && !statSync(abs).isDirectory()) {
    return [error(Codes.OutputNotDirectory, `output path '${outDir}' is a file, not a folder`, 'give --out a folder (it is created if missing), e.g. --out generated')];
  }
  const file = fileAncestor(abs);
  if (file !== undefined) {
    const shown = isAbsolute(outDir) ? file : relative(cwd, file);
    return [error(Codes.OutputNotDirectory, `output path '${outDir}' is not a folder: '${shown}' is a file`, 'give --out a folder (it is created if missing), e.g. --out generated')];
  }
  const hint = 'give --out a folder of its own, e.g. --out generated';
  if (parse(abs).root === abs) {
    return [error(Codes.OutputUnsafe, `refusing to write into the file-system root '${outDir}'`, hint)];
  }
  const pairs: [string, string][] = [
    [abs, resolve(cwd)],
    [realish(abs), realish(resolve(cwd))],
  ];
  for (const [out, here] of pairs) {
    if (out === here) return [error(Codes.OutputUnsafe, `refusing to write into the current folder '${outDir}'`, hint)];
    if (isSameOrAncestor(out, here)) {
      return [error(Codes.OutputUnsafe, `refusing to write into '${outDir}', a parent of the current folder`, hint)];
    }
  }
  return [];
}

/** The nearest existing ancestor of `abs` when it is not a folder (it cannot hold `abs`). */
function fileAncestor(abs: string): string | undefined {
  for (let p = dirname(abs); ; p = dirname(p)) {
    if (existsSync(p)) return statSync(p).isDirectory() ? undefined : p;
    if (dirname(p) === p) return undefined;
  }
}

/** Segments of word characters, `.` and `-`, none starting with `.`: safe (the common case, checked first). */
const PLAIN_PATH = /^(?:[\w-][\w.-]*\/)*[\w-][\w.-]*$/;

/**
 * Why `path` is not a safe relative output path (`undefined` when it is): it must be
 * non-empty, use `/` separators, and stay inside the output folder (no absolute path, drive
 * letter, `.`/`..` or empty segment).
 */
export function unsafePathReason(path: string): string | undefined {
  if (PLAIN_PATH.test(path)) return undefined;
  if (path === '') return 'the path is empty';
  if (path.includes('\0')) return 'the path contains a NUL character';
  if (path.includes('\\')) return 'the path contains a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'the path is absolute';
  for (const segment of path.split('/')) {
    if (segment === '..') return 'the path leaves the output folder (`..`)';
    if (segment === '' || segment === '.') return 'the path has an empty or `.` segment';
  }
  return undefined;
}

/** Whether `path` lies in the folder `root` (both normalized and `/`-separated: relative, or absolute as `realpath` gives them). */
export function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : root + '/');
}

/** The mount points of this process (Linux: /proc/self/mountinfo); none elsewhere. */
function mountPoints(): string[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  } catch {
    return [];
  }
}

/** The mount point `real` (a real path) is under: the longest of `points` containing it. */
function mountOf(real: string, points: readonly string[]): string {
  return points.reduce((best, m) => (m.length > best.length && isSameOrAncestor(m, real) ? m : best), '');
}

/**
 * Whether the existing folder `out` is on another file system or mount than the folder that
 * holds it (a mount point, a bind mount, or a symlink to a folder on another one): a rename
 * between the two fails (EXDEV), so the staging folder must be inside `out`.
 */
export function onOtherMount(out: string): boolean {
  try {
    const real = realpathSync(out);
    const parent = realpathSync(dirname(out));
    if (statSync(real).dev !== statSync(parent).dev) return true;
    const points = mountPoints();
    return mountOf(real, points) !== mountOf(parent, points);
  } catch {
    return false;
  }
}
