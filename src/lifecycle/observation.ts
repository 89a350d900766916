/**
 * What an observation of the runtime (an event, or an inspect) means for a service, decided
 * purely from the service's state and transition in flight.
 *
 * Policy: while wake-proxy is moving a service, what the runtime reports is the echo of our own
 * move (`pause` events can even arrive before the pause call returns) and is ignored, with one
 * exception: a container seen dying during a wake ends that wake at once. With nothing in flight,
 * an observation that disagrees with the state is an external change and is taken as the truth.
 */
import type { ContainerEvent, ContainerStatus } from '../providers/container-provider.ts';
import type { ServiceState } from './service-handle.ts';
import { stateAfterEvent, toServiceState, type Transition } from './service-state.ts';
import { isDead } from './wake-errors.ts';

/** The outcome of one observation. */
export type ObservationOutcome =
  | { readonly kind: 'ignore' }
  | { readonly kind: 'wake-died'; readonly exitCode: number | null }
  | { readonly kind: 'change'; readonly to: ServiceState }
  | { readonly kind: 'same' };

/** Either an event from the stream or the status from an inspect. */
export type Observation = ContainerEvent | ContainerStatus;

/** True when the observation is an event rather than an inspect result. */
export function isContainerEvent(observation: Observation): observation is ContainerEvent {
  return 'action' in observation;
}

function diesNow(observation: Observation): { exitCode: number | null } | null {
  if (isContainerEvent(observation)) {
    return observation.action === 'die' || observation.action === 'destroy' ? { exitCode: observation.exitCode } : null;
  }
  return isDead(observation) ? { exitCode: observation.exitCode } : null;
}

/** Decides what an observation means for a service in `state` with `transition` in flight. */
export function decideObservation(
  current: { readonly state: ServiceState; readonly transition: Transition | null },
  observation: Observation,
): ObservationOutcome {
  if (current.transition === 'waking') {
    const died = diesNow(observation);
    return died === null ? { kind: 'ignore' } : { kind: 'wake-died', exitCode: died.exitCode };
  }
  if (current.transition !== null) return { kind: 'ignore' };
  const to = isContainerEvent(observation) ? stateAfterEvent(observation.action) : toServiceState(observation.state);
  if (to === null) return { kind: 'ignore' };
  return to === current.state ? { kind: 'same' } : { kind: 'change', to };
}
