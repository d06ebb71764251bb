/**
 * The contract every backend implements: IR in, files and diagnostics out. A backend never
 * reads or writes the file system; `src/emit` writes what it returns.
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
  emit(program: Program, source: SourceDefinition, options: BackendOptions): BackendResult;
}
