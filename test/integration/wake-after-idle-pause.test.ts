/**
 * Issue 3/4: a service the proxy paused itself (idle) while it was ready is resumed by the next
 * request with the unpause alone: no inspect, no readiness probe, the backend's real answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-idle-resume' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services:
      `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n` +
      '    health_check:\n      path: /health\n    sleep_policy:\n      idle_timeout: 1s\n      min_sleep_time: 0\n',
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a service paused by the proxy while ready', () => {
  it('is resumed by the next request with one unpause and no probe', async () => {
    const first = await fetch(`${proxy.url}/first`);
    expect(first.status).toBe(200);
    await first.text();
    await eventually(async () => expect(await containerState(backend.name)).toBe('paused'), { timeoutMs: 15_000 });
    await eventually(async () => expect((await proxy.snapshot('app')).state).toBe('SLEEPING'), { timeoutMs: 5_000 });

    const res = await fetch(`${proxy.url}/again`);

    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(res.headers.get('x-wake-proxy-wake-ms')).toMatch(/^\d+$/);
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    // The GET went into the paused container while the unpause was in flight, so its answer can
    // come before the unpause call returns and the wake is logged.
    const woke = await eventually(() => {
      const lines = proxy.logsWith('service woke', 'app').filter((l) => l['from'] === 'SLEEPING');
      return lines.length > 0 ? lines : null;
    });
    expect(woke).toHaveLength(1);
    expect(woke?.[0]).toMatchObject({ cause: 'request', probes: 0 });
    expect(await containerState(backend.name)).toBe('running');
  });
});
