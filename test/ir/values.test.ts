import { describe, expect, it } from 'vitest';
import { inexactNumber } from '../../src/ir/values.js';
import { at, detection, lower } from '../helpers/det.js';
import { sp } from '../helpers/ast-factory.js';

const num = (raw: string) => inexactNumber({ kind: 'Number', value: Number(raw), raw, span: sp(1, 1) });

describe('inexactNumber', () => {
  it('accepts every number a double holds as written, up to 2^53 − 1', () => {
    for (const raw of ['0', '-0', '0.1', '-3', '1e3', '1.5E-3', '9007199254740991', '-9007199254740991', '5e-324', '4294967295']) {
      expect(num(raw), raw).toBeUndefined();
    }
  });

  it('refuses whole numbers beyond 2^53 − 1, saying what they read as', () => {
    expect(num('9007199254740993')?.reason).toBe('the number 9007199254740993 is beyond 2^53 − 1, where neighbouring whole numbers read as one (it reads as 9007199254740992)');
    // exactly representable, yet 2^53 + 1 in an event reads as it too
    expect(num('9007199254740992')?.reason).toBe('the number 9007199254740992 is beyond 2^53 − 1, where neighbouring whole numbers read as one');
    expect(num('-90071992547409931')?.reason).toContain('(it reads as -90071992547409936)');
    expect(num('1e20')?.reason).toBe('the number 1e20 is beyond 2^53 − 1, where neighbouring whole numbers read as one');
  });

  it('refuses numbers that read as infinity or as 0', () => {
    expect(num('1e400')?.reason).toBe('the number 1e400 is too large: it reads as infinity');
    expect(num('-1e309')?.reason).toBe('the number -1e309 is too large: it reads as infinity');
    expect(num('1e-400')).toEqual({ reason: 'the number 1e-400 is too small: it reads as 0', hint: 'write 0 if that is what you mean' });
    expect(num('0e-400')).toBeUndefined();
  });
});

describe('DET2009 while lowering', () => {
  it('is reported at the number, in comparisons, list literals, named lists, version and threshold counts', () => {
    const text =
      'list big = [1, 1e400]\n' +
      detection('a', '  condition: proc.pid == 9007199254740993') +
      detection('b', '  condition: proc.pid in [1, 2, 1e-999]', 'bbbbbbbb-4c1b-4f0a-9a57-0c3b8e7b9d11') +
      detection('c', '  condition: proc.pid in big', 'cccccccc-4c1b-4f0a-9a57-0c3b8e7b9d11') +
      detection('d', '  version: 1e300\n  condition: proc.pid == 1', 'dddddddd-4c1b-4f0a-9a57-0c3b8e7b9d11') +
      detection('e', '  condition: proc.pid == 1\n  threshold: count >= 1e999 within 5m', 'eeeeeeee-4c1b-4f0a-9a57-0c3b8e7b9d11');
    const { program, diagnostics } = lower(text);
    expect(diagnostics.map(at)).toEqual(['DET2009 1:16', 'DET2009 7:26', 'DET2009 14:33', 'DET2009 28:12', 'DET2009 37:23']);
    // c uses the broken list (reported once, at the list); a detection with an error is dropped
    expect(program.detections).toEqual([]);
  });
});
