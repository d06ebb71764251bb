/**
 * Test helpers for lowering and validation: parse `.det` text (failing the test on syntax
 * errors, so a test never silently checks a broken input), lower it against the test source,
 * and render diagnostics compactly (`code line:column`).
 */
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { lowerProgram } from '../../src/ir/lower.js';
import type { Program } from '../../src/ir/types.js';
import type { SourceDefinition } from '../../src/source/types.js';
import type { FileNode } from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parse.js';
import { validateProgram } from '../../src/validate/validate.js';
import { testSource } from './ir-source.js';

/** A valid UUID for detections that need one. */
export const UUID = '2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11';

/**
 * A detection named `name` with the four required properties on lines 2–5; `body` (indented by
 * two spaces per line by the caller) starts on line 6 when the detection is the first block.
 */
export function detection(name: string, body: string, id = UUID): string {
  return `detection ${name} {\n  title: "T"\n  id: "${id}"\n  description: "D"\n  severity: low\n${body}\n}\n`;
}

/** Parses `text` as file `path`; fails the test on syntax diagnostics. */
export function parse(text: string, path = 'test.det'): FileNode {
  const { ast, diagnostics } = parseFile(text, path);
  expect(diagnostics, `syntax errors in test input ${path}`).toEqual([]);
  return ast;
}

export interface Lowered {
  readonly files: FileNode[];
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses and lowers `texts` (a single text is file `test.det`; an object maps paths to texts,
 * in order). `readFile` defaults to "no file exists".
 */
export function lower(
  texts: string | Record<string, string>,
  options: { readFile?: (p: string) => string | undefined; source?: SourceDefinition } = {},
): Lowered {
  const entries = typeof texts === 'string' ? [['test.det', texts] as const] : Object.entries(texts);
  const files = entries.map(([p, t]) => parse(t, p));
  const { program, diagnostics } = lowerProgram(files, options.source ?? testSource(), options.readFile ?? (() => undefined));
  return { files, program, diagnostics };
}

/** Lowers and validates; returns lowering diagnostics followed by validation diagnostics. */
export function check(
  texts: string | Record<string, string>,
  options: { readFile?: (p: string) => string | undefined; source?: SourceDefinition } = {},
): Lowered & { validation: Diagnostic[] } {
  const l = lower(texts, options);
  return { ...l, validation: validateProgram(l.program, options.source ?? testSource(), l.files) };
}

/** `DET3003 4:7` — code and start position, for compact assertions. */
export function at(d: Diagnostic): string {
  return `${d.code} ${d.span?.start.line}:${d.span?.start.column}`;
}

/** The diagnostics with the given code. */
export function only(ds: readonly Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}
