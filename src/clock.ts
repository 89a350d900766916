/**
 * The only source of time and timers in wake-proxy. Policy modules (idle scheduling, readiness
 * polling, event-stream backoff) take a Clock so unit tests can drive them with a manual clock.
 */

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
    const t = setTimeout(fn, delayMs);
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
      }, delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
