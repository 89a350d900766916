/**
 * One sleep or stop of a service: where it goes, and the provider calls that take its containers
 * down.
 *
 * Policy:
 * - A sleep goes where the policy's mode says (pause: SLEEPING, stop: STOPPED), except that a
 *   container made from an older spec is stopped instead of paused, so the next wake recreates it
 *   (wake-run.ts) while nothing is served.
 * - The first container is moved by its own provider call and the others at the same time
 *   (instance-set.ts); the settle is done when every call has returned. Only the first one's
 *   failure fails it: the others are logged and left out by the instance set.
 */
import type { ServiceConfig, SleepPolicy } from '../config/services-schema.ts';
import type { ContainerProvider } from '../providers/container-provider.ts';
import type { InstanceSet } from './instance-set.ts';
import type { TransitionVerb } from './service-state.ts';

/** A sleep or stop in flight; `promise` is set once its provider calls have been made. */
export interface SettleFlight {
  readonly to: 'SLEEPING' | 'STOPPED';
  promise?: Promise<void>;
}

/** Where a sleep of a service goes; see the module header. */
export function sleepTargetOf(policy: SleepPolicy, specStale: boolean): 'SLEEPING' | 'STOPPED' {
  if (specStale) return 'STOPPED';
  return policy.mode === 'pause' ? 'SLEEPING' : 'STOPPED';
}

/** Pauses or stops the service's first container and its other instances, all at once. */
export function takeDown(
  deps: { readonly config: ServiceConfig; readonly provider: ContainerProvider },
  instances: InstanceSet | null,
  verb: TransitionVerb,
): Promise<unknown> {
  const { provider, config } = deps;
  const primary = verb === 'pause' ? provider.pause(config.container) : provider.stop(config.container);
  return Promise.all([primary, instances?.takeDown(verb === 'pause' ? 'pause' : 'stop')]);
}
