/**
 * Docker HEALTHCHECK as a readiness probe: reads `Health.Status` through the provider.
 *
 * Policy: `healthy` is ready, and so is `none` (the image defines no HEALTHCHECK, so Docker has
 * no opinion to wait for). `starting` and `unhealthy` are not ready. Docker checks on its own
 * interval (30 s by default; the first check waits one interval, and a paused container reads
 * `unhealthy`), so a wake gated on it alone (`probe: docker`) takes at least one HEALTHCHECK
 * interval: the service's own protocol probe is faster whenever there is one. A provider failure is
 * reported as not ready, never thrown; the check rejects only when the caller's signal aborts.
 */
import type { ContainerProvider } from '../providers/container-provider.ts';
import type { ReadinessProbe } from './readiness-probe.ts';

/** Where the Docker health status is read from. */
export interface DockerHealthProbeDeps {
  readonly provider: ContainerProvider;
  readonly container: string;
  readonly port: number | null;
}

/** Creates a probe that is ready when Docker reports the container `healthy` (or has no healthcheck). */
export function createDockerHealthProbe(deps: DockerHealthProbeDeps): ReadinessProbe {
  return {
    async check(_upstream, signal) {
      signal.throwIfAborted();
      try {
        const status = await deps.provider.inspect(deps.container, deps.port, signal);
        const ready = status.health === 'healthy' || status.health === 'none';
        return { ready, detail: `docker health ${status.health}` };
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        return { ready: false, detail: `docker inspect failed: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}
