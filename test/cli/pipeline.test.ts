import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AvailableTarget } from '../../src/backends/index.js';
import { compile, frontEnd, runBackends, testFailure, validate } from '../../src/cli/pipeline.js';
import { RegexTimeout } from '../../src/eval/regex.js';
import type { Program } from '../../src/ir/types.js';
import type { SourceDefinition } from '../../src/source/types.js';
import { detection, makeProject, removeProject } from './helpers.js';

const dir = makeProject({ 'detections/a.det': detection('a'), 'bad/x.det': 'detection x {\n  condition: proc.name ==\n}\n' });
afterAll(() => removeProject(dir));

const program: Program = { irVersion: 1, source: 'falco', detections: [] };
const source = {} as SourceDefinition;
const fake = (root: string, path: string): AvailableTarget => ({
  target: 'kql',
  description: 'fake',
  root,
  checkedByValidate: true,
  inAll: true,
  backend: { target: 'kql', description: 'fake', emit: (_p, _s, _o, sink) => {
      sink({ path, content: 'x\n' });
      return [];
    },
  },
});

describe('pipeline', () => {
  it('frontEnd parses, lowers and validates, keeping the text of every file for code frames', () => {
    const r = frontEnd(['detections'], { cwd: dir });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.program?.detections.map((d) => d.name)).toEqual(['a']);
    expect([...r.sources.keys()]).toEqual(['detections/a.det']);
  });

  it('stops before lowering when there are syntax errors', () => {
    const r = frontEnd(['bad'], { cwd: dir });
    expect(r.program).toBeUndefined();
    expect(r.diagnostics[0]!.code).toMatch(/^DET10/);
  });

  it('validate and a failing compile write nothing', () => {
    expect(validate(['detections'], { cwd: dir }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const failed = compile(['bad'], { cwd: dir, target: 'all', out: 'generated' });
    expect(failed.write).toBeUndefined();
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it('a compile failing in a backend changes nothing beside the output folder and reports no lock', () => {
    const bad = makeProject({
      'detections/a.det': detection('a').replace('proc.name in ["nc", "ncat"]', `proc.cmdline contains "${'x'.repeat(300)}"`),
    });
    try {
      // what a run killed between its two renames leaves: no output folder, its backup and staging
      mkdirSync(join(bad, '.generated.detect-backup-999999/ir'), { recursive: true });
      writeFileSync(join(bad, '.generated.detect-backup-999999/ir/x'), 'x\n');
      mkdirSync(join(bad, '.generated.detect-staging-999999'));
      // and another live process holds the lock
      writeFileSync(join(bad, '.generated.detect-lock'), `${process.ppid}\n`);
      const before = readdirSync(bad).sort();
      const failed = compile(['detections'], { cwd: bad, target: 'all', out: 'generated' });
      expect([...new Set(failed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))]).toEqual(['DET5001']);
      expect(readdirSync(bad).sort()).toEqual(before);
      // once it compiles and the lock is free, the compile puts the backup back, then writes
      rmSync(join(bad, '.generated.detect-lock'));
      writeFileSync(join(bad, 'detections/a.det'), detection('a'));
      const ok = compile(['detections'], { cwd: bad, target: 'all', out: 'generated' });
      expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(readdirSync(bad).sort()).toEqual(['detections', 'generated']);
      expect(readFileSync(join(bad, 'generated/ir/x'), 'utf8')).toBe('x\n');
    } finally {
      removeProject(bad);
    }
  });

  it('runBackends refuses a backend writing outside its folder (a bug: throws)', () => {
    const paths: string[] = [];
    expect(runBackends(program, source, [fake('kql', 'kql/a.kql')], {}, (f) => paths.push(f.path))).toEqual([]);
    expect(paths).toEqual(['kql/a.kql']);
    expect(() => runBackends(program, source, [fake('kql', 'ir/a.kql')], {})).toThrow(/outside its folder/);
  });

  it('testFailure says what was expected and points at the test', () => {
    const span = { file: 'a.det', start: { offset: 0, line: 3, column: 3 }, end: { offset: 4, line: 3, column: 7 } };
    const miss = testFailure({ detection: 'd', test: 't', expect: 'match', passed: false, alerts: 0, span });
    expect(miss).toMatchObject({ code: 'DET4001', span, message: 'test "t" of d expects a match, but the detection raised no alert' });
    const extra = testFailure({ detection: 'd', test: 't', expect: 'no-match', passed: false, alerts: 2, span });
    expect(extra.message).toBe('test "t" of d expects no match, but the detection raised 2 alerts');
    expect(extra.hint).toBeTruthy();
    const undecided = testFailure({ detection: 'd', test: 't', expect: 'no-match', passed: false, alerts: 0, span, undecided: new RegexTimeout('^(.*)*x$', true, 45) });
    expect(undecided).toMatchObject({
      code: 'DET4007',
      severity: 'error',
      span,
      message: 'test "t" of d is undecided: the regular expression "^(.*)*x$" ran over 1000 ms on a text of 45 characters (the evaluator backtracks, as JavaScript does)',
    });
    expect(undecided.hint).toMatch(/`\^\.\*x\$`, not `\^\(\.\*\)\*x\$`/);
  });
});
