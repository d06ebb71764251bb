/**
 * Collects the named `list`s and `macro`s of every file into one namespace each. A name defined
 * twice is reported (DET2008) at the second definition; the first one is kept.
 */
import { Codes } from '../diagnostics/codes.js';
import type { FileNode, ListDecl, MacroDecl } from '../syntax/ast.js';
import { where, type Reporter } from './report.js';

export interface Definitions {
  /** Lists by name, in declaration order (files in the given order). */
  readonly lists: ReadonlyMap<string, ListDecl>;
  /** Macros by name, in declaration order (files in the given order). */
  readonly macros: ReadonlyMap<string, MacroDecl>;
}

/** Gathers the lists and macros of all `files`, reporting duplicate names. */
export function collectDefinitions(files: readonly FileNode[], reporter: Reporter): Definitions {
  const lists = new Map<string, ListDecl>();
  const macros = new Map<string, MacroDecl>();
  for (const file of files) {
    for (const block of file.blocks) {
      if (block.kind === 'List') add(lists, block, 'list', reporter);
      else if (block.kind === 'Macro') add(macros, block, 'macro', reporter);
    }
  }
  return { lists, macros };
}

function add<T extends ListDecl | MacroDecl>(map: Map<string, T>, decl: T, what: string, reporter: Reporter): void {
  const first = map.get(decl.name.name);
  if (first === undefined) {
    map.set(decl.name.name, decl);
    return;
  }
  reporter.report(
    Codes.DuplicateName,
    decl.name.span,
    `${what} \`${decl.name.name}\` is already defined at ${where(first.name.span)}`,
    `rename one of the two ${what}s, or remove this one`,
  );
}
