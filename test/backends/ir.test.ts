import { describe, expect, it } from 'vitest';
import { IR_PROGRAM_PATH, irBackend } from '../../src/backends/ir/index.js';
import type { Program } from '../../src/ir/types.js';
import type { SourceDefinition } from '../../src/source/types.js';
import { emitFiles } from '../../src/backends/types.js';

const source = {} as SourceDefinition; // the ir backend does not look at the source

describe('ir backend', () => {
  it('writes the whole program as ir/program.json and nothing else', () => {
    const program: Program = { irVersion: 1, source: 'falco', detections: [] };
    const result = emitFiles(irBackend, program, source, {});
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual([IR_PROGRAM_PATH]);
    expect(IR_PROGRAM_PATH).toBe('ir/program.json');
    expect(JSON.parse(result.files[0]!.content)).toEqual(program);
    expect(result.files[0]!.content).toBe('{\n  "detections": [],\n  "irVersion": 1,\n  "source": "falco"\n}\n');
  });

  it('does not depend on the key order of the program objects', () => {
    const a = { irVersion: 1, source: 'falco', detections: [] } as Program;
    const b = { detections: [], source: 'falco', irVersion: 1 } as Program;
    expect(emitFiles(irBackend, a, source, {}).files).toEqual(emitFiles(irBackend, b, source, {}).files);
  });
});
