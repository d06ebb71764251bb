import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectInputs } from '../../src/cli/inputs.js';

const cwd = mkdtempSync(join(tmpdir(), 'detect-inputs-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function touch(rel: string): void {
  writeFile(rel, '');
}

function writeFile(rel: string, text: string): void {
  const p = join(cwd, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

touch('detections/b.det');
touch('detections/a.det');
touch('detections/sub/c.det');
touch('detections/sub/notes.md');
touch('detections/.hidden/h.det');
touch('detections/node_modules/m.det');
touch('detections/my.source.yaml');
touch('other/x.rules');
symlinkSync(join(cwd, 'detections'), join(cwd, 'detections', 'sub', 'loop'));

describe('collectInputs', () => {
  it('finds .det files recursively, sorted, skipping hidden folders, node_modules and folder links', () => {
    const r = collectInputs(['detections'], cwd);
    expect(r.diagnostics).toEqual([]);
    expect(r.detFiles.map((f) => f.path)).toEqual(['detections/a.det', 'detections/b.det', 'detections/sub/c.det']);
    expect(r.detFiles[0]!.absPath).toBe(join(cwd, 'detections/a.det'));
    expect(r.sourceFiles.map((f) => f.path)).toEqual(['detections/my.source.yaml']);
  });

  it('takes .det files given directly, and de-duplicates', () => {
    const r = collectInputs(['detections/a.det', join(cwd, 'detections'), 'detections/sub/c.det'], cwd);
    expect(r.detFiles.map((f) => f.path)).toEqual(['detections/a.det', 'detections/b.det', 'detections/sub/c.det']);
    expect(r.diagnostics).toEqual([]);
  });

  it('skips another file given directly with a DET6012 warning (a README named by a shell glob)', () => {
    const r = collectInputs(['other/x.rules', 'detections/a.det'], cwd);
    expect(r.detFiles.map((f) => f.path)).toEqual(['detections/a.det']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'DET6012', severity: 'warning', message: "skipped 'other/x.rules': not a .det file" })]);
    const only = collectInputs(['other/x.rules'], cwd);
    expect(only.diagnostics.map((d) => d.code)).toEqual(['DET6012', 'DET6002']);
  });

  it('reads a file reached by two paths once: the file rather than a symlink to it, else the first path', () => {
    touch('links/real/r.det');
    touch('links/real/my.source.yaml');
    symlinkSync('real/r.det', join(cwd, 'links/a-link.det'));
    symlinkSync('real/my.source.yaml', join(cwd, 'links/a.source.yaml'));
    const r = collectInputs(['links'], cwd);
    expect(r.diagnostics).toEqual([]);
    expect(r.detFiles.map((f) => f.path)).toEqual(['links/real/r.det']);
    expect(r.sourceFiles.map((f) => f.path)).toEqual(['links/real/my.source.yaml']);
    // the link alone, and the link named before its folder, give the same single input
    expect(collectInputs(['links/a-link.det'], cwd).detFiles.map((f) => f.path)).toEqual(['links/a-link.det']);
    expect(collectInputs(['links/a-link.det', 'links/real'], cwd).detFiles.map((f) => f.path)).toEqual(['links/real/r.det']);
    // two hard links: neither is a symlink, the first by path is read
    touch('hard/z.det');
    linkSync(join(cwd, 'hard/z.det'), join(cwd, 'hard/y.det'));
    expect(collectInputs(['hard/z.det', 'hard'], cwd).detFiles.map((f) => f.path)).toEqual(['hard/y.det']);
  });

  it('gives DET6001 for a missing path and DET6002 when no .det file is found', () => {
    expect(collectInputs(['nope', 'detections'], cwd).diagnostics.map((d) => d.code)).toEqual(['DET6001']);
    mkdirSync(join(cwd, 'empty'));
    const empty = collectInputs(['empty'], cwd).diagnostics;
    expect(empty.map((d) => d.code)).toEqual(['DET6002']);
    expect(empty[0]!.hint).toBe('detections are written in files ending in .det; give such files or folders that contain them');
  });

  it('names the Falco rules files (YAML) of a folder without .det files, and says what an explicit one is', () => {
    const rules = '# Falco rules\n---\n- list: shells\n  items: [bash]\n';
    for (const f of ['falco/falco_rules.yaml', 'falco/sub/extra.yml', 'falco/a.yaml', 'falco/b.yaml']) writeFile(f, rules);
    writeFile('falco/docker-compose.yml', 'services:\n  x: {}\n');
    const found = collectInputs(['falco'], cwd).diagnostics;
    expect(found.map((d) => d.code)).toEqual(['DET6002']);
    expect(found[0]!.hint).toBe(
      'detections are written in files ending in .det; the Falco rules files there (falco/a.yaml, falco/b.yaml, falco/falco_rules.yaml, …) are not read: write their rules as `detection name { … }` blocks in .det files (see the README)',
    );
    const explicit = collectInputs(['falco/a.yaml', 'falco/docker-compose.yml'], cwd).diagnostics;
    expect(explicit.map((d) => [d.code, d.hint])).toEqual([
      ['DET6012', 'it is a Falco rules file (YAML): write its rules as `detection name { … }` blocks in .det files (see the README)'],
      ['DET6012', 'detections are read from files ending in .det (and a source from *.source.yaml); rename the file if it holds detections'],
      ['DET6002', 'detections are written in files ending in .det; give such files or folders that contain them'],
    ]);
  });
});
