/**
 * The `ir` target: the whole validated Program as JSON, for debugging the compiler, for
 * diffing what a change to a detection means, and for tools of one's own.
 * Writes `ir/program.json` (stable key order, 2-space indentation) and nothing else.
 */
import { stableJson } from '../../emit/json.js';
import type { Program } from '../../ir/types.js';
import type { SourceDefinition } from '../../source/types.js';
import type { Backend, BackendOptions, FileSink } from '../types.js';

/** Path of the one file the `ir` target writes, below the output folder. */
export const IR_PROGRAM_PATH = 'ir/program.json';

/** The `ir` backend. */
export const irBackend: Backend = {
  target: 'ir',
  description: 'the intermediate representation as JSON (ir/program.json)',
  emit(program: Program, _source: SourceDefinition, _options: BackendOptions, sink: FileSink) {
    sink({ path: IR_PROGRAM_PATH, content: stableJson(program) });
    return [];
  },
};
