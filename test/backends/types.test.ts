/**
 * src/backends/types.ts: files emitted in parts (`partsOf`) and gathered (`fileCollector`).
 */
import { describe, expect, it } from 'vitest';
import { fileCollector, partsOf, type EmittedFile } from '../../src/backends/types.js';

describe('partsOf', () => {
  it('hands the text to the sink in parts of at least 64 Ki code units, every one but the last marked more', () => {
    const seen: EmittedFile[] = [];
    const file = partsOf((f) => seen.push(f), 'kibana/rules.ndjson');
    const lines = Array.from({ length: 5_000 }, (_, i) => `{"n":${i},"text":"é漢😀${'x'.repeat(i % 50)}"}\n`);
    for (const l of lines) file.add(l);
    file.end();
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.map((f) => f.path)).toEqual(seen.map(() => 'kibana/rules.ndjson'));
    expect(seen.slice(0, -1).every((f) => f.more === true && f.content.length >= 1 << 16)).toBe(true);
    expect(seen.at(-1)?.more).toBeUndefined();
    expect(seen.map((f) => f.content).join('')).toBe(lines.join(''));
  });

  it('emits one empty last part when nothing was added', () => {
    const seen: EmittedFile[] = [];
    partsOf((f) => seen.push(f), 'a/b.ndjson').end();
    expect(seen).toEqual([{ path: 'a/b.ndjson', content: '' }]);
  });
});

describe('fileCollector', () => {
  it('joins the parts of interleaved files and sorts every file by path', () => {
    const c = fileCollector();
    c.sink({ path: 'k/z.ndjson', content: 'z1', more: true });
    c.sink({ path: 'k/a.ndjson', content: 'a1', more: true });
    c.sink({ path: 'k/m.json', content: 'whole' });
    c.sink({ path: 'k/z.ndjson', content: 'z2', more: true });
    c.sink({ path: 'k/a.ndjson', content: 'a2' });
    c.sink({ path: 'k/z.ndjson', content: '' });
    expect(c.files()).toEqual([
      { path: 'k/a.ndjson', content: 'a1a2' },
      { path: 'k/m.json', content: 'whole' },
      { path: 'k/z.ndjson', content: 'z1z2' },
    ]);
  });

  it('throws when a file in parts was never ended (a backend bug)', () => {
    const c = fileCollector();
    c.sink({ path: 'k/open.ndjson', content: 'x', more: true });
    expect(() => c.files()).toThrow(/never ended: k\/open\.ndjson/);
  });
});
