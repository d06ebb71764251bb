import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { internalErrorText, main } from '../../src/cli/main.js';
import { detection, makeProject, removeProject, runCli, snapshot, writeFile } from './helpers.js';

const projects: string[] = [];
function project(files: Record<string, string | Uint8Array> = {}): string {
  const dir = makeProject(files);
  projects.push(dir);
  return dir;
}
afterEach(() => {
  for (const p of projects.splice(0)) removeProject(p);
});

const SECOND_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('detect validate', () => {
  it('exits 0 and prints the summary for valid detections', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    const r = await runCli(dir, ['validate', 'detections']);
    expect(r).toEqual({ code: 0, stdout: '0 errors, 0 warnings\n', stderr: '' });
  });

  it('exits 1 with file:line:col, a code frame and a hint for a syntax error', async () => {
    const dir = project({ 'detections/bad.det': 'detection x {\n  condition: proc.name == \n}\n' });
    const r = await runCli(dir, ['validate', 'detections']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^detections\/bad\.det:\d+:\d+: error DET10\d\d: /);
    expect(r.stdout).toMatch(/\n {2}\d+ \| .*\n {4}\| +\^/);
    expect(r.stdout).toContain('  hint: ');
    expect(r.stdout.endsWith('1 error, 0 warnings\n')).toBe(true);
  });

  it('exits 1 for a lone surrogate escape (DET1003) and a raw tab in a string (DET1001)', async () => {
    const text = detection('a').replace('["nc", "ncat"]', '["nc", "a\\ud800b", "x\ty"]');
    const dir = project({ 'detections/a.det': text });
    const r = await runCli(dir, ['compile', 'detections', '--target', 'all']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/detections\/a\.det:9:\d+: error DET1003: invalid escape sequence '\\ud800' in string: a lone surrogate/);
    expect(r.stdout).toMatch(/detections\/a\.det:9:\d+: error DET1001: raw control character U\+0009 in string/);
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it('exits 1 for a semantic error found by lowering or validation', async () => {
    const dir = project({ 'detections/a.det': detection('a').replace('proc.name in', 'proc.nme in') });
    const r = await runCli(dir, ['validate', 'detections']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('detections/a.det:9:');
    expect(r.stdout).toContain('proc.nme');
  });

  it('gives DET1011 (exit 1) for a file that is not UTF-8', async () => {
    const dir = project({ 'detections/a.det': Buffer.from([0x6c, 0x69, 0x73, 0x74, 0x20, 0xff, 0x0a]) });
    const r = await runCli(dir, ['validate', 'detections', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.diagnostics).toMatchObject([{ code: 'DET1011', file: 'detections/a.det', line: 1, column: 6 }]);
  });

  it('exits 2 for a missing path (DET6001) and for no .det files (DET6002)', async () => {
    const dir = project({ 'empty/readme.md': 'x' });
    const missing = await runCli(dir, ['validate', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("error DET6001: input path 'nope' not found");
    const none = await runCli(dir, ['validate', 'empty']);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('error DET6002');
  });

  it('--target checks only that target\'s limits (a team on Sentinel alone is not held to Kibana\'s)', async () => {
    // Kibana's EQL sequence rules cannot suppress per key (DET5001); Sentinel groups incidents instead
    const seq =
      '  sequence by container.id within 10m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }\n  suppress: by container.id for 1h\n  test "ab" matches [{"time": "2026-11-23T10:00:00Z", "output_fields": {"proc.name": "a", "container.id": "c"}}, {"time": "2026-11-23T10:00:01Z", "output_fields": {"proc.name": "b", "container.id": "c"}}]\n  test "ba" does not match [{"time": "2026-11-23T10:00:00Z", "output_fields": {"proc.name": "b", "container.id": "c"}}]';
    const dir = project({ 'detections/s.det': detection('s').replace(/  condition:[^\n]*\n(  test[^\n]*\n)*/, `${seq}\n`) });
    const all = await runCli(dir, ['validate', 'detections']);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('error DET5001');
    expect(all.stdout).toContain('kibana');
    for (const target of ['kql', 'sentinel', 'esdsl', 'ir']) {
      const one = await runCli(dir, ['validate', 'detections', '--target', target]);
      expect({ target, code: one.code, out: one.stdout }).toEqual({ target, code: 0, out: '0 errors, 0 warnings\n' });
    }
    expect((await runCli(dir, ['validate', 'detections', '--target', 'kibana'])).code).toBe(1);
    const bad = await runCli(dir, ['validate', 'detections', '--target', 'splunk']);
    expect(bad.code).toBe(2);
  });

  it('uses a *.source.yaml among the inputs instead of the built-in source', async () => {
    const dir = project({ 'detections/a.det': detection('a'), 'detections/broken.source.yaml': 'name: [\n' });
    const r = await runCli(dir, ['validate', 'detections']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('detections/broken.source.yaml:');
    expect(r.stdout).toContain('DET7001');
  });
});

describe('usage errors', () => {
  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['validate'], "missing required argument 'paths'"],
    [['validate', 'x', '--bogus'], "unknown option '--bogus'"],
    [['validate', 'x', '--format', 'xml'], "argument 'xml' is invalid"],
    [['compile', 'x', '--target', 'nope'], "argument 'nope' is invalid. Allowed choices are ir, kql, sentinel, esdsl, lucene, kibana, all.\n"],
    [['compile', 'x', '--target', 'kibna'], "argument 'kibna' is invalid. Allowed choices are ir, kql, sentinel, esdsl, lucene, kibana, all. (Did you mean kibana?)"],
    [['validate', 'x', '--target', 'sentinal'], '(Did you mean sentinel?)'],
    [['test', 'x', '--format', 'junt'], '(Did you mean junit?)'],
    [[], 'Usage: detect'],
  ])('detect %j exits 2 with a clear message and no stack trace', async (args, message) => {
    const dir = project();
    const r = await runCli(dir, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help and --version exit 0', async () => {
    const dir = project();
    const help = await runCli(dir, ['compile', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--target');
    expect(help.stdout).toContain('--elastic-profile');
    const version = await runCli(dir, ['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('internal errors', () => {
  it('print "internal error" with the stack and a request to report, and exit 3', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    let stderr = '';
    const io = {
      stdout: () => {
        throw new Error('boom');
      },
      stderr: (t: string) => void (stderr += t),
      cwd: dir,
      env: {},
      colorLevel: 0 as const,
    };
    const code = await main(['node', 'detect', 'validate', join(dir, 'detections')], io);
    expect(code).toBe(3);
    expect(stderr).toContain('internal error');
    expect(stderr).toContain('Error: boom');
    expect(stderr).toMatch(/\n\s+at /);
    expect(stderr).toContain('report');
    expect(internalErrorText('x')).toContain('x');
  });
});

describe('detect compile', () => {
  it('writes ir/program.json and the manifest, with paths relative to the project', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    const r = await runCli(dir, ['compile', 'detections', '--target', 'ir']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote 1 file to generated');
    expect(Object.keys(snapshot(join(dir, 'generated')))).toEqual(['.detect-manifest.json', 'ir/program.json']);
    const text = readFileSync(join(dir, 'generated/ir/program.json'), 'utf8');
    const program = JSON.parse(text);
    expect(program.detections.map((d: { name: string }) => d.name)).toEqual(['a']);
    expect(program.detections[0].span.file).toBe('detections/a.det');
    // the IR output holds the test cases
    expect(program.detections[0].tests.map((t: { name: string }) => t.name)).toEqual(['fires', 'other rule']);
    expect(text).not.toContain(dir);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('is deterministic: compiling into two folders gives identical bytes', async () => {
    const dir = project({ 'detections/b.det': detection('b', { id: SECOND_ID }), 'detections/a.det': detection('a') });
    expect((await runCli(dir, ['compile', 'detections', '--out', 'one'])).code).toBe(0);
    expect((await runCli(dir, ['compile', 'detections/b.det', 'detections/a.det', '--out', 'two'])).code).toBe(0);
    expect(snapshot(join(dir, 'one'))).toEqual(snapshot(join(dir, 'two')));
  });

  it('leaves the output folder byte-identical when the compile fails', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    expect((await runCli(dir, ['compile', 'detections', '--target', 'ir'])).code).toBe(0);
    writeFile(dir, 'generated/README.md', 'my notes\n');
    const before = snapshot(join(dir, 'generated'));
    writeFile(dir, 'detections/b.det', detection('b', { id: SECOND_ID }).replace('severity: critical', 'severity: apocalyptic'));
    const r = await runCli(dir, ['compile', 'detections', '--target', 'ir']);
    expect(r.code).toBe(1);
    expect(snapshot(join(dir, 'generated'))).toEqual(before);
    expect(existsSync(join(dir, 'generated/README.md'))).toBe(true);
  });

  it('removes stale generated files and keeps files it did not generate', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    expect((await runCli(dir, ['compile', 'detections', '--target', 'ir'])).code).toBe(0);
    // An earlier version generated ir/old.json; someone added a README.
    const manifestPath = join(dir, 'generated/.detect-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files.push({ path: 'ir/old.json', sha256: '' });
    writeFileSync(manifestPath, JSON.stringify(manifest));
    writeFile(dir, 'generated/ir/old.json', '{}\n');
    writeFile(dir, 'generated/README.md', 'mine\n');
    const r = await runCli(dir, ['compile', 'detections', '--target', 'ir', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).output).toEqual({ dir: 'generated', written: 1, removed: 1 });
    expect(existsSync(join(dir, 'generated/ir/old.json'))).toBe(false);
    expect(readFileSync(join(dir, 'generated/README.md'), 'utf8')).toBe('mine\n');
    expect(JSON.parse(readFileSync(manifestPath, 'utf8')).files.map((f: { path: string }) => f.path)).toEqual(['ir/program.json']);
  });

  it.each([
    ['afile', 'DET6003'],
    ['afile/sub', 'DET6003'],
    ['.', 'DET6004'],
    ['..', 'DET6004'],
    ['/', 'DET6004'],
  ])('refuses --out %s (%s, exit 2) without writing', async (out, code) => {
    const dir = project({ 'detections/a.det': detection('a'), afile: 'x' });
    const before = snapshot(dir);
    const r = await runCli(dir, ['compile', 'detections', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`error ${code}:`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('compiles the Sentinel set under generated/sentinel/ for --target kql and --target sentinel alike', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    const kql = await runCli(dir, ['compile', 'detections', '--target', 'kql', '--out', 'out-kql']);
    const sentinel = await runCli(dir, ['compile', 'detections', '--target', 'sentinel', '--out', 'out-sentinel']);
    expect(kql.code).toBe(0);
    expect(sentinel.code).toBe(0);
    const files = (out: string): string[] => Object.keys(snapshot(join(dir, out))).filter((f) => !f.startsWith('.detect-manifest'));
    expect(files('out-kql')).toEqual([
      'sentinel/analytics/a.json',
      'sentinel/analytics/a.kql',
      'sentinel/analytics/a.yaml',
      'sentinel/azuredeploy.json',
      'sentinel/parsers/FalcoContainerSecurity.json',
      'sentinel/parsers/FalcoContainerSecurity.kql',
    ]);
    expect(snapshot(join(dir, 'out-sentinel'))).toEqual(snapshot(join(dir, 'out-kql')));
  });

  it('--target all compiles every SIEM target (the Sentinel set once)', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    const r = await runCli(dir, ['compile', 'detections', '--target', 'all']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('not available yet');
    for (const f of ['elastic/esdsl/a.json', 'elastic/lucene/a.lucene', 'kibana/rules.ndjson']) {
      expect(existsSync(join(dir, 'generated', f)), f).toBe(true);
    }
    expect(existsSync(join(dir, 'generated/sentinel/azuredeploy.json'))).toBe(true);
    expect(existsSync(join(dir, 'generated/kql'))).toBe(false);
    // `all` means the SIEM targets; the IR is compiled only when asked for by name.
    expect(existsSync(join(dir, 'generated/ir/program.json'))).toBe(false);
  });

  it('validate checks the Elastic targets with --elastic-profile, as compile does', async () => {
    // fd.name stays analysed text only in elastic-agent (falco.output_fields.fd.name)
    const dir = project({ 'detections/a.det': detection('a').replace('proc.name in ["nc", "ncat"]', 'fd.name contains "/etc/shadow"') });
    expect((await runCli(dir, ['validate', 'detections'])).code).toBe(0);
    const agent = await runCli(dir, ['validate', 'detections', '--elastic-profile', 'elastic-agent']);
    expect(agent.code).toBe(1);
    expect(agent.stdout).toContain(
      "error DET5001: targets esdsl, kibana and lucene cannot express `fd.name contains \"/etc/shadow\"` exactly (detection 'a', Elastic profile 'elastic-agent')",
    );
    expect((await runCli(dir, ['validate', 'detections', '--elastic-profile', 'elastic-agent', '--target', 'kql'])).code).toBe(0);
    const unknown = await runCli(dir, ['validate', 'detections', '--elastic-profile', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain("error DET6008: unknown Elastic profile 'nope'");
  });

  it('compiles proc.name and proc.cmdline for elastic-agent on the ECS keyword and wildcard fields', async () => {
    const dir = project({
      'detections/a.det': detection('a').replace('proc.name in ["nc", "ncat"]', 'proc.name in ["nc", "ncat"] and proc.cmdline contains " -e "'),
    });
    const r = await runCli(dir, ['compile', 'detections', '--target', 'esdsl', '--elastic-profile', 'elastic-agent']);
    expect(r.code).toBe(0);
    const body = JSON.parse(readFileSync(join(dir, 'generated/elastic/esdsl/a.json'), 'utf8')) as { query: { bool: { filter: unknown[] } } };
    expect(body.query.bool.filter).toEqual([
      { term: { 'rule.name': { value: 'Netcat Remote Code Execution in Container' } } },
      { terms: { 'process.name': ['nc', 'ncat'] } },
      { wildcard: { 'process.command_line': { value: '* -e *' } } },
    ]);
  });

  it('gives DET6008 (exit 2) for an unknown Elastic profile', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    const r = await runCli(dir, ['compile', 'detections', '--elastic-profile', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("error DET6008: unknown Elastic profile 'nope'");
    expect(r.stdout).toContain("hint: the source 'falco' defines: elastic-agent, falcosidekick, falcosidekick-flat");
    const typo = await runCli(dir, ['validate', 'detections', '--elastic-profile', 'falcosidekik']);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toContain("hint: did you mean 'falcosidekick'? the source 'falco' defines: ");
  });
});

describe('--format', () => {
  it('json prints exactly one JSON document with diagnostics and summary', async () => {
    const dir = project({ 'detections/bad.det': 'detection x {\n  condition: proc.name == \n}\n' });
    const r = await runCli(dir, ['validate', 'detections', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['diagnostics', 'notes', 'summary']);
    expect(doc.notes).toEqual([expect.stringContaining('validation stopped at these errors')]);
    expect(doc.summary).toEqual({ errors: 1, warnings: 0 });
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', file: 'detections/bad.det' });
    expect(Object.keys(doc.diagnostics[0])).toEqual(['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'hint', 'details']);
  });

  it('github prints ::error workflow commands and the summary', async () => {
    const dir = project({ 'detections/bad.det': 'detection x {\n  condition: proc.name == \n}\n' });
    const r = await runCli(dir, ['validate', 'detections', '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error file=detections\/bad\.det,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=DET\d{4}::/);
    expect(lines.at(-1)).toBe('1 error, 0 warnings');
  });
});

describe('colour', () => {
  const bad = { 'detections/bad.det': 'detection x {\n  condition: proc.name == \n}\n' };

  it('colours text output when the terminal supports it', async () => {
    const r = await runCli(project(bad), ['validate', 'detections'], { colorLevel: 1 });
    expect(r.stdout).toContain('\u001b[');
  });

  it('is plain with --no-color, before or after the command', async () => {
    const dir = project(bad);
    expect((await runCli(dir, ['validate', 'detections', '--no-color'], { colorLevel: 1 })).stdout).not.toContain('\u001b[');
    expect((await runCli(dir, ['--no-color', 'validate', 'detections'], { colorLevel: 1 })).stdout).not.toContain('\u001b[');
  });

  it('is plain when NO_COLOR is set (and coloured when it is empty)', async () => {
    const dir = project(bad);
    expect((await runCli(dir, ['validate', 'detections'], { colorLevel: 1, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli(dir, ['validate', 'detections'], { colorLevel: 1, env: { NO_COLOR: '' } })).stdout).toContain('\u001b[');
  });

  it('never colours json or github output', async () => {
    const dir = project(bad);
    for (const format of ['json', 'github']) {
      expect((await runCli(dir, ['validate', 'detections', '--format', format], { colorLevel: 3 })).stdout).not.toContain('\u001b[');
    }
  });
});

describe('detect test', () => {
  it('prints one line per case and closes with exactly `N passed, N failed`', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    const r = await runCli(dir, ['test']); // default path: detections
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✓ a › fires\n✓ a › other rule\n\n2 passed, 0 failed\n');
  });

  it('never prints a control character from a test name: no forged workflow command', async () => {
    const name = 'a\\n::warning file=x.det,line=1::forged\\u0000\\u001b[2J\\u202e';
    const dir = project({ 'detections/a.det': detection('a', { failing: true }).replace('test "fires"', `test "${name}"`) });
    const r = await runCli(dir, ['test']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ a › ${name}\n`);
    expect(r.stdout).toContain(`error DET4001: test "${name}" of a expects a match`);
    expect(r.stdout.split('\n').some((l) => l.startsWith('::'))).toBe(false);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });

  it('reads test events from NDJSON files relative to the .det file', async () => {
    const withFile = detection('a').replace(
      '  test "other rule"',
      '  test "from file" matches file "events/nc.ndjson"\n  test "other rule"',
    );
    const dir = project({
      'detections/sub/a.det': withFile,
      'detections/sub/events/nc.ndjson': '{"rule": "Netcat Remote Code Execution in Container", "output_fields": {"proc.name": "ncat"}}\n',
    });
    const r = await runCli(dir, ['test', 'detections']);
    expect(r.stdout).toContain('✓ a › from file');
    expect(r.code).toBe(0);
  });

  it('exits 1 and shows each failure with its location', async () => {
    const dir = project({ 'detections/a.det': detection('a', { failing: true }) });
    const r = await runCli(dir, ['test', 'detections']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('✗ a › fires');
    expect(lines).toContain('✓ a › other rule');
    expect(r.stdout).toMatch(/detections\/a\.det:10:3: error DET4001: test "fires" of a expects a match/);
    expect(lines.at(-2)).toBe('1 passed, 1 failed');
  });

  it('reports tests in the JSON form', async () => {
    const dir = project({ 'detections/a.det': detection('a', { failing: true }) });
    const doc = JSON.parse((await runCli(dir, ['test', 'detections', '--format', 'json'])).stdout);
    expect(doc.summary).toEqual({ errors: 1, warnings: 0, passed: 1, failed: 1 });
    expect(doc.tests.map((t: { test: string; passed: boolean }) => [t.test, t.passed])).toEqual([
      ['fires', false],
      ['other rule', true],
    ]);
  });

  it('exits 1 without running tests when the detections are invalid', async () => {
    const dir = project({ 'detections/bad.det': 'detection x {\n' });
    const r = await runCli(dir, ['test']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('passed');
  });
});

describe('detect fmt', () => {
  const unformatted = detection('a').replace('  severity: critical', 'severity:    critical');

  it('reports a file of 300,000 stray characters (exit 1), without overflowing the stack, and leaves it as it was', async () => {
    const stray = '@ '.repeat(300_000);
    const dir = project({ 'detections/stray.det': stray });
    const r = await runCli(dir, ['fmt', 'detections', '--format', 'json']);
    expect(r.code).toBe(1);
    const codes = new Set((JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code));
    expect([...codes]).toEqual(['DET1001']);
    expect(readFileSync(join(dir, 'detections/stray.det'), 'utf8')).toBe(stray);
  });

  it('--check lists unformatted files (DET6007), exits 1 and writes nothing', async () => {
    const dir = project({ 'detections/a.det': unformatted });
    const r = await runCli(dir, ['fmt', '--check', 'detections']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('detections/a.det:4:1: error DET6007');
    expect(readFileSync(join(dir, 'detections/a.det'), 'utf8')).toBe(unformatted);
  });

  it('rewrites files canonically, after which --check passes', async () => {
    const dir = project({ 'detections/a.det': unformatted });
    const r = await runCli(dir, ['fmt', 'detections']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('formatted detections/a.det');
    const text = readFileSync(join(dir, 'detections/a.det'), 'utf8');
    expect(text).toContain('\n  severity: critical\n');
    expect(await runCli(dir, ['fmt', '--check', 'detections'])).toMatchObject({ code: 0 });
    expect((await runCli(dir, ['validate', 'detections'])).code).toBe(0);
  });

  it('--check says when only the line breaks differ (CR LF from a checkout with core.autocrlf)', async () => {
    const dir = project({ 'detections/a.det': unformatted });
    await runCli(dir, ['fmt', 'detections']);
    const canonical = readFileSync(join(dir, 'detections/a.det'), 'utf8');
    writeFileSync(join(dir, 'detections/a.det'), canonical.replaceAll('\n', '\r\n'));
    const r = await runCli(dir, ['fmt', '--check', 'detections']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("detections/a.det:1:1: error DET6007: 'detections/a.det' is not formatted canonically: its lines end with CR LF (or CR), canonical lines with LF");
    expect(r.stdout).toContain("add '*.det text eol=lf' to .gitattributes");
    // another difference keeps the plain message
    writeFileSync(join(dir, 'detections/a.det'), unformatted.replaceAll('\n', '\r\n'));
    expect((await runCli(dir, ['fmt', '--check', 'detections'])).stdout).not.toContain('CR LF');
  });

  it('refuses to format a file with syntax errors', async () => {
    const broken = 'detection   x {\n  condition: proc.name ==\n';
    const dir = project({ 'detections/bad.det': broken });
    const r = await runCli(dir, ['fmt', 'detections']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error DET10\d\d/);
    expect(readFileSync(join(dir, 'detections/bad.det'), 'utf8')).toBe(broken);
  });
});
