/**
 * "Is the service ready right now?" One probe per service, built from its health_check config.
 * A probe never changes container state and never throws for a not-ready service: it reports.
 */
import type { Upstream } from '../providers/container-provider.ts';

/** The outcome of one probe; `detail` is short and fit for logs and errors, e.g. `HTTP 503`, `ECONNREFUSED`, `timeout after 1000 ms`. */
export interface ProbeResult {
  readonly ready: boolean;
  readonly detail: string;
  /**
   * True when the connection was refused: nothing listens at the address yet (the app is still
   * starting). The kernel answered, not the app, so asking again soon costs next to nothing.
   */
  readonly refused?: boolean;
}

/** A failed probe whose `detail` is the error code or reason; marked refused on ECONNREFUSED. */
export function probeFailure(detail: string): ProbeResult {
  return detail === 'ECONNREFUSED' ? { ready: false, detail, refused: true } : { ready: false, detail };
}

/**
 * Checks readiness of a service at an address (null for a service without a port: network probes
 * then report "no address"). Rejects only when `signal` aborts.
 */
export interface ReadinessProbe {
  check(upstream: Upstream | null, signal: AbortSignal): Promise<ProbeResult>;
}
