/**
 * The source definition a run over the same paths used at the base revision: the one
 * `*.source.yaml` the paths held there (as a run's inputs pick it), else the built-in source.
 * When that cannot be told (several source files, one that does not load) the gate falls back
 * to the working tree's source and says so.
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

/** The base's source definition for `paths`; `head` when it cannot be loaded. */
export function baseSource(revision: GitRevision, paths: readonly string[], head: SourceDefinition): BaseSource {
  const found = revision.listFiles(paths).filter((f) => f.endsWith(SOURCE_SUFFIX));
  if (found.length === 0) return { source: builtinSource() };
  const names = found.map((f) => revision.displayName(f));
  if (found.length > 1) return { source: head, problem: `the paths hold ${found.length} source definitions there (${names.join(', ')})` };
  const text = revision.readFile(found[0]!);
  if (text === undefined) return { source: head, problem: `${names[0]} cannot be read there (not valid UTF-8)` };
  const loaded = parseSource(text, names[0]!);
  if (!loaded.source) {
    const first = loaded.diagnostics[0];
    return { source: head, problem: `${names[0]} does not load there${first ? ` (${first.code}: ${first.message})` : ''}` };
  }
  return { source: loaded.source };
}
