/**
 * Issue 8: a check that an already-running container is ready is not a wake. The container runs
 * (still warming up: /health answers 503 for its first 1.5 s) when the proxy starts; the first
 * request is held until readiness is confirmed, then served without X-Wake-Proxy-Wake-Ms, with
 * no wake counted, and the log says "service readiness confirmed", not "service woke".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-already-running', env: { READY_AFTER_MS: '1500' } });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: warm\n',
    services: `services:
  warm:
    container: ${backend.name}
    port: 8080
    health_check: { path: /health }
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('the first request to a container already running when the proxy started', () => {
  it('is served once readiness is confirmed, without the wake header, and counts no wake', async () => {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('hello from');
    expect(res.headers.get('x-wake-proxy-wake-ms')).toBeNull();

    const snapshot = await proxy.snapshot('warm');
    expect(snapshot).toMatchObject({ state: 'RUNNING', ready: true, wakeCount: 0, wakeFailures: 0, lastWake: null });
    expect(snapshot.probes).toBeGreaterThanOrEqual(1);
    expect(proxy.logsWith('service woke', 'warm')).toHaveLength(0);
    const [confirmed, ...more] = proxy.logsWith('service readiness confirmed', 'warm');
    expect(more).toHaveLength(0);
    // Confirmed by the start-up check, or by the request that arrived while it ran (which ends it).
    expect(confirmed).toMatchObject({ from: 'RUNNING' });
    expect(snapshot.probes).toBeGreaterThanOrEqual(confirmed?.['probes'] as number);
    expect(proxy.calls.count('start', backend.name) + proxy.calls.count('unpause', backend.name)).toBe(0);
  });
});
