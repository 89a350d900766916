/**
 * Docker's inspect answer → ContainerStatus, with no I/O.
 *
 * Policy: Docker's state string is trusted when it is one we know; an unknown one falls back on
 * the Running/Paused flags, else counts as exited (not runnable without a start). Health is passed
 * through unchanged: Docker reports a paused container as `unhealthy` and turns it `healthy` only
 * at the next HEALTHCHECK interval after unpause (moby/moby#46203), so readiness must not rest on
 * it alone; that is the health module's call, not this mapper's. The exit code is only reported
 * for a container that is no longer running, so a restarted container does not look crashed.
 */
import type { ContainerHealth, ContainerRunState, ContainerStatus } from '../container-provider.ts';
import type { InspectData } from './inspect-data.ts';
import { resolveUpstream } from './upstream-address.ts';

const RUN_STATES: ReadonlySet<string> = new Set<ContainerRunState>([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);
const HEALTH_STATES: ReadonlySet<string> = new Set<ContainerHealth>(['starting', 'healthy', 'unhealthy']);
/** Docker's zero time, used for "never started". */
const ZERO_TIME_PREFIX = '0001-01-01';

/** Docker's run state for an inspect answer. */
export function toRunState(state: InspectData['State']): ContainerRunState {
  const status = state.Status.toLowerCase();
  if (RUN_STATES.has(status)) return status as ContainerRunState;
  if (state.Paused) return 'paused';
  if (state.Running) return 'running';
  return 'exited';
}

function toHealth(state: InspectData['State']): ContainerHealth {
  const status = state.Health?.Status ?? '';
  return HEALTH_STATES.has(status) ? (status as ContainerHealth) : 'none';
}

function toStartedAt(startedAt: string | undefined): number | null {
  if (!startedAt || startedAt.startsWith(ZERO_TIME_PREFIX)) return null;
  const ms = Date.parse(startedAt);
  return Number.isNaN(ms) ? null : ms;
}

/** Maps an inspect answer to the port's ContainerStatus; `port` is the port inside the container. */
export function toContainerStatus(data: InspectData, port: number | null, ownNetworks: readonly string[]): ContainerStatus {
  const state = toRunState(data.State);
  const stopped = state === 'exited' || state === 'dead';
  return {
    id: data.Id,
    name: data.Name.replace(/^\//, ''),
    state,
    health: toHealth(data.State),
    exitCode: stopped ? (data.State.ExitCode ?? null) : null,
    oomKilled: data.State.OOMKilled === true,
    startedAt: toStartedAt(data.State.StartedAt),
    upstream: resolveUpstream(data, state, port, ownNetworks),
  };
}

/** The status reported for a reference that matches no container. */
export function missingStatus(ref: string): ContainerStatus {
  return {
    id: '',
    name: ref,
    state: 'missing',
    health: 'none',
    exitCode: null,
    oomKilled: false,
    startedAt: null,
    upstream: null,
  };
}
