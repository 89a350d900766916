/**
 * Issue 10 (item 2): a client that sends its request and then shuts down its write side (FIN, as
 * `socat -t 5`, `nc -q` and HTTP/1.0 tools do) is still waiting and gets its response, whether
 * the service was ready or the request was held during a wake. The backend runs it exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, backendStats, containerReaches, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';
import { rawRequest } from '../support/raw-http.ts';

let backend: Backend;
let proxy: ProxyHarness;
let port: number;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-halfclose' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
    logLevel: 'info',
  });
  port = Number(new URL(proxy.url).port);
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

const POST = 'POST /echo HTTP/1.1\r\nHost: app\r\nContent-Length: 5\r\n\r\nhello';

describe('a client that half-closes after its request', () => {
  it('gets the response from a ready service', async () => {
    const before = (await backendStats(backend.name)).requests;
    const res = await rawRequest(port, POST, { halfClose: true });
    expect(res.status).toBe(200);
    expect(res.body).toContain('"bodyBytes":5');
    expect((await backendStats(backend.name)).requests - before).toBe(1);
  });

  it('gets the response for an HTTP/1.0 request with no Host', async () => {
    const res = await rawRequest(port, 'GET /hello HTTP/1.0\r\n\r\n', { halfClose: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^hello from /);
  });

  it('is answered, not dropped as "gave up", when it was held during a wake', async () => {
    const before = (await backendStats(backend.name)).requests;
    await pauseByHand(backend.name);
    await eventually(async () => (await proxy.snapshot('app')).state === 'SLEEPING');
    const gate = proxy.calls.gate('unpause');
    const held = rawRequest(port, POST, { halfClose: true, timeoutMs: 30_000 });
    const getHeld = rawRequest(port, 'GET /again HTTP/1.1\r\nHost: app\r\n\r\n', { halfClose: true, timeoutMs: 30_000 });
    await eventually(async () => (await proxy.snapshot('app')).inFlight === 2);
    gate.release();
    const [post, get] = await Promise.all([held, getHeld]);
    expect(post.status).toBe(200);
    expect(post.body).toContain('"bodyBytes":5');
    expect(get.status).toBe(200);
    await containerReaches(backend.name, 'running');
    expect((await backendStats(backend.name)).requests - before).toBe(2);
    expect(proxy.logsWith('client gave up while held', 'app')).toEqual([]);
    await eventually(async () => (await proxy.snapshot('app')).inFlight === 0);
  });
});
