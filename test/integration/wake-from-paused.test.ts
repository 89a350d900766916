/**
 * Issue 3: a request to a service whose container is paused is held, the container is unpaused,
 * and the request gets the backend's real response; the container keeps running afterwards and
 * the wake is logged once with its timings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-paused' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a request to a paused service', () => {
  it('is answered by the real backend after one unpause', async () => {
    expect((await proxy.snapshot('app')).state).toBe('SLEEPING');

    const res = await fetch(`${proxy.url}/hello`);

    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from [0-9a-f]{12}$/);
    expect(res.headers.get('x-wake-proxy-wake-ms')).toMatch(/^\d+$/);
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    expect(proxy.calls.count('start', backend.name)).toBe(0);
  });

  it('leaves the container running and the service RUNNING', async () => {
    expect(await containerState(backend.name)).toBe('running');
    expect((await proxy.snapshot('app')).state).toBe('RUNNING');
  });

  it('logs exactly one "service woke" line from SLEEPING with the phase timings', () => {
    const woke = proxy.logsWith('service woke', 'app');
    expect(woke).toHaveLength(1);
    expect(woke[0]).toMatchObject({ from: 'SLEEPING', cause: 'request', held: 1 });
    for (const field of ['providerMs', 'runningMs', 'readyMs', 'totalMs']) {
      expect(woke[0]?.[field]).toEqual(expect.any(Number));
    }
  });

  it('forwards the next request at once, without a wake header', async () => {
    const res = await fetch(`${proxy.url}/again`);
    expect(res.status).toBe(200);
    await res.text();
    expect(res.headers.get('x-wake-proxy-wake-ms')).toBeNull();
    expect(proxy.logsWith('service woke', 'app')).toHaveLength(1);
  });
});
