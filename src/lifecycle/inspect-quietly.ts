/**
 * The inspect made after a failed transition, to learn the state the failure left behind.
 *
 * Policy: it is best effort and bounded. It answers within REOBSERVE_TIMEOUT_MS or not at all, and
 * never throws: when the runtime cannot tell (it is down, or slow), the state is left as it is and
 * the caller's own error is what the callers get; the next request simply tries again.
 */
import type { Clock } from '../clock.ts';
import type { ServiceConfig } from '../config/services-schema.ts';
import type { ContainerProvider, ContainerStatus } from '../providers/container-provider.ts';
import { raceAbort } from './race-abort.ts';

/** How long an inspect made after a failure may take before the state is left as it is (ms). */
export const REOBSERVE_TIMEOUT_MS = 5_000;

/** The container's status now, or null when it could not be read in time. Never rejects. */
export async function inspectQuietly(deps: {
  readonly config: ServiceConfig;
  readonly provider: ContainerProvider;
  readonly clock: Clock;
}): Promise<ContainerStatus | null> {
  const { provider, clock, config } = deps;
  const timeout = new AbortController();
  const timer = clock.setTimeout(() => timeout.abort(new Error('inspect timed out')), REOBSERVE_TIMEOUT_MS);
  try {
    return await raceAbort(provider.inspect(config.container, config.port, timeout.signal), timeout.signal);
  } catch {
    return null;
  } finally {
    timer.cancel();
  }
}
