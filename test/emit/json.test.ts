import { describe, expect, it } from 'vitest';
import { canonical, compactStableJson, stableJson } from '../../src/emit/json.js';

describe('stableJson', () => {
  it('sorts keys at every depth, indents by 2 and ends with a newline', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('does not depend on construction order', () => {
    expect(stableJson({ x: 1, y: { p: 1, q: 2 } })).toBe(stableJson({ y: { q: 2, p: 1 }, x: 1 }));
  });

  it('sorts inside arrays and objects whose own keys are in order, and leaves the input unchanged', () => {
    const input = { a: [{ d: 1, c: { f: 1, e: 2 } }, 3], b: { h: undefined, g: 'x' } };
    const before = JSON.stringify(input);
    expect(compactStableJson(input)).toBe('{"a":[{"c":{"e":2,"f":1},"d":1},3],"b":{"g":"x"}}');
    expect(JSON.stringify(input)).toBe(before);
  });

  it('shares what is already in order, and applies toJSON as JSON.stringify does', () => {
    const sorted = { a: { b: [1, { c: 2 }] } };
    expect(canonical(sorted)).toBe(sorted);
    const when = new Date(Date.UTC(2026, 10, 24));
    expect(compactStableJson({ z: when, a: { toJSON: () => ({ y: 1, x: 2 }) } })).toBe('{"a":{"x":2,"y":1},"z":"2026-11-24T00:00:00.000Z"}');
    // once per value, with its key, as JSON.stringify does
    const nested = { b: { toJSON: (k: string) => ({ key: k, inner: { toJSON: () => 5 } }) }, a: [{ toJSON: (k: string) => `at ${k}` }], c: { toJSON: () => ({ toJSON: () => 5 }) } };
    expect(JSON.parse(compactStableJson(nested))).toEqual(JSON.parse(JSON.stringify(nested)));
    expect(compactStableJson(nested)).toBe('{"a":["at 0"],"b":{"inner":5,"key":"b"},"c":{}}');
    // a toJSON returning a Date: written as the Date object, whose own keys are none
    expect(compactStableJson({ x: { toJSON: () => when } })).toBe('{"x":{}}');
  });
});
