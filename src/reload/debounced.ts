/** One call of `fn`, `delayMs` after the last of a burst of `soon()` calls; on the injected clock. */
import type { Clock, TimerHandle } from '../clock.ts';

/** A debounced action. */
export interface Debounced {
  /** Asks for the action; a burst of asks runs it once, `delayMs` after the last. */
  soon(): void;
  /** Drops an action not yet run. */
  cancel(): void;
}

/** Wraps `fn` so bursts of requests run it once. */
export function debounced(clock: Clock, delayMs: number, fn: () => void): Debounced {
  let timer: TimerHandle | null = null;
  return {
    soon() {
      timer?.cancel();
      timer = clock.setTimeout(() => {
        timer = null;
        fn();
      }, delayMs);
    },
    cancel() {
      timer?.cancel();
      timer = null;
    },
  };
}
