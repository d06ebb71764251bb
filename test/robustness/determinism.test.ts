/**
 * Issue #5, "nothing random": the output of `detect compile` depends only on the detections,
 * not on the run, on the order the input files are given in, or on how the detections are
 * laid out in files.
 *
 * - Compiling the same corpus twice (two processes) gives byte-identical output folders
 *   (manifest included).
 * - `--target all`: the .det files passed explicitly in several seeded permutations, and the
 *   same detections, lists and macros laid out in different files (one big file in reverse
 *   order; one file per detection in nested folders, definitions spread over other files),
 *   give byte-identical output folders. Source file names and spans belong in diagnostics
 *   only; none of the corpus's file names may appear in any artifact.
 * - `--target ir`: the IR records a `span` (file, line, column, offset) on its nodes, so it
 *   names the input files. Permutations of the same files give byte-identical IR; different
 *   layouts give IR that is identical once every `span` is removed (and the manifest then
 *   differs only by the IR file's hash).
 *
 * Every compile is a separate `node bin/detect.js` process (run `npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../cli/helpers.js';
import { prng } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/detect.js');
const COUNT = 300;

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rand = prng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

let work: string;
let corpus: string;
/** The corpus's .det files, absolute, sorted. */
let files: string[];
/** Top-level definitions (`list …`, `macro …`, `detection … { … }`), each as written. */
let definitions: string[];

function compile(inputs: readonly string[], out: string, target: string): void {
  const r = spawnSync(process.execPath, [BIN, 'compile', ...inputs, '--target', target, '--out', out, '--no-color'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`compile exited with ${r.status}:\n${r.stdout.slice(0, 3000)}${r.stderr.slice(0, 3000)}`);
}

/** Writes `layout` (relative path → definitions) into a new folder under `work`. */
function writeLayout(name: string, layout: Record<string, readonly string[]>): string {
  const dir = join(work, name);
  for (const [rel, defs] of Object.entries(layout)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), defs.join('\n') + '\n');
  }
  return dir;
}

/** Splits a bench .det file into its top-level definitions. */
function splitDefinitions(text: string): string[] {
  const defs: string[] = [];
  let current: string[] = [];
  let inDetection = false;
  for (const line of text.split('\n')) {
    if (!inDetection && line.trim() === '') continue;
    if (!inDetection && (line.startsWith('list ') || line.startsWith('macro '))) {
      defs.push(line);
      continue;
    }
    if (!inDetection && line.startsWith('detection ')) inDetection = true;
    if (!inDetection) throw new Error(`unexpected top-level line in the bench corpus: ${line}`);
    current.push(line);
    if (line === '}') {
      defs.push(current.join('\n') + '\n');
      current = [];
      inDetection = false;
    }
  }
  if (current.length > 0) throw new Error('unterminated detection in the bench corpus');
  return defs;
}

/** `value` with every `span` property removed, recursively. */
function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'span') out[k] = withoutSpans(v);
    return out;
  }
  return value;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'detect-determinism-'));
  corpus = join(work, 'corpus');
  const g = spawnSync(process.execPath, [join(ROOT, 'scripts/bench.mjs'), '--generate', corpus, '--count', String(COUNT)], { encoding: 'utf8' });
  if (g.status !== 0) throw new Error(`bench --generate failed: ${g.stderr}`);
  files = readdirSync(corpus)
    .filter((n) => n.endsWith('.det'))
    .sort()
    .map((n) => join(corpus, n));
  definitions = files.flatMap((f) => splitDefinitions(readFileSync(f, 'utf8')));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('determinism (--target all)', () => {
  let reference: Record<string, string>;

  beforeAll(() => {
    compile([corpus], join(work, 'all-ref'), 'all');
    reference = snapshot(join(work, 'all-ref'));
  });

  it('the corpus is what the test thinks it is', () => {
    expect(files.length).toBeGreaterThan(2);
    expect(definitions.filter((d) => d.startsWith('detection ')).length).toBe(COUNT);
    expect(definitions.filter((d) => d.startsWith('list ') || d.startsWith('macro ')).length).toBe(100);
    // Several files per target and detection, and the manifest.
    expect(Object.keys(reference).length).toBeGreaterThan(COUNT * 3);
    expect(reference['.detect-manifest.json']).toBeDefined();
  });

  it('compiling the same detections twice gives byte-identical output folders', () => {
    compile([corpus], join(work, 'all-again'), 'all');
    expect(snapshot(join(work, 'all-again'))).toEqual(reference);
  });

  it('no artifact names an input file or folder', () => {
    const names = [...files.map((f) => f.slice(corpus.length + 1)), 'corpus/', work];
    for (const [path, content] of Object.entries(reference)) {
      for (const n of names) {
        if (content.includes(n)) throw new Error(`artifact ${path} contains the input name '${n}'`);
      }
    }
  });

  it.each([1, 2, 3])('input files given explicitly in seeded permutation #%i give byte-identical output', (seed) => {
    const order = shuffled(files, 0x5eed + seed);
    expect(order).not.toEqual(files);
    const out = join(work, `all-perm-${seed}`);
    compile(order, out, 'all');
    expect(snapshot(out)).toEqual(reference);
  });

  it('the same detections in one merged file, in reverse order, give byte-identical output', () => {
    const dir = writeLayout('layout-merged', { 'everything.det': [...definitions].reverse() });
    const out = join(work, 'all-merged');
    compile([dir], out, 'all');
    expect(snapshot(out)).toEqual(reference);
  });

  it('the same detections split one per file in nested folders give byte-identical output', () => {
    const layout: Record<string, string[]> = {};
    const rand = prng(0xd1ce);
    let n = 0;
    for (const def of shuffled(definitions, 0xfeed)) {
      if (def.startsWith('detection ')) {
        layout[`team-${Math.floor(rand() * 4)}/sub-${Math.floor(rand() * 3)}/r${String(n++).padStart(4, '0')}.det`] = [def];
      } else {
        // Lists and macros spread over a few files, away from the detections that use them.
        (layout[`zz-defs/part-${Math.floor(rand() * 5)}.det`] ??= []).push(def);
      }
    }
    const dir = writeLayout('layout-split', layout);
    const out = join(work, 'all-split');
    compile([dir], out, 'all');
    expect(snapshot(out)).toEqual(reference);
  });
});

describe('determinism (--target ir)', () => {
  const IR = 'ir/program.json';
  let reference: Record<string, string>;

  beforeAll(() => {
    compile(files, join(work, 'ir-ref'), 'ir');
    reference = snapshot(join(work, 'ir-ref'));
  });

  it('the IR names the input files (in spans), so layouts are compared without spans', () => {
    expect(Object.keys(reference).sort()).toEqual(['.detect-manifest.json', IR]);
    expect(reference[IR]).toContain('bench_0000.det');
  });

  it('compiling twice gives byte-identical IR', () => {
    compile(files, join(work, 'ir-again'), 'ir');
    expect(snapshot(join(work, 'ir-again'))).toEqual(reference);
  });

  it.each([1, 2, 3])('input files in seeded permutation #%i give byte-identical IR (same files, same spans)', (seed) => {
    const out = join(work, `ir-perm-${seed}`);
    compile(shuffled(files, 0xabc + seed), out, 'ir');
    expect(snapshot(out)).toEqual(reference);
  });

  it('a different file layout gives the same IR once spans are removed', () => {
    const merged = writeLayout('ir-layout-merged', { 'everything.det': [...definitions].reverse() });
    const out = join(work, 'ir-merged');
    compile([merged], out, 'ir');
    const got = readFileSync(join(out, IR), 'utf8');
    expect(got).not.toBe(reference[IR]); // the spans do differ
    expect(got).not.toContain('bench_0000.det');
    expect(withoutSpans(JSON.parse(got))).toEqual(withoutSpans(JSON.parse(reference[IR] as string)));
  });
});
