/**
 * A Clock for unit tests: time moves only when the test calls `advance`. Timers fire in time order
 * (ties in the order they were scheduled), including timers scheduled by timers that fire during
 * the same `advance`. Promise continuations run later, on the microtask queue, as with real timers.
 */
import type { Clock, TimerHandle } from '../../src/clock.ts';

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Deterministic, manually advanced Clock. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<PendingTimer>();

  constructor(startAt = 1_700_000_000_000) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer: PendingTimer = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, fn };
    this.#timers.add(timer);
    return { cancel: () => this.#timers.delete(timer) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        handle.cancel();
        reject(signal?.reason);
      };
      const handle = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in time order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (let next = this.#nextDue(target); next !== undefined; next = this.#nextDue(target)) {
      this.#timers.delete(next);
      this.#now = next.at;
      next.fn();
    }
    this.#now = target;
  }

  /**
   * Like `advance`, but lets promise continuations run after each timer fires (one macrotask
   * turn), so a timer armed by async code that a timer woke also fires when it falls due inside
   * the window: polling loops (`await clock.sleep(5)` in a loop) advance as they would in real time.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (let next = this.#nextDue(target); next !== undefined; next = this.#nextDue(target)) {
      this.#timers.delete(next);
      this.#now = next.at;
      next.fn();
      await settle();
    }
    this.#now = target;
  }

  /** Number of timers scheduled and not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.size;
  }

  #nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers) {
      if (t.at > limit) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Resolves after every microtask queued so far has run (one macrotask turn). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
