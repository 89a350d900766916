/**
 * Wakes through the proxy: (2) a GET for a service whose container is paused, (4) for one whose
 * container is stopped, each until the full response. Untimed, the service is first put in that
 * state: (2) by the proxy itself through its admin API (`POST /services/:name/sleep`), the same
 * pause an idle timeout makes, so the wake is the product's normal path; (4) with the bare API,
 * after which the proxy's admin API is polled until the proxy has observed the stop. Either way
 * the timed request finds the service SLEEPING or STOPPED with nothing in flight.
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

/** Has the proxy pause the service (as after an idle timeout), then times one GET. */
export async function measureProxyWakeFromPaused(target: ProxyWakeTarget): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${target.adminPort}/services/${target.service}/sleep`, { method: 'POST' });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`admin sleep of ${target.service} answered ${res.status}`);
  if ((await dockerState(target.backend.container)) !== 'paused') throw new Error('admin sleep did not pause the container');
  await waitForProxyState(target.adminPort, target.service, 'SLEEPING');
  return timedGet(target);
}

/** Stops the container, waits for the proxy to see STOPPED, then times one GET. */
export async function measureProxyColdStart(target: ProxyWakeTarget): Promise<number> {
  await stopBackend(target.backend);
  await waitForProxyState(target.adminPort, target.service, 'STOPPED');
  return timedGet(target);
}
