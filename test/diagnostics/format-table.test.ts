import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, FORMATS } from '../../src/diagnostics/format.js';
import { displayPath } from '../../src/diagnostics/format-shared.js';
import { plain } from './helpers.js';

describe('format table', () => {
  it('lists text, json, github and junit; only text is coloured', () => {
    expect(FORMAT_NAMES).toEqual(['text', 'json', 'github', 'junit']);
    expect(FORMAT_NAMES.filter((f) => FORMATS[f].color)).toEqual(['text']);
  });

  it('every formatter ends its output with a newline', () => {
    for (const f of FORMAT_NAMES) expect(FORMATS[f].format({ sources: new Map(), diagnostics: [] }, plain).endsWith('\n')).toBe(true);
  });
});

describe('displayPath', () => {
  it('shows paths relative to the working folder with /', () => {
    expect(displayPath('/work/project/detections/a.det', '/work/project')).toBe('detections/a.det');
    expect(displayPath('detections/a.det', '/work/project')).toBe('detections/a.det');
    expect(displayPath('/work/other/a.det', '/work/project')).toBe('../other/a.det');
  });
});
