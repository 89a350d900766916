/**
 * A Swarm service and its tasks → the port's ContainerStatus, with no I/O.
 *
 * Policy (the service stands in for one container):
 * - No such service: `missing`. Desired replicas 0: `exited` (STOPPED), even while the last tasks
 *   are still shutting down: wake-proxy's own stop waits for them (swarm-provider.ts).
 * - As many running tasks as desired: `running`. Some but fewer: `restarting` (RUNNING, served by
 *   a running task, while Swarm brings the others up); a wake waits for `running`, so a woken
 *   service has all its replicas.
 * - None running: `exited` when a task created since the service's last update (the scale) failed
 *   or was rejected (a crash, a missing image: Swarm queues a replacement at once, but a wake that
 *   waited for it would probe the dead task's address, which hangs or, reused, answers for another
 *   container; so the wake fails at once, with the task's exit code, as for a container that
 *   exits); otherwise `created` (tasks are being scheduled: not dead, not running).
 * - The task traffic goes to and readiness is probed on is the running task with the lowest
 *   slot: the same task while it lives, so probes and forwarding agree.
 */
import type { ContainerHealth, ContainerStatus, Upstream } from '../container-provider.ts';

/** What is read of a service inspect. */
export interface SwarmServiceFacts {
  readonly id: string;
  readonly name: string;
  /** Desired replicas; null for a global-mode service (not scalable). */
  readonly replicas: number | null;
  /** Epoch ms of the service's last update (a scale is one). */
  readonly updatedAt: number | null;
}

/** What is read of one task. */
export interface SwarmTaskFacts {
  readonly id: string;
  readonly slot: number;
  /** Swarm's task state: new, pending, assigned, …, running, complete, shutdown, failed, rejected. */
  readonly state: string;
  readonly desiredState: string;
  readonly containerId: string | null;
  readonly exitCode: number | null;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** The chosen task's container, as far as the status needs it. */
export interface TaskContainerFacts {
  readonly health: ContainerHealth;
  readonly startedAt: number | null;
  readonly upstream: Upstream | null;
}

const FAILED: ReadonlySet<string> = new Set(['failed', 'rejected']);

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function epochMs(value: unknown): number | null {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

/** Reads a service inspect answer (GET /services/{id}). */
export function toServiceFacts(raw: unknown): SwarmServiceFacts {
  const service = record(raw);
  const spec = record(service['Spec']);
  const replicated = record(spec['Mode'])['Replicated'];
  const replicas = replicated === undefined ? null : Number(record(replicated)['Replicas'] ?? 1);
  return {
    id: String(service['ID'] ?? ''),
    name: String(spec['Name'] ?? ''),
    replicas: replicas !== null && Number.isFinite(replicas) ? replicas : null,
    updatedAt: epochMs(service['UpdatedAt']),
  };
}

/** Reads one task of GET /tasks. */
export function toTaskFacts(raw: unknown): SwarmTaskFacts {
  const task = record(raw);
  const status = record(task['Status']);
  const container = record(status['ContainerStatus']);
  const exit = container['ExitCode'];
  return {
    id: String(task['ID'] ?? ''),
    slot: Number(task['Slot'] ?? 0),
    state: String(status['State'] ?? ''),
    desiredState: String(task['DesiredState'] ?? ''),
    containerId: typeof container['ContainerID'] === 'string' && container['ContainerID'] !== '' ? container['ContainerID'] : null,
    exitCode: typeof exit === 'number' ? exit : null,
    createdAt: epochMs(task['CreatedAt']) ?? 0,
  };
}

/** Tasks that run now and are meant to. */
export function runningTasks(tasks: readonly SwarmTaskFacts[]): SwarmTaskFacts[] {
  return tasks.filter((t) => t.state === 'running' && t.desiredState === 'running');
}

/** The task traffic goes to: the running one with the lowest slot, or null. */
export function chooseTask(tasks: readonly SwarmTaskFacts[]): SwarmTaskFacts | null {
  const running = runningTasks(tasks).filter((t) => t.containerId !== null);
  return running.sort((a, b) => a.slot - b.slot || a.createdAt - b.createdAt)[0] ?? null;
}

/** True while any task of the service still has (or may soon have) a live container. */
export function hasLiveTasks(tasks: readonly SwarmTaskFacts[]): boolean {
  const live = new Set(['new', 'pending', 'assigned', 'accepted', 'ready', 'preparing', 'starting', 'running']);
  return tasks.some((t) => live.has(t.state));
}

function newestFailure(service: SwarmServiceFacts, tasks: readonly SwarmTaskFacts[]): SwarmTaskFacts | null {
  const since = service.updatedAt ?? 0;
  const failed = tasks.filter((t) => t.createdAt >= since && FAILED.has(t.state));
  return failed.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
}

/** The service's status; `chosen` is the chosen task's container (null: none, or not read). */
export function toSwarmStatus(
  service: SwarmServiceFacts,
  tasks: readonly SwarmTaskFacts[],
  chosen: TaskContainerFacts | null,
): ContainerStatus {
  const running = runningTasks(tasks).length;
  const desired = service.replicas ?? tasks.filter((t) => t.desiredState === 'running').length;
  const base = { id: service.id, name: service.name, oomKilled: false };
  if (desired === 0) return { ...base, state: 'exited', health: 'none', exitCode: null, startedAt: null, upstream: null };
  if (running > 0) {
    return {
      ...base,
      state: running >= desired ? 'running' : 'restarting',
      health: chosen?.health ?? 'none',
      exitCode: null,
      startedAt: chosen?.startedAt ?? null,
      upstream: chosen?.upstream ?? null,
    };
  }
  const failed = newestFailure(service, tasks);
  if (failed !== null) return { ...base, state: 'exited', health: 'none', exitCode: failed.exitCode, startedAt: null, upstream: null };
  return { ...base, state: 'created', health: 'none', exitCode: null, startedAt: null, upstream: null };
}
