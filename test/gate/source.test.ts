import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detection, runCli } from '../cli/helpers.js';
import { change, codes, gate, git, repo, withVersion } from './helpers.js';

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

  it('rule aliases: DET3022 when an alias of the rule a detection compares is added, nothing for another rule\'s', async () => {
    const kubectl = 'Kubernetes Client Tool Launched in Container';
    const dir = repo({
      'detections/falco.source.yaml': BUILTIN,
      'detections/a.det': detection('a'),
      'detections/k.det': detection('k', { id: OTHER_ID, rule: kubectl }),
    });
    change(dir, { 'detections/falco.source.yaml': moreAliases(BUILTIN) });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('detection `k`');
    expect(r.stdout).toContain('the source definition changed the rule aliases');
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

  it('DET3024 (warning) when the base\'s source definition does not load: the working tree\'s stands in, the detections are still compared', async () => {
    const dir = repo({ 'detections/falco.source.yaml': 'name: [', 'detections/a.det': detection('a'), 'detections/b.det': userOnly('b') });
    // Had the built-in source stood in, the renamed column would be a change of `a`.
    change(dir, { 'detections/falco.source.yaml': renamedColumn(BUILTIN), 'detections/b.det': userOnly('b').replace('"root"', '"admin"') });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3024', 'DET3022']);
    expect(r.stdout).toContain('the source definition of HEAD~1 could not be used: detections/falco.source.yaml does not load there');
    expect(r.stdout).toContain('detection `b`');
  });

  it('a folder moved with its source, or a renamed source file, is compared with the same source', async () => {
    const custom = renamedColumn(BUILTIN);
    const dir = repo({ 'old/falco.source.yaml': custom, 'old/a.det': detection('a') });
    git(dir, 'mv', 'old', 'new');
    git(dir, 'commit', '-q', '-m', 'move');
    let r = await runCli(dir, ['validate', 'new', '--base', 'HEAD~1', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(codes(r.stdout)).toEqual([]);

    git(dir, 'mv', 'new/falco.source.yaml', 'new/renamed.source.yaml');
    git(dir, 'commit', '-q', '-m', 'rename');
    r = await runCli(dir, ['validate', 'new', '--base', 'HEAD~1', '--format', 'json']);
    expect(codes(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a source reached through a symbolic link is compared at its target', async () => {
    const dir = repo({ 'shared/falco.source.yaml': BUILTIN, 'detections/a.det': detection('a') });
    symlinkSync('../shared/falco.source.yaml', join(dir, 'detections/falco.source.yaml'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'link');
    change(dir, { 'shared/falco.source.yaml': renamedColumn(BUILTIN) });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('the field `proc.name`');
  });

  it('a lower version with a source-only change is DET3022 (the query changed), not DET3025', async () => {
    const dir = repo({ 'detections/falco.source.yaml': BUILTIN, 'detections/a.det': withVersion(detection('a'), 3) });
    change(dir, { 'detections/falco.source.yaml': renamedColumn(BUILTIN), 'detections/a.det': withVersion(detection('a'), 2) });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('set version: 4');
  });
});
