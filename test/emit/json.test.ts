import { describe, expect, it } from 'vitest';
import { stableJson } from '../../src/emit/json.js';

describe('stableJson', () => {
  it('sorts keys at every depth, indents by 2 and ends with a newline', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('does not depend on construction order', () => {
    expect(stableJson({ x: 1, y: { p: 1, q: 2 } })).toBe(stableJson({ y: { q: 2, p: 1 }, x: 1 }));
  });
});
