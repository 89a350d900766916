/**
 * The phases of one wake, turned into the one log line a wake produces (STYLE P11). A wake runs
 * four steps in order: wake dependencies, call the provider (unpause/start), see the container
 * running with an address, probe until ready. Each step's duration is the time between the end of
 * the previous step and its own end; a step not reached is null.
 */
import type { Clock } from '../clock.ts';
import type { ServiceState, TransitionCause } from './service-handle.ts';

/** The steps of a wake, in order; a failure names the step it was stuck in. */
export const WAKE_STEPS = ['dependency', 'provider', 'running', 'ready'] as const;

/** One step of a wake. */
export type WakeStep = (typeof WAKE_STEPS)[number];

/** The fields of the `service woke` / `wake failed` log lines (the service is bound by the child logger). */
export interface WakeLogFields {
  readonly from: ServiceState;
  readonly cause: TransitionCause;
  /** Callers that waited for this wake (held requests, dependents, admin calls). */
  readonly held: number;
  readonly dependencyMs: number | null;
  readonly providerMs: number | null;
  readonly runningMs: number | null;
  readonly readyMs: number | null;
  readonly totalMs: number;
  /** Readiness probes run during this wake. */
  readonly probes: number;
}

/** Phase marks of one wake, read from an injected clock. */
export class WakeTimeline {
  readonly service: string;
  readonly from: ServiceState;
  readonly cause: TransitionCause;
  readonly startedAt: number;
  readonly #clock: Clock;
  readonly #ends = new Map<WakeStep, number>();

  constructor(clock: Clock, start: { service: string; from: ServiceState; cause: TransitionCause }) {
    this.#clock = clock;
    this.service = start.service;
    this.from = start.from;
    this.cause = start.cause;
    this.startedAt = clock.now();
  }

  /** Records that `step` has just ended. */
  complete(step: WakeStep): void {
    this.#ends.set(step, this.#clock.now());
  }

  /** The first step not completed yet: where a failure happened. */
  currentStep(): WakeStep {
    return WAKE_STEPS.find((s) => !this.#ends.has(s)) ?? 'ready';
  }

  /** Milliseconds since the wake began. */
  elapsedMs(): number {
    return this.#clock.now() - this.startedAt;
  }

  /** The log object, with the durations of the steps reached so far. */
  toLogFields(counts: { held: number; probes: number }): WakeLogFields {
    const durations: Partial<Record<WakeStep, number | null>> = {};
    let previous = this.startedAt;
    for (const step of WAKE_STEPS) {
      const end = this.#ends.get(step);
      durations[step] = end === undefined ? null : end - previous;
      if (end !== undefined) previous = end;
    }
    return {
      from: this.from,
      cause: this.cause,
      held: counts.held,
      dependencyMs: durations.dependency ?? null,
      providerMs: durations.provider ?? null,
      runningMs: durations.running ?? null,
      readyMs: durations.ready ?? null,
      totalMs: this.elapsedMs(),
      probes: counts.probes,
    };
  }
}
