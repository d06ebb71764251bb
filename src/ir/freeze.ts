/**
 * Deep freezing, so the IR cannot be changed by a backend or the evaluator by accident.
 *
 * Invariant: an object frozen by this module is deeply frozen (its children were frozen first
 * or are frozen with it). So `deepFreeze` stops at a frozen object, which keeps shared subtrees
 * (inlined macros) and pre-frozen parts (test events, see `frozenJsonCopy`) from being walked
 * again.
 */

/**
 * Freezes `value` and everything reachable from it; returns it. An object that is already
 * frozen is taken as deeply frozen (everything this module freezes is).
 */
export function deepFreeze<T>(value: T): T {
  // Each object is frozen when it is queued, so an object reachable twice is queued once.
  const pending: object[] = [];
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) pending.push(Object.freeze(value));
  while (pending.length > 0) {
    const v = pending.pop()!;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) pending.push(Object.freeze(child));
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const key in o) {
        const child = o[key];
        if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) pending.push(Object.freeze(child));
      }
    }
  }
  return value;
}

/**
 * A deep copy of a JSON value (objects, arrays, strings, numbers, booleans, null), frozen as it
 * is built: one pass instead of a copy and a freeze walk (the AST's value is left as it is). A
 * `__proto__` key stays an ordinary own property, as with `JSON.parse`. Nesting is bounded by the
 * parser (`MAX_NESTING`).
 */
export function frozenJsonCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(frozenJsonCopy(value[i]));
    return Object.freeze(out) as T;
  }
  const out: Record<string, unknown> = {};
  const src = value as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    const v = frozenJsonCopy(src[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return Object.freeze(out) as T;
}

