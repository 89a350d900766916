/**
 * The only source of time and timers in wake-proxy. Policy modules (idle scheduling, readiness
 * polling, event-stream backoff) take a Clock so unit tests can drive them with a manual clock.
 */

/**
 * The longest delay a Node.js timer holds (2^31 − 1 ms, about 24.8 days). A longer delay is not
 * kept: Node fires it after 1 ms with a TimeoutOverflowWarning. Config durations are bounded to it
 * (duration.ts); the system clock also clamps to it, so a derived delay (a damped idle timeout, a
 * deadline plus a margin) fires early at worst, and every timer owner decides again when it fires.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay a timer can hold: clamped to 0..MAX_TIMER_MS (NaN becomes 0). */
export function toTimerDelayMs(delayMs: number): number {
  return Number.isNaN(delayMs) ? 0 : Math.min(Math.max(0, delayMs), MAX_TIMER_MS);
}

/** A cancellable timer handle. */
export interface TimerHandle {
  cancel(): void;
}

/** Time and timers; `now()` is epoch milliseconds. */
export interface Clock {
  now(): number;
  /** Runs `fn` once after `delayMs`; the returned handle cancels it. Timers never keep the process alive. */
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  /** Resolves after `delayMs`, or rejects with the signal's reason when it aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, delayMs) {
    const t = setTimeout(fn, toTimerDelayMs(delayMs));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
  sleep(delayMs, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, toTimerDelayMs(delayMs));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
