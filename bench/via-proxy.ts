/**
 * Wakes through the proxy: (2) a GET for a service whose container is paused, (4) for one whose
 * container is stopped, each until the full response. The container is put in that state with
 * the bare API (untimed) and the proxy's admin API is polled until the proxy has observed it, so
 * the timed request always finds the service SLEEPING or STOPPED with nothing in flight.
 */
import { performance } from 'node:perf_hooks';
import { waitForProxyState } from './admin-client.ts';
import { dockerState, type BenchBackend } from './bench-containers.ts';
import { stopBackend } from './floors.ts';
import { getOnce } from './http-client.ts';

/** The proxy child and the service routed to the backend. */
export interface ProxyWakeTarget {
  readonly backend: BenchBackend;
  readonly service: string;
  readonly proxyPort: number;
  readonly adminPort: number;
  /** A path the proxy routes to the service. */
  readonly path: string;
}

async function timedGet(target: ProxyWakeTarget): Promise<number> {
  const startedAt = performance.now();
  const result = await getOnce(
    { host: '127.0.0.1', port: target.proxyPort, path: target.path },
    { agent: false, responseTimeoutMs: 60_000 },
  );
  const elapsedMs = performance.now() - startedAt;
  if (result.status !== 200) throw new Error(`GET via the proxy answered ${result.status}`);
  return elapsedMs;
}

/** Pauses the container, waits for the proxy to see SLEEPING, then times one GET. */
export async function measureProxyWakeFromPaused(target: ProxyWakeTarget): Promise<number> {
  if ((await dockerState(target.backend.container)) !== 'paused') await target.backend.container.pause();
  await waitForProxyState(target.adminPort, target.service, 'SLEEPING');
  return timedGet(target);
}

/** Stops the container, waits for the proxy to see STOPPED, then times one GET. */
export async function measureProxyColdStart(target: ProxyWakeTarget): Promise<number> {
  await stopBackend(target.backend);
  await waitForProxyState(target.adminPort, target.service, 'STOPPED');
  return timedGet(target);
}
