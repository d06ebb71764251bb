import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadSourceFile, parseSource } from '../../src/source/load.js';
import { captureGroupCount, checkHostnamePattern, regexProblem } from '../../src/source/pattern.js';

const dir = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'test/.tmp/source-files');

const VALID = `name: custom
description: A small override.
sentinel:
  functionName: MyFalco
  routes: [json]
cluster:
  customField: kube_cluster
  hostnamePattern: '^node-([a-z]+)-\\d+$'
ruleAliases:
  New Rule:
    - Old Rule
elastic:
  defaultProfile: sidekick
  profiles:
    sidekick:
      description: Falcosidekick.
      index: [falco-*]
      timestampField: '@timestamp'
      derive: {alertPrefix: '', outputFieldsPrefix: 'output_fields.', keywordSubfield: keyword}
    ecs:
      description: ECS.
      index: [logs-*]
      timestampField: '@timestamp'
fields:
  - name: time
    type: timestamp
    in: alert
    column: TimeGenerated
    description: Event time.
  - name: proc.cmdline
    type: string
    in: output_fields
    column: ProcessCommandLine
    description: Command line.
    elastic:
      ecs: {path: process.command_line, type: text}
  - name: cluster
    type: string
    in: derived
    column: ClusterName
    description: Cluster.
  - name: count
    type: number
    in: output_fields
    key: evt.count
    column: EventCount
    description: A renamed key.
    elastic:
      sidekick: false
`;

/** Applies a text replacement to VALID and parses it (the replacement must apply). */
function parseWith(from: string, to: string): Diagnostic[] {
  expect(VALID).toContain(from);
  return parseSource(VALID.replace(from, () => to), 'x.source.yaml').diagnostics;
}

function only(diagnostics: Diagnostic[]): Diagnostic {
  expect(diagnostics.map((d) => d.message)).toHaveLength(1);
  return diagnostics[0]!;
}

/** 1-based line of the first line of VALID containing `needle` (after replacement if given). */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

beforeAll(() => mkdirSync(dir, { recursive: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadSourceFile', () => {
  it('loads a valid override into a frozen definition with sorted fields', () => {
    const path = join(dir, 'ok.source.yaml');
    writeFileSync(path, VALID);
    const { source, diagnostics } = loadSourceFile(path);
    expect(diagnostics).toEqual([]);
    expect(source!.fields.map((f) => f.name)).toEqual(['cluster', 'count', 'proc.cmdline', 'time']);
    expect(source!.fields.find((f) => f.name === 'count')!.location).toEqual({ in: 'output_fields', key: 'evt.count' });
    expect(source!.cluster).toEqual({ customField: 'kube_cluster', hostnamePattern: '^node-([a-z]+)-\\d+$' });
    expect(source!.ruleAliases).toEqual({ 'New Rule': ['Old Rule'] });
    expect(source!.sentinel).toEqual({ functionName: 'MyFalco', routes: ['json'] });
    expect(source!.elastic.profiles.sidekick!.fields).toEqual({
      'proc.cmdline': { path: 'output_fields.proc.cmdline', type: 'text', keyword: 'keyword' },
      time: { path: 'time', type: 'date' },
    });
    expect(source!.elastic.profiles.ecs!.fields).toEqual({ 'proc.cmdline': { path: 'process.command_line', type: 'text' } });
    expect(Object.isFrozen(source!.elastic.profiles.ecs!.fields['proc.cmdline'])).toBe(true);
  });

  it('reports an unreadable file as DET6005 with the path', () => {
    const { source, diagnostics } = loadSourceFile(join(dir, 'missing.source.yaml'));
    expect(source).toBeUndefined();
    const d = only(diagnostics);
    expect(d.code).toBe('DET6005');
    expect(d.span!.file).toBe(join(dir, 'missing.source.yaml'));
    expect(d.hint).toBeTruthy();
  });

  it('reports invalid UTF-8', () => {
    const path = join(dir, 'latin1.source.yaml');
    writeFileSync(path, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const d = only(loadSourceFile(path).diagnostics);
    expect(d.code).toBe('DET7001');
    expect(d.message).toMatch(/UTF-8/);
  });
});

describe('parseSource diagnostics (DET7001 at the YAML position, with a hint)', () => {
  it('YAML syntax errors', () => {
    const diagnostics = parseWith('  routes: [json]', '  routes: [json');
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      expect(d.code).toBe('DET7001');
      expect(d.message).toMatch(/^YAML syntax/);
      expect(d.span!.file).toBe('x.source.yaml');
      expect(d.hint).toBeTruthy();
    }
  });

  it('duplicate YAML keys', () => {
    const d = parseWith('name: custom\n', 'name: custom\nname: again\n')[0]!;
    expect(d.message).toMatch(/YAML syntax/);
    expect(d.span!.start.line).toBe(2);
  });

  it('an alias without an anchor is DET7001 at the alias, not a crash', () => {
    const d = only(parseSource('a: &a [1]\nc: *zz\n', 'x.source.yaml').diagnostics);
    expect(d.code).toBe('DET7001');
    expect(d.message).toBe('YAML alias `*zz` refers to no anchor `&zz` before it');
    expect(d.span!.start).toMatchObject({ line: 2, column: 4 });
    expect(d.hint).toBeTruthy();
  });

  it('aliases that expand too much (billion laughs) are DET7001, not a crash', () => {
    const row = (alias: string): string => `[${Array(9).fill(alias).join(', ')}]`;
    const text = `a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b ${row('*a')}\nc: &c ${row('*b')}\nd: &d ${row('*c')}\ne: ${row('*d')}\n`;
    const d = only(parseSource(text, 'x.source.yaml').diagnostics);
    expect(d.code).toBe('DET7001');
    expect(d.message).toMatch(/^YAML aliases: Excessive alias count/);
    expect(d.span!.start).toMatchObject({ line: 2, column: 8 });
  });

  it('an empty file', () => {
    const d = only(parseSource('', 'empty.source.yaml').diagnostics);
    expect(d.message).toMatch(/the file: must be a mapping/);
  });

  it('a missing property points at the object that lacks it', () => {
    const text = VALID.replace('    column: ProcessCommandLine\n', '');
    const d = only(parseSource(text, 'x.source.yaml').diagnostics);
    expect(d.message).toBe('fields[1]: missing required property "column"');
    expect(d.span!.start.line).toBe(lineOf(text, 'name: proc.cmdline'));
    expect(d.hint).toContain('column');
  });

  it('an unknown property points at its key and lists the allowed ones', () => {
    const text = VALID.replace('    in: derived\n', '    in: derived\n    colour: red\n');
    const d = only(parseSource(text, 'x.source.yaml').diagnostics);
    expect(d.message).toBe('fields[2]: unknown property "colour"');
    expect(d.span!.start).toMatchObject({ line: lineOf(text, 'colour'), column: 5 });
    expect(d.span!.end.column).toBe(11);
    expect(d.hint).toContain('column, description');
  });

  it('a value outside an enumeration', () => {
    const text = VALID.replace('type: timestamp', 'type: datetime');
    const d = only(parseSource(text, 'x.source.yaml').diagnostics);
    expect(d.message).toBe('fields[0].type: "datetime" is not allowed');
    expect(d.hint).toBe('use one of: string, number, boolean, string[], timestamp');
    expect(d.span!.start).toMatchObject({ line: lineOf(text, 'datetime'), column: 11 });
  });

  it('a column that is not PascalCase', () => {
    const d = only(parseWith('column: EventCount', 'column: event_count'));
    expect(d.message).toBe('fields[3].column: "event_count" is not valid');
    expect(d.hint).toMatch(/PascalCase/);
  });

  it('a wrong type', () => {
    const d = only(parseWith('  routes: [json]', '  routes: json'));
    expect(d.message).toBe('sentinel.routes: must be a list');
  });

  it('an Elastic mapping that is neither false nor a mapping', () => {
    const d = only(parseWith('      sidekick: false', '      sidekick: true'));
    expect(d.message).toBe('fields[3].elastic.sidekick: must be false or a mapping');
  });

  it('an invalid profile name points at the key', () => {
    const text = VALID.replace('    ecs:\n', '    ECS_Profile:\n').replace('      ecs: {path', '      ECS_Profile: {path');
    const diagnostics = parseSource(text, 'x.source.yaml').diagnostics;
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]!.message).toMatch(/"ECS_Profile" is not a valid name here/);
    expect(diagnostics[0]!.span!.start.line).toBe(lineOf(text, '    ECS_Profile:'));
  });

  it('a field declared twice', () => {
    const d = only(parseWith('  - name: count\n', '  - name: time\n'));
    expect(d.message).toBe('field "time" is declared twice (first as fields[0])');
    expect(d.span!.start.line).toBe(VALID.split('\n').findIndex((l) => l === '  - name: count') + 1);
  });

  it('a column used twice (case-insensitively)', () => {
    const d = only(parseWith('column: EventCount', 'column: Processcommandline'));
    expect(d.message).toMatch(/column "Processcommandline" is already used by field "proc.cmdline"/);
  });

  it('two fields reading the same key', () => {
    const d = only(parseWith('key: evt.count', 'key: proc.cmdline'));
    expect(d.message).toMatch(/read the same output_fields key "proc.cmdline"/);
  });

  it('a derived field other than cluster', () => {
    const d = only(parseWith('    in: output_fields\n    key: evt.count\n', '    in: derived\n'));
    expect(d.message).toMatch(/"count" cannot be derived/);
  });

  it('a host name pattern without exactly one group, or not KQL-compatible', () => {
    expect(only(parseWith("'^node-([a-z]+)-\\d+$'", "'^node-[a-z]+$'")).message).toMatch(/exactly one capture group.*has 0/);
    expect(only(parseWith("'^node-([a-z]+)-\\d+$'", "'^(node)-([a-z]+)$'")).message).toMatch(/has 2/);
    expect(only(parseWith("'^node-([a-z]+)-\\d+$'", "'^node-(?=x)([a-z]+)$'")).message).toMatch(/look-around/);
    expect(only(parseWith("'^node-([a-z]+)-\\d+$'", "'^node-([a-z]+'")).message).toMatch(/not a valid regular expression/);
    // YAML double quotes read \b as a backspace: refused, not a silent never-matching pattern
    expect(only(parseWith("'^node-([a-z]+)-\\d+$'", '"^node-([a-z]+)\\b"')).message).toMatch(/holds a backspace character \(U\+0008\)/);
    // in single quotes \b is a word boundary, which KQL's documented syntax reads as Unicode
    expect(only(parseWith("'^node-([a-z]+)-\\d+$'", "'^node-([a-z]+)\\b'")).message).toMatch(/no exact KQL equivalent for the Sentinel parser: `\\b` is a word boundary/);
  });

  it('a host name pattern the Sentinel parser cannot run with its JavaScript meaning, at the pattern', () => {
    for (const [pattern, reason] of [
      ["'^node-(\\p{L}+)$'", /no exact KQL equivalent for the Sentinel parser: Unicode property classes/],
      ["'^node-([\\S]+)$'", /no exact KQL equivalent for the Sentinel parser: `\\S` inside a character class/],
      ["'^node-(\\cA+)$'", /no exact KQL equivalent for the Sentinel parser: control escapes/],
    ] as const) {
      const d = only(parseWith("'^node-([a-z]+)-\\d+$'", pattern));
      expect(d.code).toBe('DET7001');
      expect(d.message).toMatch(reason);
      expect(d.span!.start.line).toBe(lineOf(VALID, '  hostnamePattern:'));
    }
    // what the translation rewrites is fine: ., \s, \S, \d, \w, named groups
    expect(parseWith("'^node-([a-z]+)-\\d+$'", "'^node-(?<c>.+?)\\s*\\S\\d\\w$'")).toEqual([]);
  });

  it('references to undefined profiles', () => {
    expect(only(parseWith('defaultProfile: sidekick', 'defaultProfile: nope')).message).toMatch(/default Elastic profile "nope"/);
    const d = only(parseWith('      ecs: {path', '      kibana: {path'));
    expect(d.message).toBe('unknown Elastic profile "kibana"');
    expect(d.hint).toBe('use one of: sidekick, ecs');
  });

  it('mapping types that do not fit the field type', () => {
    expect(only(parseWith('ecs: {path: process.command_line, type: text}', 'ecs: {path: process.command_line, type: long}')).message).toBe(
      'a string field cannot be mapped as Elastic type long',
    );
    expect(
      only(parseWith('ecs: {path: process.command_line, type: text}', 'ecs: {path: process.command_line, type: keyword, keyword: raw}')).message,
    ).toMatch(/keyword sub-field only exists on text/);
  });

  it('the wildcard mapping type: for string fields, without a keyword sub-field', () => {
    const wildcard = 'ecs: {path: process.command_line, type: wildcard}';
    expect(parseWith('ecs: {path: process.command_line, type: text}', wildcard)).toEqual([]);
    const parsed = parseSource(VALID.replace('ecs: {path: process.command_line, type: text}', wildcard), 'x.source.yaml');
    expect(parsed.source!.elastic.profiles['ecs']!.fields['proc.cmdline']).toEqual({ path: 'process.command_line', type: 'wildcard' });
    const onNumber = only(parseWith('      sidekick: false\n', '      sidekick: false\n      ecs: {path: event.count, type: wildcard}\n'));
    expect(onNumber.message).toBe('a number field cannot be mapped as Elastic type wildcard');
    expect(onNumber.hint).toBe('use one of: long, keyword');
    expect(only(parseWith('ecs: {path: process.command_line, type: text}', 'ecs: {path: process.command_line, type: wildcard, keyword: raw}')).message).toBe(
      'a keyword sub-field only exists on text mappings, not on wildcard',
    );
  });

  it('rule aliases that collide', () => {
    expect(only(parseWith('    - Old Rule', '    - New Rule')).message).toMatch(/also a current rule name/);
    expect(only(parseWith('    - Old Rule', '    - Old Rule\n  Newer Rule:\n    - Old Rule')).message).toMatch(/already an earlier name of "New Rule"/);
  });

  it('reports every schema problem at once', () => {
    const text = VALID.replace('type: timestamp', 'type: datetime').replace('column: EventCount', 'column: x');
    expect(parseSource(text, 'x.source.yaml').diagnostics.map((d) => d.message)).toEqual([
      'fields[0].type: "datetime" is not allowed',
      'fields[3].column: "x" is not valid',
    ]);
  });
});

describe('regular expression checks', () => {
  it('accepts RE2-compatible patterns and counts groups', () => {
    expect(regexProblem('^gke-(.+?)-(?:default-pool|[a-z0-9]+)$')).toBeUndefined();
    expect(regexProblem('[(?=]\\(?=')).toBeUndefined();
    expect(captureGroupCount('(a)(?:b)(?<n>c)')).toBe(2);
    expect(checkHostnamePattern('^x-(.*)$')).toBeUndefined();
  });

  it('rejects back-references and look-behind', () => {
    expect(regexProblem('(a)\\1')).toMatch(/back-references/);
    expect(regexProblem('(?<n>a)\\k<n>')).toMatch(/named back-references/);
    expect(regexProblem('(?<=a)b')).toMatch(/look-around/);
    expect(regexProblem('(?<!a)b')).toMatch(/look-around/);
    expect(regexProblem('a(?!b)')).toMatch(/look-around/);
  });
});

describe('parseSource: messages for small mistakes', () => {
  it('names the source name rule, empty lists and duplicates', () => {
    const d = only(parseWith('name: custom', 'name: Custom'));
    expect(d.message).toBe('name: "Custom" is not valid');
    expect(d.hint).toMatch(/source name/);
    expect(only(parseWith('  routes: [json]', '  routes: []')).message).toBe('sentinel.routes: must not be empty');
    expect(only(parseWith('  routes: [json]', '  routes: [json, json]')).message).toBe('sentinel.routes: lists the same item twice');
    expect(only(parseWith('description: A small override.', "description: ''")).message).toBe('description: must not be an empty string');
  });

  it('keeps spans inside the text for errors at the end of the file', () => {
    const text = 'name: x\nfields: [\n';
    for (const d of parseSource(text, 'f.source.yaml').diagnostics) {
      expect(d.span!.end.offset).toBeLessThanOrEqual(text.length);
      expect(d.span!.start.offset).toBeLessThanOrEqual(d.span!.end.offset);
    }
  });
});

describe('names from the source file', () => {
  it('are keys like any other, never inherited properties: fields named constructor, toString or __proto__', () => {
    const extra = ['constructor', 'toString', '__proto__']
      .map((name, i) => `  - name: ${name}\n    type: string\n    in: output_fields\n    column: Odd${i}\n    description: An odd name.\n`)
      .join('');
    const parsed = parseSource(VALID.replace('fields:\n', () => `fields:\n${extra}`), 'x.source.yaml');
    expect(parsed.diagnostics).toEqual([]);
    const fields = parsed.source!.elastic.profiles['sidekick']!.fields;
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(Object.hasOwn(fields, name), name).toBe(true);
      expect(fields[name], name).toEqual({ path: `output_fields.${name}`, type: 'text', keyword: 'keyword' });
    }
    // and a name the source does not map is absent, not Object.prototype's
    expect(parsed.source!.elastic.profiles['ecs']!.fields['constructor']).toBeUndefined();
    expect(parsed.source!.elastic.profiles['ecs']!.fields['hasOwnProperty']).toBeUndefined();
  });
});
