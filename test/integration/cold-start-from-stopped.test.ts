/**
 * Issue 3: a request to a service whose container is stopped is held while the container starts
 * and becomes ready, then gets the backend's real response. With a backend that listens late and
 * reports ready later still, an early forward would fail: only a real readiness wait passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, startProxy, stopByHand, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend | undefined;
let proxy: ProxyHarness | undefined;

afterEach(async () => {
  await proxy?.close();
  await backend?.remove();
  proxy = undefined;
  backend = undefined;
});

function servicesYaml(container: string): string {
  return `services:
  app:
    container: ${container}
    port: 8080
    health_check:
      path: /health
      timeout: 30s
`;
}

const ROUTES = 'routes:\n  - path: /\n    service: app\n';

describe('a request to a stopped service', () => {
  it('starts the container once and gets the real response', async () => {
    backend = await createBackend({ name: 'wp-stopped' });
    await backendListening(backend.name);
    await stopByHand(backend.name);
    expect(await containerState(backend.name)).toBe('exited');
    proxy = await startProxy({ routes: ROUTES, services: servicesYaml(backend.name) });
    expect((await proxy.snapshot('app')).state).toBe('STOPPED');

    const res = await fetch(`${proxy.url}/cold`);

    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(res.headers.get('x-wake-proxy-wake-ms')).toMatch(/^\d+$/);
    expect(proxy.calls.count('start', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
    expect(proxy.logsWith('service woke', 'app')[0]).toMatchObject({ from: 'STOPPED', cause: 'request' });
  });

  it('waits for a slow-starting backend to be ready before forwarding', async () => {
    backend = await createBackend({
      name: 'wp-slowstart',
      env: { START_DELAY_MS: '700', READY_AFTER_MS: '700' },
      start: false,
    });
    expect(await containerState(backend.name)).toBe('created');
    proxy = await startProxy({ routes: ROUTES, services: servicesYaml(backend.name) });

    const res = await fetch(`${proxy.url}/echo`);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'GET', path: '/echo', bodyBytes: 0 });
    expect(proxy.calls.count('start', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
    const woke = proxy.logsWith('service woke', 'app');
    expect(woke).toHaveLength(1);
    // The backend answered /health 503 at least once before it was ready: readiness was awaited.
    expect(woke[0]?.['probes']).toBeGreaterThan(1);
  });
});
