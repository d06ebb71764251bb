/** `detect compile <paths...> --target <t> --out <dir>`. */
import type { TargetSelection } from '../../backends/index.js';
import { kustoCacheFor } from '../cache.js';
import { exitCodeFor } from '../exit-codes.js';
import { compile } from '../pipeline.js';
import { printReport, type CommandContext } from '../report.js';

export interface CompileFlags {
  readonly target: TargetSelection;
  readonly out: string;
  readonly elasticProfile?: string;
}

/** Compiles `paths` and writes the output folder; returns the exit code. */
export function runCompile(paths: readonly string[], flags: CompileFlags, context: CommandContext): number {
  const kustoCache = kustoCacheFor(context.io.cwd, context.cache);
  const result = compile(paths, {
    cwd: context.io.cwd,
    ...(kustoCache ? { kustoCache } : {}),
    target: flags.target,
    out: flags.out,
    ...(flags.elasticProfile !== undefined ? { elasticProfile: flags.elasticProfile } : {}),
  });
  kustoCache?.flush();
  const notes = [...result.notes];
  const write = result.write;
  const wrote = write !== undefined && !write.diagnostics.some((d) => d.severity === 'error');
  if (wrote) {
    const n = result.program?.detections.length ?? 0;
    const files = `${write.written.length} file${write.written.length === 1 ? '' : 's'}`;
    const removed = write.removed.length > 0 ? `, removed ${write.removed.length} stale` : '';
    notes.push(`compiled ${n} detection${n === 1 ? '' : 's'}: wrote ${files} to ${flags.out}${removed}`);
  }
  printReport(context, {
    diagnostics: result.diagnostics,
    sources: result.sources,
    notes,
    ...(wrote ? { output: { dir: flags.out, written: write.written.length, removed: write.removed.length } } : {}),
  });
  return exitCodeFor(result.diagnostics);
}
