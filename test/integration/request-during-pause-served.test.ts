/**
 * Issue 4: a request that arrives while a pause (or a stop) is in flight waits for it to finish,
 * then wakes the service: no lost request, and no paused container left serving nothing. The
 * provider call is held at a gate so the request provably arrives during it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-race' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
  const warmup = await fetch(`${proxy.url}/`);
  await warmup.text();
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a request during a pause or stop in flight', () => {
  it('is held until the pause ends, then served by a woken container', async () => {
    const gate = proxy.calls.gate('pause');
    const sleeping = proxy.adminPost('app', 'sleep');
    await eventually(() => gate.entered() === 1);
    expect(await proxy.snapshot('app')).toMatchObject({ state: 'RUNNING', transition: 'sleeping', ready: false });

    const request = fetch(`${proxy.url}/during-pause`);
    await eventually(async () => (await proxy.snapshot('app')).inFlight === 1);
    gate.release();

    const res = await request;
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(await sleeping).toBe(200);
    expect(proxy.calls.count('pause', backend.name)).toBe(1);
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
    expect((await proxy.snapshot('app')).state).toBe('RUNNING');
  });

  it('is held until a stop in flight ends, then served by a started container', async () => {
    const gate = proxy.calls.gate('stop');
    const stopping = proxy.adminPost('app', 'stop');
    await eventually(() => gate.entered() === 1);
    expect(await proxy.snapshot('app')).toMatchObject({ transition: 'stopping', ready: false });

    const request = fetch(`${proxy.url}/during-stop`);
    await eventually(async () => (await proxy.snapshot('app')).inFlight === 1);
    gate.release();

    const res = await request;
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(await stopping).toBe(200);
    expect(proxy.calls.count('stop', backend.name)).toBe(1);
    expect(proxy.calls.count('start', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
    expect(proxy.logsWith('service woke', 'app').at(-1)).toMatchObject({ from: 'STOPPED', cause: 'request' });
  });
});
