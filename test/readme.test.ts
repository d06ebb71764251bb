/**
 * The README documents the diagnostic codes, the validation rules, the parser's columns and the
 * folders of src/; these tests keep those tables (and a few figures) equal to the code, so the
 * documentation cannot drift.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackTable } from '../src/attack/table.js';
import { parserColumns } from '../src/backends/kql/parser.js';
import { catalog } from '../src/diagnostics/codes.js';
import { lowerProgram } from '../src/ir/lower.js';
import { builtinSource } from '../src/source/load.js';
import { parseFile } from '../src/syntax/parse.js';
import { printFile } from '../src/syntax/printer.js';
import { LOWERING_CHECKS, RULES } from '../src/validate/rules/index.js';
import { validateProgram } from '../src/validate/validate.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function tableRows(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

describe('README', () => {
  it('lists every diagnostic code of the catalog, with its severity and meaning', () => {
    const rows = tableRows('### Diagnostic codes');
    expect(rows).toEqual(catalog().map((c) => [c.code, c.severity, c.title]));
  });

  it('lists every validation rule and lowering check with its codes', () => {
    const rows = tableRows('### Validation rules');
    const expected = [
      ...RULES.map((r) => [r.name, r.codes.join(', '), `src/validate/rules/${r.name}.ts`]),
      ...LOWERING_CHECKS.map((c) => [c.name, c.codes.join(', '), `${c.where} (lowering)`]),
    ];
    expect(rows).toEqual(expected);
  });

  it('shows a DSL example that is canonically formatted, valid and has no warnings', () => {
    const start = readme.indexOf('# Netcat variants Falco knows about');
    const text = readme.slice(start, readme.indexOf('```', start));
    const parsed = parseFile(text, 'README.det');
    expect(parsed.diagnostics).toEqual([]);
    expect(printFile(parsed.ast)).toBe(text);
    const source = builtinSource();
    const benign = '{"rule":"Netcat Remote Code Execution in Container","output_fields":{"proc.name":"ls","container.id":"abc"}}\n';
    const lowered = lowerProgram([parsed.ast], source, (path) => (path.endsWith('events/benign.ndjson') ? benign : undefined));
    expect(lowered.diagnostics).toEqual([]);
    expect(validateProgram(lowered.program, source, [parsed.ast])).toEqual([]);
  });

  it('lists every folder of src/ in the folder table', () => {
    const rows = tableRows('## How it works');
    const folders = readdirSync(new URL('../src/', import.meta.url), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `src/${e.name}`)
      .sort();
    expect(rows.flatMap((r) => [...r[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1])).sort()).toEqual(folders);
  });

  it('gives the parser columns as the Sentinel backend writes them', () => {
    const rows = tableRows('### Columns of `FalcoContainerSecurity`');
    const expected = parserColumns(builtinSource()).map((c) => [
      `\`${c.name}\``,
      c.type,
      c.field === undefined ? '—' : `\`${c.field}\``,
      c.description,
    ]);
    expect(rows).toEqual(expected);
  });

  it('quotes the current number of source fields and of ATT&CK tactics and techniques', () => {
    expect(readme).toContain(`- **Fields**: ${builtinSource().fields.length}: the alert keys`);
    const attack = attackTable();
    expect(readme.replace(/\s+/g, ' ')).toContain(
      `(ATT&CK ${attack.version}: ${attack.tactics.length} tactics, ${attack.techniques.length} techniques, ${attack.subtechniques.length} sub-techniques)`,
    );
  });

  it('gives the two-command quick start', () => {
    expect(readme).toContain('npm install && npx detect compile detections/ --target all\nnpm test\n');
  });
});

describe('README on the falcosidekick profile', () => {
  it('names every pair of declared output fields that clash under dynamic mapping', () => {
    const start = readme.indexOf('- Which Falcosidekick profile:');
    const text = readme.slice(start, readme.indexOf('\n\n', start)).replace(/\s+/g, ' ');
    const keys = builtinSource().fields.flatMap((f) => (f.location.in === 'output_fields' ? [f.location.key] : []));
    const missing: string[] = [];
    for (const a of keys) {
      for (const b of keys) {
        if (!b.startsWith(`${a}.`)) continue;
        const rest = `\`${b.slice(a.length)}\``;
        if (!text.includes(`\`${a}\``) || !(text.includes(`\`${b}\``) || text.includes(rest))) missing.push(`${a} / ${b}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('README on what Falcosidekick changes', () => {
  it('says that Falcosidekick fills in `source` (syscalls), which test events without one do not show', () => {
    const start = readme.indexOf('Events are Falco alerts as Falco writes');
    const text = readme.slice(start, readme.indexOf('\n\n', start)).replace(/\s+/g, ' ');
    expect(text).toContain('writes `source` `"syscalls"` into an alert without one');
    expect(builtinSource().fields.find((f) => f.name === 'source')!.description).toContain('Falcosidekick writes syscalls');
  });
});
