/**
 * The contract every backend implements: IR in, files and diagnostics out. A backend never
 * reads or writes the file system: it hands each file to a sink as soon as it is complete, and
 * the aggregate files in parts as they grow (`src/emit` writes them into the staging folder, so
 * a large compile never holds its output in memory), and returns the diagnostics; `emitFiles`
 * collects the files instead, for tests and callers that want them in memory.
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
  /**
   * Set on every part but the last of a file emitted in parts (see {@link partsOf}): the parts
   * of a path arrive in order, and the file is their concatenation. A part must not end inside a
   * surrogate pair (each is encoded on its own). Absent on a whole file.
   */
  readonly more?: true;
}

/**
 * Receives each file a backend emits, once, when it is complete; or a large file (the
 * aggregate files) in parts, so that it is never whole in memory.
 */
export type FileSink = (file: EmittedFile) => void;

/** Parts are handed to the sink once this many UTF-16 code units are gathered. */
const PART_SIZE = 1 << 16;

/**
 * A file written to `sink` in parts of about {@link PART_SIZE}: `add` appends text, `end` emits
 * the rest as the last part (an empty file when nothing was added). Parts are cut only between
 * added texts, so each part is encoded on its own: an added text must not end inside a
 * surrogate pair (JSON text never does).
 */
export function partsOf(sink: FileSink, path: string): { add(text: string): void; end(): void } {
  let pending = '';
  return {
    add(text) {
      pending += text;
      if (pending.length >= PART_SIZE) {
        sink({ path, content: pending, more: true });
        pending = '';
      }
    },
    end() {
      sink({ path, content: pending });
      pending = '';
    },
  };
}

/** A sink that gathers files (joining the parts of files emitted in parts), and the files so far, sorted by path. */
export function fileCollector(): { sink: FileSink; files(): EmittedFile[] } {
  const files: EmittedFile[] = [];
  const parts = new Map<string, string[]>();
  return {
    sink(f) {
      const earlier = parts.get(f.path);
      if (f.more) {
        if (earlier) earlier.push(f.content);
        else parts.set(f.path, [f.content]);
        return;
      }
      if (earlier) parts.delete(f.path);
      files.push(earlier ? { path: f.path, content: earlier.join('') + f.content } : { path: f.path, content: f.content });
    },
    files() {
      if (parts.size > 0) throw new Error(`files emitted in parts and never ended: ${[...parts.keys()].join(', ')}`);
      return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
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
  /**
   * Emits the files for `program` into `sink` (in no particular order) and returns the
   * diagnostics. Files emitted before an error diagnostic are not meant to be used: the caller
   * discards the whole output when any diagnostic is an error.
   */
  emit(program: Program, source: SourceDefinition, options: BackendOptions, sink: FileSink): readonly Diagnostic[];
}

/** Runs `backend` and collects its files (parts joined), sorted by path. */
export function emitFiles(backend: Backend, program: Program, source: SourceDefinition, options: BackendOptions = {}): BackendResult {
  const collector = fileCollector();
  const diagnostics = backend.emit(program, source, options, collector.sink);
  return { files: collector.files(), diagnostics };
}
