/**
 * The idle decision, pure: given a service's state, activity and sleep policy at `now`, should the
 * scheduler put it to sleep, stop it, wait until a given time, or do nothing until notified?
 *
 * Policy:
 * - Never: sleep disabled (`enabled: false`, which priority high implies), or a transition (wake,
 *   sleep, stop) in flight: the scheduler is notified again when it settles.
 * - Never while work is in flight (requests, WebSockets, streams): notified when it drops to zero.
 * - Never while a service that depends on this one is awake: notified when a dependent sleeps.
 * - RUNNING sleeps at max(lastActivityAt + idleTimeoutMs, stateSince + minUptimeMs). "sleep" means
 *   the policy's mode: the controller pauses (SLEEPING) or stops (STOPPED).
 * - SLEEPING stops at stateSince + maxSleepTimeMs, when a max sleep time is set.
 * - STOPPED is final as far as idleness goes.
 * The two "in flight / dependents" guards apply to SLEEPING as well: stopping a paused container
 * with a connection still counted, or under an awake dependent, would break that work.
 */
import type { SleepPolicy } from '../config/services-schema.ts';
import type { ServiceState } from '../lifecycle/service-handle.ts';
import type { ActivitySnapshot } from './sleep-target.ts';

/** Everything the idle decision depends on; `now` and times are epoch ms. */
export interface SleepDecisionInput {
  readonly state: ServiceState;
  readonly transitionInFlight: boolean;
  readonly activity: ActivitySnapshot;
  readonly stateSince: number;
  readonly dependentsAwake: boolean;
  readonly policy: SleepPolicy;
  readonly now: number;
}

/** What the scheduler should do: nothing, act now, or look again at `at` (epoch ms). */
export type SleepDecision =
  | { readonly action: 'none' }
  | { readonly action: 'sleep' | 'stop' }
  | { readonly action: 'wait'; readonly at: number };

const NONE: SleepDecision = { action: 'none' };
const SLEEP: SleepDecision = { action: 'sleep' };
const STOP: SleepDecision = { action: 'stop' };

/** Decides what the idle scheduler does for one service now; see the module header for the rules. */
export function decideSleep(input: SleepDecisionInput): SleepDecision {
  const { state, policy } = input;
  if (!policy.enabled || input.transitionInFlight || state === 'STOPPED') return NONE;
  if (input.activity.inFlight > 0 || input.dependentsAwake) return NONE;
  if (state === 'RUNNING') {
    const due = Math.max(input.activity.lastActivityAt + policy.idleTimeoutMs, input.stateSince + policy.minUptimeMs);
    return input.now >= due ? SLEEP : { action: 'wait', at: due };
  }
  if (policy.maxSleepTimeMs === null) return NONE;
  const due = input.stateSince + policy.maxSleepTimeMs;
  return input.now >= due ? STOP : { action: 'wait', at: due };
}
