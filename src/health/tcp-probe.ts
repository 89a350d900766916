/**
 * TCP readiness probe: ready as soon as a connection to host:port is established; the socket is
 * destroyed at once. Used when a service has no `health_check.path`.
 *
 * Policy and its known limit:
 * - Each check is bounded by `probeTimeoutMs` (a stopped container's old bridge IP does not refuse,
 *   it hangs; a SYN to a not-yet-bound published port can take ~1 s to be retransmitted).
 * - A failure is reported, never thrown: `ECONNREFUSED`, `ECONNRESET`, `timeout after 1000 ms`.
 *   The check rejects only when the caller's signal aborts, with its reason.
 * - LIMIT: through a *published* port, docker-proxy accepts the connection itself and resets it
 *   later when the app inside is not listening yet (DOCKER-FACTS.md). A successful connect is
 *   then no proof of readiness. For an upstream reached through a published port, configure
 *   `health_check.path`: the HTTP probe waits for a real response and is the reliable one.
 */
import { connect } from 'node:net';
import type { Upstream } from '../providers/container-provider.ts';
import type { ProbeResult, ReadinessProbe } from './readiness-probe.ts';

/** What the TCP probe needs from the health_check config. */
export interface TcpProbeOptions {
  readonly probeTimeoutMs: number;
}

/** Creates a TCP connect probe. */
export function createTcpProbe(options: TcpProbeOptions): ReadinessProbe {
  return {
    check: (upstream, signal) => checkTcp(upstream, options.probeTimeoutMs, signal),
  };
}

function checkTcp(upstream: Upstream, timeoutMs: number, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise<ProbeResult>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = connect({ host: upstream.host, port: upstream.port, timeout: timeoutMs });
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      settle();
    };
    const onAbort = (): void => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(() => resolve({ ready: true, detail: 'connected' })));
    socket.once('timeout', () => finish(() => resolve({ ready: false, detail: `timeout after ${timeoutMs} ms` })));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish(() => resolve({ ready: false, detail: err.code ?? err.message })),
    );
  });
}
