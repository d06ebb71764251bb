/**
 * The reference data the project's tables and fixtures were built from: `shared/` beside the
 * repository (`../shared` from its top level). A user's clone has none; tests that read it skip
 * when it is absent, and say so.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

/**
 * The path of `rel` below `shared/`, and whether every one of `needs` (paths below `shared/`,
 * default `rel` itself) exists; when one does not, prints why the tests of `what` are skipped.
 */
export function sharedReference(rel: string, what: string, needs: readonly string[] = [rel]): { path: string; present: boolean } {
  const path = SHARED_DIR + rel;
  const missing = needs.map((n) => SHARED_DIR + n).filter((p) => !existsSync(p));
  if (missing.length > 0) console.warn(`skipped: ${what}: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} absent (reference data beside the repository)`);
  return { path, present: missing.length === 0 };
}
