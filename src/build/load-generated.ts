/**
 * Run-time access to the build-time artifacts of `generated.ts` (in `data/generated/`, reached
 * as `../../data/generated/` from `src/build/` and `dist/build/` alike).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const DIR = new URL('../../data/generated/', import.meta.url);

/** A generated CommonJS module (`require`d, so loading it is synchronous and cached). */
export function loadGeneratedModule<T>(name: string): T {
  try {
    return require(`../../data/generated/${name}`) as T;
  } catch (e) {
    throw missing(e, name);
  }
}

/** A generated JSON file, parsed. */
export function loadGeneratedJson(name: string): unknown {
  try {
    return JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));
  } catch (e) {
    throw missing(e, name);
  }
}

/** A missing file means the package was not built: a setup problem, said as such. */
function missing(e: unknown, name: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if ((code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(name)) || code === 'ENOENT') {
    return new Error(`data/generated/${name} is missing: run \`npm run build\`, which generates it`);
  }
  return e;
}
