/**
 * Issue 4: `sleep_policy.mode: stop` skips the pause tier: an idle service goes straight from
 * RUNNING to STOPPED (memory freed), and the next request starts it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-stopmode' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: batch\n',
    services: `services:
  batch:
    container: ${backend.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { mode: stop, idle_timeout: 1s }
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a service in stop mode', () => {
  it('is stopped, never paused, after its idle timeout', async () => {
    const res = await fetch(`${proxy.url}/`);
    expect(res.status).toBe(200);
    await res.text();

    await containerReaches(backend.name, 'exited');

    // Docker reports the container exited a moment before the stop call returns to the proxy.
    await eventually(async () => expect((await proxy.snapshot('batch')).state).toBe('STOPPED'), { timeoutMs: 5_000 });
    expect(proxy.calls.count('pause', backend.name)).toBe(0);
    expect(proxy.calls.count('stop', backend.name)).toBe(1);
    expect(proxy.logsWith('service slept', 'batch')[0]).toMatchObject({ from: 'RUNNING', to: 'STOPPED', cause: 'idle' });
  });

  it('is started again by the next request', async () => {
    const res = await fetch(`${proxy.url}/again`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(proxy.calls.count('start', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
  });
});
