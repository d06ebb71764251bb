import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parserFunction } from '../../../src/backends/kql/parser.js';
import { analyse, analyserFor } from '../../../src/backends/sentinel/analysis.js';
import { compileSentinel } from '../../../src/backends/sentinel/index.js';
import { validate } from '../../../src/cli/pipeline.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const source = builtinSource();

describe('Kusto.Language analysis of the generated KQL', () => {
  it('finds no problem in the parser or the query of any detection in detections/ (detect validate)', () => {
    const r = validate(['detections'], { cwd: ROOT });
    expect(r.program?.detections.length).toBeGreaterThanOrEqual(5);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('accepts the null-safe list tests under not (coalesce of set_has_element)', () => {
    const l = lower(detection('d', '  condition: not tags == "x" and not tags in ["a", "b"]'), { source });
    const c = compileSentinel(l.program, source);
    expect(c.rules[0]!.query.text).toContain('not(coalesce(set_has_element(Tags, "x"), false))');
    expect(c.diagnostics).toEqual([]);
  });

  it('reports a problem as DET5101 at the detection', () => {
    const l = lower(detection('d', '  condition: proc.name == "nc"'), { source });
    const d = l.program.detections[0]!;
    const bad = { text: 'FalcoContainerSecurity | where ProcessNam == "nc"', shape: 'x', skeleton: '', atoms: [], columns: [] };
    const ds = analyse(parserFunction(source), [d], [bad]);
    expect(ds).toEqual([
      {
        code: 'DET5101',
        severity: 'error',
        message: expect.stringMatching(/^detection d: the generated query: KS142 The name 'ProcessNam' does not refer to any known column/),
        span: d.span,
        hint: expect.stringContaining('compiler bug'),
      },
    ]);
  });

  it('says a query too deep for Kusto to parse (KS245) is the condition\'s size, not a compiler bug', () => {
    const terms = Array.from({ length: 500 }, (_, i) => `fd.lport != ${i}`).join(' and ');
    const l = lower(detection('d', `  condition: ${terms}`), { source });
    // over Sentinel's 10,000 characters (where Kusto's depth limit is met): the compile says so
    // (DET5003) and spends no time analysing a query it refuses
    const c = compileSentinel(l.program, source);
    expect(c.diagnostics.map((x) => x.code)).toEqual(['DET5003']);
    const ds = analyse(parserFunction(source), l.program.detections, [c.rules[0]!.query]);
    expect(ds).toEqual([expect.objectContaining({ message: expect.stringContaining('KS245'), hint: expect.stringContaining('not f in [') })]);
    expect(ds[0]!.hint).not.toContain('compiler bug');
  });

  it('reports a problem of the parser as DET5101 without a location, and then checks no query', () => {
    const l = lower(detection('d', '  condition: proc.name == "nc"'), { source });
    const good = parserFunction(source);
    const broken = { ...good, name: 'BrokenParser', body: good.body.replace('| where DeviceVendor ==', '| where DeviceVendr ==') };
    const ds = analyse(broken, l.program.detections, []);
    expect(ds).toEqual([
      {
        code: 'DET5101',
        severity: 'error',
        message: expect.stringMatching(/^the generated parser function BrokenParser: KS142 The name 'DeviceVendr'/),
        hint: expect.any(String),
      },
    ]);
  });

  it('analyses thousands of queries modularly, once per distinct skeleton and comparison', () => {
    const fields = ['proc.name', 'proc.cmdline', 'fd.name', 'container.name', 'user.name'];
    const ops = ['==', '!=', 'contains', 'startswith', 'endswith'];
    const texts: string[] = [];
    for (let i = 0; i < 300; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const a = `${fields[i % 5]} ${ops[Math.floor(i / 5) % 5]} "v${i}"`;
      const b = `${fields[(i + 2) % 5]} ${ops[(i + 3) % 5]} "w${i}" nocase`;
      const match = i % 3 === 0 ? `  condition: ${a} or ${b}\n  threshold: count >= ${2 + (i % 4)} by container.id within 10m` : `  condition: ${a} and not ${b}`;
      texts.push(detection(`d${i}`, `${match}\n  output: time, proc.cmdline`, id));
    }
    const l = lower(texts.join('\n'), { source });
    expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const c = compileSentinel(l.program, source);
    expect(c.diagnostics).toEqual([]);
    const { analyser } = analyserFor(c.parser);
    expect(analyser.stats.modular).toBe(true);
    expect(analyser.stats.shapes).toBeLessThan(150);
  });
});
