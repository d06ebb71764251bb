/** `detect fmt [--check] <paths...>`. */
import { realpathSync, statSync } from 'node:fs';
import { Codes } from '../../diagnostics/codes.js';
import { compareDiagnostics, pushAll, type Diagnostic, type Span } from '../../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../emit/atomic-file.js';
import { parseFile } from '../../syntax/parse.js';
import { printFile } from '../../syntax/printer.js';
import { exitCodeFor } from '../exit-codes.js';
import { collectInputs } from '../inputs.js';
import { hasErrors } from '../pipeline.js';
import { readText } from '../read-text.js';
import { printReport, type CommandContext } from '../report.js';

export interface FmtFlags {
  /** List files that are not formatted (DET6007) and exit 1, writing nothing. */
  readonly check: boolean;
}

/** The span of the first line where `actual` and `expected` differ (the whole line). */
export function firstDifference(file: string, actual: string, expected: string): Span {
  const a = actual.split('\n');
  const b = expected.split('\n');
  let i = 0;
  let offset = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) {
    offset += (a[i] as string).length + 1;
    i++;
  }
  const line = a[i] ?? '';
  const length = line.endsWith('\r') ? line.length - 1 : line.length;
  return {
    file,
    start: { offset, line: i + 1, column: 1 },
    end: { offset: offset + length, line: i + 1, column: length + 1 },
  };
}

/**
 * Rewrites every `.det` file of `paths` in the canonical format (`printFile`), or with
 * `--check` only reports the ones that are not. Files with syntax errors are never rewritten.
 * A symlink is written through (its target is replaced atomically, the link stays); a file with
 * more than one hard link is refused (DET6006), as the atomic replacement would split them.
 */
export function runFmt(paths: readonly string[], flags: FmtFlags, context: CommandContext): number {
  const inputs = collectInputs(paths, context.io.cwd);
  const diagnostics: Diagnostic[] = [...inputs.diagnostics];
  const sources = new Map<string, string>();
  const notes: string[] = [];
  if (!hasErrors(diagnostics)) {
    for (const f of inputs.detFiles) {
      const read = readText(f.absPath, f.path);
      pushAll(diagnostics, read.diagnostics);
      const text = read.text;
      if (text === undefined) {
        if (read.lossyText !== undefined) sources.set(f.path, read.lossyText);
        continue;
      }
      sources.set(f.path, text);
      const parsed = parseFile(text, f.path);
      if (hasErrors(parsed.diagnostics)) {
        pushAll(diagnostics, parsed.diagnostics);
        continue;
      }
      const formatted = printFile(parsed.ast);
      if (formatted === text) continue;
      if (flags.check) {
        // Only the line breaks differ (a checkout with core.autocrlf): say so, as the line shown
        // looks exactly like the canonical one.
        const breaks = text.replace(/\r\n?/g, '\n') === formatted;
        diagnostics.push({
          code: Codes.NotFormatted.code,
          severity: 'error',
          message: `'${f.path}' is not formatted canonically${breaks ? ': its lines end with CR LF (or CR), canonical lines with LF' : ''}`,
          span: firstDifference(f.path, text, formatted),
          hint: `run 'detect fmt ${f.path}' to rewrite it${breaks ? "; if git writes CR LF on checkout (core.autocrlf), add '*.det text eol=lf' to .gitattributes" : ''}`,
        });
        continue;
      }
      try {
        // Write through a symlink: replace the file it points to, not the link.
        const real = realpathSync(f.absPath);
        const links = statSync(real).nlink;
        if (links > 1) {
          diagnostics.push({
            code: Codes.WriteFailed.code,
            severity: 'error',
            message: `cannot format '${f.path}': it has ${links} hard links, and formatting replaces the file (which would break them)`,
            hint: `keep one name for the file (a symlink may point to it), or format a copy; 'detect fmt --check ${f.path}' shows what differs`,
          });
          continue;
        }
        writeFileAtomic(real, formatted);
        notes.push(`formatted ${f.path}`);
      } catch (e) {
        diagnostics.push({
          code: Codes.WriteFailed.code,
          severity: 'error',
          message: `cannot write '${f.path}': ${e instanceof Error ? e.message : String(e)}`,
          hint: 'check the permissions of the file and its folder',
        });
      }
    }
  }
  diagnostics.sort(compareDiagnostics);
  printReport(context, { diagnostics, sources, notes });
  return exitCodeFor(diagnostics);
}
