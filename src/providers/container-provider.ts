/**
 * The port between the core and a container runtime. The core owns this interface; the Docker
 * adapter (`providers/docker/`) implements it and is the only place that knows dockerode.
 *
 * Policy: every state verb is idempotent: start of a running container, pause of a paused one,
 * unpause of a running one and stop of a stopped one all succeed without doing anything (exec
 * changes no state: it runs a readiness probe's command). `stop` works on a
 * paused container. Errors are typed (errors.ts): ContainerNotFoundError, ProviderUnavailableError,
 * ProviderOperationError. Callers never see Docker status codes.
 */
import type { ContainerSpec } from '../config/container-spec-schema.ts';

/** Docker's container states, plus `missing` when nothing matches the reference. */
export type ContainerRunState =
  | 'created'
  | 'running'
  | 'paused'
  | 'restarting'
  | 'removing'
  | 'exited'
  | 'dead'
  | 'missing';

/** Docker HEALTHCHECK status; `none` when the image defines no healthcheck. */
export type ContainerHealth = 'starting' | 'healthy' | 'unhealthy' | 'none';

/** A host and port the proxy can open a TCP connection to. */
export interface Upstream {
  readonly host: string;
  readonly port: number;
}

/** What the runtime reports about one container, with no runtime-specific types. */
export interface ContainerStatus {
  /** Full container id ('' when missing). */
  readonly id: string;
  /** Container name without the leading slash. */
  readonly name: string;
  readonly state: ContainerRunState;
  readonly health: ContainerHealth;
  /** Exit code of the last run when exited/dead, else null. */
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
  /** Epoch ms of the last start, or null. */
  readonly startedAt: number | null;
  /**
   * Where the proxy can reach `port` inside this container right now, or null when it has no
   * address (not running, or no network/published port). Resolution order: an IP on a network the
   * proxy shares, else the default bridge IP, else a published host port.
   */
  readonly upstream: Upstream | null;
}

/**
 * A container lifecycle event seen on the runtime's event stream. `resync` is not a container
 * event: the stream was re-established after a break and events may have been missed, so every
 * container should be inspected again (its id and name are empty).
 */
export interface ContainerEvent {
  readonly action: 'create' | 'start' | 'die' | 'stop' | 'pause' | 'unpause' | 'destroy' | 'health_status' | 'resync';
  readonly id: string;
  readonly name: string;
  /** Value of the label com.docker.compose.service, when present. */
  readonly composeService: string | null;
  /** Value of the label com.docker.swarm.service.name (a Swarm task's container), when present. */
  readonly swarmService?: string | null;
  /** Exit code for `die` events, else null. */
  readonly exitCode: number | null;
  /** Epoch ms. */
  readonly time: number;
}

/** Resource figures of one container at one moment (Docker's stats API, one-shot). */
export interface ContainerStats {
  /** Memory in use without the page cache the kernel can drop (what `docker stats` shows). */
  readonly memoryBytes: number;
  /** The container's memory limit; the host's memory when it has none. */
  readonly memoryLimitBytes: number;
  /** CPU time used since the container started, in seconds (user + system, all cores). */
  readonly cpuSeconds: number;
}

/** What a container is created from: services.yml's container fields (config/container-spec-schema.ts). */
export type { ContainerSpec };

/** The label a created container carries with the hash of its spec. */
export const SPEC_HASH_LABEL = 'wake-proxy.spec';

/** A container found by label, as label discovery reads it. */
export interface LabelledContainerInfo {
  readonly id: string;
  /** Container name without the leading slash. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What a command run inside a container left: its exit code and the tail of its output. */
export interface ExecResult {
  readonly exitCode: number;
  /** The last bytes of stdout and stderr, interleaved as written. */
  readonly output: string;
}

/** The only door to the container runtime. `ref` is a container name or a compose service name. */
export interface ContainerProvider {
  /**
   * Current status; a missing container is reported as state `missing`, not thrown. `port` is the
   * port inside the container used to resolve `upstream` (null: the service has none, so no upstream).
   */
  inspect(ref: string, port: number | null, signal?: AbortSignal): Promise<ContainerStatus>;
  /** Starts a stopped/created container; no-op when running; unpauses when paused. */
  start(ref: string, signal?: AbortSignal): Promise<void>;
  /** Unpauses a paused container; no-op when not paused. */
  unpause(ref: string, signal?: AbortSignal): Promise<void>;
  /** Pauses a running container; no-op when already paused. */
  pause(ref: string, signal?: AbortSignal): Promise<void>;
  /** Stops a running or paused container; no-op when already stopped. */
  stop(ref: string, signal?: AbortSignal): Promise<void>;
  /**
   * Creates a container named `ref` from `spec` (not started), labelled with its hash, on the
   * spec's networks or else the proxy's own. A missing image is ImageNotFoundError unless the spec
   * says `pull: missing`.
   */
  create(ref: string, spec: ContainerSpec, signal?: AbortSignal): Promise<void>;
  /** Removes a stopped container (a recreate); no-op when it does not exist. */
  removeContainer(ref: string, signal?: AbortSignal): Promise<void>;
  /** The spec hash a created container is labelled with; null for none (or no container). */
  specHash(ref: string, signal?: AbortSignal): Promise<string | null>;
  /**
   * Sets the container's memory reservation (soft limit); null removes it (unlimited). Works on a
   * paused container. Resolves with the reservation it had before (null: none).
   */
  updateMemoryReservation(ref: string, bytes: number | null, signal?: AbortSignal): Promise<number | null>;
  /** Resource figures now; null when the container is not running (or gone). Never wakes it. */
  stats(ref: string, signal?: AbortSignal): Promise<ContainerStats | null>;
  /**
   * Containers (running or not) whose label `label` is `true`, within the proxy's compose scope:
   * those of its own (or the configured) compose project and those of none.
   */
  listLabelled(label: string, signal?: AbortSignal): Promise<LabelledContainerInfo[]>;
  /**
   * The names of every container (running or not) of the compose service `ref` in its compose
   * scope, sorted, one-off containers left out: the instances of a `compose_scale` service.
   * Optional: a runtime without compose services lacks it, and the reference is then one instance.
   */
  listInstances?(ref: string, signal?: AbortSignal): Promise<string[]>;
  /**
   * Runs `command` inside the running container and resolves when it ends. Not idempotent and not
   * a state change: readiness probes use it. Rejects with ContainerNotFoundError, a
   * ProviderOperationError when the container is not running, or the signal's reason on abort.
   */
  exec(ref: string, command: readonly string[], signal?: AbortSignal): Promise<ExecResult>;
  /** Container events until `signal` aborts; reconnects by itself when the stream breaks. */
  events(signal: AbortSignal): AsyncIterable<ContainerEvent>;
  /** A short description of the endpoint for error messages, e.g. `unix:///var/run/docker.sock`. */
  describeEndpoint(): string;
}
