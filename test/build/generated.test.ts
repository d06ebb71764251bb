import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  builtinSourceJson,
  GENERATED_DIR,
  GENERATED_FILES,
  irValidatorCode,
  sourceValidatorCode,
} from '../../src/build/generated.js';
import { lowerTableJson } from '../../src/backends/elastic/lower-case.js';
import { regexClassTableJson } from '../../src/backends/elastic/regex-class.js';
import { BUILTIN_SOURCE_URL, builtinSource, parseSource } from '../../src/source/load.js';

const generated = (name: string): string => readFileSync(new URL(`../../${GENERATED_DIR}/${name}`, import.meta.url), 'utf8');
const STALE = 'out of date: run `npm run build`';

describe('build-time artifacts (data/generated, written by npm run build)', () => {
  it('the IR validators (all errors, and first error) are the standalone code ajv makes of the IR schema now', () => {
    expect(generated(GENERATED_FILES.irValidator) === irValidatorCode(true), STALE).toBe(true);
    expect(generated(GENERATED_FILES.irQuickValidator) === irValidatorCode(false), STALE).toBe(true);
    expect(irValidatorCode(false)).not.toBe(irValidatorCode(true));
  });

  it('the source-file validator is the standalone code ajv makes of the source schema now', () => {
    expect(generated(GENERATED_FILES.sourceValidator) === sourceValidatorCode(), STALE).toBe(true);
  });

  it('the built-in source JSON is what falco.source.yaml builds to now', () => {
    expect(generated(GENERATED_FILES.builtinSource) === builtinSourceJson(), STALE).toBe(true);
    const fromYaml = parseSource(readFileSync(BUILTIN_SOURCE_URL, 'utf8'), 'falco.source.yaml');
    expect(fromYaml.diagnostics).toEqual([]);
    expect(builtinSource()).toEqual(fromYaml.source);
  });

  it('the lower-case table is what this Node\'s toLowerCase gives now', () => {
    expect(generated(GENERATED_FILES.lowerCase) === lowerTableJson(), STALE).toBe(true);
  });

  it('the table of common regular expression classes is what this Node\'s engine finds now', () => {
    expect(generated(GENERATED_FILES.regexClasses) === regexClassTableJson(), STALE).toBe(true);
  });

  it('the built-in source is deep-frozen', () => {
    const s = builtinSource();
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.fields)).toBe(true);
    expect(Object.isFrozen(s.fields[0])).toBe(true);
    expect(Object.isFrozen(s.fields[0]!.location)).toBe(true);
    expect(Object.isFrozen(Object.values(s.elastic.profiles)[0]!.fields)).toBe(true);
  });
});
