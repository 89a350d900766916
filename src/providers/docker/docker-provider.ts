/**
 * The Docker adapter of ContainerProvider: the only module that creates a dockerode client.
 *
 * Policy: every verb inspects first and makes only the calls `planVerb` says are needed, and a
 * refusal that means "already there" is success (docker-errors.ts), so verbs are idempotent even
 * under races. A stop gives the container `stopTimeoutMs` (default 10 s) to exit before Docker
 * kills it. AbortSignals are handed to every Docker call; an aborted call rejects with the
 * signal's reason. The proxy's own container (networks, compose project) is detected once, lazily,
 * on the first inspect; references are resolved within the compose scope (compose-scope.ts).
 */
// Must come first: keeps dockerode from loading ssh2 and BuildKit's gRPC modules (see lean-dockerode.ts).
import './lean-dockerode.ts';
import Docker from 'dockerode';
import type { Clock } from '../../clock.ts';
import { ContainerNotFoundError } from '../../errors.ts';
import type { Logger } from '../../logging/logger.ts';
import {
  SPEC_HASH_LABEL,
  type ContainerEvent,
  type ContainerProvider,
  type ContainerSpec,
  type ContainerStats,
  type ContainerStatus,
  type ExecResult,
  type LabelledContainerInfo,
} from '../container-provider.ts';
import { createContainer } from './container-create.ts';
import { execInContainer } from './container-exec.ts';
import { missingStatus, toContainerStatus, toRunState } from './container-status.ts';
import { ContainerResolver } from './container-resolver.ts';
import { toContainerStats } from './container-stats.ts';
import { parseDockerHost } from './docker-endpoint.ts';
import { actDocker, callDocker, type DockerCallContext } from './docker-errors.ts';
import { watchContainerEvents, type Backoff } from './docker-events.ts';
import { FOLLOWED_ACTIONS } from './event-lines.ts';
import type { ComposeScope } from './compose-scope.ts';
import { COMPOSE_LABELS } from './container-choice.ts';
import { detectOwnContainer, type OwnContainer } from './own-networks.ts';
import { planVerb, type DockerAction, type ProviderVerb } from './verb-plan.ts';

/** How long a stopping container gets to exit before Docker kills it. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

const PAST_TENSE: Readonly<Record<DockerAction, string>> = {
  start: 'started',
  unpause: 'unpaused',
  pause: 'paused',
  stop: 'stopped',
};

/** Settings of the Docker adapter. */
export interface DockerProviderOptions {
  /** DOCKER_HOST form: `unix:///path` or `tcp://host:port`; default the local socket. */
  readonly dockerHost?: string | null | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Networks the proxy is attached to; detected from the engine when omitted. */
  readonly ownNetworks?: readonly string[] | undefined;
  /** Compose projects named explicitly; default none (the proxy's own project, if any, applies). */
  readonly composeScope?: ComposeScope | undefined;
  readonly stopTimeoutMs?: number | undefined;
  /** Delay before each reconnection of the event stream. */
  readonly eventsBackoff?: Backoff | undefined;
}

/** ContainerProvider backed by a Docker engine. */
export class DockerProvider implements ContainerProvider {
  readonly #docker: Docker;
  readonly #endpoint: string;
  readonly #resolver: ContainerResolver;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #stopTimeoutMs: number;
  readonly #eventsBackoff: Backoff | undefined;
  readonly #givenNetworks: readonly string[] | undefined;
  readonly #globalProject: string | null;
  readonly #scopeOf: (ref: string) => Promise<string | null>;
  readonly #instanceScopes = new Map<string, string>();
  #own: Promise<OwnContainer | null> | undefined;

  constructor(options: DockerProviderOptions) {
    const endpoint = parseDockerHost(options.dockerHost ?? undefined);
    this.#docker = new Docker(endpoint.options);
    this.#endpoint = endpoint.description;
    const scope: ComposeScope = options.composeScope ?? { byRef: new Map(), global: null };
    this.#globalProject = scope.global;
    // compose-scope.ts: the service's compose_project, the global setting, the proxy's own project.
    // An instance listed by listInstances() is read in the scope of the compose service it was listed for.
    this.#scopeOf = async (ref) =>
      this.#instanceScopes.get(ref) ?? scope.byRef.get(ref) ?? scope.global ?? (await this.#ownContainer())?.composeProject ?? null;
    this.#resolver = new ContainerResolver(this.#docker, endpoint.description, this.#scopeOf);
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.#eventsBackoff = options.eventsBackoff;
    this.#givenNetworks = options.ownNetworks;
  }

  /** {@inheritDoc ContainerProvider.inspect} */
  async inspect(ref: string, port: number | null, signal?: AbortSignal): Promise<ContainerStatus> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.#resolver.inspect(ref, signal);
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return missingStatus(ref);
      throw err;
    }
    return toContainerStatus(info, port, this.#givenNetworks ?? (await this.#ownContainer())?.networks ?? []);
  }

  /** {@inheritDoc ContainerProvider.listLabelled} */
  async listLabelled(label: string, signal?: AbortSignal): Promise<LabelledContainerInfo[]> {
    const context: DockerCallContext = { operation: 'list', ref: `label ${label}`, endpoint: this.#endpoint };
    const abort = signal ? { abortSignal: signal } : {};
    const listed = await callDocker(context, () => this.#docker.listContainers({ all: true, filters: { label: [`${label}=true`] }, ...abort }), signal);
    const project = this.#globalProject ?? (await this.#ownContainer())?.composeProject ?? null;
    return listed
      .filter((c) => {
        const theirs = c.Labels?.[COMPOSE_LABELS.project] ?? null;
        return project === null || theirs === null || theirs === project;
      })
      .map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels ?? {} }));
  }

  /** {@inheritDoc ContainerProvider.listInstances} */
  async listInstances(ref: string, signal?: AbortSignal): Promise<string[]> {
    const context: DockerCallContext = { operation: 'list', ref, endpoint: this.#endpoint };
    const abort = signal ? { abortSignal: signal } : {};
    const filters = { label: [`${COMPOSE_LABELS.service}=${ref}`] };
    const listed = await callDocker(context, () => this.#docker.listContainers({ all: true, filters, ...abort }), signal);
    const project = await this.#scopeOf(ref);
    return listed
      .filter((c) => (c.Labels?.[COMPOSE_LABELS.oneOff] ?? '').toLowerCase() !== 'true')
      .filter((c) => project === null || c.Labels?.[COMPOSE_LABELS.project] === project)
      .map((c) => {
        const name = (c.Names?.[0] ?? c.Id).replace(/^\//, '');
        if (project !== null) this.#instanceScopes.set(name, project);
        return name;
      })
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  /** {@inheritDoc ContainerProvider.start} */
  start(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#apply('start', ref, signal);
  }

  /** {@inheritDoc ContainerProvider.unpause} */
  unpause(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#apply('unpause', ref, signal);
  }

  /** {@inheritDoc ContainerProvider.pause} */
  pause(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#apply('pause', ref, signal);
  }

  /** {@inheritDoc ContainerProvider.stop} */
  stop(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#apply('stop', ref, signal);
  }

  /** {@inheritDoc ContainerProvider.create} */
  async create(ref: string, spec: ContainerSpec, signal?: AbortSignal): Promise<void> {
    const networks = this.#givenNetworks ?? (await this.#ownContainer())?.networks ?? [];
    await createContainer(this.#docker, ref, spec, networks, this.#endpoint, signal);
    this.#logger.info({ container: ref, image: spec.image, spec: spec.hash }, 'container created');
  }

  /** {@inheritDoc ContainerProvider.removeContainer} */
  async removeContainer(ref: string, signal?: AbortSignal): Promise<void> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.#resolver.inspect(ref, signal);
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return;
      throw err;
    }
    const context: DockerCallContext = { operation: 'remove', ref, endpoint: this.#endpoint };
    await callDocker(context, () => this.#docker.getContainer(info.Id).remove({ force: false, ...(signal ? { abortSignal: signal } : {}) }), signal);
    this.#logger.info({ container: ref }, 'container removed');
  }

  /** {@inheritDoc ContainerProvider.specHash} */
  async specHash(ref: string, signal?: AbortSignal): Promise<string | null> {
    try {
      const info = await this.#resolver.inspect(ref, signal);
      return info.Config.Labels?.[SPEC_HASH_LABEL] ?? null;
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return null;
      throw err;
    }
  }

  /** {@inheritDoc ContainerProvider.updateMemoryReservation} */
  async updateMemoryReservation(ref: string, bytes: number | null, signal?: AbortSignal): Promise<number | null> {
    const info = await this.#resolver.inspect(ref, signal);
    const before = info.HostConfig.MemoryReservation ?? 0;
    const context: DockerCallContext = { operation: 'update', ref, endpoint: this.#endpoint };
    // Docker reads 0 as "leave unchanged": -1 is how a reservation is removed.
    const body = { MemoryReservation: bytes ?? -1, ...(signal ? { abortSignal: signal } : {}) };
    await callDocker(context, () => this.#docker.getContainer(info.Id).update(body), signal);
    return before > 0 ? before : null;
  }

  /** {@inheritDoc ContainerProvider.stats} */
  async stats(ref: string, signal?: AbortSignal): Promise<ContainerStats | null> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.#resolver.inspect(ref, signal);
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return null;
      throw err;
    }
    if (!info.State.Running) return null;
    const context: DockerCallContext = { operation: 'stats', ref, endpoint: this.#endpoint };
    const container = this.#docker.getContainer(info.Id);
    const raw = await callDocker(context, () => container.stats({ stream: false, 'one-shot': true, ...(signal ? { abortSignal: signal } : {}) } as { stream: false }), signal);
    return toContainerStats(raw);
  }

  /** {@inheritDoc ContainerProvider.exec} */
  async exec(ref: string, command: readonly string[], signal?: AbortSignal): Promise<ExecResult> {
    const info = await this.#resolver.inspect(ref, signal);
    const context: DockerCallContext = { operation: 'exec', ref, endpoint: this.#endpoint };
    return execInContainer(this.#docker.getContainer(info.Id), command, context, signal);
  }

  /** {@inheritDoc ContainerProvider.events} */
  events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const context: DockerCallContext = { operation: 'events', ref: 'all containers', endpoint: this.#endpoint };
    return watchContainerEvents({
      open: (since, streamSignal) =>
        callDocker(
          context,
          () =>
            this.#docker.getEvents({
              filters: { type: ['container'], event: [...FOLLOWED_ACTIONS] },
              ...(since === undefined ? {} : { since }),
              abortSignal: streamSignal,
            }) as Promise<AsyncIterable<Buffer | string>>,
          streamSignal,
        ),
      signal,
      clock: this.#clock,
      logger: this.#logger,
      ...(this.#eventsBackoff ? { backoff: this.#eventsBackoff } : {}),
    });
  }

  /** {@inheritDoc ContainerProvider.describeEndpoint} */
  describeEndpoint(): string {
    return this.#endpoint;
  }

  /** The networks the proxy is attached to: the given ones, else its own container's (none on the host). */
  async ownNetworks(): Promise<readonly string[]> {
    return this.#givenNetworks ?? (await this.#ownContainer())?.networks ?? [];
  }

  async #apply(verb: ProviderVerb, ref: string, signal?: AbortSignal): Promise<void> {
    const info = await this.#resolver.inspect(ref, signal);
    const from = toRunState(info.State);
    for (const action of planVerb(verb, from)) {
      const startedAt = this.#clock.now();
      await this.#act(action, info.Id, ref, signal);
      this.#logger.debug(
        { container: ref, id: info.Id.slice(0, 12), from, durationMs: this.#clock.now() - startedAt },
        `container ${PAST_TENSE[action]}`,
      );
    }
  }

  #act(action: DockerAction, id: string, ref: string, signal?: AbortSignal): Promise<void> {
    const container = this.#docker.getContainer(id);
    const context: DockerCallContext = { operation: action, ref, endpoint: this.#endpoint };
    const abort = signal ? { abortSignal: signal } : {};
    const calls: Record<DockerAction, () => Promise<unknown>> = {
      start: () => container.start(abort),
      unpause: () => container.unpause(abort),
      pause: () => container.pause(abort),
      stop: () => container.stop({ t: Math.ceil(this.#stopTimeoutMs / 1000), ...abort }),
    };
    return actDocker(context, calls[action], signal);
  }

  /**
   * The proxy's own container. Detection runs once, without the caller's signal since its result
   * is shared; a failure (engine unreachable) is not remembered, so the next inspect tries again.
   */
  #ownContainer(): Promise<OwnContainer | null> {
    this.#own ??= detectOwnContainer(async (id) => {
      const context: DockerCallContext = { operation: 'inspect', ref: id, endpoint: this.#endpoint };
      try {
        const info = await callDocker(context, () => this.#docker.getContainer(id).inspect());
        return {
          id: info.Id,
          networks: Object.keys(info.NetworkSettings.Networks ?? {}),
          composeProject: info.Config.Labels?.[COMPOSE_LABELS.project] ?? null,
        };
      } catch (err) {
        if (err instanceof ContainerNotFoundError) return null;
        throw err;
      }
    }).then(
      (own) => {
        if (own) this.#logger.info({ container: own.id.slice(0, 12), composeProject: own.composeProject }, 'running in a container');
        return own;
      },
      (err: unknown) => {
        this.#own = undefined;
        throw err;
      },
    );
    return this.#own;
  }
}
