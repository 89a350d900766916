/**
 * Issue 3: a client that gives up while its request is held stops waiting, but the wake it
 * started goes on: the other held requests are served by that one wake. Giving up means closing
 * with a reset (as a killed client or a browser cancelling does); a FIN alone is a half-close,
 * answered like any request (issue 10, test/reliability/half-closed-client.test.ts).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, backendStats, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-abort' });
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

describe('a client giving up while held', () => {
  it('does not cancel the wake for the others', async () => {
    const gate = proxy.calls.gate('unpause');
    const quitter = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
    quitter.on('error', () => {});
    quitter.write('GET /first HTTP/1.1\r\nHost: app\r\n\r\n');
    await eventually(() => gate.entered() === 1);
    const patient = fetch(`${proxy.url}/second`);
    await eventually(async () => (await proxy.snapshot('app')).inFlight === 2);

    quitter.resetAndDestroy();
    await eventually(() => proxy.logsWith('client gave up while held', 'app').length === 1);
    gate.release();

    const res = await patient;
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
    expect((await backendStats(backend.name)).requests).toBe(1);
    expect(proxy.logsWith('client gave up while held', 'app')[0]).toMatchObject({ clientAborted: true });
  });
});
