/**
 * Holding requests while their service wakes.
 *
 * Policy:
 * - At most `max_held_requests` requests wait per service; one more gets 503 with Retry-After,
 *   because each held request keeps a socket (and up to a socket buffer of its body) in memory.
 * - A held request waits on the service's shared wake (`ensureAwake`, single-flight), never on a
 *   wake of its own. It stops waiting when its client goes away or at a backstop deadline of
 *   `health_check.timeout + 5 s` (the controller itself gives up at `health_check.timeout` with
 *   WakeTimeoutError; the backstop only guards against a wake that never settles).
 * - A client that gives up stops only its own wait; the wake goes on for the others. Giving up
 *   means the connection closed or reset; a half-close (FIN) is not giving up (half-open.ts).
 * - Every listener and timer a hold sets up is removed when the hold ends. No `AbortSignal.timeout`
 *   or `AbortSignal.any` here: a timeout signal lives until its timer fires (a burst of holds that
 *   fail fast would keep each one for the whole backstop), and composite signals of a long-lived
 *   signal pile up weak references in it.
 * - The held request's body is never read here: Node stops reading the socket once its buffer is
 *   full, so a large upload waits in the kernel until it is forwarded.
 */
import { toTimerDelayMs } from '../clock.ts';
import { HoldQueueFullError, WakeTimeoutError } from '../errors.ts';
import type { ServiceHandle } from '../lifecycle/service-handle.ts';
import type { Upstream } from '../providers/container-provider.ts';

/** Extra time past health_check.timeout before a held request stops waiting by itself. */
export const HOLD_BACKSTOP_MS = 5_000;
/** Upper bound of Retry-After: a wake that fails is retried by clients within this many seconds. */
export const MAX_RETRY_AFTER_S = 10;

/** What a held request gets once its service is ready. */
export interface HoldResult {
  readonly upstream: Upstream;
  /** How long the request waited for a wake; null when none was needed (readiness only confirmed). */
  readonly waitedForWakeMs: number | null;
}

/** Retry-After for "come back later" answers: the wake deadline in seconds, between 1 and 10. */
export function retryAfterSeconds(wakeTimeoutMs: number): number {
  return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(wakeTimeoutMs / 1000)));
}

function untilAborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = (): void => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** Counts held requests per service and waits for wakes with a cap, a deadline and client abort. */
export class RequestHolder {
  readonly #held = new Map<string, number>();

  /** Requests held now for `service`. */
  heldCount(service: string): number {
    return this.#held.get(service) ?? 0;
  }

  /**
   * Waits until the service is ready. Resolves with null when `clientGone` aborted first (nothing
   * must be written then). Rejects with HoldQueueFullError when the cap is reached, with
   * WakeTimeoutError at the backstop, or with whatever `ensureAwake` rejects with.
   */
  async hold(handle: ServiceHandle, clientGone: AbortSignal): Promise<HoldResult | null> {
    const service = handle.name;
    const limit = handle.config.maxHeldRequests;
    const held = this.heldCount(service);
    if (held >= limit) {
      throw new HoldQueueFullError(service, limit, retryAfterSeconds(handle.config.healthCheck.timeoutMs));
    }
    if (clientGone.aborted) return null;
    this.#held.set(service, held + 1);
    // Clamped: a timeout at the config limit plus the margin would overflow the timer (fired at 1 ms).
    const backstopMs = toTimerDelayMs(handle.config.healthCheck.timeoutMs + HOLD_BACKSTOP_MS);
    const stop = new AbortController();
    const onGone = (): void => stop.abort(clientGone.reason);
    clientGone.addEventListener('abort', onGone, { once: true });
    const backstop = setTimeout(() => stop.abort(new Error('hold backstop reached')), backstopMs);
    backstop.unref();
    const aborted = untilAborted(stop.signal);
    const wake = handle.ensureAwake('request', stop.signal);
    // The wait may end by abort first; the wake's own outcome then belongs to the others.
    wake.catch(() => {});
    try {
      const { upstream, waitedForWakeMs } = await Promise.race([wake, aborted.promise]);
      // The config refuses a route to a service without a port: this is a bug if it happens.
      if (upstream === null) throw new Error(`service "${service}" has no port to forward to`);
      return { upstream, waitedForWakeMs };
    } catch (err) {
      if (clientGone.aborted) return null;
      if (stop.signal.aborted) throw new WakeTimeoutError({ service, step: 'ready', waitedMs: backstopMs });
      throw err;
    } finally {
      clearTimeout(backstop);
      clientGone.removeEventListener('abort', onGone);
      aborted.dispose();
      this.#release(service);
    }
  }

  #release(service: string): void {
    const left = this.heldCount(service) - 1;
    if (left > 0) this.#held.set(service, left);
    else this.#held.delete(service);
  }
}
