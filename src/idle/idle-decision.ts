/**
 * The idle decision, pure: given a service's state, activity and sleep policy at `now`, should the
 * scheduler put it to sleep, stop it, wait until a given time, or do nothing until notified?
 *
 * Policy:
 * - Never: sleep disabled (`enabled: false`, which priority high implies), or a transition (wake,
 *   sleep, stop) in flight: the scheduler is notified again when it settles.
 * - Never while work is in flight (requests, WebSockets, streams): notified when it drops to zero.
 * - Never while a service that depends on this one is awake: notified when a dependent sleeps.
 * - RUNNING sleeps at max(lastActivityAt + idle timeout, stateSince + minUptimeMs). "sleep" means
 *   the policy's mode: the controller pauses (SLEEPING) or stops (STOPPED).
 * - Flap damping: a request that wakes a service less than min_sleep_time after an idle sleep
 *   shows that sleep was premature (a flap). After `flaps` consecutive flaps the idle timeout is
 *   idleTimeoutMs * 2^min(flaps, 3), so at most 8x; a sleep that lasts min_sleep_time resets it.
 *   Only the next sleep is postponed: a wake is never delayed (requests are served at once, and
 *   proactive wakes, admin or auto_start, are operator intent). Sleeps the idle timer did not
 *   choose (admin, external) and wakes no request asked for never count as flaps; dependencies
 *   need no count of their own, since they sleep only after their (damped) dependents.
 * - Busy on CPU is not idle: with `idle_cpu_threshold` set, a RUNNING service that is due to sleep
 *   but whose last sampled CPU use is above it stays up, and is looked at again after
 *   `cpuRecheckMs` (the resource sampling interval), with `reason: 'cpu'` so the scheduler can
 *   say so. With no sample yet, requests alone decide.
 * - SLEEPING stops at stateSince + maxSleepTimeMs, when a max sleep time is set.
 * - STOPPED is final as far as idleness goes.
 * The two "in flight / dependents" guards apply to SLEEPING as well: stopping a paused container
 * with a connection still counted, or under an awake dependent, would break that work.
 */
import type { SleepPolicy } from '../config/services-schema.ts';
import type { ServiceState, TransitionCause } from '../lifecycle/service-handle.ts';
import type { ActivitySnapshot } from './sleep-target.ts';

/** Everything the idle decision depends on; `now` and times are epoch ms. */
export interface SleepDecisionInput {
  readonly state: ServiceState;
  readonly transitionInFlight: boolean;
  readonly activity: ActivitySnapshot;
  readonly stateSince: number;
  readonly dependentsAwake: boolean;
  readonly policy: SleepPolicy;
  /** Consecutive premature sleeps (flaps): each one doubles the idle timeout, up to 8x. */
  readonly flaps: number;
  /** CPU used lately, in cores, from resource sampling; null when not sampled. */
  readonly cpuCores: number | null;
  /** How long a sleep held back by CPU use waits before the decision is taken again (ms). */
  readonly cpuRecheckMs?: number;
  readonly now: number;
}

/** Default of `cpuRecheckMs`: the resource sampling interval. */
export const CPU_RECHECK_MS = 15_000;

/** What the scheduler should do: nothing, act now, or look again at `at` (epoch ms). */
export type SleepDecision =
  | { readonly action: 'none' }
  | { readonly action: 'sleep' | 'stop' }
  | { readonly action: 'wait'; readonly at: number; readonly reason?: 'cpu' };

const NONE: SleepDecision = { action: 'none' };
const SLEEP: SleepDecision = { action: 'sleep' };
const STOP: SleepDecision = { action: 'stop' };

/** Decides what the idle scheduler does for one service now; see the module header for the rules. */
export function decideSleep(input: SleepDecisionInput): SleepDecision {
  const { state, policy } = input;
  if (!policy.enabled || input.transitionInFlight || state === 'STOPPED') return NONE;
  if (input.activity.inFlight > 0 || input.dependentsAwake) return NONE;
  if (state === 'RUNNING') {
    const idleTimeoutMs = dampedIdleTimeoutMs(policy.idleTimeoutMs, input.flaps);
    const due = Math.max(input.activity.lastActivityAt + idleTimeoutMs, input.stateSince + policy.minUptimeMs);
    if (input.now < due) return { action: 'wait', at: due };
    const threshold = policy.idleCpuThreshold;
    if (threshold !== null && input.cpuCores !== null && input.cpuCores > threshold) {
      return { action: 'wait', at: input.now + (input.cpuRecheckMs ?? CPU_RECHECK_MS), reason: 'cpu' };
    }
    return SLEEP;
  }
  if (policy.maxSleepTimeMs === null) return NONE;
  const due = input.stateSince + policy.maxSleepTimeMs;
  return input.now >= due ? STOP : { action: 'wait', at: due };
}

/**
 * When the idle timer will put a RUNNING service to sleep, as things stand at `input.now`: the
 * decision's due time (now, when it is already due), or null when nothing is scheduled: not
 * RUNNING, sleep disabled, work in flight, an awake dependent or a transition under way (each of
 * those notifies the scheduler when it ends, and the time is computed again then).
 */
export function nextSleepAt(input: SleepDecisionInput): number | null {
  if (input.state !== 'RUNNING') return null;
  const decision = decideSleep(input);
  if (decision.action === 'wait') return decision.at;
  return decision.action === 'sleep' ? input.now : null;
}

/** The idle timeout in force now (damped), or null when the policy never sleeps. */
export function effectiveIdleTimeoutMs(policy: SleepPolicy, flaps: number): number | null {
  return policy.enabled ? dampedIdleTimeoutMs(policy.idleTimeoutMs, flaps) : null;
}

/** Flaps past this many no longer lengthen the idle timeout: it grows to at most 2^3 = 8 times. */
export const MAX_FLAP_DOUBLINGS = 3;

/** The idle timeout in force after `flaps` consecutive premature sleeps (ms). */
export function dampedIdleTimeoutMs(idleTimeoutMs: number, flaps: number): number {
  return idleTimeoutMs * 2 ** Math.min(Math.max(0, flaps), MAX_FLAP_DOUBLINGS);
}

/** A sleep ended by a wake, as flap damping sees it; times are epoch ms. */
export interface EndedSleep {
  /** Consecutive flaps before this wake. */
  readonly flaps: number;
  readonly sleptAt: number;
  /** What put the service to sleep: only 'idle' can be premature. */
  readonly sleepCause: TransitionCause;
  /** What woke it: only 'request' proves a sleep premature. */
  readonly wakeCause: TransitionCause;
  readonly minSleepTimeMs: number;
  readonly now: number;
}

/** The flap count once a wake ends a sleep: reset, one more, or unchanged (see the module header). */
export function flapsAfterWake(sleep: EndedSleep): number {
  if (sleep.now - sleep.sleptAt >= sleep.minSleepTimeMs) return 0;
  return sleep.sleepCause === 'idle' && sleep.wakeCause === 'request' ? sleep.flaps + 1 : sleep.flaps;
}
