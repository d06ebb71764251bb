/**
 * The source definition the base revision's rules were compiled with, as far as git tells:
 * - the working tree's run uses a `*.source.yaml`: that file as it was at the base (its real
 *   path, so a symbolic link reads its target; found under its old name when git sees it
 *   renamed or moved, as when a folder moves with its source);
 * - it is new there, or the run uses the built-in source: the one `*.source.yaml` the paths
 *   held at the base (removed in this change), else the built-in source.
 * When that cannot be told (several source files, one that does not load) the gate falls back
 * to the working tree's source and says so. With the built-in source on both sides, both are
 * the running `detect`'s: a change of the built-in source between versions of detect is not
 * seen.
 */
import { builtinSource, parseSource } from '../source/load.js';
import type { SourceDefinition } from '../source/types.js';
import type { GitRevision } from './git.js';

const SOURCE_SUFFIX = '.source.yaml';

export interface BaseSource {
  readonly source: SourceDefinition;
  /** Why the working tree's source stands in for the base's. */
  readonly problem?: string;
}

function load(revision: GitRevision, repoPath: string, head: SourceDefinition): BaseSource {
  const name = revision.displayName(repoPath);
  const text = revision.readFile(repoPath);
  if (text === undefined) return { source: head, problem: `${name} cannot be read there (not valid UTF-8)` };
  const loaded = parseSource(text, name);
  if (loaded.source) return { source: loaded.source };
  const first = loaded.diagnostics[0];
  return { source: head, problem: `${name} does not load there${first ? ` (${first.code}: ${first.message})` : ''}` };
}

/**
 * The base's source definition for a run over `paths` whose source is `head`, loaded from
 * `headFile` (absolute; absent for the built-in source); `head` when it cannot be loaded.
 */
export function baseSource(revision: GitRevision, paths: readonly string[], head: SourceDefinition, headFile?: string): BaseSource {
  const then = headFile === undefined ? undefined : revision.pathAtRevision(headFile);
  if (then !== undefined) return load(revision, then, head);
  const found = revision.listFiles(paths).filter((f) => f.endsWith(SOURCE_SUFFIX));
  if (found.length === 0) return { source: builtinSource() };
  if (found.length > 1) {
    return { source: head, problem: `the paths hold ${found.length} source definitions there (${found.map((f) => revision.displayName(f)).join(', ')})` };
  }
  return load(revision, found[0]!, head);
}
