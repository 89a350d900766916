/**
 * The background readiness check of a container seen running (start-up scan, started or unpaused
 * by hand): inspect it for its address, then probe it with the wake's cadence until ready or
 * `health_check.timeout`.
 *
 * Policy: a check is not a transition. It changes no container state (a container found not
 * running is reported, never started), holds no lock on the service, and ends as soon as its
 * signal aborts: the controller aborts it when anything is observed or a wake or sleep begins, so
 * external changes are never ignored while it runs and a request never waits on it.
 */
import type { Clock } from '../clock.ts';
import type { ServiceConfig } from '../config/services-schema.ts';
import type { ProbeResult, ReadinessProbe } from '../health/readiness-probe.ts';
import { readinessBackoff, waitUntilReady } from '../health/wait-until-ready.ts';
import type { ContainerProvider, Upstream } from '../providers/container-provider.ts';
import { raceAbort } from './race-abort.ts';
import { describeContainer } from './wake-errors.ts';

/** What a readiness check found; `probes` counts the probes it ran. */
export type ReadinessCheckOutcome =
  | { readonly ready: true; readonly upstream: Upstream | null; readonly probes: number }
  | { readonly ready: false; readonly detail: string; readonly probes: number };

/** What a check needs. */
export interface ReadinessCheckDeps {
  readonly config: ServiceConfig;
  readonly provider: ContainerProvider;
  readonly probe: ReadinessProbe;
  readonly clock: Clock;
}

/** Checks once (with retries up to health_check.timeout) that a running container is ready; rejects only on abort. */
export async function checkReadiness(deps: ReadinessCheckDeps, signal: AbortSignal): Promise<ReadinessCheckOutcome> {
  const { config, provider, probe, clock } = deps;
  let probes = 0;
  let last: ProbeResult | null = null;
  const status = await raceAbort(provider.inspect(config.container, config.port, signal), signal);
  if (status.state !== 'running') return { ready: false, detail: `container is ${describeContainer(status)}`, probes };
  const upstream = config.upstream ?? status.upstream;
  if (upstream === null && config.port !== null) return { ready: false, detail: `container has no address for port ${config.port}`, probes };
  const counting: ReadinessProbe = {
    check: async (target, probeSignal) => {
      const result = await probe.check(target, probeSignal);
      probes += 1;
      last = result;
      return result;
    },
  };
  const { timeoutMs, intervalMs } = config.healthCheck;
  try {
    await waitUntilReady({
      probe: counting,
      upstream,
      clock,
      deadlineAt: clock.now() + timeoutMs,
      signal,
      backoff: (attempt) => readinessBackoff(attempt, intervalMs),
    });
    return { ready: true, upstream, probes };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const lastDetail = (last as ProbeResult | null)?.detail;
    return { ready: false, detail: `not ready after ${timeoutMs} ms${lastDetail ? ` (last probe: ${lastDetail})` : ''}`, probes };
  }
}
