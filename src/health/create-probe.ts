/**
 * Builds the readiness probe of one service from its `health_check` config.
 *
 * Policy: the probe kind was resolved once by the config (probe-kind.ts): http, tcp, postgres,
 * redis, mysql, exec, docker, or running (ready as soon as the container runs, for a service
 * without a port). The deprecated `docker_health: true` keeps its meaning: the service is ready only
 * when both its probe and Docker's HEALTHCHECK say so; the two checks run concurrently, so the
 * slower one sets the pace, and the detail names whichever is not ready yet.
 */
import type { HealthCheckConfig } from '../config/services-schema.ts';
import type { ContainerProvider } from '../providers/container-provider.ts';
import { createDockerHealthProbe } from './docker-health-probe.ts';
import { createExecProbe } from './exec-probe.ts';
import { createHttpProbe } from './http-probe.ts';
import { createMysqlProbe } from './mysql-probe.ts';
import { createPostgresProbe } from './postgres-probe.ts';
import type { ProbeResult, ReadinessProbe } from './readiness-probe.ts';
import { createRedisProbe } from './redis-probe.ts';
import { createTcpProbe } from './tcp-probe.ts';

/** What a probe needs besides the config: the runtime and the container to ask about. */
export interface ProbeDeps {
  readonly provider: ContainerProvider;
  readonly container: string;
  readonly port: number | null;
}

/** A probe that is ready whenever asked: the container runs, which the wake already saw. */
const RUNNING_PROBE: ReadinessProbe = {
  check: async (_upstream, signal) => {
    signal.throwIfAborted();
    return { ready: true, detail: 'running' };
  },
};

/** Creates the readiness probe the health_check config asks for. */
export function createReadinessProbe(health: HealthCheckConfig, deps: ProbeDeps): ReadinessProbe {
  const probe = createProbeOfKind(health, deps);
  return health.dockerHealth && health.probe !== 'docker' ? allReady([probe, createDockerHealthProbe(deps)]) : probe;
}

function createProbeOfKind(health: HealthCheckConfig, deps: ProbeDeps): ReadinessProbe {
  const { probeTimeoutMs } = health;
  switch (health.probe) {
    case 'http':
      return createHttpProbe({ path: health.path ?? '/', status: health.status, probeTimeoutMs });
    case 'tcp':
      return createTcpProbe({ probeTimeoutMs });
    case 'postgres':
      return createPostgresProbe({ probeTimeoutMs });
    case 'redis':
      return createRedisProbe({ probeTimeoutMs });
    case 'mysql':
      return createMysqlProbe({ probeTimeoutMs });
    case 'exec':
      return createExecProbe({ provider: deps.provider, container: deps.container, command: health.command ?? [], probeTimeoutMs });
    case 'docker':
      return createDockerHealthProbe(deps);
    case 'running':
      return RUNNING_PROBE;
  }
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

/** Ready when all are ready; the detail lists the results that are not, else all of them. Refused when every failing one was. */
export function combine(results: readonly ProbeResult[]): ProbeResult {
  const failing = results.filter((r) => !r.ready);
  const shown = failing.length > 0 ? failing : results;
  const detail = shown.map((r) => r.detail).join('; ');
  if (failing.length > 0 && failing.every((r) => r.refused === true)) return { ready: false, detail, refused: true };
  return { ready: failing.length === 0, detail };
}
