/**
 * The Docker Swarm adapter of ContainerProvider: a Swarm service stands in for one container.
 * `ref` is the service's name or id.
 *
 * Policy:
 * - Wake is a scale to the configured replicas, sleep is a scale to 0: Swarm has no pause, so
 *   `pause` is refused (services.yml forbids `mode: pause` on a Swarm service) and `unpause` has
 *   nothing to do. Scales are idempotent: the service is inspected first and updated only when its
 *   replica count differs, with the version index it was read at; when another writer got in
 *   between ("update out of sequence") it is read and written once more.
 * - `stop` returns once no task of the service is live any more (bounded by the stop timeout plus
 *   a margin), as a container stop returns once the container exited: STOPPED means stopped.
 * - Status, address and readiness come from the tasks (swarm-status.ts, task-upstream.ts): the
 *   running task with the lowest slot, reached on the proxy's own network, the default bridge or
 *   docker_gwbridge. Exec runs in that task's container.
 * - wake-proxy does not create, remove or resize Swarm services: those verbs are refused, and
 *   stats are not read (null). Label discovery is for containers: none are listed here.
 * - Events: the containers of Swarm tasks, turned into service hints (swarm-events.ts).
 */
// Must come first: keeps dockerode from loading ssh2 and BuildKit's gRPC modules (see lean-dockerode.ts).
import '../docker/lean-dockerode.ts';
import Docker from 'dockerode';
import type { Clock } from '../../clock.ts';
import { ContainerNotFoundError, ProviderOperationError } from '../../errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type {
  ContainerEvent,
  ContainerProvider,
  ContainerStats,
  ContainerStatus,
  ExecResult,
  LabelledContainerInfo,
} from '../container-provider.ts';
import { execInContainer } from '../docker/container-exec.ts';
import { missingStatus, toContainerStatus } from '../docker/container-status.ts';
import { parseDockerHost } from '../docker/docker-endpoint.ts';
import { callDocker, dockerMessage, type DockerCallContext } from '../docker/docker-errors.ts';
import { watchContainerEvents, type Backoff } from '../docker/docker-events.ts';
import { FOLLOWED_ACTIONS, SWARM_SERVICE_LABEL } from '../docker/event-lines.ts';
import type { InspectData } from '../docker/inspect-data.ts';
import { toSwarmHint } from './swarm-events.ts';
import { chooseTask, hasLiveTasks, toServiceFacts, toSwarmStatus, toTaskFacts, type SwarmTaskFacts, type TaskContainerFacts } from './swarm-status.ts';
import { GWBRIDGE_NETWORK, gwbridgeAddress, taskUpstream } from './task-upstream.ts';

/** How long a Swarm task gets to stop by default (Swarm's own stop grace period is 10 s). */
export const DEFAULT_SWARM_STOP_TIMEOUT_MS = 10_000;
/** Added to the stop timeout before a stop that leaves tasks live is reported as failed. */
const STOP_MARGIN_MS = 10_000;
/** How often a stopping service's tasks are listed. */
const STOP_POLL_MS = 100;
const OUT_OF_SEQUENCE = /update out of sequence/i;

/** Settings of the Swarm adapter. */
export interface SwarmProviderOptions {
  /** DOCKER_HOST form, as for the Docker adapter: a manager node's engine. */
  readonly dockerHost?: string | null | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The replicas a wake scales `ref` to (services.yml `replicas`). */
  readonly replicasOf: (ref: string) => number;
  /** Networks the proxy is attached to (the Docker adapter detects them). */
  readonly ownNetworks?: (() => Promise<readonly string[]>) | undefined;
  readonly stopTimeoutMs?: number | undefined;
  readonly eventsBackoff?: Backoff | undefined;
}

type ServiceInspect = Awaited<ReturnType<Docker.Service['inspect']>>;

/** ContainerProvider backed by the services of a Docker Swarm. */
export class SwarmProvider implements ContainerProvider {
  readonly #docker: Docker;
  readonly #endpoint: string;
  readonly #options: SwarmProviderOptions;
  readonly #stopTimeoutMs: number;

  constructor(options: SwarmProviderOptions) {
    const endpoint = parseDockerHost(options.dockerHost ?? undefined);
    this.#docker = new Docker(endpoint.options);
    this.#endpoint = endpoint.description;
    this.#options = options;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_SWARM_STOP_TIMEOUT_MS;
  }

  /** {@inheritDoc ContainerProvider.inspect} */
  async inspect(ref: string, port: number | null, signal?: AbortSignal): Promise<ContainerStatus> {
    const info = await this.#inspectService(ref, signal);
    if (info === null) return missingStatus(ref);
    const service = toServiceFacts(info);
    const tasks = await this.#tasks(service.id, ref, signal);
    const chosen = chooseTask(tasks);
    const container = chosen === null ? null : await this.#taskContainer(chosen, port, ref, signal);
    return toSwarmStatus(service, tasks, container);
  }

  /** {@inheritDoc ContainerProvider.start} */
  start(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#scale(ref, this.#options.replicasOf(ref), signal);
  }

  /** A Swarm service is never paused: nothing to do. */
  async unpause(_ref: string, _signal?: AbortSignal): Promise<void> {}

  /** Refused: Swarm has no pause (services.yml does not allow `mode: pause` on a Swarm service). */
  pause(ref: string, _signal?: AbortSignal): Promise<void> {
    return Promise.reject(new ProviderOperationError('pause', ref, 'a Swarm service cannot be paused; it sleeps by scaling to 0'));
  }

  /** {@inheritDoc ContainerProvider.stop} */
  async stop(ref: string, signal?: AbortSignal): Promise<void> {
    await this.#scale(ref, 0, signal);
    const { clock } = this.#options;
    const giveUpAt = clock.now() + this.#stopTimeoutMs + STOP_MARGIN_MS;
    for (;;) {
      const info = await this.#inspectService(ref, signal);
      if (info === null) return;
      const tasks = await this.#tasks(toServiceFacts(info).id, ref, signal);
      if (!hasLiveTasks(tasks)) return;
      if (clock.now() >= giveUpAt) throw new ProviderOperationError('stop', ref, `tasks still running ${this.#stopTimeoutMs + STOP_MARGIN_MS} ms after the scale to 0`);
      await clock.sleep(STOP_POLL_MS, signal);
    }
  }

  /** Refused: wake-proxy scales Swarm services, it does not create them. */
  create(ref: string): Promise<void> {
    return Promise.reject(new ProviderOperationError('create', ref, 'wake-proxy does not create Swarm services'));
  }

  /** Refused: wake-proxy does not remove Swarm services. */
  removeContainer(ref: string): Promise<void> {
    return Promise.reject(new ProviderOperationError('remove', ref, 'wake-proxy does not remove Swarm services'));
  }

  /** A Swarm service has no spec hash of wake-proxy's. */
  async specHash(): Promise<string | null> {
    return null;
  }

  /** Refused: services.yml does not allow memory_reservation on a Swarm service. */
  updateMemoryReservation(ref: string): Promise<number | null> {
    return Promise.reject(new ProviderOperationError('update', ref, 'memory_reservation is for container services'));
  }

  /** Not read for Swarm services. */
  async stats(): Promise<ContainerStats | null> {
    return null;
  }

  /** Label discovery is for containers. */
  async listLabelled(): Promise<LabelledContainerInfo[]> {
    return [];
  }

  /** {@inheritDoc ContainerProvider.exec} Runs in the container of the task traffic goes to. */
  async exec(ref: string, command: readonly string[], signal?: AbortSignal): Promise<ExecResult> {
    const info = await this.#inspectService(ref, signal);
    if (info === null) throw new ContainerNotFoundError(ref);
    const chosen = chooseTask(await this.#tasks(toServiceFacts(info).id, ref, signal));
    if (chosen?.containerId == null) throw new ProviderOperationError('exec', ref, 'no task of the service is running');
    const context: DockerCallContext = { operation: 'exec', ref, endpoint: this.#endpoint };
    return execInContainer(this.#docker.getContainer(chosen.containerId), command, context, signal);
  }

  /** {@inheritDoc ContainerProvider.events} Task containers' events, as hints about their services. */
  async *events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const context: DockerCallContext = { operation: 'events', ref: 'swarm tasks', endpoint: this.#endpoint };
    const { clock, logger, eventsBackoff } = this.#options;
    const stream = watchContainerEvents({
      open: (since, streamSignal) =>
        callDocker(
          context,
          () =>
            this.#docker.getEvents({
              filters: { type: ['container'], event: [...FOLLOWED_ACTIONS], label: [SWARM_SERVICE_LABEL] },
              ...(since === undefined ? {} : { since }),
              abortSignal: streamSignal,
            }) as Promise<AsyncIterable<Buffer | string>>,
          streamSignal,
        ),
      signal,
      clock,
      logger,
      ...(eventsBackoff ? { backoff: eventsBackoff } : {}),
    });
    for await (const event of stream) {
      const hint = event.action === 'resync' ? event : toSwarmHint(event);
      if (hint !== null) yield hint;
    }
  }

  /** {@inheritDoc ContainerProvider.describeEndpoint} */
  describeEndpoint(): string {
    return this.#endpoint;
  }

  async #inspectService(ref: string, signal?: AbortSignal): Promise<ServiceInspect | null> {
    const context: DockerCallContext = { operation: 'service inspect', ref, endpoint: this.#endpoint };
    try {
      return await callDocker(context, () => this.#docker.getService(ref).inspect(signal ? { abortSignal: signal } : {}), signal);
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return null;
      throw err;
    }
  }

  async #tasks(serviceId: string, ref: string, signal?: AbortSignal): Promise<SwarmTaskFacts[]> {
    const context: DockerCallContext = { operation: 'task list', ref, endpoint: this.#endpoint };
    const abort = signal ? { abortSignal: signal } : {};
    const tasks = await callDocker(context, () => this.#docker.listTasks({ filters: { service: [serviceId] }, ...abort }), signal);
    return tasks.map(toTaskFacts);
  }

  /** The chosen task's container: health, start time and address; null when it is already gone. */
  async #taskContainer(task: SwarmTaskFacts, port: number | null, ref: string, signal?: AbortSignal): Promise<TaskContainerFacts | null> {
    if (task.containerId === null) return null;
    const id = task.containerId;
    const abort = signal ? { abortSignal: signal } : {};
    const context: DockerCallContext = { operation: 'inspect', ref, endpoint: this.#endpoint };
    let data: InspectData;
    try {
      data = await callDocker(context, () => this.#docker.getContainer(id).inspect(abort), signal);
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return null;
      throw err;
    }
    const own = (await this.#options.ownNetworks?.()) ?? [];
    const status = toContainerStatus(data, null, own);
    const direct = taskUpstream(data, port, own, null);
    const upstream = direct ?? (port === null ? null : taskUpstream(data, port, own, await this.#gwbridgeIp(id, ref, signal)));
    return { health: status.health, startedAt: status.startedAt, upstream };
  }

  async #gwbridgeIp(containerId: string, ref: string, signal?: AbortSignal): Promise<string | null> {
    const context: DockerCallContext = { operation: 'network inspect', ref: GWBRIDGE_NETWORK, endpoint: this.#endpoint };
    try {
      // dockerode takes no signal here; the call is one quick read, and callDocker honours the signal.
      const network: unknown = await callDocker(context, () => this.#docker.getNetwork(GWBRIDGE_NETWORK).inspect(), signal);
      return gwbridgeAddress(network, containerId);
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return null;
      this.#options.logger.debug({ service: ref, err }, 'docker_gwbridge not readable');
      return null;
    }
  }

  /** Sets the service's replica count, if it differs; see the policy for races. */
  async #scale(ref: string, replicas: number, signal?: AbortSignal): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const info = await this.#inspectService(ref, signal);
      if (info === null) throw new ContainerNotFoundError(ref);
      const service = toServiceFacts(info);
      if (service.replicas === null) throw new ProviderOperationError('scale', ref, 'a global-mode service cannot be scaled');
      if (service.replicas === replicas) return;
      const startedAt = this.#options.clock.now();
      try {
        await this.#update(info, replicas, ref, signal);
      } catch (err) {
        if (attempt === 0 && err instanceof ProviderOperationError && OUT_OF_SEQUENCE.test(err.message)) continue;
        throw err;
      }
      this.#options.logger.debug(
        { container: ref, from: service.replicas, to: replicas, durationMs: this.#options.clock.now() - startedAt },
        'swarm service scaled',
      );
      return;
    }
  }

  async #update(info: ServiceInspect, replicas: number, ref: string, signal?: AbortSignal): Promise<void> {
    const context: DockerCallContext = { operation: 'scale', ref, endpoint: this.#endpoint };
    const spec = { ...info.Spec, Mode: { Replicated: { Replicas: replicas } } };
    const options = { _query: { version: info.Version?.Index }, _body: spec, ...(signal ? { abortSignal: signal } : {}) };
    await callDocker(context, () => this.#docker.getService(info.ID).update(options), signal).catch((err: unknown) => {
      throw err instanceof ProviderOperationError ? err : new ProviderOperationError('scale', ref, dockerMessage(err), { cause: err });
    });
  }
}
