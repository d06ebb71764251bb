/**
 * Reading files at a git revision for `detect validate --base <ref>`: `git` is run with
 * `execFileSync` (no shell), in the working folder. Paths given on the command line are
 * resolved against the working folder and then taken relative to the repository's top level,
 * which is how `git ls-tree` and `git show <ref>:<path>` name them.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A failure to read the base revision: a usage error (not a repository, unknown ref, no git). */
export class BaseUnavailable extends Error {}

function git(args: readonly string[], cwd: string): Buffer {
  return execFileSync('git', [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

function stderrOf(e: unknown): string {
  const err = (e as { stderr?: Buffer | string } | undefined)?.stderr;
  const text = err === undefined ? '' : String(err).trim();
  return text !== '' ? text : e instanceof Error ? e.message : String(e);
}

/** `p` with symbolic links resolved, as far as it exists (a file may exist only at the base). */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : join(real(parent), basename(p));
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A git revision opened for reading, seen from the working folder `cwd`. */
export class GitRevision {
  private constructor(
    readonly ref: string,
    private readonly cwd: string,
    /** The repository's top folder (symbolic links resolved). */
    readonly top: string,
    private readonly commit: string,
  ) {}

  /** Opens `ref` from `cwd`; throws `BaseUnavailable` with a message for the user. */
  static open(ref: string, cwd: string): GitRevision {
    if (ref === '' || ref.startsWith('-')) throw new BaseUnavailable(`'${ref}' is not a git revision`);
    let top: string;
    try {
      top = git(['rev-parse', '--show-toplevel'], cwd).toString('utf8').trim();
    } catch (e) {
      const detail = stderrOf(e);
      if ((e as { code?: string }).code === 'ENOENT') throw new BaseUnavailable('--base needs git, which was not found on the PATH');
      throw new BaseUnavailable(`--base needs a git repository, but '${cwd}' is not in one (${detail})`);
    }
    let commit: string;
    try {
      commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd).toString('utf8').trim();
    } catch {
      commit = '';
    }
    if (commit === '') {
      throw new BaseUnavailable(`unknown git revision '${ref}' (in a shallow clone or without the remote branch fetched, run 'git fetch origin' first)`);
    }
    return new GitRevision(ref, cwd, real(top), commit);
  }

  /** `abs` relative to the repository top, `/`-separated; undefined when outside the repository. */
  private repoPath(abs: string): string | undefined {
    const rel = relative(this.top, real(abs));
    if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return toPosix(rel);
  }

  /** The name of a repository path as the working folder shows it (as in spans). */
  displayName(repoPath: string): string {
    return toPosix(relative(real(this.cwd), resolve(this.top, repoPath)));
  }

  /**
   * The files at the revision below `paths` (files or folders, relative to the working folder),
   * sorted and de-duplicated, as repository paths. Hidden folders and `node_modules` below a
   * given folder are skipped, as for the inputs of a run.
   */
  listFiles(paths: readonly string[]): string[] {
    const out = new Set<string>();
    for (const p of paths) {
      const repoPath = this.repoPath(resolve(this.cwd, p));
      if (repoPath === undefined) throw new BaseUnavailable(`'${p}' is outside the git repository at '${this.top}', so it has no version at '${this.ref}'`);
      const args = ['ls-tree', '-r', '--name-only', '-z', this.commit];
      if (repoPath !== '') args.push('--', repoPath);
      let listed: string[];
      try {
        listed = git(args, this.top).toString('utf8').split('\0').filter((f) => f !== '');
      } catch (e) {
        throw new BaseUnavailable(`cannot list '${p}' at '${this.ref}': ${stderrOf(e)}`);
      }
      for (const f of listed) {
        const below = repoPath === '' ? f : f === repoPath ? '' : f.slice(repoPath.length + 1);
        const folders = below.split('/').slice(0, -1);
        if (folders.some((d) => d.startsWith('.') || d === 'node_modules')) continue;
        out.add(f);
      }
    }
    return [...out].sort();
  }

  /** The text of `repoPath` at the revision; undefined when absent or not valid UTF-8. */
  readFile(repoPath: string): string | undefined {
    try {
      return STRICT_UTF8.decode(git(['show', `${this.commit}:${repoPath}`], this.top));
    } catch {
      return undefined;
    }
  }

  /**
   * The repository path at the revision of the file the working tree holds at `abs` (symbolic
   * links resolved): the same path when it existed there, else the path git's rename detection
   * (`git diff -M`, the revision against the working tree) finds it renamed from; undefined for
   * a new file.
   */
  pathAtRevision(abs: string): string | undefined {
    const repoPath = this.repoPath(abs);
    if (repoPath === undefined) return undefined;
    if (this.readFile(repoPath) !== undefined) return repoPath;
    let listed: string[];
    try {
      listed = git(['diff', '-M', '--name-status', '-z', '--diff-filter=R', this.commit], this.top).toString('utf8').split('\0');
    } catch {
      return undefined;
    }
    // entries: status (R<score>), old path, new path
    for (let i = 0; i + 2 < listed.length; i += 3) {
      if (listed[i + 2] === repoPath) return listed[i + 1];
    }
    return undefined;
  }

  /** Reads an absolute path of the working tree as it was at the revision. */
  readAbsolute(abs: string): string | undefined {
    const repoPath = this.repoPath(abs);
    return repoPath === undefined ? undefined : this.readFile(repoPath);
  }
}
