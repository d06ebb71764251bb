import { describe, expect, it } from 'vitest';
import { parserColumns, parserFunction } from '../../../src/backends/kql/parser.js';
import { KustoAnalyser } from '../../../src/kusto/analyser.js';
import { sentinelTables } from '../../../src/kusto/tables.js';
import { builtinSource } from '../../../src/source/load.js';
import type { SourceDefinition } from '../../../src/source/types.js';

const source = builtinSource();
const variant = (changes: Partial<SourceDefinition>): SourceDefinition => ({ ...source, ...changes });

function analyse(s: SourceDefinition) {
  const p = parserFunction(s);
  return { parser: p, result: new KustoAnalyser(sentinelTables()).declareFunction(p.name, p.body) };
}

/** The JSON types a string column does not take (parse_json's datetime and guid are strings in JSON). */
const NON_STRING = '("long", "int", "real", "decimal", "bool", "array", "dictionary")';

describe('parser columns', () => {
  const columns = parserColumns(source);

  it('give every source field one column, typed for its field type, plus Severity, Tactics, Techniques, IngestionRoute', () => {
    for (const f of source.fields) expect(columns.filter((c) => c.field === f.name).map((c) => c.name), f.name).toEqual([f.column]);
    const type = (name: string) => columns.find((c) => c.name === name)?.type;
    expect([type('TimeGenerated'), type('ProcessId'), type('ContainerPrivileged'), type('Tags'), type('ProcessCommandLine')]).toEqual(['datetime', 'real', 'bool', 'dynamic', 'string']);
    expect(columns.filter((c) => c.field === undefined).map((c) => `${c.name}:${c.type}`)).toEqual(['Severity:long', 'Tactics:dynamic', 'Techniques:dynamic', 'IngestionRoute:string']);
    expect(new Set(columns.map((c) => c.name)).size).toBe(columns.length);
  });

  it('start with time, rule, priority, severity, output, host and cluster', () => {
    expect(columns.slice(0, 7).map((c) => c.name)).toEqual(['TimeGenerated', 'Rule', 'Priority', 'Severity', 'Output', 'HostName', 'ClusterName']);
  });
});

describe('the parser function', () => {
  it('passes Kusto.Language against the Sentinel tables, with exactly the documented columns and types', () => {
    const { parser, result } = analyse(source);
    expect(parser.name).toBe('FalcoContainerSecurity');
    expect(result.problems).toEqual([]);
    expect(result.columns).toEqual(parser.columns.map((c) => ({ name: c.name, type: c.type })));
  });

  it('reads both routes by default (union of CommonSecurityLog and Syslog), or only the configured one', () => {
    const both = parserFunction(source).body;
    expect(both).toContain('union _FalcoCef, _FalcoJson');
    expect(both).toContain('CommonSecurityLog\n| where DeviceVendor == "Falcosecurity" and DeviceProduct == "Falco"');
    expect(both).toContain('Syslog\n| where ProcessName == "Falco"');
    for (const [routes, present, absent] of [
      [['cef'], 'CommonSecurityLog', 'Syslog'],
      [['json'], 'Syslog', 'CommonSecurityLog'],
    ] as const) {
      const { parser, result } = analyse(variant({ sentinel: { functionName: 'FalcoContainerSecurity', routes } }));
      expect(result.problems).toEqual([]);
      expect(parser.body).toContain(present);
      expect(parser.body).not.toContain(absent);
      expect(parser.body).not.toContain('union');
    }
  });

  it('cuts CEF outputfields at declared field names followed by a colon, never at spaces', () => {
    const body = parserFunction(source).body;
    const anchors = /replace_regex\(_FieldsText, @" \(([^)]*)\):"/.exec(body)?.[1];
    expect(anchors).toBeDefined();
    const names = anchors!.split('|').map((n) => n.replace(/\\(.)/g, '$1'));
    const declared = source.fields.filter((f) => f.location.in === 'output_fields').map((f) => f.name);
    expect(names).toEqual([...declared, 'cluster']);
    expect(anchors).toContain(String.raw`proc\.aname\[2\]`);
    expect(body).toContain('!= "<nil>"');
  });

  it('normalises earlier rule names to the current one', () => {
    const body = parserFunction(source).body;
    expect(body).toContain('Rule = case(_Rule in ("The docker client is executed in a container"), "Kubernetes Client Tool Launched in Container", _Rule)');
    expect(parserFunction(variant({ ruleAliases: {} })).body).toContain('    Rule = _Rule,');
  });

  it('recognises the cluster as configured: custom field, host-name pattern, both, or neither', () => {
    const pattern = source.cluster.hostnamePattern as string;
    const cluster = (c: SourceDefinition['cluster']) => /\n {4}ClusterName = (.*),\n/.exec(parserFunction(variant({ cluster: c })).body)?.[1];
    const re2 = pattern.replace('.', String.raw`[^\n\r\x{2028}\x{2029}]`);
    const text = (raw: string) => `iff(IngestionRoute == "cef" or gettype(${raw}) !in ${NON_STRING}, tostring(${raw}), "")`;
    expect(cluster(source.cluster)).toBe(`coalesce(${text('_OutputFields["cluster"]')}, extract(@"${re2}", 1, ${text('_Alert["hostname"]')}))`);
    expect(cluster({ customField: 'k8s_cluster' })).toBe(text('_OutputFields["k8s_cluster"]'));
    expect(cluster({ hostnamePattern: '^([a-z]+)$' })).toBe(`extract("^([a-z]+)$", 1, ${text('_Alert["hostname"]')})`);
    expect(cluster({})).toBe('""');
    expect(analyse(variant({ cluster: {} })).result.problems).toEqual([]);
  });

  it('reads string, number and boolean fields only from JSON strings, numbers and booleans on the JSON route (the evaluator compares JSON types), from text on the CEF route', () => {
    const expr = (s: SourceDefinition, column: string) => new RegExp(`\\n {4}${column} = (.*),\\n`).exec(parserFunction(s).body)?.[1];
    const port = '_OutputFields["fd.rport"]';
    const priv = '_OutputFields["container.privileged"]';
    const numeric = `gettype(${port}) in ("long", "int", "real", "decimal")`;
    const labels = '_OutputFields["k8s.pod.labels"]';
    // a list or a number in a string field is no string: tostring would give its JSON text, which `contains` would match
    // (parse_json reads a string that looks like a date or a GUID as a datetime or guid: only the other JSON types are excluded)
    expect(expr(source, 'KubernetesPodLabels')).toBe(`iff(IngestionRoute == "cef" or gettype(${labels}) !in ${NON_STRING}, tostring(${labels}), "")`);
    // both routes: "3335" in a JSON alert is no number, while CEF carries every number as text
    expect(expr(source, 'RemotePort')).toBe(`iff(IngestionRoute == "cef" or ${numeric}, todouble(${port}), real(null))`);
    expect(expr(source, 'ContainerPrivileged')).toBe(`iff(IngestionRoute == "cef" or gettype(${priv}) == "bool", tobool(${priv}), bool(null))`);
    const json = variant({ sentinel: { functionName: 'FalcoContainerSecurity', routes: ['json'] } });
    expect(expr(json, 'RemotePort')).toBe(`iff(${numeric}, todouble(${port}), real(null))`);
    expect(expr(json, 'ContainerPrivileged')).toBe(`iff(gettype(${priv}) == "bool", tobool(${priv}), bool(null))`);
    expect(expr(json, 'KubernetesPodLabels')).toBe(`iff(gettype(${labels}) !in ${NON_STRING}, tostring(${labels}), "")`);
    const cef = variant({ sentinel: { functionName: 'FalcoContainerSecurity', routes: ['cef'] } });
    expect(expr(cef, 'RemotePort')).toBe(`todouble(${port})`);
    expect(expr(cef, 'ContainerPrivileged')).toBe(`tobool(${priv})`);
    expect(expr(cef, 'KubernetesPodLabels')).toBe(`tostring(${labels})`);
    // every string, number and boolean column read from the alert, not only these three
    for (const f of source.fields.filter((x) => ['string', 'number', 'boolean'].includes(x.type) && !['rule', 'priority'].includes(x.name) && x.location.in !== 'derived')) {
      for (const s of [source, json]) expect(expr(s, f.column), f.name).toMatch(/^iff\(/);
      expect(expr(cef, f.column), f.name).toMatch(/^to(?:double|bool|string)\(/);
    }
    for (const s of [json, cef]) expect(analyse(s).result.problems).toEqual([]);
  });

  it('runs the host-name pattern with its JavaScript meaning (the evaluator\'s): translated like regex conditions, or a problem', () => {
    const cluster = (hostnamePattern: string) => /\n {4}ClusterName = (.*),\n/.exec(parserFunction(variant({ cluster: { hostnamePattern } })).body)?.[1];
    // `.` is not `\r` nor U+2028 in JavaScript, `\s` is Unicode white space, `\S` its negation; a named group stays group 1
    expect(cluster(String.raw`^(?<c>.+)\s\S$`)).toBe(String.raw`extract(@"^([^\n\r\x{2028}\x{2029}]+)[\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}][^\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]$", 1, iff(IngestionRoute == "cef" or gettype(_Alert["hostname"]) !in ("long", "int", "real", "decimal", "bool", "array", "dictionary"), tostring(_Alert["hostname"]), ""))`);
    expect(analyse(variant({ cluster: { hostnamePattern: String.raw`^(?<c>.+)\s\S$` } })).result.problems).toEqual([]);
    const refused = parserFunction(variant({ cluster: { hostnamePattern: String.raw`^(\p{L}+)$` } }));
    expect(refused.problems).toEqual([expect.stringMatching(/^its cluster host-name pattern "\^\(\\\\p\{L\}\+\)\$" has no exact KQL equivalent: Unicode property classes/)]);
    expect(refused.body).not.toContain('p{L}');
  });

  it('maps priorities to the CEF severity and back, and tags to Sentinel tactics', () => {
    const body = parserFunction(source).body;
    expect(body).toContain('LogSeverity == "6", "Warning"');
    expect(body).toContain('_Priority == "Warning", 6');
    expect(body).toContain('iff(set_has_element(_Tags, "mitre_defense_evasion"), "DefenseEvasion", "")');
    expect(body).toContain('iff(set_has_element(_Tags, "mitre_command_and_control"), "CommandAndControl", "")');
  });

  it('reports a source column that clashes with a column the parser adds', () => {
    const fields = source.fields.map((f) => (f.name === 'proc.pid' ? { ...f, column: 'Severity' } : f));
    expect(parserFunction(variant({ fields })).problems).toEqual([
      "the source's field `proc.pid` uses the column name Severity, which the Sentinel parser reserves",
    ]);
  });
});
