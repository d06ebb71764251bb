import { describe, expect, it } from 'vitest';
import { at, check, detection, only } from '../../helpers/det.js';

const COND = '  condition: proc.name == "x"';

function uuidDiagnostics(id: string) {
  return only(check(detection('d', COND, id)).validation, 'DET3002');
}

describe('UuidFormatRule', () => {
  it('accepts a lowercase UUID', () => {
    expect(uuidDiagnostics('2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11')).toEqual([]);
  });

  it('rejects an id that is not a UUID (DET3002) at the id value', () => {
    const ds = uuidDiagnostics('netcat-1');
    expect(ds.map(at)).toEqual(['DET3002 3:7']);
    expect(ds[0]).toMatchObject({ severity: 'error', message: 'id "netcat-1" is not a UUID (8-4-4-4-12 hexadecimal digits)' });
    expect(ds[0]!.hint).toContain('uuidgen');
  });

  it('rejects uppercase and says how to write it', () => {
    const ds = uuidDiagnostics('2F7A1D2E-4C1B-4F0A-9A57-0C3B8E7B9D11');
    expect(ds.map(at)).toEqual(['DET3002 3:7']);
    expect(ds[0]!.message).toBe('id "2F7A1D2E-4C1B-4F0A-9A57-0C3B8E7B9D11" must be written in lowercase');
    expect(ds[0]!.hint).toBe('write "2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11"');
  });

  it('rejects the nil UUID and ids with surrounding spaces', () => {
    expect(uuidDiagnostics('00000000-0000-0000-0000-000000000000')[0]!.message).toContain('nil UUID');
    expect(uuidDiagnostics(' 2f7a1d2e-4c1b-4f0a-9a57-0c3b8e7b9d11').map(at)).toEqual(['DET3002 3:7']);
  });
});
