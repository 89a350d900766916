/**
 * A ContainerProvider decorator that counts the calls the proxy makes, so the burst figure
 * "provider calls" is read from the proxy itself rather than inferred from Docker.
 */
import type { ContainerEvent, ContainerProvider, ContainerStatus } from '../src/providers/container-provider.ts';
import type { ProviderCallCounts } from './proxy-protocol.ts';

type Verb = keyof ProviderCallCounts;

/** Delegates every call to `inner` and counts it by verb. */
export class CountingProvider implements ContainerProvider {
  readonly #inner: ContainerProvider;
  readonly #counts: Record<Verb, number> = { inspect: 0, start: 0, unpause: 0, pause: 0, stop: 0 };

  constructor(inner: ContainerProvider) {
    this.#inner = inner;
  }

  /** A copy of the counts so far. */
  counts(): ProviderCallCounts {
    return { ...this.#counts };
  }

  /** {@inheritDoc ContainerProvider.inspect} */
  inspect(ref: string, port: number, signal?: AbortSignal): Promise<ContainerStatus> {
    this.#counts.inspect += 1;
    return this.#inner.inspect(ref, port, signal);
  }

  /** {@inheritDoc ContainerProvider.start} */
  start(ref: string, signal?: AbortSignal): Promise<void> {
    this.#counts.start += 1;
    return this.#inner.start(ref, signal);
  }

  /** {@inheritDoc ContainerProvider.unpause} */
  unpause(ref: string, signal?: AbortSignal): Promise<void> {
    this.#counts.unpause += 1;
    return this.#inner.unpause(ref, signal);
  }

  /** {@inheritDoc ContainerProvider.pause} */
  pause(ref: string, signal?: AbortSignal): Promise<void> {
    this.#counts.pause += 1;
    return this.#inner.pause(ref, signal);
  }

  /** {@inheritDoc ContainerProvider.stop} */
  stop(ref: string, signal?: AbortSignal): Promise<void> {
    this.#counts.stop += 1;
    return this.#inner.stop(ref, signal);
  }

  /** {@inheritDoc ContainerProvider.events} */
  events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    return this.#inner.events(signal);
  }

  /** {@inheritDoc ContainerProvider.describeEndpoint} */
  describeEndpoint(): string {
    return this.#inner.describeEndpoint();
  }
}
