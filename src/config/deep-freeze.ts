/** Deep-freezing: loaded config is shared by every module and must never change after loading. */

/** Freezes `value` and everything reachable from it; returns the same object, typed read-only. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
