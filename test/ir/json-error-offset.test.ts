import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/ir/json-error-offset.js';

/** V8's position for `text`, when its message gives one. */
function v8Position(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const m = /at position (\d+)/.exec((e as Error).message);
    return m ? Number(m[1]) : -1;
  }
}

describe('jsonErrorOffset', () => {
  it('finds nothing wrong in valid JSON', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"], "b": {"c": {}}} ', '"s"', '0', '[[[[]]]]']) {
      expect(jsonErrorOffset(text), text).toBeUndefined();
    }
  });

  it('points at the character where V8 gives no position (`Unexpected token …`)', () => {
    const cases: [string, number][] = [
      ['{"a":tru}', 8], // where the text departs from the literal (V8 names the `}`)
      ['nope', 1], // V8: Unexpected token 'o'
      ['[true, nulL]', 10],
      ['[1,,2]', 3],
      ['{"a":NaN}', 5],
      ['[1,', 3],
    ];
    for (const [text, at] of cases) {
      expect(v8Position(text), text).toBe(-1);
      expect(jsonErrorOffset(text), text).toBe(at);
    }
  });

  it('agrees with V8 where V8 gives a position', () => {
    const texts = ['{bad json', '{"a":1,}', '{"a" 1}', '{"a":1} x', '{"a":"\t"}', '{"a":01}', '{"a":1', '{"a":"x}', '{"a":"\\q"}', "{'a':1}", '{"a":"\\u12G4"}', '{"a":[1 2]}', '{"a":1}}', '{"a":{"b":1]}', '{"a":1.}', '{"a":1e+}', '{"a":-x}'];
    for (const text of texts) {
      const v8 = v8Position(text);
      expect(v8, text).toBeGreaterThanOrEqual(0);
      expect(jsonErrorOffset(text), text).toBe(v8);
    }
  });

  it('agrees with V8 on mutations of a real alert, wherever V8 gives a position', () => {
    const alert = '{"hostname":"aks-1","output":"x","priority":"Warning","rule":"Netcat","tags":["T1059","mitre_execution"],"time":"2024-06-03T09:14:07Z","output_fields":{"proc.tty":0,"user.loginuid":-1,"evt.time":1.5e3,"ok":true,"no":null}}';
    let seed = 20261124;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      const p = rand(alert.length);
      const text = [alert.slice(0, p) + alert.slice(p + 1), alert.slice(0, p) + '{}[]:,"\\tx0-.e'[rand(14)] + alert.slice(p)][rand(2)]!;
      const v8 = v8Position(text);
      const mine = jsonErrorOffset(text);
      if (v8 === undefined) expect(mine, text).toBeUndefined();
      else if (v8 === -1) expect(mine, text).toBeLessThanOrEqual(text.length);
      else {
        compared++;
        expect(mine, text).toBe(v8);
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('scans deep nesting without recursion', () => {
    expect(jsonErrorOffset('['.repeat(100_000) + 'x')).toBe(100_000);
  });
});
