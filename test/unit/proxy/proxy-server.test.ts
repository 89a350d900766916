import { once } from 'node:events';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startUpstream, type EchoBody, type TestUpstream } from '../../support/upstream.ts';
import { rawExchange, startProxy, type TestProxy } from './harness.ts';

let upstream: TestUpstream;
let proxy: TestProxy | null = null;

beforeEach(async () => {
  upstream = await startUpstream();
});

afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await upstream.close();
});

async function awakeProxy(routes: Record<string, unknown>[], entry: Record<string, unknown> = {}): Promise<FakeServiceHandle> {
  const handle = new FakeServiceHandle('api', upstream.upstream, entry);
  handle.wakeNow();
  proxy = await startProxy(routes, [handle]);
  return handle;
}

describe('createProxyServer', () => {
  it('forwards a request for a ready service without waking it', async () => {
    const handle = await awakeProxy([{ path: '/', service: 'api' }]);
    const res = await fetch(`${proxy?.url}/items/1?q=2`, { method: 'PUT', body: 'hello' });
    const echo = (await res.json()) as EchoBody;
    expect(res.status).toBe(200);
    expect(echo).toMatchObject({ method: 'PUT', url: '/items/1?q=2', bodyBytes: 5 });
    expect(res.headers.get('x-wake-proxy-wake-ms')).toBeNull();
    expect(handle.ensureAwakeCalls).toBe(0);
    expect(handle.tracked).toBe(1);
    await eventually(() => handle.released === 1);
  });

  it('answers 404 with a problem document when no route matches', async () => {
    await awakeProxy([{ path: '/api', service: 'api' }]);
    const res = await fetch(`${proxy?.url}/other`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'WP_ROUTE_NOT_FOUND' });
    expect(upstream.hits()).toBe(0);
  });

  it.each([
    ['a traversal', 'GET /static/%2e%2e/secret HTTP/1.1'],
    ['an encoded slash', 'GET /static%2F..%2Fsecret HTTP/1.1'],
    ['an absolute-form target', 'GET http://169.254.169.254/latest HTTP/1.1'],
  ])('answers 400 to %s and never reaches the upstream', async (_name, requestLine) => {
    await awakeProxy([{ path: '/', service: 'api' }]);
    const raw = await rawExchange(proxy?.port ?? 0, `${requestLine}\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('"code":"WP_BAD_REQUEST_PATH"');
    expect(upstream.hits()).toBe(0);
  });

  it('strips the prefix and tells the upstream with X-Forwarded-*', async () => {
    await awakeProxy([{ path: '/app', service: 'api', strip_prefix: true }]);
    const res = await fetch(`${proxy?.url}/app/x?y=1`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const echo = (await res.json()) as EchoBody;
    expect(echo.url).toBe('/x?y=1');
    expect(echo.headers).toMatchObject({
      host: `127.0.0.1:${proxy?.port}`,
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': `127.0.0.1:${proxy?.port}`,
      'x-forwarded-prefix': '/app',
    });
  });

  it('holds a request for a sleeping service until it wakes, then forwards it', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const pending = fetch(`${proxy.url}/held`);
    await eventually(() => handle.waiting === 1);
    expect(upstream.hits()).toBe(0);
    handle.wakeNow();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as EchoBody).url).toBe('/held');
    expect(Number(res.headers.get('x-wake-proxy-wake-ms'))).toBeGreaterThan(0);
  });

  it('holds 1000 concurrent requests on one wake and answers them all', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const url = proxy.url;
    const pending = Array.from({ length: 1000 }, (_, i) => fetch(`${url}/n/${i}`).then(async (r) => [r.status, await r.text()] as const));
    await eventually(() => handle.waiting === 1000, { timeoutMs: 8000 });
    handle.wakeNow();
    const results = await Promise.all(pending);
    expect(results.filter(([status]) => status === 200)).toHaveLength(1000);
    expect(handle.wakeCount).toBe(1);
    expect(upstream.hits()).toBe(1000);
  }, 20_000);

  it('answers 503 with Retry-After to a wake: false request while asleep, and forwards it once awake', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream, { health_check: { timeout: '4s' } });
    proxy = await startProxy([{ path: '/', service: 'api', request_rules: [{ match: { path_prefix: '/status' }, wake: false }] }], [handle]);
    const asleep = await fetch(`${proxy.url}/status`);
    expect(asleep.status).toBe(503);
    expect(asleep.headers.get('retry-after')).toBe('4');
    expect(await asleep.json()).toMatchObject({ code: 'WP_SERVICE_ASLEEP' });
    expect(handle.ensureAwakeCalls).toBe(0);
    handle.wakeNow();
    const awake = await fetch(`${proxy.url}/status`);
    expect(awake.status).toBe(200);
  });

  it('probes rather than refuses a wake: false request when the service runs but its readiness is unconfirmed', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    handle.markRunningUnconfirmed();
    proxy = await startProxy([{ path: '/', service: 'api', request_rules: [{ match: { path_prefix: '/status' }, wake: false }] }], [handle]);
    const pending = fetch(`${proxy.url}/status`);
    await eventually(() => handle.waiting === 1);
    handle.wakeNow();
    expect((await pending).status).toBe(200);
  });

  it('does not track activity for a count_activity: false request', async () => {
    const handle = await awakeProxy([{ path: '/', service: 'api' }], {
      request_rules: [{ match: { user_agent: 'monitor' }, count_activity: false }],
    });
    const res = await fetch(`${proxy?.url}/ping`, { headers: { 'user-agent': 'Uptime-Monitor/1' } });
    expect(res.status).toBe(200);
    await res.text();
    expect(handle.tracked).toBe(0);
  });

  it('serves an h2c upgrade offer as a plain HTTP/1.1 request without the offer', async () => {
    await awakeProxy([{ path: '/', service: 'api' }]);
    const raw = await rawExchange(
      proxy?.port ?? 0,
      'GET /h2c HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n',
    );
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toContain('"url":"/h2c"');
    expect(raw).not.toMatch(/"upgrade"|"http2-settings"/);
  });

  it('answers held requests 503 when it closes', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const pending = fetch(`${proxy.url}/held`);
    await eventually(() => handle.waiting === 1);
    const closing = proxy.close();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'WP_SHUTTING_DOWN' });
    await closing;
    expect(upstream.hits()).toBe(0);
  });

  it('closes a connection that never sent a request at once when it closes, while a response in flight finishes', async () => {
    await awakeProxy([{ path: '/', service: 'api' }]);
    const spare = net.connect(proxy?.port ?? 0, '127.0.0.1');
    await once(spare, 'connect');
    const spareClosed = once(spare, 'close');
    const slow = fetch(`${proxy?.url}/slow`);
    await eventually(() => upstream.hits() === 1);

    const closing = proxy?.close();
    await spareClosed;
    upstream.releaseSlow();

    expect((await slow).status).toBe(200);
    await closing;
  });
});
