/**
 * Input files that are not ordinary: devices, FIFOs, folders, huge files. Each is refused with
 * a diagnostic before it is read (never read forever, never a crash), exit 1.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../../src/io/read-file.js';
import { makeProject, removeProject, runCli } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});

/** A detection whose only test reads `file "<events>"` (the path string is at 7:25). */
function det(events: string): string {
  return [
    'detection a {',
    '  title: "t"',
    '  id: "2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11"',
    '  severity: high',
    '  description: "d"',
    '  condition: rule == "x"',
    `  test "f" matches file ${JSON.stringify(events)}`,
    '}',
    '',
  ].join('\n');
}

interface JsonDiag {
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

async function validate(setup: (dir: string) => void, args = ['a.det']): Promise<{ code: number; diags: JsonDiag[]; raw: string }> {
  const dir = makeProject();
  dirs.push(dir);
  setup(dir);
  const r = await runCli(dir, ['validate', ...args, '--format', 'json']);
  expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  const all = (JSON.parse(r.stdout) as { diagnostics: (JsonDiag & { severity: string })[] }).diagnostics;
  return { code: r.code, diags: all.filter((d) => d.severity === 'error'), raw: r.stdout };
}

/** Expects one DET4002 at the `file "…"` string whose message matches `message`. */
async function expectEventsProblem(events: string, setup: (dir: string) => void, message: RegExp): Promise<void> {
  const r = await validate((dir) => {
    writeFileSync(join(dir, 'a.det'), det(events));
    setup(dir);
  });
  expect(r.diags.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`), r.raw).toEqual(['DET4002 a.det:7:25']);
  expect(r.diags[0]!.message).toMatch(message);
  expect(r.code).toBe(1);
}

const isRoot = process.getuid?.() === 0;

describe('test events files that are not regular files', () => {
  it('/dev/zero is refused, not read forever: it is outside the project', async () => {
    await expectEventsProblem('/dev/zero', () => {}, /`\/dev\/zero` cannot be read: it is outside the project, where test events must be: the git repository holding the \.det file \(outside one, the working folder\)$/);
  });

  it('a symlink to /dev/zero is followed and refused', async () => {
    await expectEventsProblem('z.ndjson', (dir) => symlinkSync('/dev/zero', join(dir, 'z.ndjson')), /`z\.ndjson` cannot be read: it is, through a symbolic link, outside the project/);
  });

  it('a file outside the working folder is refused, by path or by link, and none of its lines is shown', async () => {
    const outside = makeProject({ 'secret.ndjson': 'TOKEN=hunter2\n' });
    dirs.push(outside);
    const r = await validate((dir) => {
      writeFileSync(join(dir, 'a.det'), det(join(outside, 'secret.ndjson')).replace('}\n', `  test "g" matches file "../${outside.split('/').pop()}/secret.ndjson"\n  test "h" matches file "l.ndjson"\n}\n`));
      symlinkSync(join(outside, 'secret.ndjson'), join(dir, 'l.ndjson'));
    });
    expect(r.diags.map((d) => `${d.code} ${d.line}`), r.raw).toEqual(['DET4002 7', 'DET4002 8', 'DET4002 9']);
    expect(r.diags.map((d) => /it is(, through a symbolic link,)? outside the project/.exec(d.message)?.[1] ?? '')).toEqual(['', '', ', through a symbolic link,']);
    expect(r.raw).not.toContain('hunter2');
  });

  it('takes the project to be the git repository holding the .det file, wherever detect runs from', async () => {
    // a repository: det/a.det reads ../events/e.ndjson (inside it) and a file beside a sibling repository
    const outside = makeProject({ 'secret.ndjson': 'TOKEN=hunter2\n' });
    dirs.push(outside);
    const repo = makeProject({ '.git/HEAD': 'ref: refs/heads/main\n', 'events/e.ndjson': '{"rule": "x"}\n' });
    dirs.push(repo);
    mkdirSync(join(repo, 'det'));
    writeFileSync(join(repo, 'det/a.det'), det('../events/e.ndjson').replace('}\n', `  test "g" matches file "${join(outside, 'secret.ndjson')}"\n}\n`));
    for (const cwd of [repo, join(repo, 'det'), '/']) {
      const r = await runCli(cwd, ['validate', join(repo, 'det'), '--format', 'json']);
      const errors = (JSON.parse(r.stdout) as { diagnostics: (JsonDiag & { severity: string })[] }).diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => `${d.code} ${d.line}`), `from ${cwd}`).toEqual(['DET4002 8']);
      expect(r.stdout).not.toContain('hunter2');
    }
  });

  it('a FIFO is refused without waiting for a writer', async () => {
    await expectEventsProblem('p.ndjson', (dir) => execFileSync('mkfifo', [join(dir, 'p.ndjson')]), /not a regular file \(a FIFO\)$/);
  });

  it('".", "" and a folder say it is a folder', async () => {
    await expectEventsProblem('.', () => {}, /cannot be read: it is a folder$/);
    await expectEventsProblem('', () => {}, /cannot be read: it is a folder$/);
    await expectEventsProblem('events', (dir) => mkdirSync(join(dir, 'events')), /`events` cannot be read: it is a folder$/);
  });

  it('a file over the limit is refused with its size and the limit', async () => {
    const size = MAX_INPUT_BYTES + 1;
    await expectEventsProblem('big.ndjson', (dir) => {
      writeFileSync(join(dir, 'big.ndjson'), '');
      truncateSync(join(dir, 'big.ndjson'), size);
    }, new RegExp(`cannot be read: it is too large: ${size} bytes, limit ${MAX_INPUT_BYTES} bytes$`));
  });

  it.skipIf(isRoot)('an unreadable file says why', async () => {
    await expectEventsProblem('e.ndjson', (dir) => {
      writeFileSync(join(dir, 'e.ndjson'), '{}\n');
      chmodSync(join(dir, 'e.ndjson'), 0);
    }, /cannot be read: permission denied$/);
  });

  it('a missing file is still "not found"', async () => {
    await expectEventsProblem('nope.ndjson', () => {}, /`nope\.ndjson` not found$/);
  });

  it('an events file that is not valid UTF-8 says where (not read as U+FFFD)', async () => {
    await expectEventsProblem(
      'e.ndjson',
      (dir) => writeFileSync(join(dir, 'e.ndjson'), Buffer.concat([Buffer.from('{"rule": "x"}\n{"rule": "a'), Buffer.from([0xff]), Buffer.from('b"}\n')])),
      /^test events file `e\.ndjson` cannot be read: it is not valid UTF-8 \(byte 0xFF at line 2, column 12\)$/,
    );
  });

  it('an events line holding a lone surrogate escape is DET4003, as DET1003 in inline events', async () => {
    const r = await validate((dir) => {
      writeFileSync(join(dir, 'a.det'), det('e.ndjson'));
      writeFileSync(join(dir, 'e.ndjson'), '{"rule": "x", "output_fields": {"proc.name": "\\ud83d\\ude00"}}\n{"rule": "x", "output_fields": {"a\\udc00": 1}}\n');
    });
    expect(r.diags.map((d) => `${d.code} ${d.message}`)).toEqual(['DET4003 `e.ndjson` line 2 holds the lone surrogate \\udc00 in a string (read by test "f" at a.det:7:25)']);
  });
});

describe('.det files that are not regular files', () => {
  it('a .det symlinked to /dev/zero and named directly is DET6005', async () => {
    const r = await validate((dir) => symlinkSync('/dev/zero', join(dir, 'a.det')));
    expect(r.diags.map((d) => d.code), r.raw).toEqual(['DET6005']);
    expect(r.diags[0]!.message).toBe("cannot read 'a.det': it is not a regular file (a character device)");
    expect(r.code).toBe(1);
  });

  it('found in a folder, a dangling .det symlink or a .det FIFO is DET6005, not skipped (its detections would vanish and their files be removed as stale)', async () => {
    const r = await validate((dir) => {
      mkdirSync(join(dir, 'd'));
      writeFileSync(join(dir, 'ok.det'), det('e.ndjson'));
      symlinkSync('../store/moved.det', join(dir, 'd/gone.det'));
      execFileSync('mkfifo', [join(dir, 'd/p.det')]);
      symlinkSync('../store/README.md', join(dir, 'd/notes.md')); // not an input name: still ignored
    }, ['d']);
    expect(r.diags.map((d) => `${d.code} ${d.message}`), r.raw).toEqual([
      "DET6005 cannot read 'd/gone.det': it is a symbolic link to '../store/moved.det', which does not exist",
      "DET6005 cannot read 'd/p.det': it is not a regular file (a FIFO)",
    ]);
    expect(r.code).toBe(1);
  });

  it('a 600 MB .det is DET6005 (too large) before it is read', async () => {
    const r = await validate((dir) => {
      mkdirSync(join(dir, 'd'));
      writeFileSync(join(dir, 'd/a.det'), '');
      truncateSync(join(dir, 'd/a.det'), 600 * 1024 * 1024);
    }, ['d']);
    expect(r.diags.map((d) => d.code), r.raw).toEqual(['DET6005']);
    expect(r.diags[0]!.message).toBe(`cannot read 'd/a.det': it is too large: ${600 * 1024 * 1024} bytes, limit ${MAX_INPUT_BYTES} bytes`);
    expect(r.code).toBe(1);
  });
});

describe('an events file with an invalid line', () => {
  it('is reported at the line and column in the events file, with its code frame', async () => {
    const dir = makeProject({ 'a.det': det('e.ndjson'), 'e.ndjson': '{"rule": "x"}\n{"rule": "x",}\n' });
    dirs.push(dir);
    const r = await runCli(dir, ['validate', 'a.det']);
    expect(r.stdout).toContain('e.ndjson:2:14: error DET4003: `e.ndjson` line 2 is not valid JSON: ');
    expect(r.stdout).toContain('  2 | {"rule": "x",}\n    |              ^\n');
    expect(r.code).toBe(1);
  });

  it('counts, in a JUnit report, at the detection whose test reads it (no suite for the events file)', async () => {
    const dir = makeProject({ 'a.det': det('ev/e.ndjson'), 'ev/e.ndjson': '{"rule": "x"}\nnope\n' });
    dirs.push(dir);
    const r = await runCli(dir, ['validate', 'a.det', '--format', 'junit']);
    expect(r.stdout).not.toContain('<testsuite name="ev/e.ndjson"');
    expect(r.stdout).toMatch(/<testcase classname="a" name="validate"[^>]*>\s*<failure[^>]*DET4003/);
    expect(r.code).toBe(1);
  });

  it('a line joined to the next by a lone CR is named where its error is, and the hint says why', async () => {
    const dir = makeProject({ 'a.det': det('e.ndjson'), 'e.ndjson': '{"rule": "x"}\r{"rule": "y"}\r' });
    dirs.push(dir);
    const r = await runCli(dir, ['validate', 'a.det']);
    expect(r.stdout).toContain('e.ndjson:2:1: error DET4003: `e.ndjson` line 2 is not valid JSON');
    expect(r.stdout).toContain('joined to the next by a lone CR');
  });

  it('a lone CR counts as a line break for the line in the message as for the position', async () => {
    const dir = makeProject({ 'a.det': det('e.ndjson'), 'e.ndjson': '{"rule": "x"}\r{"rule": "y"}\nnope\n' });
    dirs.push(dir);
    const r = await runCli(dir, ['validate', 'a.det']);
    expect(r.stdout).toContain('e.ndjson:3:2: error DET4003: `e.ndjson` line 3 is not valid JSON');
  });
});

describe('an events file of many invalid lines', () => {
  it('lists the first 5 by line number, then one summary, quoting no long line', async () => {
    const valid = '{"rule": "x"}\n'.repeat(7);
    const invalid = Array.from({ length: 12 }, (_, i) => `not json ${i} ${'y'.repeat(i === 0 ? 10_000 : 3)}\n`).join('');
    const dir = makeProject({ 'a.det': det('e.ndjson'), 'e.ndjson': valid + invalid });
    dirs.push(dir);
    const r = await runCli(dir, ['validate', 'a.det', '--format', 'json']);
    const errors = (JSON.parse(r.stdout) as { diagnostics: (JsonDiag & { severity: string })[] }).diagnostics.filter((d) => d.severity === 'error');
    // each at its line of the events file; the summary at the first line not listed
    expect(errors.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`)).toEqual(['8', '9', '10', '11', '12', '13'].map((l) => `DET4003 e.ndjson:${l}:2`));
    expect(errors.slice(0, 5).map((d) => /line (\d+)/.exec(d.message)![1])).toEqual(['8', '9', '10', '11', '12']);
    expect(errors[5]!.message).toBe('`e.ndjson`: … and 7 more invalid lines from here (12 in all; the first 5 are listed; read by test "f" at a.det:7:25)');
    for (const d of errors) expect(d.message.length).toBeLessThan(300);
    expect(r.code).toBe(1);
  });
});
