/**
 * Chevrotain's runtime, loaded from its single-file ESM bundle.
 *
 * The package's main entry (`lib/src/api.js`) imports a few hundred lodash-es modules: about
 * 300 ms of startup, more than the whole parse of a small project. The bundle next to it
 * (`lib/chevrotain.mjs`, same version, same code) loads in about 10 ms. The package's `exports`
 * map does not list the bundle, so it is found next to the resolved main entry; if that fails
 * for any reason, the main entry is used.
 *
 * Every syntax module takes Chevrotain's runtime values from here (so there is one copy of
 * `EOF`, `Lexer`, …); types still come from `chevrotain` (type-only imports are erased).
 */
import type * as ChevrotainApi from 'chevrotain';

async function load(): Promise<typeof ChevrotainApi> {
  try {
    const entry = import.meta.resolve('chevrotain');
    const bundle = new URL('../chevrotain.mjs', entry);
    const mod = (await import(bundle.href)) as typeof ChevrotainApi;
    if (typeof mod.CstParser === 'function' && typeof mod.createToken === 'function') return mod;
  } catch {
    // fall through to the main entry
  }
  return await import('chevrotain');
}

const chevrotain = await load();

export const { createToken, createTokenInstance, CstParser, EOF, Lexer } = chevrotain;
