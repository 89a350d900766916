/**
 * Memory and CPU of each service's container, from Docker's stats API, sampled cheaply.
 *
 * Policy:
 * - One-shot reads (no streaming, no two-sample wait inside Docker), only of RUNNING services,
 *   every `intervalMs` (default 15 s), at most `concurrency` at a time, each bounded by
 *   `timeoutMs`. A paused or stopped container is never read: reading would not wake it, but the
 *   point is to cost nothing while services sleep.
 * - CPU is a rate between two of our own samples of the cumulative CPU time (in cores).
 * - What sleeping saves, shown honestly: a SLEEPING (paused) container keeps all its memory, so
 *   its last figure from while it ran stays true and is reported; a STOPPED one uses none.
 * - A failed read is logged at debug and skipped; the loop ends only when its signal aborts.
 */
import type { Clock } from '../clock.ts';
import type { ServiceState } from '../lifecycle/service-handle.ts';
import type { Logger } from '../logging/logger.ts';
import type { ContainerProvider } from '../providers/container-provider.ts';

/** One service as the sampler sees it. */
export interface SampledService {
  readonly name: string;
  readonly config: { readonly container: string };
  state(): ServiceState;
}

/** The latest figures of one service. */
export interface ResourceSample {
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number;
  readonly cpuSeconds: number;
  /** CPU use between the last two samples, in cores (0.5 = half a core); null after the first. */
  readonly cpuCores: number | null;
  /** Epoch ms of the read. */
  readonly sampledAt: number;
}

/** What the sampler is built from. */
export interface ResourceSamplerOptions {
  readonly provider: Pick<ContainerProvider, 'stats'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly services: () => readonly SampledService[];
  readonly intervalMs?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
}

/** Defaults of the sampling policy. */
export const RESOURCE_SAMPLING = { intervalMs: 15_000, concurrency: 4, timeoutMs: 5_000 } as const;

/** Samples resource figures in the background; see the module header for the policy. */
export class ResourceSampler {
  readonly #options: ResourceSamplerOptions;
  readonly #latest = new Map<string, ResourceSample>();

  constructor(options: ResourceSamplerOptions) {
    this.#options = options;
  }

  /** CPU use between the last two samples of a service, in cores; null when not known. */
  cpuCores(name: string): number | null {
    return this.#latest.get(name)?.cpuCores ?? null;
  }

  /** The latest figures of a service as they stand for its state now (see the policy), or null. */
  latest(service: SampledService): ResourceSample | null {
    const sample = this.#latest.get(service.name) ?? null;
    if (sample === null || service.state() !== 'STOPPED') return sample;
    return { ...sample, memoryBytes: 0, cpuCores: 0 };
  }

  /** Samples now and then every interval until `signal` aborts; never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    const intervalMs = this.#options.intervalMs ?? RESOURCE_SAMPLING.intervalMs;
    while (!signal.aborted) {
      await this.sampleOnce(signal);
      await this.#options.clock.sleep(intervalMs, signal).catch(() => undefined);
    }
  }

  /** Reads every RUNNING service once (bounded concurrency); resolves when all reads ended. */
  async sampleOnce(signal?: AbortSignal): Promise<void> {
    const running = this.#options.services().filter((s) => s.state() === 'RUNNING');
    const limit = this.#options.concurrency ?? RESOURCE_SAMPLING.concurrency;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < running.length && !signal?.aborted) {
        const service = running[next++] as SampledService;
        await this.#read(service, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, running.length) }, worker));
  }

  /** Reads one service now (e.g. right after it woke), if it is RUNNING; never rejects. */
  sampleService(service: SampledService): Promise<void> {
    return service.state() === 'RUNNING' ? this.#read(service) : Promise.resolve();
  }

  async #read(service: SampledService, outer?: AbortSignal): Promise<void> {
    const { provider, clock, logger } = this.#options;
    const timeout = new AbortController();
    const timer = clock.setTimeout(() => timeout.abort(new Error('stats read timed out')), this.#options.timeoutMs ?? RESOURCE_SAMPLING.timeoutMs);
    const onOuter = (): void => timeout.abort(outer?.reason);
    outer?.addEventListener('abort', onOuter, { once: true });
    try {
      const stats = await provider.stats(service.config.container, timeout.signal);
      if (stats === null) return;
      const now = clock.now();
      const previous = this.#latest.get(service.name);
      const elapsedS = previous ? (now - previous.sampledAt) / 1000 : 0;
      const cpuCores = previous && elapsedS > 0 ? Math.max(0, (stats.cpuSeconds - previous.cpuSeconds) / elapsedS) : null;
      this.#latest.set(service.name, { ...stats, cpuCores, sampledAt: now });
    } catch (err) {
      logger.debug({ service: service.name, err }, 'container stats read failed');
    } finally {
      timer.cancel();
      outer?.removeEventListener('abort', onOuter);
    }
  }
}
