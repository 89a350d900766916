/**
 * What the operator sees, wired in one place: metrics, the event stream and resource sampling,
 * fed by lifecycle events and read by the admin API. Created by app.ts; owns the sampling loop.
 *
 * Policy: lifecycle events are recorded synchronously (counters, a histogram bucket, one SSE
 * frame); a woken service's resources are read once right after its wake, in the background;
 * everything in flight is awaited in close().
 */
import { EventStream } from './admin/event-stream.ts';
import type { Clock } from './clock.ts';
import type { ServiceController, TransitionEvent } from './lifecycle/service-controller.ts';
import type { WakeEvent } from './lifecycle/wake-event.ts';
import type { Logger } from './logging/logger.ts';
import { ProxyMetrics } from './metrics/proxy-metrics.ts';
import { ResourceSampler, type ResourceSample } from './metrics/resource-sampler.ts';
import { renderSharedStateFamilies } from './metrics/shared-state-metrics.ts';
import type { ContainerProvider } from './providers/container-provider.ts';

/** What the observability wiring reads from the rest of the app, once it exists. */
export interface ObservedApp {
  services(): readonly ServiceController[];
  service(name: string): ServiceController | undefined;
  heldCount(service: string): number;
}

/** Metrics, event stream and resource sampling of one app. */
export class Observability {
  readonly metrics = new ProxyMetrics();
  readonly stream: EventStream;
  readonly #sampler: ResourceSampler;
  readonly #pending = new Set<Promise<void>>();
  #app: ObservedApp | null = null;
  #loop: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(deps: { provider: ContainerProvider; clock: Clock; logger: Logger; sampleIntervalMs: number }) {
    this.stream = new EventStream(deps.clock);
    const { provider, clock, logger, sampleIntervalMs } = deps;
    this.#sampler = new ResourceSampler({ provider, clock, logger, intervalMs: sampleIntervalMs, services: () => this.#app?.services() ?? [] });
  }

  /** Connects the app's services and proxy; called once by app.ts after creating them. */
  bind(app: ObservedApp): void {
    this.#app = app;
  }

  /** A state changed (ServiceRegistry's onTransition). */
  readonly onTransition = (event: TransitionEvent): void => {
    this.metrics.transition(event);
    this.stream.publish('transition', { ...event });
  };

  /** A wake ended (ServiceRegistry's onWake). */
  readonly onWake = (event: WakeEvent): void => {
    this.metrics.wake(event);
    const { service, fields, at } = event;
    if (!event.ok) {
      this.stream.publish('wake_failed', { service, at, code: event.code, step: event.step, ...fields });
      return;
    }
    this.stream.publish('wake', { service, at, ...fields });
    this.#sampleNow(service);
  };

  /** CPU use of a service lately, in cores (for idle_cpu_threshold). */
  cpuCores(service: string): number | null {
    return this.#sampler.cpuCores(service);
  }

  /** The latest resource figures of a service, as they stand for its state now. */
  resources(name: string): ResourceSample | null {
    const service = this.#app?.service(name);
    return service ? this.#sampler.latest(service) : null;
  }

  /** The /metrics body; `sharedState` adds the shared-state families (replicas sharing state). */
  renderMetrics(sharedState?: { readonly up: boolean; readonly errors: number }): string {
    const app = this.#app;
    const shared = sharedState ? renderSharedStateFamilies(sharedState) : '';
    return shared + this.metrics.render({
      snapshots: () => app?.services().map((s) => s.snapshot()) ?? [],
      heldCount: (service) => app?.heldCount(service) ?? 0,
      maxHeld: (service) => app?.service(service)?.config.maxHeldRequests ?? 0,
      info: (service) => {
        const policy = app?.service(service)?.policy;
        return { priority: policy?.priority ?? 'normal', mode: policy?.mode ?? 'pause' };
      },
      resources: (service) => this.resources(service),
    });
  }

  /** Starts process sampling and the resource sampling loop, until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.metrics.start();
    this.#loop = this.#sampler.run(signal);
  }

  /** Waits for the sampling loop (its signal must have aborted) and any read in flight. */
  async close(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
    await Promise.allSettled(this.#pending);
    this.metrics.close();
    this.stream.close();
  }

  #sampleNow(name: string): void {
    const service = this.#app?.service(name);
    if (service === undefined || this.#stopped) return;
    const read: Promise<void> = this.#sampler.sampleService(service).finally(() => this.#pending.delete(read));
    this.#pending.add(read);
  }
}
