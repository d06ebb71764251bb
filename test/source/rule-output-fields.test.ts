/**
 * The built-in source declares every field Falco's own rules print: the `%field` references of
 * the `output:` lines of the rule files in shared/reference/falco/ are the `output_fields`
 * keys of their alerts, so a detection over those alerts can filter on each of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinSource } from '../../src/source/load.js';
import { sharedReference } from '../helpers/shared.js';

const FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => `reference/falco/${f}`);
const { present } = sharedReference(FILES[0]!, 'the output fields of Falco\'s rule files', FILES);

/** Every `%field` (with its `[argument]`) the rules' outputs print, with a rule that prints it. */
function printedFields(): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of FILES) {
    const items = parse(readFileSync(sharedReference(rel, '').path, 'utf8')) as { rule?: string; output?: string }[];
    for (const item of items) {
      if (item.rule === undefined || item.output === undefined) continue;
      for (const m of item.output.matchAll(/%([a-z][a-z0-9_.]*(?:\[[^\]]*\])?)/g)) if (!out.has(m[1]!)) out.set(m[1]!, item.rule);
    }
  }
  return out;
}

describe.runIf(present)('the built-in source and the output fields of Falco\'s rules', () => {
  it('declares every field a rule of the reference rule files prints, as an output field', () => {
    const declared = new Map(builtinSource().fields.map((f) => [f.name, f]));
    const printed = printedFields();
    expect(printed.size).toBeGreaterThan(50);
    const missing = [...printed].filter(([name]) => declared.get(name)?.location.in !== 'output_fields').map(([name, rule]) => `${name} (${rule})`);
    expect(missing).toEqual([]);
  });

  it('types the numbers Falco prints as numbers', () => {
    const types = Object.fromEntries(builtinSource().fields.map((f) => [f.name, f.type]));
    for (const name of ['fd.sport', 'group.gid', 'container.start_ts', 'proc.exe_ino.ctime', 'proc.exe_ino.mtime', 'proc.exe_ino.ctime_duration_proc_start']) {
      expect(types[name], name).toBe('number');
    }
    for (const name of ['evt.arg.mode', 'evt.arg.filename', 'evt.arg.target', 'evt.arg.linkpath', 'proc.aname[7]', 'proc.aexepath[2]', 'fd.sip.name']) {
      expect(types[name], name).toBe('string');
    }
  });
});
