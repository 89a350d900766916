/**
 * Builds the readiness probe of one service from its `health_check` config.
 *
 * Policy: HTTP when `path` is set, else TCP connect (see tcp-probe.ts for why TCP is weak behind a
 * published port). With `docker_health: true` the service is ready only when both the HTTP/TCP
 * probe and Docker's HEALTHCHECK say so; the two checks run concurrently, so the slower one sets
 * the pace, and the detail names whichever is not ready yet.
 */
import type { HealthCheckConfig } from '../config/services-schema.ts';
import type { ContainerProvider } from '../providers/container-provider.ts';
import { createDockerHealthProbe } from './docker-health-probe.ts';
import { createHttpProbe } from './http-probe.ts';
import type { ProbeResult, ReadinessProbe } from './readiness-probe.ts';
import { createTcpProbe } from './tcp-probe.ts';

/** What a probe needs besides the config: the runtime and the container to ask about. */
export interface ProbeDeps {
  readonly provider: ContainerProvider;
  readonly container: string;
  readonly port: number;
}

/** Creates the readiness probe the health_check config asks for. */
export function createReadinessProbe(health: HealthCheckConfig, deps: ProbeDeps): ReadinessProbe {
  const network =
    health.path === null
      ? createTcpProbe({ probeTimeoutMs: health.probeTimeoutMs })
      : createHttpProbe({ path: health.path, status: health.status, probeTimeoutMs: health.probeTimeoutMs });
  return health.dockerHealth ? allReady([network, createDockerHealthProbe(deps)]) : network;
}

/** A probe that is ready only when every probe in `probes` is ready. */
export function allReady(probes: readonly ReadinessProbe[]): ReadinessProbe {
  return {
    async check(upstream, signal) {
      const results = await Promise.all(probes.map((p) => p.check(upstream, signal)));
      return combine(results);
    },
  };
}

/** Ready when all are ready; the detail lists the results that are not, else all of them. */
export function combine(results: readonly ProbeResult[]): ProbeResult {
  const failing = results.filter((r) => !r.ready);
  const shown = failing.length > 0 ? failing : results;
  return { ready: failing.length === 0, detail: shown.map((r) => r.detail).join('; ') };
}
