import { describe, expect, it } from 'vitest';
import { parseIsoNanos } from '../../src/eval/time.js';

describe('parseIsoNanos', () => {
  it('reads Falco times exactly, to the nanosecond', () => {
    expect(parseIsoNanos('1970-01-01T00:00:00Z')).toBe(0n);
    expect(parseIsoNanos('2024-05-07T18:54:19.341081180Z')).toBe(1715108059341081180n);
    expect(parseIsoNanos('2023-05-10T14:09:17.699479000Z')).toBe(1683727757699479000n);
    expect(parseIsoNanos('2024-05-07T18:54:19.3Z')).toBe(1715108059300000000n);
    expect(parseIsoNanos('2024-05-07T18:54:19.3410811809Z')).toBe(1715108059341081180n);
  });

  it('applies offsets', () => {
    expect(parseIsoNanos('2024-05-07T20:54:19.341081180+02:00')).toBe(1715108059341081180n);
    expect(parseIsoNanos('2024-05-07T18:24:19.341081180-0030')).toBe(1715108059341081180n);
    expect(parseIsoNanos('2024-05-07T18:54:19.341081180+0000')).toBe(1715108059341081180n);
  });

  it('handles dates before the epoch and leap days', () => {
    expect(parseIsoNanos('1969-12-31T23:59:59.999999999Z')).toBe(-1n);
    expect(parseIsoNanos('2024-02-29T00:00:00Z')).toBe(BigInt(Date.UTC(2024, 1, 29)) * 1_000_000n);
    // Years below 100 are not shifted to 19xx.
    expect(parseIsoNanos('0050-01-01T00:00:00Z')).toBe(BigInt(new Date('0050-01-01T00:00:00Z').getTime()) * 1_000_000n);
    expect(parseIsoNanos('0050-01-01T00:00:00Z')! < 0n).toBe(true);
  });

  it('rejects what is not a zoned ISO-8601 date-time', () => {
    for (const bad of [
      '',
      '2024-05-07',
      '2024-05-07T18:54:19',
      '2024-05-07T18:54:19.341+25:00',
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-05-07T24:00:00Z',
      '2024-05-07T18:60:00Z',
      '2024-05-07T18:54:60Z',
      '19:32:02.434286167',
      ' 2024-05-07T18:54:19Z',
    ]) {
      expect(parseIsoNanos(bad), bad).toBeUndefined();
    }
  });
});
