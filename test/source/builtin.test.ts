import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BUILTIN_SOURCE_URL, builtinSource, parseSource } from '../../src/source/load.js';
import type { SourceField } from '../../src/source/types.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function byName(name: string): SourceField {
  const f = builtinSource().fields.find((x) => x.name === name);
  if (!f) throw new Error(`missing field ${name}`);
  return f;
}

describe('builtinSource', () => {
  it('loads the YAML beside the module, valid and without diagnostics', () => {
    expect(fileURLToPath(BUILTIN_SOURCE_URL)).toBe(join(repo, 'src/source/falco.source.yaml'));
    const text = readFileSync(BUILTIN_SOURCE_URL, 'utf8');
    expect(parseSource(text, 'falco.source.yaml').diagnostics).toEqual([]);
    const s = builtinSource();
    expect(s.name).toBe('falco');
    expect(s.fields.length).toBeGreaterThan(60);
  });

  it('is cached and deep-frozen', () => {
    const s = builtinSource();
    expect(builtinSource()).toBe(s);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.fields)).toBe(true);
    expect(Object.isFrozen(s.fields[0]!.location)).toBe(true);
    expect(Object.isFrozen(s.elastic.profiles.falcosidekick!.fields)).toBe(true);
    expect(() => (s.fields as SourceField[]).push(s.fields[0]!)).toThrow(TypeError);
  });

  it('sorts fields by name (code points) and keeps names and columns unique', () => {
    const names = builtinSource().fields.map((f) => f.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(names).size).toBe(names.length);
    const columns = builtinSource().fields.map((f) => f.column.toLowerCase());
    expect(new Set(columns).size).toBe(columns.length);
    for (const f of builtinSource().fields) expect(f.column).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  });

  it('declares the top-level alert keys with their types and columns', () => {
    const expected: [string, string, string][] = [
      ['rule', 'string', 'Rule'],
      ['priority', 'string', 'Priority'],
      ['time', 'timestamp', 'TimeGenerated'],
      ['hostname', 'string', 'HostName'],
      ['source', 'string', 'Source'],
      ['tags', 'string[]', 'Tags'],
      ['output', 'string', 'Output'],
      ['uuid', 'string', 'AlertUuid'],
    ];
    for (const [name, type, column] of expected) {
      const f = byName(name);
      expect({ name, type: f.type, column: f.column, location: f.location }).toEqual({
        name,
        type,
        column,
        location: { in: 'alert', key: name },
      });
    }
  });

  it('declares output fields as flat output_fields keys with their types', () => {
    const expected: [string, string, string][] = [
      ['proc.cmdline', 'string', 'ProcessCommandLine'],
      ['proc.name', 'string', 'ProcessName'],
      ['proc.exepath', 'string', 'ProcessExePath'],
      ['proc.pname', 'string', 'ParentProcessName'],
      ['proc.pcmdline', 'string', 'ParentProcessCommandLine'],
      ['proc.aname[2]', 'string', 'ProcessAncestor2Name'],
      ['proc.aname[3]', 'string', 'ProcessAncestor3Name'],
      ['proc.aname[4]', 'string', 'ProcessAncestor4Name'],
      ['proc.tty', 'number', 'ProcessTty'],
      ['fd.name', 'string', 'FileDescriptorName'],
      ['fd.directory', 'string', 'FileDirectory'],
      ['fd.filename', 'string', 'FileName'],
      ['evt.type', 'string', 'EventType'],
      ['evt.arg.name', 'string', 'EventArgName'],
      ['evt.arg.path', 'string', 'EventArgPath'],
      ['evt.arg.oldpath', 'string', 'EventArgOldPath'],
      ['evt.res', 'string', 'EventResult'],
      ['evt.failed', 'boolean', 'EventFailed'],
      ['container.id', 'string', 'ContainerId'],
      ['container.name', 'string', 'ContainerName'],
      ['container.image', 'string', 'ContainerImage'],
      ['container.image.repository', 'string', 'ContainerImageRepository'],
      ['container.image.tag', 'string', 'ContainerImageTag'],
      ['container.privileged', 'boolean', 'ContainerPrivileged'],
      ['k8s.ns.name', 'string', 'KubernetesNamespace'],
      ['k8s.pod.name', 'string', 'KubernetesPod'],
      ['user.name', 'string', 'UserName'],
      ['user.uid', 'number', 'UserUid'],
      ['user.loginuid', 'number', 'UserLoginUid'],
      ['ka.user.name', 'string', 'AuditUserName'],
      ['ka.verb', 'string', 'AuditVerb'],
      ['ka.uri.param[command]', 'string', 'AuditUriCommand'],
    ];
    for (const [name, type, column] of expected) {
      const f = byName(name);
      expect({ name, type: f.type, column: f.column, location: f.location }).toEqual({
        name,
        type,
        column,
        location: { in: 'output_fields', key: name },
      });
    }
  });

  it('derives cluster from the custom field `cluster`, then a GKE host name pattern', () => {
    expect(byName('cluster')).toMatchObject({ type: 'string', column: 'ClusterName', location: { in: 'derived' } });
    const { customField, hostnamePattern } = builtinSource().cluster;
    expect(customField).toBe('cluster');
    const re = new RegExp(hostnamePattern!, 'u');
    expect(re.exec('gke-prod-eu-default-pool-1a2b3c4d-x7z9')?.[1]).toBe('prod-eu');
    expect(re.exec('gke-payments-pool1-0f1e2d3c-ab12')?.[1]).toBe('payments');
    expect(re.exec('my-pool-1-node-921b61')).toBeNull();
    expect(re.exec('ip-192-168-34-135.ec2.internal')).toBeNull();
  });

  it('knows the renamed Kubernetes client tool rule', () => {
    expect(builtinSource().ruleAliases).toEqual({
      'Kubernetes Client Tool Launched in Container': ['The docker client is executed in a container'],
    });
  });

  it('targets the FalcoContainerSecurity parser over both Sentinel routes', () => {
    expect(builtinSource().sentinel).toEqual({ functionName: 'FalcoContainerSecurity', routes: ['cef', 'json'] });
  });

  it('derives the falcosidekick profile from locations and types', () => {
    const p = builtinSource().elastic.profiles.falcosidekick!;
    expect(builtinSource().elastic.defaultProfile).toBe('falcosidekick');
    expect(p.index).toEqual(['falco-*']);
    expect(p.timestampField).toBe('@timestamp');
    expect(p.fields['rule']).toEqual({ path: 'rule', type: 'text', keyword: 'keyword' });
    expect(p.fields['tags']).toEqual({ path: 'tags', type: 'text', keyword: 'keyword' });
    expect(p.fields['time']).toEqual({ path: 'time', type: 'date' });
    expect(p.fields['proc.cmdline']).toEqual({ path: 'output_fields.proc.cmdline', type: 'text', keyword: 'keyword' });
    expect(p.fields['proc.tty']).toEqual({ path: 'output_fields.proc.tty', type: 'long' });
    expect(p.fields['evt.failed']).toEqual({ path: 'output_fields.evt.failed', type: 'boolean' });
    expect(p.fields['cluster']).toEqual({ path: 'output_fields.cluster', type: 'text', keyword: 'keyword' });
    expect(Object.keys(p.fields).sort()).toEqual(builtinSource().fields.map((f) => f.name).sort());
  });

  it('maps the elastic-agent profile to ECS and leaves unindexed fields out', () => {
    const p = builtinSource().elastic.profiles['elastic-agent']!;
    // the alerts data stream, and the one its routing rule sends what Elastic Agent collects to
    expect(p.index).toEqual(['logs-falco.alerts-*', 'logs-falco.alerts_agent-*']);
    // Falco's time, not @timestamp (the agent's read time unless the rule prints evt.time)
    expect(p.timestampField).toBe('falco.time');
    expect(p.fields['rule']).toEqual({ path: 'rule.name', type: 'keyword' });
    expect(p.fields['container.image']).toEqual({ path: 'container.image.name', type: 'keyword' });
    expect(p.fields['proc.tty']).toEqual({ path: 'falco.output_fields.proc.tty', type: 'long' });
    // falco.* fields keep the types of the package's fields.yml
    expect(p.fields['fd.name']).toEqual({ path: 'falco.output_fields.fd.name', type: 'text' });
    expect(p.fields['evt.type']).toEqual({ path: 'falco.output_fields.evt.type', type: 'text' });
    for (const absent of ['output', 'cluster', 'ka.user.name', 'evt.arg.name', 'proc.aname[2]', 'evt.time']) {
      expect(p.fields[absent], absent).toBeUndefined();
    }
  });

  it('gives elastic-agent ECS fields the ECS types elastic-package installs, not the types ecs.yml writes', () => {
    const p = builtinSource().elastic.profiles['elastic-agent']!;
    // `external: ecs` with a local `type: text` (or integer) in ecs.yml: the ECS type is restored
    expect(p.fields['proc.name']).toEqual({ path: 'process.name', type: 'keyword' });
    expect(p.fields['proc.exepath']).toEqual({ path: 'process.executable', type: 'keyword' });
    expect(p.fields['k8s.ns.name']).toEqual({ path: 'orchestrator.namespace', type: 'keyword' });
    expect(p.fields['k8s.pod.name']).toEqual({ path: 'orchestrator.resource.name', type: 'keyword' });
    expect(p.fields['proc.cmdline']).toEqual({ path: 'process.command_line', type: 'wildcard' });
    expect(p.fields['proc.pcmdline']).toEqual({ path: 'process.parent.command_line', type: 'wildcard' });
    expect(p.fields['fd.lport']).toEqual({ path: 'source.port', type: 'long' });
    // keyword in the alerts stream, text in alerts_agent: not exactly searchable across both
    expect(p.fields['group.name']).toBeUndefined();
    expect(p.fields['group.gid']).toBeUndefined();
  });

  it('maps the fields the integration copies whole into ECS, and not what it splits, converts or removes', () => {
    const p = builtinSource().elastic.profiles['elastic-agent']!;
    expect(p.fields['proc.sname']).toEqual({ path: 'process.session_leader.name', type: 'keyword' });
    expect(p.fields['thread.cap_permitted']).toEqual({ path: 'process.thread.capabilities.permitted', type: 'keyword' });
    expect(p.fields['thread.cap_effective']).toEqual({ path: 'process.thread.capabilities.effective', type: 'keyword' });
    expect(p.fields['fd.sport']).toEqual({ path: 'server.port', type: 'long' });
    expect(p.fields['fd.cip.name']).toEqual({ path: 'client.domain', type: 'keyword' });
    expect(p.fields['fd.sip.name']).toEqual({ path: 'server.domain', type: 'keyword' });
    expect(p.fields['fd.lip.name']).toEqual({ path: 'source.domain', type: 'keyword' });
    expect(p.fields['fd.rip.name']).toEqual({ path: 'destination.domain', type: 'keyword' });
    // split on whitespace (proc.env), converted to ip (fd.sip, fd.rip, k8s.pod.ip)
    for (const absent of ['proc.env', 'fd.sip', 'fd.rip', 'k8s.pod.ip']) expect(p.fields[absent], absent).toBeUndefined();
  });

  it('marks the output fields the integration always removes as not indexed (false) in elastic-agent', () => {
    const text = readFileSync(join(repo, 'src/source/falco.source.yaml'), 'utf8');
    const file = parseYaml(text) as { fields: { name: string; elastic?: Record<string, unknown> }[] };
    const removed = ['evt.arg.flags', 'proc.aname[2]', 'proc.aname[3]', 'proc.aname[4]', 'proc.aname[5]', 'proc.aname[6]', 'proc.aname[7]'];
    for (const name of removed) {
      expect(file.fields.find((f) => f.name === name)?.elastic?.['elastic-agent'], name).toBe(false);
    }
    const explicitlyFalse = file.fields.filter((f) => f.elastic?.['elastic-agent'] === false).map((f) => f.name);
    // and output (stored, not indexed), group.gid and group.name (text in the alerts_agent stream)
    expect(explicitlyFalse.sort()).toEqual(['output', 'group.gid', 'group.name', ...removed].sort());
  });

  it('declares every key of the reference sample alerts with a matching type', () => {
    const samples = readFileSync(join(repo, 'test/fixtures/falco/sample-alerts.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Elastic's test fixture (fixture line 2) carries these two as lists; Falco writes strings.
    const knownDeviations = new Set(['container.image.digest', 'k8s.pod.labels']);
    const declared = new Map(builtinSource().fields.map((f) => [f.location.in === 'derived' ? '' : `${f.location.in}:${f.location.key}`, f]));
    for (const sample of samples) {
      const entries: [string, unknown][] = [
        ...Object.entries(sample).filter(([k]) => k !== 'output_fields').map(([k, v]): [string, unknown] => [`alert:${k}`, v]),
        ...Object.entries(sample.output_fields as Record<string, unknown>).map(([k, v]): [string, unknown] => [`output_fields:${k}`, v]),
      ];
      for (const [key, value] of entries) {
        const f = declared.get(key);
        expect(f, key).toBeDefined();
        if (value === null || knownDeviations.has(f!.name)) continue;
        const actual = Array.isArray(value) ? 'string[]' : typeof value === 'string' && f!.type === 'timestamp' ? 'timestamp' : typeof value;
        expect(actual, key).toBe(f!.type);
      }
    }
  });
});

describe('built-in source location after `tsc`', () => {
  it('resolves from dist/source/load.js in the published package layout', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('src/source/falco.source.yaml');
    expect(pkg.files).toContain('data'); // data/generated/falco.source.json: the built-in source, built

    const root = join(repo, 'test/.tmp/source-package');
    rmSync(root, { recursive: true, force: true });
    mkdirSync(join(root, 'src/source'), { recursive: true });
    cpSync(join(repo, 'src/source/falco.source.yaml'), join(root, 'src/source/falco.source.yaml'));
    cpSync(join(repo, 'data/generated'), join(root, 'data/generated'), { recursive: true });
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [
      tsc,
      '--outDir', join(root, 'dist'),
      '--rootDir', join(repo, 'src'),
      '--module', 'NodeNext',
      '--moduleResolution', 'NodeNext',
      '--target', 'ES2022',
      '--strict',
      '--skipLibCheck',
      '--types', 'node',
      join(repo, 'src/source/load.ts'),
    ]);
    const script = `import(${JSON.stringify(join(root, 'dist/source/load.js'))}).then((m) => { const s = m.builtinSource(); console.log(JSON.stringify([s.name, s.fields.length, m.BUILTIN_SOURCE_URL.pathname])); })`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const [name, count, path] = JSON.parse(out) as [string, number, string];
    expect(name).toBe('falco');
    expect(count).toBe(builtinSource().fields.length);
    expect(path).toBe(join(root, 'src/source/falco.source.yaml'));
    rmSync(root, { recursive: true, force: true });
  });
});
