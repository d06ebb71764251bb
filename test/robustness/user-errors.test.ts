/**
 * Bad input (issue #5): one test per class of user error, through `main()` as a user runs it.
 * Each asserts the diagnostic code, its exact `file:line:column` (or no location, for the few
 * problems that are not in a file) and the exit code: 1 for invalid detections or failed tests,
 * 2 for usage and path errors. No user error may print a stack trace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../src/syntax/tokens.js';
import { makeProject, removeProject, runCli } from '../cli/helpers.js';

const DEFAULTS: Record<string, string> = {
  title: 'title: "Netcat in a container"',
  id: 'id: "2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11"',
  severity: 'severity: high',
  description: 'description: "d"',
  condition: 'condition: rule == "x"',
  match: 'test "m" matches { "rule": "x" }',
  nomatch: 'test "n" does not match { "rule": "y" }',
};

/**
 * A detection `name` with one property per line (line 1 is `detection name {`, the first
 * property is on line 2, every property starts at column 3). `props` replaces defaults by key;
 * `undefined` drops one; new keys are added at the end (before `}`).
 */
function det(props: Record<string, string | undefined> = {}, name = 'a'): string {
  const merged: Record<string, string | undefined> = { ...DEFAULTS, ...props };
  const lines = Object.values(merged).filter((l): l is string => l !== undefined);
  return `detection ${name} {\n${lines.map((l) => `  ${l}\n`).join('')}}\n`;
}

interface JsonDiag {
  code: string;
  severity: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});

async function run(files: Record<string, string | Uint8Array>, args: string[]): Promise<{ code: number; diagnostics: JsonDiag[]; raw: string }> {
  const dir = makeProject(files);
  dirs.push(dir);
  const r = await runCli(dir, [...args, '--format', 'json']);
  expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  const doc = JSON.parse(r.stdout) as { diagnostics: JsonDiag[] };
  return { code: r.code, diagnostics: doc.diagnostics, raw: r.stdout };
}

/** Runs `args` over `files` and expects `code` at `at` (`file:line:col`, or `null` for no location) and exit `exit`. */
async function expectError(
  files: Record<string, string | Uint8Array>,
  args: string[],
  code: string,
  at: string | null,
  exit: number,
): Promise<void> {
  const r = await run(files, args);
  const found = r.diagnostics.filter((d) => d.code === code);
  expect(found.length, `no ${code} in ${r.raw}`).toBeGreaterThan(0);
  const where = found.map((d) => (d.file === null ? null : `${d.file}:${d.line}:${d.column}`));
  expect(where, r.raw).toContain(at);
  expect(found.every((d) => d.severity === 'error')).toBe(true);
  expect(r.code, r.raw).toBe(exit);
}

const validate = (file = 'a.det'): string[] => ['validate', file];

describe('user errors: syntax (DET10xx)', () => {
  it('syntax error → DET1010 at the unexpected token, exit 1', async () => {
    await expectError({ 'a.det': det({ condition: 'condition: rule == == "x"' }) }, validate(), 'DET1010', 'a.det:6:22', 1);
  });

  it('unexpected character → DET1001, exit 1', async () => {
    await expectError({ 'a.det': det({ condition: 'condition: rule == "x" @' }) }, validate(), 'DET1001', 'a.det:6:26', 1);
  });

  it('unterminated string → DET1002 at the opening quote, exit 1', async () => {
    await expectError({ 'a.det': det({ description: 'description: "d' }) }, validate(), 'DET1002', 'a.det:5:16', 1);
  });

  it('invalid escape → DET1003, exit 1', async () => {
    await expectError({ 'a.det': det({ description: 'description: "a\\qb"' }) }, validate(), 'DET1003', 'a.det:5:18', 1);
  });

  it('invalid UTF-8 → DET1011 at the first bad byte, exit 1', async () => {
    const text = det({ description: 'description: "a\u0001b"' });
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf(0x01)] = 0xff;
    await expectError({ 'a.det': bytes }, validate(), 'DET1011', 'a.det:5:18', 1);
  });

  it('nesting too deep → DET1012 at the first bracket over the limit, exit 1', async () => {
    const deep = `condition: ${'('.repeat(MAX_NESTING + 1)}rule == "x"${')'.repeat(MAX_NESTING + 1)}`;
    // The detection's `{` is the first level, so the paren MAX_NESTING (column 13 + MAX_NESTING) is one too many.
    await expectError({ 'a.det': det({ condition: deep }) }, validate(), 'DET1012', `a.det:6:${13 + MAX_NESTING}`, 1);
  });
});

describe('user errors: properties (DET20xx)', () => {
  it('unknown property → DET2001, exit 1', async () => {
    await expectError({ 'a.det': det({ colour: 'colour: "red"' }) }, validate(), 'DET2001', 'a.det:9:3', 1);
  });

  it('missing property → DET2003, exit 1', async () => {
    await expectError({ 'a.det': det({ description: undefined }) }, validate(), 'DET2003', 'a.det:1:11', 1);
  });

  it('duplicate property → DET2002 at the second one, exit 1', async () => {
    await expectError({ 'a.det': det({ again: 'severity: low' }) }, validate(), 'DET2002', 'a.det:9:3', 1);
  });

  it('bad severity → DET2005 at the value, exit 1', async () => {
    await expectError({ 'a.det': det({ severity: 'severity: urgent' }) }, validate(), 'DET2005', 'a.det:4:13', 1);
  });

  it('bad duration → DET2006 at the duration, exit 1', async () => {
    await expectError({ 'a.det': det({ schedule: 'schedule: every 0m' }) }, validate(), 'DET2006', 'a.det:9:19', 1);
  });
});

describe('user errors: semantics (DET30xx)', () => {
  it('unknown field → DET3003 at the field, exit 1', async () => {
    await expectError({ 'a.det': det({ condition: 'condition: proc.cmdlin contains "x"' }) }, validate(), 'DET3003', 'a.det:6:14', 1);
  });

  it('type mismatch → DET3004, exit 1', async () => {
    await expectError({ 'a.det': det({ condition: 'condition: evt.num == "x"' }) }, validate(), 'DET3004', 'a.det:6:25', 1);
  });

  it('invalid regex → DET3005 at the pattern, exit 1', async () => {
    await expectError({ 'a.det': det({ condition: 'condition: proc.cmdline regex "("' }) }, validate(), 'DET3005', 'a.det:6:33', 1);
  });

  it('unknown tactic → DET3006, exit 1', async () => {
    await expectError({ 'a.det': det({ attack: 'attack { flying: T1059 }' }) }, validate(), 'DET3006', 'a.det:9:12', 1);
  });

  it('unknown technique → DET3007, exit 1', async () => {
    await expectError({ 'a.det': det({ attack: 'attack { execution: T9999 }' }) }, validate(), 'DET3007', 'a.det:9:23', 1);
  });

  it('technique not under the tactic → DET3008, exit 1', async () => {
    await expectError({ 'a.det': det({ attack: 'attack { execution: T1003 }' }) }, validate(), 'DET3008', 'a.det:9:23', 1);
  });

  it('unknown macro → DET3009 at the reference, exit 1', async () => {
    await expectError({ 'a.det': det({ condition: 'condition: in_contaner' }) }, validate(), 'DET3009', 'a.det:6:14', 1);
  });

  it('cyclic macro → DET3010, exit 1', async () => {
    const text = `macro m = rule == "x" and m\n${det({ condition: 'condition: m' })}`;
    await expectError({ 'a.det': text }, validate(), 'DET3010', 'a.det:1:27', 1);
  });

  it('unknown list → DET3011 at the list name, exit 1', async () => {
    await expectError({ 'a.det': det({ condition: 'condition: proc.name in netcat_bins' }) }, validate(), 'DET3011', 'a.det:6:27', 1);
  });

  it('duplicate id → DET3001 at the second detection, exit 1', async () => {
    await expectError({ 'a.det': det() + det({}, 'b') }, validate(), 'DET3001', 'a.det:12:7', 1);
  });

  it('malformed UUID → DET3002 at the id, exit 1', async () => {
    await expectError({ 'a.det': det({ id: 'id: "not-a-uuid"' }) }, validate(), 'DET3002', 'a.det:3:7', 1);
  });
});

describe('user errors: tests (DET40xx)', () => {
  it('missing test file → DET4002 at the path, exit 1', async () => {
    const t = det({ file: 'test "f" matches file "events/nope.ndjson"' });
    await expectError({ 'a.det': t }, validate(), 'DET4002', 'a.det:9:25', 1);
  });

  it('bad NDJSON → DET4003, exit 1', async () => {
    const t = det({ file: 'test "f" matches file "events/bad.ndjson"' });
    await expectError({ 'a.det': t, 'events/bad.ndjson': '{"rule": "x"}\nnot json\n' }, validate(), 'DET4003', 'events/bad.ndjson:2:2', 1);
  });

  it('a failing test case in `detect test` → DET4001 at the test, exit 1', async () => {
    const t = det({ match: 'test "m" matches { "rule": "other" }' });
    await expectError({ 'a.det': t }, ['test', 'a.det'], 'DET4001', 'a.det:7:3', 1);
  });
});

describe('user errors: paths (DET60xx, no location, exit 2)', () => {
  it('missing input path → DET6001, exit 2', async () => {
    await expectError({ 'a.det': det() }, validate('nope'), 'DET6001', null, 2);
  });

  it('no .det files → DET6002, exit 2', async () => {
    await expectError({ 'src/readme.txt': 'x' }, validate('src'), 'DET6002', null, 2);
  });

  it('output path is a file → DET6003, exit 2', async () => {
    await expectError({ 'a.det': det(), out: 'a file' }, ['compile', 'a.det', '--out', 'out'], 'DET6003', null, 2);
  });

  it('output folder locked by another running detect → DET6010, exit 2', async () => {
    // the lock names a live process other than this one: the test runner's parent
    await expectError({ 'a.det': det(), '.out.detect-lock': `${process.ppid}\n` }, ['compile', 'a.det', '--out', 'out'], 'DET6010', null, 2);
  });
});
