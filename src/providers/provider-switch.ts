/**
 * One ContainerProvider in front of two: the Docker adapter for container services and the Swarm
 * adapter for Swarm services (`swarm_service:` in services.yml). The core keeps seeing one port.
 *
 * Policy: each call goes to the adapter of the service whose reference it names, decided when the
 * call is made (`isSwarm`, from the services in force, so a reload that adds a Swarm service is
 * followed at once). Label discovery, compose instances and the endpoint are the Docker adapter's. The events are the
 * Docker adapter's one stream: a Swarm task container's event also passes as a hint named after
 * its service (swarm-events.ts), so no second stream is opened.
 */
import type {
  ContainerEvent,
  ContainerProvider,
  ContainerSpec,
  ContainerStats,
  ContainerStatus,
  ExecResult,
  LabelledContainerInfo,
} from './container-provider.ts';
import { toSwarmHint } from './swarm/swarm-events.ts';

/** What the switch is built from. */
export interface ProviderSwitchOptions {
  readonly containers: ContainerProvider;
  readonly swarm: ContainerProvider;
  /** True when `ref` is the reference of a configured Swarm service. */
  readonly isSwarm: (ref: string) => boolean;
}

/** Routes every provider call to the adapter of its service's kind. */
export class ProviderSwitch implements ContainerProvider {
  readonly #options: ProviderSwitchOptions;
  /** The Docker adapter's (compose services are containers'), present exactly when it has one. */
  readonly listInstances?: (ref: string, signal?: AbortSignal) => Promise<string[]>;

  constructor(options: ProviderSwitchOptions) {
    this.#options = options;
    const { containers } = options;
    if (containers.listInstances !== undefined) this.listInstances = (ref, signal) => containers.listInstances?.(ref, signal) ?? Promise.resolve([ref]);
  }

  #for(ref: string): ContainerProvider {
    return this.#options.isSwarm(ref) ? this.#options.swarm : this.#options.containers;
  }

  inspect(ref: string, port: number | null, signal?: AbortSignal): Promise<ContainerStatus> {
    return this.#for(ref).inspect(ref, port, signal);
  }
  start(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#for(ref).start(ref, signal);
  }
  unpause(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#for(ref).unpause(ref, signal);
  }
  pause(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#for(ref).pause(ref, signal);
  }
  stop(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#for(ref).stop(ref, signal);
  }
  create(ref: string, spec: ContainerSpec, signal?: AbortSignal): Promise<void> {
    return this.#for(ref).create(ref, spec, signal);
  }
  removeContainer(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#for(ref).removeContainer(ref, signal);
  }
  specHash(ref: string, signal?: AbortSignal): Promise<string | null> {
    return this.#for(ref).specHash(ref, signal);
  }
  updateMemoryReservation(ref: string, bytes: number | null, signal?: AbortSignal): Promise<number | null> {
    return this.#for(ref).updateMemoryReservation(ref, bytes, signal);
  }
  stats(ref: string, signal?: AbortSignal): Promise<ContainerStats | null> {
    return this.#for(ref).stats(ref, signal);
  }
  listLabelled(label: string, signal?: AbortSignal): Promise<LabelledContainerInfo[]> {
    return this.#options.containers.listLabelled(label, signal);
  }
  exec(ref: string, command: readonly string[], signal?: AbortSignal): Promise<ExecResult> {
    return this.#for(ref).exec(ref, command, signal);
  }

  /** The Docker adapter's events, each Swarm task's followed by a hint about its service. */
  async *events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    for await (const event of this.#options.containers.events(signal)) {
      yield event;
      const hint = toSwarmHint(event);
      if (hint !== null && this.#options.isSwarm(hint.name)) yield hint;
    }
  }

  describeEndpoint(): string {
    return this.#options.containers.describeEndpoint();
  }
}
