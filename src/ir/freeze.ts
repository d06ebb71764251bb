/**
 * Deep freezing, so the IR cannot be changed by a backend or the evaluator by accident.
 */

/**
 * Freezes `value` and everything reachable from it; returns it. An object that is already
 * frozen is taken as deeply frozen (everything this module freezes is), which keeps shared
 * subtrees (inlined macros) from being walked twice.
 */
export function deepFreeze<T>(value: T): T {
  const pending: object[] = [];
  if (value !== null && typeof value === 'object') pending.push(value);
  while (pending.length > 0) {
    const v = pending.pop() as Record<string, unknown>;
    if (Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const key in v) {
      const child = v[key];
      if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) pending.push(child);
    }
  }
  return value;
}
