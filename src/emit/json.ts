/**
 * Deterministic JSON for generated files: object keys sorted (by UTF-16 code units, the way
 * `Array.prototype.sort` orders strings), 2-space indentation, LF line ends, trailing newline.
 * Backends that emit JSON use it so outputs do not depend on object construction order.
 *
 * The keys are put in order first ({@link canonical}, which copies only objects whose keys are
 * out of order) and the result goes through `JSON.stringify` without a replacer, V8's fast path.
 */

/** Whether `keys` are already in sorted order. */
function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

/**
 * `value` with the keys of every object in sorted order, for `JSON.stringify`: the same JSON
 * text as `value` apart from key order. Objects and arrays already in order are shared, not
 * copied; `toJSON` is applied as `JSON.stringify` would (once per value, with its key).
 */
export function canonical(value: unknown, key = ''): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return sorted((value as { toJSON: (key: string) => unknown }).toJSON(key));
  }
  return sorted(value);
}

/** `canonical` of a value whose own `toJSON` (if any) has been applied. */
function sorted(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const c = canonical(value[i], String(i));
      if (c !== value[i]) (copy ??= value.slice())[i] = c;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  // What a toJSON returned is written as it is: a copy without the method, or JSON.stringify
  // would call it again (a function-valued property is never written anyway).
  const method = typeof record.toJSON === 'function';
  const keys = method ? Object.keys(record).filter((k) => k !== 'toJSON') : Object.keys(record);
  if (!method && inOrder(keys)) {
    let copy: Record<string, unknown> | undefined;
    for (const k of keys) {
      const c = canonical(record[k], k);
      if (c !== record[k]) (copy ??= { ...record })[k] = c;
    }
    return copy ?? value;
  }
  keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = canonical(record[k], k);
  return out;
}

/** `value` as stable, pretty-printed JSON text ending with a newline. */
export function stableJson(value: unknown): string {
  return JSON.stringify(canonical(value), null, 2) + '\n';
}

/** `value` as one line of JSON with sorted keys: no whitespace, no trailing newline (NDJSON). */
export function compactStableJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}
