import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaText, sentinelTables } from '../../src/kusto/tables.js';
import { sharedReference } from '../helpers/shared.js';

const { path: REFERENCE, present } = sharedReference('reference/sentinel/', 'data/sentinel-tables.json against the reference schemas', [
  'reference/sentinel/CommonSecurityLog.json',
  'reference/sentinel/Syslog.json',
]);
const SCRIPT = fileURLToPath(new URL('../../scripts/build-sentinel-tables.mjs', import.meta.url));
const DATA = fileURLToPath(new URL('../../data/sentinel-tables.json', import.meta.url));

describe('data/sentinel-tables.json', () => {
  it('holds CommonSecurityLog and Syslog with the columns the parser reads, typed for Kusto', () => {
    const tables = sentinelTables();
    expect(tables.map((t) => t.name)).toEqual(['CommonSecurityLog', 'Syslog']);
    const csl = new Map(tables[0]!.columns.map((c) => [c.name, c.type]));
    for (const col of ['TimeGenerated', 'DeviceVendor', 'DeviceProduct', 'Activity', 'LogSeverity', 'Message', 'AdditionalExtensions', 'StartTime']) {
      expect(csl.has(col), col).toBe(true);
    }
    expect(csl.get('TimeGenerated')).toBe('datetime');
    expect(csl.get('EventCount')).toBe('int');
    const syslog = new Map(tables[1]!.columns.map((c) => [c.name, c.type]));
    expect(syslog.get('SyslogMessage')).toBe('string');
    expect(syslog.get('ProcessName')).toBe('string');
    for (const t of tables) for (const c of t.columns) expect(['string', 'datetime', 'int', 'long', 'real', 'bool', 'dynamic', 'guid', 'timespan']).toContain(c.type);
  });

  it('writes the Kusto schema text with bracketed, escaped names', () => {
    expect(schemaText([{ name: 'A', type: 'string' }, { name: "it's", type: 'long' }])).toBe("(['A']:string, ['it\\'s']:long)");
  });
});

describe('data/sentinel-tables.json against shared/reference/sentinel/', () => {
  if (!present) {
    it.skip(`skipped: ${REFERENCE} is absent`, () => {});
    return;
  }

  it('is exactly what scripts/build-sentinel-tables.mjs builds from the reference schemas', () => {
    const dir = mkdtempSync(join(tmpdir(), 'detect-tables-'));
    try {
      const out = join(dir, 'tables.json');
      execFileSync(process.execPath, [SCRIPT, REFERENCE, out]);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(DATA, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every column of the reference schemas, in order, with the mapped type', () => {
    const map: Record<string, string> = { String: 'string', DateTime: 'datetime', Int: 'int', BigInt: 'long', Real: 'real', Float: 'real' };
    for (const t of sentinelTables()) {
      const ref = JSON.parse(readFileSync(join(REFERENCE, `${t.name}.json`), 'utf8')) as { Properties: { Name: string; Type: string }[] };
      expect(t.columns).toEqual(ref.Properties.map((p) => ({ name: p.Name, type: map[p.Type] })));
    }
  });
});
