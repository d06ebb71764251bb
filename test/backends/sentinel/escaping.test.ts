/**
 * Values that could break out of a KQL string literal, an ARM string or a YAML scalar compile
 * to artifacts that read back with the value unchanged: Kusto.Language parses every query with
 * each literal's value intact (read from the syntax tree), and the JSON and YAML parse back to
 * the same titles and descriptions.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSentinel, sentinelFiles } from '../../../src/backends/sentinel/index.js';
import { stringLiteralValues } from '../../../src/kusto/analyser.js';
import { builtinSource } from '../../../src/source/load.js';
import { detection, lower } from '../../helpers/det.js';

const source = builtinSource();

const VALUES = [
  'say "hi"', "it's", 'C:\\temp\\x', 'end\\', '\\"', 'two\nlines', 'cr\r\nlf', 'tab\there', 'a | take 1', '// comment', '/* c */',
  'where', 'and', 'or', 'not', 'project', 'let x = 1;', '" or true or "', "' or 1 == 1 //", '@"x"', 'h"y"', 'ünïcödé 😀', '\u0000nul', '\u2028',
];

describe('string values in conditions', () => {
  const texts = VALUES.map((v, i) =>
    detection(
      `d${i}`,
      `  condition: proc.cmdline contains ${JSON.stringify(v)} or proc.name == ${JSON.stringify(v)} nocase or fd.name in [${JSON.stringify(v)}, "x"] or proc.pname regex ${JSON.stringify(v.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))}`,
      `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    ),
  );
  const l = lower(texts.join('\n'), { source });
  const c = compileSentinel(l.program, source);

  it('compile, and pass Kusto.Language', () => {
    expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(c.diagnostics).toEqual([]);
  });

  it('keep their value in every literal, as Kusto reads it', () => {
    for (const [i, v] of VALUES.entries()) {
      const values = stringLiteralValues(c.rules.find((r) => r.detection.name === `d${i}`)!.query.text);
      const pattern = v.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
      expect(values.slice(0, 4), JSON.stringify(v)).toEqual([v, v, v, 'x']);
      // the pattern is rewritten for KQL (`.` → a class, `\/` → `/`), but what is escaped stays escaped
      expect(values[4]).toBe(pattern);
    }
  });
});

describe('titles and descriptions', () => {
  const nasty = '[x] "q" \'s\' \\ {{Col}} $(y) #z\n- item\n: colon';
  const text = detection('t', '  condition: proc.name == "nc"\n  entities { process: proc.cmdline }')
    .replace('title: "T"', `title: ${JSON.stringify(nasty.split('\n')[0])}`)
    .replace('description: "D"', `description: ${JSON.stringify(nasty)}`);
  const l = lower(text, { source });
  const c = compileSentinel(l.program, source);
  const files = new Map(sentinelFiles(c, source).map((f) => [f.path, f.content]));

  it('read back unchanged from the YAML and (ARM-escaped) from the JSON', () => {
    expect(c.diagnostics).toEqual([]);
    const y = parse(files.get('sentinel/analytics/t.yaml')!) as { name: string; description: string };
    expect(y.name).toBe(nasty.split('\n')[0]);
    expect(y.description).toBe(nasty);
    const j = JSON.parse(files.get('sentinel/analytics/t.json')!) as { resources: { properties: { displayName: string; description: string; alertDetailsOverride: { alertDisplayNameFormat: string } } }[] };
    // They begin with `[` but do not end with `]`: literal for ARM as they are.
    expect(j.resources[0]!.properties.displayName).toBe(nasty.split('\n')[0]);
    expect(j.resources[0]!.properties.description).toBe(nasty);
    expect(j.resources[0]!.properties.alertDetailsOverride.alertDisplayNameFormat).toBe('[x] "q" \'s\' \\ {Col} $(y) #z: {{ProcessCommandLine}}');
  });

  it('stay on one line in the .kql comment header', () => {
    const kql = files.get('sentinel/analytics/t.kql')!;
    expect(kql.split('\n')[0]).toBe(`// ${nasty.split('\n')[0]}`);
    expect(kql.split('\n')[2]).toBe('FalcoContainerSecurity');
  });
});
