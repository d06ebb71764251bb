/**
 * The contract every backend implements: IR in, files and diagnostics out. A backend never
 * reads or writes the file system: it hands each file to a sink as soon as it is complete
 * (`src/emit` writes it into the staging folder, so a large compile never holds every file in
 * memory) and returns the diagnostics; `emitFiles` collects the files instead, for tests and
 * callers that want them in memory.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Program } from '../ir/types.js';
import type { AnalysisCache } from '../kusto/cache.js';
import type { SourceDefinition } from '../source/types.js';

export type TargetName = 'ir' | 'kql' | 'sentinel' | 'esdsl' | 'lucene' | 'kibana';

export const TARGETS: readonly TargetName[] = ['ir', 'kql', 'sentinel', 'esdsl', 'lucene', 'kibana'];

export interface EmittedFile {
  /** Path below the output folder, with `/` separators (e.g. `elastic/lucene/x.lucene`). */
  readonly path: string;
  readonly content: string;
}

/** Receives each file a backend emits, once, when it is complete. */
export type FileSink = (file: EmittedFile) => void;

export interface BackendResult {
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface BackendOptions {
  /** Elastic field profile to use instead of the source's default. */
  readonly elasticProfile?: string;
  /**
   * Kusto.Language verdicts from earlier runs (see `src/kusto/cache.ts`): the Sentinel backend
   * reuses them and adds new ones; the caller owns the store (and its file).
   */
  readonly kustoCache?: AnalysisCache;
}

export interface Backend {
  readonly target: TargetName;
  /** One line for `detect compile --help`. */
  readonly description: string;
  /**
   * Emits the files for `program` into `sink` (in no particular order) and returns the
   * diagnostics. Files emitted before an error diagnostic are not meant to be used: the caller
   * discards the whole output when any diagnostic is an error.
   */
  emit(program: Program, source: SourceDefinition, options: BackendOptions, sink: FileSink): readonly Diagnostic[];
}

/** Runs `backend` and collects its files, sorted by path. */
export function emitFiles(backend: Backend, program: Program, source: SourceDefinition, options: BackendOptions = {}): BackendResult {
  const files: EmittedFile[] = [];
  const diagnostics = backend.emit(program, source, options, (f) => files.push(f));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics };
}
