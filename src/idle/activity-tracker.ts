/**
 * Per-service activity accounting: how much work is in flight and when activity last happened.
 *
 * Policy: this sits on the request path, so every call is O(1) and arms no timer. The idle clock
 * is the scheduler's business; the tracker only calls `onIdle` when the in-flight count drops to
 * zero, which is the one moment the scheduler needs to look again.
 */
import type { Clock } from '../clock.ts';
import type { ActivitySnapshot } from './sleep-target.ts';

/** Counts in-flight work of one service and remembers when activity last happened. */
export class ActivityTracker {
  readonly #clock: Clock;
  readonly #onIdle: () => void;
  #inFlight = 0;
  #lastActivityAt: number;

  /** `onIdle` runs each time the in-flight count drops to zero. */
  constructor(clock: Clock, onIdle: () => void) {
    this.#clock = clock;
    this.#onIdle = onIdle;
    this.#lastActivityAt = clock.now();
  }

  /** Counts one unit of work until the returned release is called; release is idempotent. */
  track(): () => void {
    this.#inFlight += 1;
    this.#lastActivityAt = this.#clock.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#lastActivityAt = this.#clock.now();
      if (this.#inFlight === 0) this.#onIdle();
    };
  }

  /** Marks activity now without counting work (e.g. a state change, a request that may not wake). */
  touch(): void {
    this.#lastActivityAt = this.#clock.now();
  }

  /** The in-flight count and last activity time, as of now. */
  snapshot(): ActivitySnapshot {
    return { inFlight: this.#inFlight, lastActivityAt: this.#lastActivityAt };
  }
}
