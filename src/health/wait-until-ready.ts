/**
 * Polls a readiness probe until the service answers, the deadline passes, or the caller aborts.
 *
 * Policy:
 * - Probe at once, then back off in two stages. Fast: 1 ms growing ×1.5 up to 5 ms, kept for the
 *   first FAST_ATTEMPTS probes (~60 ms). An unpaused container answers 13–21 ms after the call
 *   (DOCKER-FACTS.md), so a wake from paused is noticed within ~5 ms of it, as before the cadence
 *   had a cap. Then slow: the gap grows ×1.5 again up to `health_check.interval` (100 ms by
 *   default), so a slow boot is probed about once per interval: a 10 s boot gets ~120 probes
 *   instead of thousands (each probe competes with the boot for CPU and fills the service's access
 *   log), and is still noticed within one interval of being ready.
 * - A refused connection (nothing listens yet: the kernel answers, not the app, and the app's log
 *   sees nothing) keeps the fast cadence for the first REFUSED_FAST_MS of the wait, however many
 *   probes that takes: a cold start whose app listens 100–300 ms after the start call is noticed
 *   within ~5 ms instead of within the 10–40 ms gaps of the slow stage (~200 refused connects at
 *   most, each a few tens of µs). Past that window, refusals count like any failure.
 * - Every probe is bounded by its own timeout (inside the probe) and by the time left before the
 *   deadline: a hung probe is abandoned when the deadline passes, even if it ignores its signal.
 * - All waiting goes through the injected Clock.
 * - Outcomes: resolves with the attempt count and the ready result; rejects with
 *   ReadinessDeadlineError (carrying the last result, so a timeout explains itself) when the
 *   deadline passes; rejects with `signal.reason` when the caller aborts.
 */
import type { Clock } from '../clock.ts';
import type { Upstream } from '../providers/container-provider.ts';
import type { ProbeResult, ReadinessProbe } from './readiness-probe.ts';

/** The deadline passed before the probe reported ready; `last` is the last completed probe result. */
export class ReadinessDeadlineError extends Error {
  readonly last: ProbeResult | null;
  readonly attempts: number;
  constructor(last: ProbeResult | null, attempts: number) {
    super(`not ready by the deadline after ${attempts} probe(s)${last ? ` (last probe: ${last.detail})` : ''}`);
    this.name = 'ReadinessDeadlineError';
    this.last = last;
    this.attempts = attempts;
  }
}

/** Options of waitUntilReady. `deadlineAt` is epoch ms on `clock`. */
export interface WaitUntilReadyOptions {
  readonly probe: ReadinessProbe;
  readonly upstream: Upstream | null;
  readonly clock: Clock;
  readonly deadlineAt: number;
  readonly signal: AbortSignal;
  /**
   * Delay in ms after failed attempt number `attempt` (1-based, counting only the attempts that
   * move the backoff on: see the refusal policy). Defaults to readinessBackoff.
   */
  readonly backoff?: (attempt: number) => number;
}

const FIRST_DELAY_MS = 1;
const GROWTH = 1.5;
const FAST_DELAY_MS = 5;
/** Probes made at most FAST_DELAY_MS apart before the gap grows towards the interval. */
export const FAST_ATTEMPTS = 14;
/** How long from the start of a wait a refused probe keeps the fast cadence. */
export const REFUSED_FAST_MS = 1_000;
/** The default cap of the delay between probes (health_check.interval). */
export const DEFAULT_PROBE_INTERVAL_MS = 100;

/**
 * The delay after failed attempt `attempt` (1-based): 1, 1.5, 2.25, 3.375, then 5 ms up to attempt
 * FAST_ATTEMPTS, then 7.5, 11.25 … ms, always capped at `intervalMs` (at least 1 ms).
 */
export function readinessBackoff(attempt: number, intervalMs: number = DEFAULT_PROBE_INTERVAL_MS): number {
  const fast = Math.min(FAST_DELAY_MS, FIRST_DELAY_MS * GROWTH ** (attempt - 1));
  const slow = FAST_DELAY_MS * GROWTH ** Math.min(Math.max(attempt - FAST_ATTEMPTS, 0), 64);
  return Math.min(Math.max(intervalMs, FIRST_DELAY_MS), attempt <= FAST_ATTEMPTS ? fast : slow);
}

/** Resolves once the probe reports ready; see the module header for the policy. */
export async function waitUntilReady(opts: WaitUntilReadyOptions): Promise<{ attempts: number; last: ProbeResult }> {
  const { clock, deadlineAt, signal } = opts;
  const backoff = opts.backoff ?? readinessBackoff;
  const startedAt = clock.now();
  let attempts = 0;
  /** Attempts that move the backoff on: a refusal early in the wait stops at the fast stage. */
  let paced = 0;
  let last: ProbeResult | null = null;
  for (;;) {
    signal.throwIfAborted();
    if (clock.now() >= deadlineAt) throw new ReadinessDeadlineError(last, attempts);
    attempts += 1;
    const result = await probeBeforeDeadline(opts);
    if (result === 'deadline') throw new ReadinessDeadlineError(last, attempts);
    last = result;
    if (last.ready) return { attempts, last };
    const remainingMs = deadlineAt - clock.now();
    if (remainingMs <= 0) throw new ReadinessDeadlineError(last, attempts);
    const refusedEarly = last.refused === true && clock.now() - startedAt < REFUSED_FAST_MS;
    if (!refusedEarly || paced < FAST_ATTEMPTS) paced += 1;
    await clock.sleep(Math.min(backoff(paced), remainingMs), signal);
  }
}

/** One probe, abandoned with 'deadline' when the deadline passes first; rejects with the caller's reason on abort. */
async function probeBeforeDeadline(opts: WaitUntilReadyOptions): Promise<ProbeResult | 'deadline'> {
  const { clock, signal } = opts;
  const deadline = new AbortController();
  const timer = clock.setTimeout(() => deadline.abort(), opts.deadlineAt - clock.now());
  const both = AbortSignal.any([signal, deadline.signal]);
  const { promise: aborted, reject } = Promise.withResolvers<never>();
  const onAbort = (): void => reject(both.reason);
  both.addEventListener('abort', onAbort, { once: true });
  try {
    const probed = opts.probe.check(opts.upstream, both).catch((err: unknown) => {
      if (both.aborted) throw err;
      return toFailedResult(err);
    });
    return await Promise.race([probed, aborted]);
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if (deadline.signal.aborted) return 'deadline';
    throw err;
  } finally {
    timer.cancel();
    both.removeEventListener('abort', onAbort);
  }
}

/** A probe that throws for anything but an abort breaks its contract: count it as a failed probe. */
function toFailedResult(err: unknown): ProbeResult {
  return { ready: false, detail: err instanceof Error ? err.message : String(err) };
}
