import { describe, expect, it } from 'vitest';
import { at, check, detection, only } from '../../helpers/det.js';

const COND = '  condition: proc.name == "x"';

describe('CorrelationKeyRule', () => {
  it('accepts single-valued keys', () => {
    const { validation } = check(detection('d', `${COND}\n  threshold: count >= 2 by container.id, proc.pid within 1m\n  suppress: by hostname for 1h`));
    expect(only(validation, 'DET3019')).toEqual([]);
  });

  it('rejects a string[] key (DET3019) at the key', () => {
    const { validation } = check(detection('d', `${COND}\n  threshold: count >= 2 by tags within 1m`));
    const ds = only(validation, 'DET3019');
    expect(ds.map(at)).toEqual(['DET3019 7:28']);
    expect(ds[0]).toMatchObject({
      severity: 'error',
      message: '`tags` holds a list of values (string[]), so the threshold cannot group events by it',
    });
  });

  it('rejects a timestamp key in a sequence and a key listed twice in a suppression', () => {
    const body =
      '  sequence by time within 1m {\n    step a: proc.name == "a"\n    step b: proc.name == "b"\n  }\n  suppress: by hostname, hostname for 1h';
    const ds = only(check(detection('d', body)).validation, 'DET3019');
    expect(ds.map(at)).toEqual(['DET3019 6:15', 'DET3019 10:26']);
    expect(ds[0]!.message).toContain('`time` is a timestamp');
    expect(ds[1]!.message).toBe('`hostname` is listed twice in the `by` keys of the suppress');
  });
});
