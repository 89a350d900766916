/**
 * The service state machine as data: three states, the transitions wake-proxy may perform, and
 * how Docker's container states and events map onto the three states.
 *
 * Policy: only the five transitions in TRANSITIONS are ever *performed* by wake-proxy; anything
 * else is a bug and throws InvalidTransitionError. States *observed* from the runtime (a container
 * started or paused by hand, a crash) are the truth and are taken as they are: the table guards
 * our own actions, not the world's. Work in progress is a `Transition`, never a fourth state.
 */
import { InvalidTransitionError } from '../errors.ts';
import type { ContainerEvent, ContainerRunState } from '../providers/container-provider.ts';
import type { ServiceState } from './service-handle.ts';

/** The three states, in a fixed order (for tables and metrics). */
export const SERVICE_STATES: readonly ServiceState[] = ['RUNNING', 'SLEEPING', 'STOPPED'];

/** A transition in flight: derived, never stored as a state. */
export type Transition = 'waking' | 'sleeping' | 'stopping';

/** The provider verb that performs an allowed transition. */
export type TransitionVerb = 'start' | 'unpause' | 'pause' | 'stop';

/** Every transition wake-proxy may perform, keyed `FROM->TO`, with the verb that performs it. */
export const TRANSITIONS: ReadonlyMap<string, TransitionVerb> = new Map([
  ['STOPPED->RUNNING', 'start'],
  ['SLEEPING->RUNNING', 'unpause'],
  ['RUNNING->SLEEPING', 'pause'],
  ['RUNNING->STOPPED', 'stop'],
  ['SLEEPING->STOPPED', 'stop'],
]);

/** True when wake-proxy may move a service from `from` to `to`. */
export function isAllowedTransition(from: ServiceState, to: ServiceState): boolean {
  return TRANSITIONS.has(`${from}->${to}`);
}

/** Returns the verb for an allowed transition; throws InvalidTransitionError for any other. */
export function assertTransition(service: string, from: ServiceState, to: ServiceState): TransitionVerb {
  const verb = TRANSITIONS.get(`${from}->${to}`);
  if (verb === undefined) throw new InvalidTransitionError(service, from, to);
  return verb;
}

/** The transition in flight when moving towards `to`. */
export function transitionTowards(to: ServiceState): Transition {
  if (to === 'RUNNING') return 'waking';
  return to === 'SLEEPING' ? 'sleeping' : 'stopping';
}

/**
 * Docker's container state → service state. `restarting` counts as RUNNING (Docker is bringing
 * it back by itself); everything that is neither running nor paused is STOPPED, including a
 * container that does not exist.
 */
export function toServiceState(state: ContainerRunState): ServiceState {
  switch (state) {
    case 'running':
    case 'restarting':
      return 'RUNNING';
    case 'paused':
      return 'SLEEPING';
    case 'created':
    case 'exited':
    case 'dead':
    case 'removing':
    case 'missing':
      return 'STOPPED';
  }
}

/** The service state a container event implies, or null when the event says nothing about it. */
export function stateAfterEvent(action: ContainerEvent['action']): ServiceState | null {
  switch (action) {
    case 'start':
    case 'unpause':
      return 'RUNNING';
    case 'pause':
      return 'SLEEPING';
    case 'die':
    case 'stop':
    case 'destroy':
    case 'create':
      return 'STOPPED';
    case 'health_status':
    case 'resync':
      return null;
  }
}
