/**
 * Deterministic JSON for generated files: object keys sorted (by UTF-16 code units, the way
 * `Array.prototype.sort` orders strings), 2-space indentation, LF line ends, trailing newline.
 * Backends that emit JSON use it so outputs do not depend on object construction order.
 */

/** `value` as stable, pretty-printed JSON text ending with a newline. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, sortKeysReplacer, 2) + '\n';
}

function sortKeysReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return value;
  keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (value as Record<string, unknown>)[k];
  return out;
}
