#!/usr/bin/env node
/**
 * `npm run build` (after `tsc`): writes the build-time artifacts of `src/build/generated.ts` to
 * `data/generated/`: the standalone ajv validators of the IR schema and of the source-file
 * schema, then the built-in source as JSON (built with the source validator just written), and
 * the lower-case table of the Elastic `nocase` translation and the table of common regular
 * expression classes.
 * Files are rewritten only when their content changed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const gen = await import(new URL('../dist/build/generated.js', import.meta.url).href);
const dir = `${root}${gen.GENERATED_DIR}`;
mkdirSync(dir, { recursive: true });

function write(name, text) {
  const path = `${dir}/${name}`;
  let old;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== text) writeFileSync(path, text);
}

write(gen.GENERATED_FILES.irValidator, gen.irValidatorCode(true));
write(gen.GENERATED_FILES.irQuickValidator, gen.irValidatorCode(false));
write(gen.GENERATED_FILES.sourceValidator, gen.sourceValidatorCode());
write(gen.GENERATED_FILES.builtinSource, gen.builtinSourceJson());
const lowerCase = await import(new URL('../dist/backends/elastic/lower-case.js', import.meta.url).href);
write(gen.GENERATED_FILES.lowerCase, lowerCase.lowerTableJson());
const regexClass = await import(new URL('../dist/backends/elastic/regex-class.js', import.meta.url).href);
write(gen.GENERATED_FILES.regexClasses, regexClass.regexClassTableJson());
