/**
 * What follows each transition wake-proxy performs, once per transition and not once per waiting
 * caller: the counters, the replicas' shared figures, the memory reservation, one log line, and
 * the wake event.
 *
 * Policy:
 * - Flap damping (idle-decision.ts) judges a wake when it starts, and only lengthens the next idle
 *   timeout; it is logged at info each time the timeout grows (not again once it is at 8x).
 * - A wake is counted and reported (`service woke`, the wake event) only when the service or one
 *   of its dependencies had to be woken; confirming the readiness of a RUNNING container logs
 *   `service readiness confirmed` and counts its probes, nothing more. Waking only a dependency
 *   counts for the dependency.
 * - The shared figures count a wake once: by the replica whose provider call woke the container.
 * - A failed wake is logged here, once, because many callers share it: an expected failure (a
 *   WakeProxyError) is one line with its code and details and no stack; anything else is a bug
 *   and keeps its stack.
 * - The memory reservation is lowered after a sleep and restored after a wake (sleep-reservation.ts).
 */
import type { Clock } from '../clock.ts';
import type { SleepPolicy } from '../config/services-schema.ts';
import { WakeProxyError } from '../errors.ts';
import { dampedIdleTimeoutMs } from '../idle/idle-decision.ts';
import type { Logger } from '../logging/logger.ts';
import type { ServiceShare } from '../state/shared-state.ts';
import type { ServiceCounters } from './service-counters.ts';
import type { ServiceState, TransitionCause } from './service-handle.ts';
import type { SleepReservation } from './sleep-reservation.ts';
import type { WakeEvent } from './wake-event.ts';
import type { WakeRun } from './wake-run.ts';

/** Where the effects of one service's transitions go. */
export interface TransitionEffectsDeps {
  readonly name: string;
  readonly counters: ServiceCounters;
  readonly clock: Clock;
  readonly log: Logger;
  readonly reservation: SleepReservation;
  readonly share: ServiceShare | undefined;
  readonly onWake: ((event: WakeEvent) => void) | undefined;
}

/** How a sleep or stop was asked for, and the line it logs when it is done. */
export interface SettleDone {
  readonly from: ServiceState;
  readonly cause: TransitionCause;
  readonly message: string;
}

/** Counts, logs and reports the transitions of one service; see the module header. */
export class TransitionEffects {
  readonly #deps: TransitionEffectsDeps;

  constructor(deps: TransitionEffectsDeps) {
    this.#deps = deps;
  }

  /** A wake of a service not RUNNING starts: it ends the current sleep, which may have been a flap. */
  wakeStarting(cause: TransitionCause, policy: SleepPolicy): void {
    const { counters, clock, log } = this.#deps;
    const { minSleepTimeMs, idleTimeoutMs } = policy;
    const before = dampedIdleTimeoutMs(idleTimeoutMs, counters.flaps);
    if (!counters.wakeStarted(cause, clock.now(), minSleepTimeMs)) return;
    const flaps = counters.flaps;
    const after = dampedIdleTimeoutMs(idleTimeoutMs, flaps);
    if (after > before) log.info({ flaps, idleTimeoutMs: after, configuredIdleTimeoutMs: idleTimeoutMs, minSleepTimeMs }, 'premature sleep damped');
  }

  /** A wake ended ready; `woke` is false when it only confirmed the readiness of a RUNNING container. */
  wakeReady(run: WakeRun, cause: TransitionCause, woke: boolean, held: number): void {
    const { counters, clock, log } = this.#deps;
    const fields = run.timeline.toLogFields({ held, probes: run.probes });
    counters.probes += run.probes;
    if (!woke) return log.info(fields, 'service readiness confirmed');
    const { dependencyMs, providerMs, runningMs, readyMs } = fields;
    const phases = { dependencyMs, providerMs, runningMs, readyMs };
    const wake = { from: fields.from, cause, totalMs: fields.totalMs, phases, at: clock.now() };
    counters.woke(wake);
    if (run.acted) this.#deps.share?.recordWake(wake);
    log.info(fields, 'service woke');
    this.#deps.reservation.restore();
    this.#deps.onWake?.({ service: this.#deps.name, ok: true, fields, at: clock.now() });
  }

  /** A wake failed with `err`, the error every waiting caller gets. */
  wakeFailed(run: WakeRun, err: Error, woke: boolean, held: number): void {
    const { counters, clock, log } = this.#deps;
    counters.probes += run.probes;
    if (woke) counters.wakeFailures += 1;
    const fields = run.timeline.toLogFields({ held, probes: run.probes });
    const step = run.timeline.currentStep();
    const why = err instanceof WakeProxyError ? { code: err.code, reason: err.message, ...detailsOf(err) } : { err };
    log.warn({ ...fields, step, ...why }, woke ? 'wake failed' : 'readiness not confirmed');
    if (woke) this.#deps.onWake?.({ service: this.#deps.name, ok: false, fields, code: errorCode(err), step, at: clock.now() });
  }

  /** A sleep or stop that began at `startedAt` (epoch ms) is done; `reservationBytes` from the policy. */
  settled(to: 'SLEEPING' | 'STOPPED', how: SettleDone, startedAt: number, reservationBytes: number | null): void {
    const { counters, clock, log } = this.#deps;
    counters.settled(to);
    this.#deps.share?.recordSettle(to);
    if (to === 'SLEEPING' && reservationBytes !== null) this.#deps.reservation.lower(reservationBytes);
    log.info({ from: how.from, to, cause: how.cause, durationMs: clock.now() - startedAt }, how.message);
  }
}

/** The stable code of a wake error (`WP_INTERNAL` for anything that is not ours). */
function errorCode(err: unknown): string {
  return err instanceof WakeProxyError ? err.code : 'WP_INTERNAL';
}

/** The structured details a wake error carries (exit code, last probe…), for its log line. */
function detailsOf(err: WakeProxyError): { details?: unknown } {
  return 'details' in err ? { details: err.details } : {};
}
