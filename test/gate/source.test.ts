import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detection, runCli } from '../cli/helpers.js';
import { change, codes, gate, repo, withVersion } from './helpers.js';

/** The built-in source definition's YAML, as a project would copy it to customise it. */
const BUILTIN = readFileSync(new URL('../../src/source/falco.source.yaml', import.meta.url), 'utf8');
const OTHER_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** `yaml` with the Sentinel column of `proc.name` renamed. */
const renamedColumn = (yaml: string): string => {
  const out = yaml.replace(/(- name: proc\.name\n(?: {4}.*\n)*? {4}column: )ProcessName\n/, '$1ProcessBaseName\n');
  if (out === yaml) throw new Error('proc.name column not found in the source YAML');
  return out;
};

/** `yaml` with one more earlier name of a renamed Falco rule. */
const moreAliases = (yaml: string): string => {
  const out = yaml.replace('    - The docker client is executed in a container\n', '    - The docker client is executed in a container\n    - Launch of a Kubernetes client in a container\n');
  if (out === yaml) throw new Error('rule alias not found in the source YAML');
  return out;
};

/** A detection that refers to neither `rule` nor `proc.name`. */
const userOnly = (name: string): string =>
  detection(name, { id: OTHER_ID })
    .replace(/condition: .*\n/, 'condition: user.name == "root"\n')
    .replace(/test "fires" matches .*\n/, 'test "fires" matches { "output_fields": { "user.name": "root" } }\n')
    .replace(/test "other rule" does not match .*\n/, 'test "other user" does not match { "output_fields": { "user.name": "bob" } }\n');

describe('validate --base with a source definition among the paths', () => {
  it('DET3022 for a detection whose field moved to another column, naming the change; one not using the field passes', async () => {
    const dir = repo({
      'detections/falco.source.yaml': BUILTIN,
      'detections/a.det': withVersion(detection('a'), 1),
      'detections/u.det': userOnly('u'),
    });
    change(dir, { 'detections/falco.source.yaml': renamedColumn(BUILTIN) });
    const r = await runCli(dir, ['validate', 'detections', '--base', 'HEAD~1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('detections/a.det:5:3: error DET3022:');
    expect(r.stdout).toContain('(the source definition changed the field `proc.name`)');
    expect(r.stdout).toContain('set version: 2');
    expect(r.stdout).not.toContain('u.det');
    expect(r.code).toBe(1);

    change(dir, { 'detections/a.det': withVersion(detection('a'), 2) });
    expect(codes((await gate(dir)).stdout)).toEqual([]);
  });

  it('DET3022 for a detection comparing `rule` when the rule aliases changed', async () => {
    const dir = repo({ 'detections/falco.source.yaml': BUILTIN, 'detections/a.det': detection('a'), 'detections/u.det': userOnly('u') });
    change(dir, { 'detections/falco.source.yaml': moreAliases(BUILTIN) });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('the source definition changed the rule aliases');
    expect(r.stdout).toContain('a.det');
  });

  it('a copy of the built-in source added to the paths changes nothing; a changed column in it then does', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    change(dir, { 'detections/falco.source.yaml': BUILTIN });
    let r = await gate(dir);
    expect(r.stderr).toBe('');
    expect(codes(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);

    change(dir, { 'detections/falco.source.yaml': renamedColumn(BUILTIN) });
    expect(codes((await gate(dir)).stdout)).toEqual(['DET3022']);
  });

  it('DET3024 (warning) when the base\'s source definition does not load; the detections are still compared', async () => {
    const dir = repo({ 'detections/falco.source.yaml': 'name: [', 'detections/a.det': withVersion(detection('a'), 1) });
    change(dir, { 'detections/falco.source.yaml': BUILTIN, 'detections/a.det': withVersion(detection('a'), 1).replace('["nc", "ncat"]', '["nc"]') });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3024', 'DET3022']);
    expect(r.stdout).toContain('the source definition of HEAD~1 could not be used: detections/falco.source.yaml does not load there');
  });
});
