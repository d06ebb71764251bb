import { afterEach, describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, formatJunit } from '../../src/diagnostics/format-junit.js';
import { Chalk } from 'chalk';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import { detection, makeProject, removeProject, runCli } from '../cli/helpers.js';
import { parseXml, type XmlElement } from './xml-check.js';

const SECOND_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});
function project(files: Record<string, string>): string {
  const dir = makeProject(files);
  dirs.push(dir);
  return dir;
}

function span(file: string, line: number, offset: number, length = 3): Span {
  return { file, start: { offset, line, column: 1 }, end: { offset: offset + length, line, column: 1 + length } };
}

const cases = (el: XmlElement): XmlElement[] => el.children.filter((c) => c.name === 'testcase');

/** detections/a.det with an unknown field (DET3003), detections/b.det valid. */
function oneInvalidOneValid(): string {
  return project({
    'detections/a.det': detection('a').replace('proc.name in', 'proc.nme in'),
    'detections/b.det': detection('b', { id: SECOND_ID }),
  });
}

describe('escaping', () => {
  it('escapes the five special characters in attributes and text', () => {
    expect(escapeXmlAttr(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXmlText('a&b<c>d')).toBe('a&amp;b&lt;c&gt;d');
    expect(escapeXmlAttr('x\ny\tz')).toBe('x&#10;y&#9;z');
  });

  it('replaces characters XML 1.0 forbids, keeping the rest (astral characters included)', () => {
    expect(escapeXmlText('a\u0000b\u001bc\uFFFEd')).toBe('a\\u0000b\\u001Bc\\uFFFEd');
    expect(escapeXmlText('lone \uD800 surrogate, pair 😀')).toBe('lone \\uD800 surrogate, pair 😀');
  });

  it('shows escaped what a viewer would act on: bidi controls, line and paragraph separators, DEL and C1; keeps tab, LF and CR', () => {
    expect(escapeXmlText('kube\u202ectl\u2066x\u2069 a\u2028b\u2029c \u007f\u0085\u009b \u200e\u061c')).toBe(
      'kube\\u202Ectl\\u2066x\\u2069 a\\u2028b\\u2029c \\u007F\\u0085\\u009B \\u200E\\u061C',
    );
    expect(escapeXmlAttr('é\tü\n日本\r')).toBe('é&#9;ü&#10;日本&#13;');
  });

  it('round-trips awkward names through a strict XML reader', () => {
    const name = `weird <&> "quotes" 'single' \u0007 bell\nnewline`;
    const out = formatJunit(
      {
        diagnostics: [],
        sources: new Map(),
        tests: [{ detection: 'd', test: name, expect: 'match', passed: true, alerts: 1, span: span('a.det', 3, 10) }],
      },
      { cwd: '/', chalk: new Chalk({ level: 0 }) },
    );
    const root = parseXml(out);
    const tc = cases(root.children[0] as XmlElement)[0] as XmlElement;
    expect(tc.attrs.name).toBe(`weird <&> "quotes" 'single' \\u0007 bell\nnewline`);
  });
});

describe('formatJunit', () => {
  it('one suite per file, sorted, with counts; diagnostics outside a detection get a (file) case', () => {
    const a = span('b.det', 1, 0, 100);
    const out = formatJunit(
      {
        diagnostics: [
          { code: 'DET3003', severity: 'error', message: 'unknown field `x`', span: span('b.det', 2, 20), details: ['event 1: z'], hint: 'did you mean y?' },
          { code: 'DET3012', severity: 'warning', message: 'list is never used', span: span('b.det', 9, 200) },
          { code: 'DET6001', severity: 'error', message: 'path not found' },
        ],
        sources: new Map(),
        files: ['b.det', 'a.det'],
        detections: [{ name: 'bee', span: a }],
      },
      { cwd: '/', chalk: new Chalk({ level: 0 }) },
    );
    const root = parseXml(out);
    expect(root.name).toBe('testsuites');
    expect(root.children.map((s) => s.attrs.name)).toEqual(['a.det', 'b.det', 'detect']);
    expect(root.attrs).toMatchObject({ tests: '3', failures: '2' });
    const b = root.children[1] as XmlElement;
    expect(b.attrs).toMatchObject({ tests: '2', failures: '1' });
    const bee = cases(b).find((c) => c.attrs.classname === 'bee') as XmlElement;
    const file = cases(b).find((c) => c.attrs.name === '(file)') as XmlElement;
    expect(bee.attrs).toEqual({ classname: 'bee', name: 'validate' });
    const failure = bee.children.find((c) => c.name === 'failure') as XmlElement;
    expect(failure.attrs.type).toBe('DET3003');
    expect(failure.text).toContain('b.det:2:1: error DET3003: unknown field `x`');
    expect(failure.text).toContain('unknown field `x`\n· event 1: z\nhint: did you mean y?');
    expect(file.attrs.name).toBe('(file)');
    expect(file.children.map((c) => c.name)).toEqual(['system-out']);
    expect(out).not.toMatch(/time|timestamp/);
  });
});

describe('detect test/validate --format junit', () => {
  it('test: one testcase per test, failure with DET4001 and its location; exit code unchanged', async () => {
    const dir = project({
      'detections/a.det': detection('a'),
      'detections/b.det': detection('b', { id: SECOND_ID, failing: true }),
    });
    const r = await runCli(dir, ['test', 'detections', '--format', 'junit']);
    expect(r.code).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.attrs).toMatchObject({ tests: '4', failures: '1', errors: '0' });
    expect(root.children.map((s) => s.attrs.name)).toEqual(['detections/a.det', 'detections/b.det']);
    const b = root.children[1] as XmlElement;
    expect(b.attrs).toMatchObject({ tests: '2', failures: '1' });
    const fires = cases(b).find((c) => c.attrs.name === 'fires') as XmlElement;
    expect(fires.attrs.classname).toBe('b');
    const failure = fires.children[0] as XmlElement;
    expect(failure.attrs.type).toBe('DET4001');
    expect(failure.text).toMatch(/^detections\/b\.det:10:3: error DET4001: test "fires" of b expects a match/);

    const ok = await runCli(dir, ['test', 'detections/a.det', '--format', 'junit']);
    expect(ok.code).toBe(0);
    expect(parseXml(ok.stdout).attrs).toMatchObject({ tests: '2', failures: '0' });
  });

  it('validate: one testcase per detection, failing with its errors; deterministic', async () => {
    const dir = oneInvalidOneValid();
    const r = await runCli(dir, ['validate', 'detections', '--format', 'junit']);
    expect(r.code).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.attrs).toMatchObject({ tests: '2', failures: '1' });
    const a = cases(root.children[0] as XmlElement)[0] as XmlElement;
    expect(a.attrs).toEqual({ classname: 'a', name: 'validate' });
    expect((a.children[0] as XmlElement).attrs.type).toBe('DET3003');
    // b has no error of its own, but the target checks did not run because of a's: skipped, not passed
    const b = cases(root.children[1] as XmlElement)[0] as XmlElement;
    expect(b.children.map((c) => [c.name, c.attrs.message])).toEqual([['skipped', expect.stringContaining('the target checks did not run')]]);
    expect(root.children[1]?.attrs).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    const again = await runCli(dir, ['validate', 'detections', '--format', 'junit']);
    expect(again.stdout).toBe(r.stdout);
    const valid = await runCli(dir, ['validate', 'detections/b.det', '--format', 'junit']);
    expect(valid.code).toBe(0);
    expect(cases(parseXml(valid.stdout).children[0] as XmlElement)[0]?.children).toEqual([]);
  });

  it('validate: a syntax error in one file leaves the detections of the others skipped, not passed', async () => {
    const dir = project({ 'detections/a.det': 'detection {\n', 'detections/b.det': detection('b', { id: SECOND_ID }) });
    const r = await runCli(dir, ['validate', 'detections', '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(parseXml(r.stdout).attrs).toMatchObject({ tests: '2', failures: '1', skipped: '1' });
    const b = cases(parseXml(r.stdout).children[1] as XmlElement)[0] as XmlElement;
    expect(b.attrs.classname).toBe('b');
    expect(b.children.map((c) => [c.name, c.attrs.message])).toEqual([['skipped', expect.stringContaining('validation stopped at these errors')]]);
    const text = await runCli(dir, ['validate', 'detections']);
    expect(text.stdout).toContain('note: validation stopped at these errors, before checking fields, ATT&CK ids and targets');
    // nothing to check: no note
    for (const args of [['validate', 'nope'], ['test', 'nope']]) {
      const none = await runCli(dir, args);
      expect(none.code, args.join(' ')).toBe(2);
      expect(none.stdout, args.join(' ')).not.toContain('note:');
    }
  });

  it('test: when the tests cannot run, says so, and no detection passes', async () => {
    const dir = oneInvalidOneValid();
    const r = await runCli(dir, ['test', 'detections', '--format', 'junit']);
    expect(r.code).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.attrs).toMatchObject({ tests: '2', failures: '1' });
    const b = cases(root.children[1] as XmlElement)[0] as XmlElement;
    expect(b.children.map((c) => [c.name, c.attrs.message])).toEqual([['skipped', 'the tests did not run because of these errors: fix them and run again']]);
    const text = await runCli(dir, ['test', 'detections']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('note: the tests did not run because of these errors: fix them and run again');
    const json = JSON.parse((await runCli(dir, ['test', 'detections', '--format', 'json'])).stdout);
    expect(json.notes).toEqual(['the tests did not run because of these errors: fix them and run again']);
  });

  it('validate: a syntax error is reported in a (file) testcase', async () => {
    const dir = project({ 'detections/a.det': 'detection {\n' });
    const r = await runCli(dir, ['validate', 'detections', '--format', 'junit']);
    expect(r.code).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.attrs.failures).toBe('1');
    expect(cases(root.children[0] as XmlElement)[0]?.attrs.name).toBe('(file)');
  });

  it('compile and fmt refuse junit (usage error)', async () => {
    const dir = project({ 'detections/a.det': detection('a') });
    for (const args of [['compile', 'detections', '--format', 'junit'], ['fmt', '--check', 'detections', '--format', 'junit']]) {
      const r = await runCli(dir, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("argument 'junit' is invalid");
    }
    const help = await runCli(dir, ['validate', '--help']);
    expect(help.stdout).toContain('junit');
  });
});
