/**
 * Reads the proxy's admin API (GET /services/:name) so each timed iteration starts only once the
 * proxy has observed the state the benchmark put the container in.
 */
import { getJson } from './json-get.ts';

/** The fields of a service snapshot the benchmark reads. */
export interface ServiceView {
  readonly state: 'RUNNING' | 'SLEEPING' | 'STOPPED';
  readonly transition: string | null;
  readonly wakeCount: number;
}

function toServiceView(body: unknown): ServiceView {
  const value = body as Partial<ServiceView> | null;
  if (value === null || typeof value.state !== 'string' || typeof value.wakeCount !== 'number') {
    throw new Error(`unexpected admin answer: ${JSON.stringify(body)}`);
  }
  return { state: value.state, transition: value.transition ?? null, wakeCount: value.wakeCount };
}

/** The proxy's view of one service. */
export async function readService(adminPort: number, service: string): Promise<ServiceView> {
  return toServiceView(await getJson({ host: '127.0.0.1', port: adminPort, path: `/services/${encodeURIComponent(service)}` }));
}

/** Polls until the proxy sees `state` with no transition in flight; throws after `timeoutMs`. */
export async function waitForProxyState(adminPort: number, service: string, state: ServiceView['state'], timeoutMs = 10_000): Promise<ServiceView> {
  const deadline = performance.now() + timeoutMs;
  let last: ServiceView | null = null;
  while (performance.now() < deadline) {
    last = await readService(adminPort, service);
    if (last.state === state && last.transition === null) return last;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`proxy did not report ${service} ${state} within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}
