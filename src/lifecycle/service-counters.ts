/**
 * Per-service counters behind the seeds' ServiceMetrics: how often a service woke, slept, stopped
 * and failed to wake, its last wake, and how long it has been RUNNING in total. Only transitions
 * wake-proxy performs are counted; uptime follows every state change, observed ones included.
 *
 * It also keeps the flap count of flap damping (the rule is `flapsAfterWake`): when and why the
 * service last left RUNNING, judged when the next wake starts. A sleep that began while the
 * service was not RUNNING (startup) is not known, and a wake of a service already RUNNING again
 * (started by hand) ends none: neither changes the count.
 */
import { flapsAfterWake } from '../idle/idle-decision.ts';
import type { ServiceState, TransitionCause } from './service-handle.ts';

/** The last successful wake of a service. */
export interface LastWake {
  readonly from: ServiceState;
  readonly cause: TransitionCause;
  readonly totalMs: number;
  /** How long each phase took (null for a phase not run, e.g. readiness on a resume). */
  readonly phases: {
    readonly dependencyMs: number | null;
    readonly providerMs: number | null;
    readonly runningMs: number | null;
    readonly readyMs: number | null;
  };
  /** Epoch ms at which it became ready. */
  readonly at: number;
}

/** Counters of one service; times are epoch ms from the controller's clock. */
export class ServiceCounters {
  wakeCount = 0;
  sleepCount = 0;
  stopCount = 0;
  wakeFailures = 0;
  /** Readiness probes run, in wakes and readiness confirmations alike. */
  probes = 0;
  lastWake: LastWake | null = null;
  /** Consecutive premature sleeps (flap damping). */
  flaps = 0;
  #uptimeMs = 0;
  #runningSince: number | null;
  #asleep: { readonly at: number; readonly cause: TransitionCause } | null = null;

  constructor(state: ServiceState, now: number) {
    this.#runningSince = state === 'RUNNING' ? now : null;
  }

  /** Follows a state change, for the uptime sum and for when (and why) the service went to sleep. */
  stateChanged(to: ServiceState, cause: TransitionCause, now: number): void {
    if (this.#runningSince !== null) this.#uptimeMs += now - this.#runningSince;
    if (this.#runningSince !== null && to !== 'RUNNING') this.#asleep = { at: now, cause };
    if (to === 'RUNNING') this.#asleep = null;
    this.#runningSince = to === 'RUNNING' ? now : null;
  }

  /** A wake starts and ends the current sleep, if known. True when that sleep was a flap. */
  wakeStarted(cause: TransitionCause, now: number, minSleepTimeMs: number): boolean {
    if (this.#asleep === null) return false;
    const before = this.flaps;
    const { at: sleptAt, cause: sleepCause } = this.#asleep;
    this.flaps = flapsAfterWake({ flaps: before, sleptAt, sleepCause, wakeCause: cause, minSleepTimeMs, now });
    this.#asleep = null;
    return this.flaps > before;
  }

  /** Counts a successful wake. */
  woke(wake: LastWake): void {
    this.wakeCount += 1;
    this.lastWake = wake;
  }

  /** Counts a transition to sleep performed by wake-proxy. */
  settled(to: 'SLEEPING' | 'STOPPED'): void {
    if (to === 'SLEEPING') this.sleepCount += 1;
    else this.stopCount += 1;
  }

  /** Total time spent RUNNING, including the current stretch. */
  totalUptimeMs(now: number): number {
    return this.#uptimeMs + (this.#runningSince === null ? 0 : now - this.#runningSince);
  }
}
