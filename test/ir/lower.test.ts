import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/ir/lower.js';
import { builtinSource } from '../../src/source/load.js';
import { cmp, detectionDecl, fileNode, or, sp, str } from '../helpers/ast-factory.js';
import { at, detection, lower, parse, UUID } from '../helpers/det.js';
import { testSource } from '../helpers/ir-source.js';
import type { Condition } from '../../src/ir/types.js';
import type { Expr } from '../../src/syntax/ast.js';

const EXAMPLE = `# Netcat variants Falco sees
list netcat_binaries = ["nc", "ncat", "netcat", "nc.openbsd", "nc.traditional"]

macro in_container = container.id exists and container.id != "host"

detection netcat_remote_code_execution {
  title: "Netcat remote code execution in a container"
  id: "2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11"
  version: 1
  severity: critical
  description: "Falco saw netcat start a program for a remote peer inside a container."
  author: "Platform Security"
  tags: ["container", "netcat"]
  attack {
    execution: T1059.004
    command-and-control: T1095
  }
  schedule: realtime
  suppress: by container.id for 1h
  condition:
    rule == "Netcat Remote Code Execution in Container"
    and proc.name in netcat_binaries
    and in_container
  output: time, cluster, container.name, proc.cmdline
  entities {
    host: hostname
    container: container.id
    process: proc.cmdline
  }
  triage: """
    Check the **remote address** in \`proc.cmdline\`.
    """
  test "nc -e spawns a shell" matches { "rule": "Netcat Remote Code Execution in Container", "output_fields": { "proc.name": "nc", "container.id": "abc123" } }
  test "replayed capture" does not match file "events/benign.ndjson"
}
`;

/** Strips spans from IR conditions so structure can be compared. */
function shape(c: Condition): unknown {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { [c.kind]: c.args.map(shape) };
    case 'not':
      return { not: shape(c.arg) };
    case 'compare':
      return [c.field.name, c.op, c.value, c.caseSensitive];
    case 'in':
      return [c.field.name, 'in', c.values, c.caseSensitive];
    case 'exists':
      return [c.field.name, 'exists'];
  }
}

function filterCondition(program: ReturnType<typeof lower>['program'], i = 0): Condition {
  const m = program.detections[i]!.match;
  if (m.kind === 'sequence') throw new Error('not a filter');
  return m.condition;
}

describe('lowerProgram end to end (parser + built-in Falco source)', () => {
  it('lowers the example detection of the design brief', () => {
    const file = parse(EXAMPLE, 'detections/netcat.det');
    const reads: string[] = [];
    const { program, diagnostics } = lowerProgram([file], builtinSource(), (p) => {
      reads.push(p);
      return '{"rule":"Some other rule"}\n\n{"rule":"Another"}\n';
    });
    expect(diagnostics).toEqual([]);
    expect(reads).toEqual([path.resolve('detections/events/benign.ndjson')]);
    expect(program.irVersion).toBe(1);
    expect(program.source).toBe('falco');
    const d = program.detections[0]!;
    expect(d).toMatchObject({
      id: UUID,
      name: 'netcat_remote_code_execution',
      title: 'Netcat remote code execution in a container',
      version: 1,
      severity: 'critical',
      author: ['Platform Security'],
      tags: ['container', 'netcat'],
      references: [],
      falsePositives: [],
      triage: 'Check the **remote address** in `proc.cmdline`.',
      response: '',
      schedule: { kind: 'realtime' },
      suppression: { by: [{ name: 'container.id', type: 'string' }], duration: 3600 },
    });
    expect(d.attack.map((a) => [a.tactic.shortname, a.techniques.map((t) => [t.technique.id, t.subtechniques.map((s) => s.id)])])).toEqual([
      ['execution', [['T1059', ['T1059.004']]]],
      ['command-and-control', [['T1095', []]]],
    ]);
    expect(shape(filterCondition(program))).toEqual({
      and: [
        ['rule', 'eq', 'Netcat Remote Code Execution in Container', true],
        ['proc.name', 'in', ['nc', 'ncat', 'netcat', 'nc.openbsd', 'nc.traditional'], true],
        ['container.id', 'exists'],
        ['container.id', 'ne', 'host', true],
      ],
    });
    expect(d.output.map((f) => f.name)).toEqual(['time', 'cluster', 'container.name', 'proc.cmdline']);
    expect(Object.entries(d.entities).map(([k, f]) => [k, f!.name])).toEqual([
      ['host', 'hostname'],
      ['process', 'proc.cmdline'],
      ['container', 'container.id'],
    ]);
    expect(d.tests.map((t) => [t.name, t.expect, t.events.length, t.file])).toEqual([
      ['nc -e spawns a shell', 'match', 1, undefined],
      ['replayed capture', 'no-match', 2, 'detections/events/benign.ndjson'],
    ]);
    expect(d.tests[0]!.events[0]).toEqual({
      rule: 'Netcat Remote Code Execution in Container',
      output_fields: { 'proc.name': 'nc', 'container.id': 'abc123' },
    });
    // Spans point into the file the condition was written in (the macro's body for its parts).
    const and = filterCondition(program);
    if (and.kind !== 'and') throw new Error('expected and');
    expect(and.args.map((a) => ('span' in a ? `${a.span.start.line}:${a.span.start.column}` : '-'))).toEqual([
      '21:5',
      '22:9',
      '4:22',
      '4:46',
    ]);
    expect(d.span.file).toBe('detections/netcat.det');
    expect(d.span.start.line).toBe(6);
  });

  it('lowers the repository detections without lowering errors, when there are any', () => {
    const dir = 'detections';
    const files = existsSync(dir)
      ? readdirRecursive(dir).filter((f) => f.endsWith('.det'))
      : [];
    if (files.length === 0) return; // helper E's detections are not written yet
    const asts = files.map((f) => parse(readFileSync(f, 'utf8'), f));
    const { diagnostics } = lowerProgram(asts, builtinSource(), (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined));
    expect(diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.span?.file}:${x.span?.start.line} ${x.code} ${x.message}`)).toEqual([]);
  });
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? readdirRecursive(p) : [p];
    });
}

describe('lowerProgram', () => {
  it('applies defaults: schedule every 5m lookback 5m, version 1, empty lists, no suppression', () => {
    const { program, diagnostics } = lower(detection('d', '  condition: proc.name == "sh"'));
    expect(diagnostics).toEqual([]);
    const d = program.detections[0]!;
    expect(d.schedule).toEqual({ kind: 'scheduled', every: 300, lookback: 300 });
    expect(d.version).toBe(1);
    expect(d).toMatchObject({ author: [], tags: [], references: [], falsePositives: [], triage: '', response: '', attack: [], output: [], entities: {}, tests: [] });
    expect('suppression' in d).toBe(false);
    expect(d.match).toEqual({
      kind: 'filter',
      condition: expect.objectContaining({ kind: 'compare', op: 'eq', value: 'sh', caseSensitive: true }),
    });
  });

  it('maps every operator and case mode', () => {
    const body = [
      '  condition: proc.name == "a" and proc.name != "b" and proc.pid < 1 and proc.pid <= 2',
      '    and proc.pid > 3 and proc.pid >= 4 and proc.cmdline contains "c" nocase',
      '    and proc.cmdline startswith "d" cased and proc.cmdline endswith "e"',
      '    and proc.cmdline regex "f+" and container.id exists and proc.name in ["x", "y"] nocase',
    ].join('\n');
    const { program, diagnostics } = lower(detection('d', body));
    expect(diagnostics).toEqual([]);
    expect(shape(filterCondition(program))).toEqual({
      and: [
        ['proc.name', 'eq', 'a', true],
        ['proc.name', 'ne', 'b', true],
        ['proc.pid', 'lt', 1, true],
        ['proc.pid', 'le', 2, true],
        ['proc.pid', 'gt', 3, true],
        ['proc.pid', 'ge', 4, true],
        ['proc.cmdline', 'contains', 'c', false],
        ['proc.cmdline', 'startswith', 'd', true],
        ['proc.cmdline', 'endswith', 'e', true],
        ['proc.cmdline', 'regex', 'f+', true],
        ['container.id', 'exists'],
        ['proc.name', 'in', ['x', 'y'], false],
      ],
    });
  });

  it('flattens nested and/or, across parentheses and macros, and keeps not', () => {
    const text =
      'macro m = proc.name == "b" or proc.name == "c"\n' +
      detection('d', '  condition: (proc.name == "a" or m) and (not fd.name exists and (user.name == "u" and hostname == "h"))');
    const { program, diagnostics } = lower(text);
    expect(diagnostics).toEqual([]);
    expect(shape(filterCondition(program))).toEqual({
      and: [
        { or: [['proc.name', 'eq', 'a', true], ['proc.name', 'eq', 'b', true], ['proc.name', 'eq', 'c', true]] },
        { not: ['fd.name', 'exists'] },
        ['user.name', 'eq', 'u', true],
        ['hostname', 'eq', 'h', true],
      ],
    });
  });

  it('sorts detections by name, whatever the file order', () => {
    const files = {
      'b.det': detection('zeta', '  condition: proc.name == "z"'),
      'a.det': detection('alpha', '  condition: proc.name == "a"', 'aaaaaaaa-4c1b-4f0a-9a57-0c3b8e7b9d11'),
    };
    const one = lower(files);
    const two = lower({ 'a.det': files['a.det'], 'b.det': files['b.det'] });
    expect(one.program.detections.map((d) => d.name)).toEqual(['alpha', 'zeta']);
    expect(JSON.stringify(two.program)).toBe(JSON.stringify(one.program));
  });

  it('deep-freezes the program without freezing the AST', () => {
    const l = lower(detection('d', '  condition: proc.name == "a" and not proc.pid == 1\n  test "t" matches { "a": { "b": 1 } }'));
    const d = l.program.detections[0]!;
    const cond = filterCondition(l.program);
    expect(Object.isFrozen(l.program)).toBe(true);
    expect(Object.isFrozen(l.program.detections)).toBe(true);
    expect(Object.isFrozen(d.match)).toBe(true);
    expect(Object.isFrozen(cond)).toBe(true);
    expect(cond.kind === 'and' && Object.isFrozen(cond.args[1])).toBe(true);
    expect(Object.isFrozen(d.tests[0]!.events[0]!['a'])).toBe(true);
    const testDecl = l.files[0]!.blocks[0]!;
    if (testDecl.kind !== 'Detection') throw new Error('expected a detection');
    const t = testDecl.members.find((m) => m.kind === 'Test');
    if (t?.kind !== 'Test' || t.events.kind !== 'JsonEvents') throw new Error('expected inline events');
    expect(Object.isFrozen(t.events.value)).toBe(false);
    expect(Object.isFrozen(testDecl.span)).toBe(false);
  });

  it('reports every problem in one run and keeps the detections without errors', () => {
    const text =
      detection('broken_one', '  condition: proc.nam == "a"') +
      detection('good', '  condition: proc.name == "a"', 'bbbbbbbb-4c1b-4f0a-9a57-0c3b8e7b9d11') +
      detection('broken_two', '  condition: proc.name == "a"\n  severty: high', 'cccccccc-4c1b-4f0a-9a57-0c3b8e7b9d11');
    const { program, diagnostics } = lower(text);
    expect(program.detections.map((d) => d.name)).toEqual(['good']);
    // broken_one: line 6; good: lines 8-14; broken_two starts on line 15, its body on line 20.
    expect(diagnostics.map(at)).toEqual(['DET3003 6:14', 'DET2001 21:3']);
  });

  it('reports a problem inside a macro once, however many detections use it', () => {
    const text =
      'macro m = proc.nme == "x"\n' +
      detection('a', '  condition: m') +
      detection('b', '  condition: m and proc.name == "y"', 'bbbbbbbb-4c1b-4f0a-9a57-0c3b8e7b9d11');
    const { program, diagnostics } = lower(text);
    expect(diagnostics.map(at)).toEqual(['DET3003 1:11']);
    expect(program.detections).toEqual([]);
  });

  it('is deterministic', () => {
    const text = 'list l = ["b", "a", "b"]\n' + detection('d', '  condition: proc.name in l\n  attack {\n    command-and-control: T1095\n    TA0002: T1059.004, T1059\n  }');
    const a = lower(text);
    const b = lower(text);
    expect(JSON.stringify(a.program)).toBe(JSON.stringify(b.program));
    expect(a.diagnostics).toEqual(b.diagnostics);
  });

  it('handles an or-chain of thousands of comparisons without deep recursion (hand-built AST)', () => {
    let expr: Expr = cmp('proc.name', '==', str('v0'), sp(7, 1));
    for (let i = 1; i < 20000; i++) expr = or(expr, cmp('proc.name', '==', str(`v${i}`), sp(7, i + 1)));
    const file = fileNode([detectionDecl('big', [{ kind: 'Condition', expr, span: sp(6, 3) }])]);
    const { program, diagnostics } = lowerProgram([file], testSource(), () => undefined);
    expect(diagnostics).toEqual([]);
    const c = filterCondition(program);
    expect(c.kind).toBe('or');
    expect(c.kind === 'or' && c.args.length).toBe(20000);
    expect(c.kind === 'or' && c.args[19999]).toMatchObject({ value: 'v19999' });
  });
});
