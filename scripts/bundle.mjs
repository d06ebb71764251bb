#!/usr/bin/env node
/**
 * Bundles the compiled CLI (`dist/cli/main.js` and the ~140 modules it imports) into one file,
 * `dist/bundle/detect.mjs`, which `bin/detect.js` runs. Loading one file instead of many saves
 * about 50 ms of every run's start-up (see README, Benchmark).
 *
 * Left out of the bundle, loaded from node_modules at run time: Chevrotain (src/syntax/
 * chevrotain.ts loads its own single-file bundle), Kusto.Language (loaded only when a KQL target
 * runs) and yaml (loaded only for a `*.source.yaml`). The bundle sits two folders below the
 * project root like every compiled module, so their `new URL('../../data/…', import.meta.url)`
 * paths stay right. CommonJS dependencies (commander) get a `require` from `createRequire`.
 *
 * Usage: `node scripts/bundle.mjs [dist folder]` (default: the project's `dist/`).
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));

await build({
  entryPoints: [join(dist, 'cli/main.js')],
  outfile: join(dist, 'bundle/detect.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['chevrotain', '@kusto/*', 'yaml'],
  banner: { js: "import { createRequire as __detectRequire } from 'node:module';\nconst require = __detectRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
