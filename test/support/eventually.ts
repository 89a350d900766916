/**
 * The only way tests wait: poll a condition until it holds or a deadline passes, then fail with
 * the last reason it did not hold. Never a bare sleep.
 */

/** Polling options. */
export interface EventuallyOptions {
  /** Give up after this long; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Pause between attempts; default 10 ms. */
  readonly intervalMs?: number;
}

/**
 * Calls `fn` until it stops throwing and returns either nothing (an assertion callback) or a truthy
 * value (a predicate), and returns that value. After `timeoutMs`, throws the last error, or an Error
 * saying the value stayed falsy.
 */
export async function eventually<T>(fn: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 5000, intervalMs = 10 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await fn();
      if (value === undefined || value) return value;
      lastError = new Error(`condition still false after ${timeoutMs} ms`);
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
