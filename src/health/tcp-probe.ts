/**
 * TCP readiness probe: ready as soon as a connection to host:port is established; the socket is
 * destroyed at once. The default for a port with no protocol probe of its own.
 *
 * Policy and its known limit:
 * - Each check is bounded by `probeTimeoutMs` and reports failures (socket-exchange.ts).
 * - LIMIT: through a *published* port, docker-proxy accepts the connection itself and resets it
 *   later when the app inside is not listening yet (DOCKER-FACTS.md), and a database accepts
 *   connections before it accepts sessions. A successful connect is then no proof of readiness:
 *   use `health_check.path` or a protocol probe (postgres, redis, mysql), which wait for an answer.
 */
import type { ReadinessProbe } from './readiness-probe.ts';
import { exchange } from './socket-exchange.ts';

/** What the TCP probe needs from the health_check config. */
export interface TcpProbeOptions {
  readonly probeTimeoutMs: number;
}

/** Creates a TCP connect probe. */
export function createTcpProbe(options: TcpProbeOptions): ReadinessProbe {
  const how = { greeting: null, judge: null, timeoutMs: options.probeTimeoutMs };
  return {
    async check(upstream, signal) {
      signal.throwIfAborted();
      if (upstream === null) return { ready: false, detail: 'no address' };
      return exchange(upstream, how, signal);
    },
  };
}
