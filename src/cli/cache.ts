/**
 * The Kusto verdict cache of a run. Analysing KQL with Kusto.Language costs ~1.5 s of start-up
 * per process; the verdicts (problems found, or none) are cached under
 * `node_modules/.cache/detect/` of the working folder, keyed by a hash of the analyser version,
 * the table schemas, the parser function and the query text, so a stale verdict is never used
 * and the generated files never depend on the cache. `--no-cache` turns it off; without a
 * `node_modules` folder there is no cache.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileAnalysisCache } from '../kusto/cache.js';

/** The cache for a run in `cwd`, or undefined when caching is off or has no place. */
export function kustoCacheFor(cwd: string, enabled: boolean): FileAnalysisCache | undefined {
  if (!enabled) return undefined;
  const modules = join(cwd, 'node_modules');
  if (!existsSync(modules)) return undefined;
  return new FileAnalysisCache(join(modules, '.cache', 'detect', 'kusto-verdicts.json'));
}
