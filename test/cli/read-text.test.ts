import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { positionAfter, readText } from '../../src/cli/read-text.js';

const dir = mkdtempSync(join(tmpdir(), 'detect-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('readText', () => {
  it('reads UTF-8 and drops a BOM', () => {
    expect(readText(file('ok.det', '\uFEFFlist a = ["é"]\n'), 'ok.det')).toEqual({ text: 'list a = ["é"]\n', diagnostics: [] });
  });

  it('gives DET1011 at the line and column of the first invalid byte', () => {
    const bytes = Buffer.concat([Buffer.from('line one\nab é '), Buffer.from([0xff]), Buffer.from(' rest\n')]);
    const r = readText(file('bad.det', bytes), 'bad.det');
    expect(r.text).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe('DET1011');
    expect(d.span).toMatchObject({ file: 'bad.det', start: { line: 2, column: 6, offset: 14 } });
    expect(d.message).toContain('0xFF');
    expect(d.hint).toBeTruthy();
    expect(r.lossyText).toContain('\uFFFD');
  });

  it('points at the lead byte of a truncated sequence', () => {
    const r = readText(file('trunc.det', Buffer.from([0x61, 0xe2, 0x82, 0x41])), 'trunc.det');
    expect(r.diagnostics[0]!.span!.start.column).toBe(2);
    expect(r.diagnostics[0]!.message).toContain('0xE2');
  });

  it('finds an invalid byte after a complete multi-byte character', () => {
    const r = readText(file('after.det', Buffer.from([0xc3, 0xa9, 0x80])), 'after.det');
    expect(r.diagnostics[0]!.span!.start.column).toBe(2);
    expect(r.diagnostics[0]!.message).toContain('0x80');
  });

  it('gives DET6005 for a file that cannot be read', () => {
    mkdirSync(join(dir, 'folder.det'));
    const r = readText(join(dir, 'folder.det'), 'folder.det');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DET6005']);
    expect(readText(join(dir, 'missing.det'), 'missing.det').diagnostics.map((d) => d.code)).toEqual(['DET6005']);
  });
});

describe('positionAfter', () => {
  it('counts \\n, \\r\\n and \\r as line breaks', () => {
    expect(positionAfter('a\nb\r\nc\rde')).toEqual({ offset: 9, line: 4, column: 3 });
    expect(positionAfter('')).toEqual({ offset: 0, line: 1, column: 1 });
  });
});
