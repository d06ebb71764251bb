import { describe, expect, it } from 'vitest';
import { detection, runCli, writeFile } from '../cli/helpers.js';
import { changedQuery, change, codes, gate, git, project, repo, withVersion } from './helpers.js';

const ID = '2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11';
const OTHER_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
describe('validate --base', () => {
  it('passes when nothing relevant changed, or the version was raised with the query', async () => {
    const dir = repo({ 'detections/a.det': withVersion(detection('a'), 1) });
    change(dir, { 'detections/a.det': withVersion(detection('a'), 1).replace('Netcat in a container', 'Netcat, in a container') });
    let r = await gate(dir);
    expect(r.code).toBe(0);
    expect(codes(r.stdout)).toEqual([]);

    change(dir, { 'detections/a.det': changedQuery(withVersion(detection('a'), 2)) });
    r = await gate(dir);
    expect(r.stderr).toBe('');
    expect(codes(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a new detection is fine; moving lines is not a query change', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    change(dir, { 'detections/a.det': `# a comment\n\n${detection('a')}`, 'detections/b.det': detection('b', { id: OTHER_ID }) });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('DET3022: the query changed without a higher version, saying which version to set', async () => {
    const dir = repo({ 'detections/a.det': withVersion(detection('a'), 3) });
    change(dir, { 'detections/a.det': changedQuery(withVersion(detection('a'), 3)) });
    const r = await runCli(dir, ['validate', 'detections', '--base', 'HEAD~1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('detections/a.det:5:3: error DET3022:');
    expect(r.stdout).toContain('changed since HEAD~1 (its condition changed), but its version is 3 (3 at HEAD~1): set version: 4');
  });

  it('DET3022 names the lists and macros through which the condition changed, when the detection\'s own text did not', async () => {
    const uses = detection('a').replace('proc.name in ["nc", "ncat"]', 'proc.name in netcats and in_container');
    const shared = (names: string): string => `list base_netcats = ["nc"]\nlist netcats = [base_netcats, ${names}]\nmacro in_container = container.id != "host"\n`;
    const dir = repo({ 'detections/a.det': uses, 'detections/shared.det': shared('"ncat"') });
    change(dir, { 'detections/shared.det': shared('"ncat"').replace('["nc"]', '["nc", "netcat"]') });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('(its condition changed, through list `base_netcats`)');
  });

  it('DET3022 also for a detection without a version property (version 1)', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    change(dir, { 'detections/a.det': changedQuery(detection('a')) });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('set version: 2');
  });

  it('DET3022 when only the entity mapping changed: the KQL query projects its columns', async () => {
    const withEntities = (text: string, entities: string): string =>
      text.replace('  test "fires"', `  entities {\n${entities}\n  }\n  test "fires"`);
    const dir = repo({ 'detections/a.det': withEntities(detection('a'), '    host: hostname') });
    change(dir, { 'detections/a.det': withEntities(detection('a'), '    host: hostname\n    account: user.name') });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('(its entities changed)');
    expect(r.code).toBe(1);
  });

  it('DET3025: the version went down while the query stayed the same (also when the property is removed)', async () => {
    const dir = repo({ 'detections/a.det': withVersion(detection('a'), 3) });
    change(dir, { 'detections/a.det': withVersion(detection('a'), 2) });
    let r = await runCli(dir, ['validate', 'detections', '--base', 'HEAD~1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('detections/a.det:5:3: error DET3025:');
    expect(r.stdout).toContain('(3 there, 2 now)');
    expect(r.stdout).toContain('write `version: 3`');

    change(dir, { 'detections/a.det': withVersion(detection('a'), 3) });
    change(dir, { 'detections/a.det': detection('a') });
    r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3025']);
    expect(r.code).toBe(1);
  });

  it('a lower version with a changed query is DET3022 alone, and an equal or higher one with the same query passes', async () => {
    const dir = repo({ 'detections/a.det': withVersion(detection('a'), 3) });
    change(dir, { 'detections/a.det': changedQuery(withVersion(detection('a'), 2)) });
    let r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('set version: 4');

    change(dir, { 'detections/a.det': withVersion(detection('a'), 5) });
    change(dir, { 'detections/a.det': withVersion(detection('a'), 6) });
    r = await gate(dir);
    expect(codes(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('DET3020: the id of a detection changed', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    change(dir, { 'detections/a.det': detection('a', { id: OTHER_ID }) });
    const r = await gate(dir);
    expect(r.code).toBe(1);
    expect(codes(r.stdout)).toEqual(['DET3020']);
    const d = (JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; hint: string }[] }).diagnostics[0];
    expect(d).toMatchObject({ file: 'detections/a.det', line: 3 });
    expect(d?.hint).toContain(ID);
  });

  it('DET3021: an id reused by a different detection while its owner is still there', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    change(dir, { 'detections/a.det': detection('a', { id: OTHER_ID }), 'detections/b.det': detection('b') });
    const r = await gate(dir);
    expect(r.code).toBe(1);
    expect(codes(r.stdout)).toEqual(['DET3020', 'DET3021']);
    expect(r.stdout).toContain('`a` still exists, so this is not a rename');

    change(dir, { 'detections/b.det': detection('b', { id: '11111111-2222-4333-8444-555555555555' }) });
    const removed = await gate(dir);
    // b's id changed (DET3020) and nothing is reused; a was already gone at HEAD~1.
    expect(codes(removed.stdout)).toEqual(['DET3020']);
  });

  it('a detection renamed with its id kept is compared with its old self, not an id reuse', async () => {
    // Sentinel's resource name and Kibana's rule_id are the id: the deployed rule is updated.
    const dir = repo({ 'detections/a.det': detection('a') });
    change(dir, { 'detections/a.det': detection('renamed') });
    let r = await gate(dir);
    expect(codes(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);

    change(dir, { 'detections/a.det': changedQuery(detection('again')) });
    r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3022']);
    expect(r.stdout).toContain('detection `again` (`renamed` at HEAD~1) changed since HEAD~1');
  });

  it('DET3023 (warning) for a detection removed since the base', async () => {
    const dir = repo({ 'detections/a.det': detection('a'), 'detections/b.det': detection('b', { id: OTHER_ID }) });
    change(dir, { 'detections/b.det': '# gone\n' });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3023']);
    expect(r.code).toBe(0);
  });

  it('compares detections whose tests read events from a file (DET3020, DET3022, DET3023)', async () => {
    const withFile = (text: string): string =>
      text.replace('  test "fires" matches', '  test "from the file" matches file "events/a.ndjson"\n  test "fires" matches');
    const events = '{"rule": "Netcat Remote Code Execution in Container", "output_fields": {"proc.name": "nc"}}\n';
    const dir = repo({
      'detections/a.det': withFile(detection('a')),
      'detections/b.det': withFile(detection('b', { id: OTHER_ID })).replaceAll('events/a.ndjson', 'events/b.ndjson'),
      'detections/events/a.ndjson': events,
      'detections/events/b.ndjson': events,
    });
    change(dir, { 'detections/a.det': changedQuery(withFile(detection('a'))), 'detections/b.det': '# gone\n' });
    expect(codes((await gate(dir)).stdout)).toEqual(['DET3023', 'DET3022']);
    change(dir, { 'detections/a.det': changedQuery(withFile(detection('a', { id: '11111111-2222-4333-8444-555555555555' }))) });
    expect(codes((await gate(dir)).stdout)).toEqual(['DET3020']);
  });

  it('DET3024 (warning) for a detection that does not compile at the base, so is not compared', async () => {
    const dir = repo({ 'detections/a.det': detection('a').replace('proc.name in', 'proc.nme in') });
    change(dir, { 'detections/a.det': detection('a', { id: OTHER_ID }) });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3024']);
    expect(r.code).toBe(0);
    const d = (JSON.parse(r.stdout) as { diagnostics: { message: string; line: number }[] }).diagnostics[0]!;
    expect(d.message).toMatch(/^detection `a` was not compared with HEAD~1: it does not compile there \(detections\/a\.det:\d+:\d+: DET3003: unknown field `proc\.nme`/);
    expect(d.line).toBe(3);
  });

  it('DET3024 quotes the error of the detection itself, also one in its test events file', async () => {
    const broken = detection('a').replace('proc.name in', 'nosuchfield in');
    const reads = detection('z', { id: OTHER_ID }).replace(/test "other rule" does not match .*\n/, 'test "other rule" does not match file "ev/z.ndjson"\n');
    const dir = repo({ 'detections/a.det': broken, 'detections/z.det': reads, 'detections/ev/z.ndjson': '{"rule": "x"}\nnope\n' });
    change(dir, { 'detections/a.det': detection('a'), 'detections/ev/z.ndjson': '{"rule": "x"}\n' });
    const r = await gate(dir);
    expect(codes(r.stdout)).toEqual(['DET3024', 'DET3024']);
    const messages = (JSON.parse(r.stdout) as { diagnostics: { message: string }[] }).diagnostics.map((d) => d.message);
    expect(messages.find((m) => m.includes('`z`'))).toContain('(detections/ev/z.ndjson:2:2: DET4003:');
    expect(messages.find((m) => m.includes('`a`'))).toContain('DET3003');
  });

  it('works from a sub-folder, paths relative to the working folder', async () => {
    const dir = repo({ 'rules/detections/a.det': detection('a') });
    change(dir, { 'rules/detections/a.det': detection('a', { id: OTHER_ID }) });
    const r = await runCli(`${dir}/rules`, ['validate', 'detections', '--base', 'HEAD~1', '--format', 'json']);
    expect(codes(r.stdout)).toEqual(['DET3020']);
  });

  it('an unknown revision or a folder outside git is a usage error (exit 2)', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    const bad = await runCli(dir, ['validate', 'detections', '--base', 'no-such-branch']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("DET6009: cannot compare with --base no-such-branch: unknown git revision 'no-such-branch'");

    const plain = project({ 'detections/a.det': detection('a') });
    const r = await runCli(plain, ['validate', 'detections', '--base', 'HEAD', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(codes(r.stdout)).toEqual(['DET6009']);
    expect(r.stdout).toContain('not in one');
  });

  it('a path outside the repository is a usage error, not a silent pass', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    const outside = project({ 'detections/b.det': detection('b') });
    const r = await runCli(dir, ['validate', `${outside}/detections`, '--base', 'HEAD', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(codes(r.stdout)).toEqual(['DET6009']);
    expect(r.stdout).toContain('is outside the git repository');
  });

  it('finds a detection whose file moved (same id and name) and still compares its query', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    git(dir, 'mv', 'detections/a.det', 'detections/moved.det');
    change(dir, { 'detections/moved.det': changedQuery(detection('a')) });
    // the new file named alone, and the whole folder after the move to another folder
    const alone = await runCli(dir, ['validate', 'detections/moved.det', '--base', 'HEAD~1', '--format', 'json']);
    expect(codes(alone.stdout)).toEqual(['DET3022']);
    git(dir, 'mv', 'detections', 'rules');
    git(dir, 'commit', '-q', '-m', 'move');
    const folder = await runCli(dir, ['validate', 'rules', '--base', 'HEAD~2', '--format', 'json']);
    expect(codes(folder.stdout)).toEqual(['DET3022']);
    // a new detection with a name and id found nowhere at the base is still fine
    change(dir, { 'rules/new.det': detection('n', { id: OTHER_ID }) });
    expect(codes((await runCli(dir, ['validate', 'rules/new.det', '--base', 'HEAD~1', '--format', 'json'])).stdout)).toEqual([]);
  });

  it('a moved detection is lowered at the base with the files nearest to it, not another folder\'s lists', async () => {
    const usingList = (name: string, values: string, id?: string): string =>
      `list ncs = ${values}\n\n${detection(name, id ? { id } : {}).replace('["nc", "ncat"]', 'ncs')}`;
    // archive/ sorts first and defines the same list name with other values
    const dir = repo({
      'archive/old.det': usingList('old', '["nc"]', OTHER_ID),
      'detections/a.det': usingList('a', '["nc", "ncat"]'),
    });
    git(dir, 'mv', 'detections/a.det', 'detections/moved.det');
    git(dir, 'commit', '-q', '-m', 'move');
    const gateMoved = async () => codes((await runCli(dir, ['validate', 'detections/moved.det', '--base', 'HEAD~1', '--format', 'json'])).stdout);
    expect(await gateMoved()).toEqual([]);
    // a change to the archive's values is a change
    writeFile(dir, 'detections/moved.det', usingList('a', '["nc"]'));
    expect(await gateMoved()).toEqual(['DET3022']);
  });

  it('DET3024 for a moved detection whose list is defined twice around its old place', async () => {
    const dir = repo({
      'lists.det': 'list ncs = ["nc", "ncat"]\n',
      'other/lists.det': 'list ncs = ["nc"]\n',
      'detections/a.det': detection('a').replace('["nc", "ncat"]', 'ncs'),
    });
    git(dir, 'mv', 'detections/a.det', 'moved.det');
    git(dir, 'commit', '-q', '-m', 'move');
    const r = await runCli(dir, ['validate', 'moved.det', 'lists.det', '--base', 'HEAD~1', '--format', 'json']);
    expect(codes(r.stdout)).toEqual(['DET3024']);
    expect(r.stdout).toContain('its file moved, and at HEAD~1 a list or macro is defined twice');
  });

  it('works with --format junit', async () => {
    const dir = repo({ 'detections/a.det': detection('a') });
    change(dir, { 'detections/a.det': detection('a', { id: OTHER_ID }) });
    const r = await runCli(dir, ['validate', 'detections', '--base', 'HEAD~1', '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('type="DET3020"');
  });
});
