import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WakeFailedError, WakeTimeoutError } from '../../../src/errors.ts';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startUpstream, type TestUpstream } from '../../support/upstream.ts';
import { startProxy, type TestProxy } from './harness.ts';

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

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createProxyServer on failures', () => {
  it('answers 503 with Retry-After once max_held_requests are held', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream, { max_held_requests: 2, health_check: { timeout: '2s' } });
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const held = [fetch(`${proxy.url}/a`), fetch(`${proxy.url}/b`)];
    await eventually(() => handle.waiting === 2);
    const refused = await fetch(`${proxy.url}/c`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(await refused.json()).toMatchObject({ code: 'WP_HOLD_QUEUE_FULL' });
    handle.wakeNow();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('answers 504 with a problem document when the wake times out', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const pending = fetch(`${proxy.url}/x`);
    await eventually(() => handle.waiting === 1);
    handle.failWake(new WakeTimeoutError({ service: 'api', step: 'ready', waitedMs: 30000, lastProbe: 'connect ECONNREFUSED 172.17.0.9:80' }));
    const res = await pending;
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ type: 'about:blank', title: 'Gateway Timeout', status: 504, code: 'WP_WAKE_TIMEOUT' });
    expect(body).not.toContain('172.17.0.9');
    // The wake logs why at warn, once; each request it failed is a debug line without a stack.
    const line = proxy.logs.find((l) => l['code'] === 'WP_WAKE_TIMEOUT');
    expect(line).toMatchObject({ level: 20, status: 504, service: 'api', route: '/', msg: 'request failed' });
    expect(line).not.toHaveProperty('err');
  });

  it('answers 503 when the wake fails', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const pending = fetch(`${proxy.url}/x`);
    await eventually(() => handle.waiting === 1);
    handle.failWake(new WakeFailedError({ service: 'api', step: 'running', waitedMs: 12, exitCode: 3 }, 'container exited (code 3)'));
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'WP_WAKE_FAILED' });
  });

  it('answers 502 when the upstream refuses the connection', async () => {
    const handle = new FakeServiceHandle('api', { host: '127.0.0.1', port: await closedPort() });
    handle.wakeNow();
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const res = await fetch(`${proxy.url}/x`, { method: 'POST', body: 'payload' });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'WP_UPSTREAM_UNREACHABLE', detail: expect.stringContaining('connection refused') });
  });

  it('answers 504 when the upstream sends no headers before the deadline', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    handle.wakeNow();
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle], { headersTimeoutMs: 100 });
    const res = await fetch(`${proxy.url}/slow`);
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'WP_UPSTREAM_TIMEOUT' });
  });

  it('cuts the client connection, with no second status line, when the upstream dies mid-response', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    handle.wakeNow();
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
    const res = await fetch(`${proxy.url}/sse`);
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toContain('data: first');
    await upstream.close();
    await expect(reader?.read()).rejects.toThrow();
    await eventually(() => proxy?.logs.some((l) => l['code'] === 'WP_UPSTREAM_UNREACHABLE'));
  });
});
