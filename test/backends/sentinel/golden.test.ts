/**
 * Golden files: the whole Sentinel output for the five seed use-cases (detections/), reviewed
 * like code. Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/backends/sentinel/golden.test.ts`
 * and review the diff. Beside the byte comparison, the queries are checked against the seed's
 * own queries (shared/seeds/001_…: same rule names, same case-sensitive filters).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSentinel, sentinelFiles } from '../../../src/backends/sentinel/index.js';
import { frontEnd } from '../../../src/cli/pipeline.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));

const front = frontEnd(['detections'], { cwd: ROOT });
const compilation = compileSentinel(front.program!, front.source!);
const files = sentinelFiles(compilation, front.source!);

function goldenFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...goldenFiles(p));
    else out.push(relative(GOLDEN, p).split('\\').join('/'));
  }
  return out.sort();
}

const query = (name: string): string => compilation.rules.find((r) => r.detection.name === name)!.query.text;

describe('Sentinel output for detections/', () => {
  it('compiles the five seed use-cases without a diagnostic (Kusto.Language included)', () => {
    expect(front.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compilation.diagnostics).toEqual([]);
    expect(compilation.rules).toHaveLength(5);
  });

  if (process.env.UPDATE_GOLDEN) {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const f of files) {
      const p = join(GOLDEN, f.path.replace(/^sentinel\//, ''));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
  }

  it('equals the golden files, file for file', () => {
    expect(files.map((f) => f.path.replace(/^sentinel\//, ''))).toEqual(goldenFiles(GOLDEN));
    for (const f of files) expect(f.content, f.path).toBe(readFileSync(join(GOLDEN, f.path.replace(/^sentinel\//, '')), 'utf8'));
  });

  it('keeps the seed queries\' filters (Activity is Rule, file is FileDescriptorName, command and cmdline are ProcessCommandLine)', () => {
    expect(query('netcat_remote_code_execution')).toContain('| where Rule == "Netcat Remote Code Execution in Container"\n');
    expect(query('etc_shadow_read_untrusted')).toContain('| where Rule == "Read sensitive file untrusted" and FileDescriptorName contains_cs "/etc/shadow"\n');
    expect(query('ssh_keygen_write_monitored_dir')).toContain('| where Rule == "Write below monitored dir" and ProcessCommandLine contains_cs "ssh-keygen"\n');
    expect(query('kubectl_get_secrets_in_container')).toContain('| where Rule == "Kubernetes Client Tool Launched in Container" and ProcessCommandLine contains_cs "kubectl get secrets"\n');
    expect(query('bash_history_deleted')).toContain('| where Rule == "Delete or rename shell history" and ProcessCommandLine contains_cs "bash_history"\n');
    for (const r of compilation.rules) expect(r.query.text).not.toMatch(/\bsort\b/);
  });

  it('matches both names of the kubectl rule: the parser maps the seed\'s old name to the one the query tests', () => {
    expect(compilation.parser.body).toContain('Rule = case(_Rule in ("The docker client is executed in a container"), "Kubernetes Client Tool Launched in Container", _Rule)');
  });

  it('runs the realtime seed rules as NRT rules', () => {
    expect(compilation.rules.map((r) => r.rule.kind)).toEqual(['NRT', 'NRT', 'NRT', 'NRT', 'NRT']);
  });
});
