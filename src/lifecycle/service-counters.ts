/**
 * Per-service counters behind the seeds' ServiceMetrics: how often a service woke, slept, stopped
 * and failed to wake, its last wake, and how long it has been RUNNING in total. Only transitions
 * wake-proxy performs are counted; uptime follows every state change, observed ones included.
 */
import type { ServiceState, TransitionCause } from './service-handle.ts';

/** The last successful wake of a service. */
export interface LastWake {
  readonly from: ServiceState;
  readonly cause: TransitionCause;
  readonly totalMs: number;
  /** Epoch ms at which it became ready. */
  readonly at: number;
}

/** Counters of one service; times are epoch ms from the controller's clock. */
export class ServiceCounters {
  wakeCount = 0;
  sleepCount = 0;
  stopCount = 0;
  wakeFailures = 0;
  lastWake: LastWake | null = null;
  #uptimeMs = 0;
  #runningSince: number | null;

  constructor(state: ServiceState, now: number) {
    this.#runningSince = state === 'RUNNING' ? now : null;
  }

  /** Follows a state change, for the uptime sum. */
  stateChanged(to: ServiceState, now: number): void {
    if (this.#runningSince !== null) this.#uptimeMs += now - this.#runningSince;
    this.#runningSince = to === 'RUNNING' ? now : null;
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
