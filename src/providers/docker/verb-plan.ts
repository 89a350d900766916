/**
 * Which Docker calls a provider verb needs, given the state inspect just saw. Pure.
 *
 * Policy: do only what is needed, so every verb is idempotent. `start` of a paused container is
 * an unpause (Docker refuses to start a paused one). `stop` of a paused container unpauses first:
 * a frozen process cannot handle SIGTERM, so Docker 20.10 would wait the whole stop timeout and
 * then SIGKILL it (exit 137) instead of letting it exit cleanly. A restarting container is left to
 * Docker's restart policy by `start`, and stopped by `stop`. `pause` of a container that is not
 * running has nothing to freeze. States Docker cannot act on (dead, removing) still get the call,
 * so Docker's refusal reaches the caller as a ProviderOperationError instead of a silent no-op.
 */
import type { ContainerRunState } from '../container-provider.ts';

/** A provider verb. */
export type ProviderVerb = 'start' | 'unpause' | 'pause' | 'stop';
/** One Docker API call on a container. */
export type DockerAction = 'start' | 'unpause' | 'pause' | 'stop';

type PlanTable = Readonly<Record<ProviderVerb, Readonly<Partial<Record<ContainerRunState, readonly DockerAction[]>>>>>;

const NOTHING: readonly DockerAction[] = [];

const PLANS: PlanTable = {
  start: {
    created: ['start'],
    exited: ['start'],
    dead: ['start'],
    removing: ['start'],
    paused: ['unpause'],
  },
  unpause: { paused: ['unpause'] },
  pause: { running: ['pause'] },
  stop: {
    running: ['stop'],
    restarting: ['stop'],
    paused: ['unpause', 'stop'],
  },
};

/** The Docker calls, in order, that take a container in `state` to what `verb` promises. */
export function planVerb(verb: ProviderVerb, state: ContainerRunState): readonly DockerAction[] {
  return PLANS[verb][state] ?? NOTHING;
}
