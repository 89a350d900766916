/**
 * A Swarm task container's event → a hint about its service, with no I/O.
 *
 * Policy: tasks come and go while a service stays (Swarm replaces a dead task by itself), so a
 * task container's event never moves a service's state directly. A task that starts or ends
 * becomes a `start` or `stop` event named after its service, which the registry treats as a hint
 * (it inspects the service and adopts what the inspect says). The hint has no container id: a
 * service is never matched by the id of one of its tasks.
 */
import type { ContainerEvent } from '../container-provider.ts';

const HINTS: Readonly<Partial<Record<ContainerEvent['action'], 'start' | 'stop'>>> = {
  start: 'start',
  unpause: 'start',
  die: 'stop',
  stop: 'stop',
  destroy: 'stop',
};

/** The service-level hint for a task container's event, or null (not a task, or nothing to tell). */
export function toSwarmHint(event: ContainerEvent): ContainerEvent | null {
  const service = event.swarmService ?? null;
  const action = HINTS[event.action];
  if (service === null || action === undefined) return null;
  return { action, id: '', name: service, composeService: null, swarmService: service, exitCode: null, time: event.time };
}
