/**
 * Compact deterministic JSON for NDJSON lines: object keys sorted (UTF-16 code unit order, as
 * `stableJson` in src/emit/json.ts), no whitespace, no trailing newline.
 */

/** `value` as one line of JSON with sorted keys. */
export function compactStableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = (v as Record<string, unknown>)[k];
    return out;
  });
}
