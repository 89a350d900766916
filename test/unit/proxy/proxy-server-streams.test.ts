import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WakeFailedError } from '../../../src/errors.ts';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startUpstream, type EchoBody, type TestUpstream } from '../../support/upstream.ts';
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

async function sleepingProxy(): Promise<FakeServiceHandle> {
  const handle = new FakeServiceHandle('api', upstream.upstream);
  proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
  return handle;
}

function post(port: number, headers: http.OutgoingHttpHeaders): { req: http.ClientRequest; response: Promise<EchoBody & { status: number }> } {
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/upload', headers });
  const response = new Promise<EchoBody & { status: number }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ...(JSON.parse(Buffer.concat(chunks).toString()) as EchoBody), status: res.statusCode ?? 0 }));
    });
  });
  return { req, response };
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.addEventListener('message', (e) => resolve(String(e.data)), { once: true }));
}

describe('createProxyServer with bodies and streams', () => {
  it('holds a 5 MB POST unread, then delivers it intact', async () => {
    const handle = await sleepingProxy();
    const body = randomBytes(5 * 1024 * 1024);
    const { req, response } = post(proxy?.port ?? 0, { 'content-length': body.length });
    req.end(body);
    await eventually(() => handle.waiting === 1);
    handle.wakeNow();
    const echo = await response;
    expect(echo.status).toBe(200);
    expect(echo.bodyBytes).toBe(body.length);
    expect(echo.bodySha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('sends 100 Continue only once the held request is forwarded', async () => {
    const handle = await sleepingProxy();
    const body = Buffer.from('continued body');
    const { req, response } = post(proxy?.port ?? 0, { 'content-length': body.length, expect: '100-continue' });
    let continued = false;
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.flushHeaders();
    await eventually(() => handle.waiting === 1);
    expect(continued).toBe(false);
    handle.wakeNow();
    const echo = await response;
    expect(continued).toBe(true);
    expect(echo.bodySha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(echo.headers['expect']).toBeUndefined();
  });

  it('streams SSE events to the client while the upstream is still sending, and counts activity until the end', async () => {
    const handle = await sleepingProxy();
    handle.wakeNow();
    const res = await fetch(`${proxy?.url}/sse`);
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader?.read())?.value)).toContain('data: first');
    expect(upstream.openStreams()).toBe(1);
    upstream.sendEvent('second');
    expect(decoder.decode((await reader?.read())?.value)).toContain('data: second');
    expect(handle.inFlight).toBe(1);
    upstream.endStreams();
    while (!(await reader?.read())?.done) {
      /* drain */
    }
    await eventually(() => handle.inFlight === 0);
  });

  it('stops waiting for a client that resets while held, writes nothing, and lets the wake go on', async () => {
    const handle = await sleepingProxy();
    const socket = net.connect(proxy?.port ?? 0, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /leaving HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => handle.waiting === 1);
    socket.resetAndDestroy();
    await closed;
    await eventually(() => handle.waiting === 0);
    expect(received).toBe('');
    await eventually(() => proxy?.logs.some((l) => l['clientAborted'] === true && l['level'] === 30));
    const next = fetch(`${proxy?.url}/staying`);
    await eventually(() => handle.waiting === 1);
    expect(handle.wakeCount).toBe(1);
    handle.wakeNow();
    expect((await next).status).toBe(200);
    expect(upstream.hits()).toBe(1);
    await eventually(() => handle.inFlight === 0);
  });

  it('answers a client that half-closes (FIN) while held once the service wakes', async () => {
    const handle = await sleepingProxy();
    const socket = net.connect(proxy?.port ?? 0, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /half HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => handle.waiting === 1);
    await new Promise<void>((resolve) => socket.end(resolve));
    expect(handle.waiting).toBe(1);
    handle.wakeNow();
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(upstream.hits()).toBe(1);
    await eventually(() => handle.inFlight === 0);
  });

  it('holds a WebSocket until the wake, echoes through it, and counts it as activity while open', async () => {
    const handle = await sleepingProxy();
    const ws = new WebSocket(`ws://127.0.0.1:${proxy?.port}/socket`);
    const opened = new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', reject, { once: true });
    });
    await eventually(() => handle.waiting === 1);
    expect(ws.readyState).toBe(WebSocket.CONNECTING);
    handle.wakeNow();
    await opened;
    const reply = nextMessage(ws);
    ws.send('hello through the proxy');
    expect(await reply).toBe('hello through the proxy');
    expect(handle.inFlight).toBe(1);
    ws.close();
    await eventually(() => handle.inFlight === 0);
  });

  it('answers a WebSocket upgrade with 503 on the raw socket when the wake fails', async () => {
    const handle = await sleepingProxy();
    const socket = net.connect(proxy?.port ?? 0, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /socket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    await eventually(() => handle.waiting === 1);
    handle.failWake(new WakeFailedError({ service: 'api', step: 'running', waitedMs: 1 }, 'exited'));
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(received).toContain('"code":"WP_WAKE_FAILED"');
  });
});
