import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKEND_PORT,
  bridgeIp,
  createBackend,
  testDocker,
  type Backend,
  type BackendOptions,
} from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';

// The backend image is the ground every provider and proxy integration test stands on:
// check that each behaviour its env vars and endpoints promise holds in a real container.
const created: Backend[] = [];

async function startBackend(options: Partial<BackendOptions> = {}): Promise<{ backend: Backend; base: string }> {
  const backend = await createBackend({ name: 'wp-image', ...options });
  created.push(backend);
  return { backend, base: `http://${await bridgeIp(backend.id)}:${BACKEND_PORT}` };
}

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  return eventually(() => fetch(url, { signal: AbortSignal.timeout(5000), ...init }), { timeoutMs: 20_000, intervalMs: 50 });
}

/** Opens a WebSocket, sends each message in turn and collects the echoes. */
async function wsRoundTrip(url: string, messages: ReadonlyArray<string | Uint8Array>): Promise<Array<string | Buffer>> {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const received: Array<string | Buffer> = [];
  const closed = new Promise<void>((resolve, reject) => {
    socket.addEventListener('error', () => reject(new Error('websocket error')));
    socket.addEventListener('close', () => resolve());
  });
  socket.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as string | ArrayBuffer;
    received.push(typeof data === 'string' ? data : Buffer.from(data));
    if (received.length === messages.length) socket.close(1000, 'done');
  });
  await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
  for (const message of messages) socket.send(message);
  await closed;
  return received;
}

afterEach(async () => {
  await Promise.all(created.splice(0).map((c) => c.remove()));
});

describe('backend test image', () => {
  it('answers / with its hostname and counts requests, leaving out /health and /stats', async () => {
    const { backend, base } = await startBackend();
    const res = await get(`${base}/anything?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-backend')).toBe(backend.id.slice(0, 12));
    expect(await res.text()).toBe(`hello from ${backend.id.slice(0, 12)}`);
    await get(`${base}/health`);
    const stats = (await (await get(`${base}/stats`)).json()) as { requests: number; healthChecks: number };
    expect(stats).toMatchObject({ requests: 1, healthChecks: 1 });
  });

  it('reports not ready on /health until READY_AFTER_MS has passed', async () => {
    const { base } = await startBackend({ env: { READY_AFTER_MS: '1500' } });
    expect((await get(`${base}/health`)).status).toBe(503);
    await eventually(async () => expect((await get(`${base}/health`)).status).toBe(200), { timeoutMs: 10_000, intervalMs: 100 });
  });

  it('listens only after START_DELAY_MS', async () => {
    const { base } = await startBackend({ env: { START_DELAY_MS: '2500' } });
    await expect(fetch(`${base}/`, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    expect((await get(`${base}/`)).status).toBe(200);
  });

  it('echoes method, path, headers and a digest of the body', async () => {
    const { base } = await startBackend();
    const body = Buffer.alloc(300_000, 7);
    const res = await get(`${base}/echo?q=a%20b`, { method: 'PUT', body, headers: { 'x-test': 'yes' } });
    expect(await res.json()).toMatchObject({
      method: 'PUT',
      path: '/echo?q=a%20b',
      headers: { 'x-test': 'yes' },
      bodyBytes: body.length,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  it('streams chunks, server-sent events and exact byte counts', async () => {
    const { base } = await startBackend();
    expect(await (await get(`${base}/stream?chunks=3&interval=10`)).text()).toBe('chunk 0\nchunk 1\nchunk 2\n');
    const sse = await get(`${base}/sse?events=2&interval=10`);
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    expect(await sse.text()).toBe('id: 0\ndata: event 0\n\nid: 1\ndata: event 1\n\n');
    expect((await (await get(`${base}/bytes?n=200000`)).arrayBuffer()).byteLength).toBe(200_000);
    expect(await (await get(`${base}/slow?ms=50`)).text()).toBe('slow done');
  });

  it('echoes WebSocket text and binary messages of every length encoding', async () => {
    const { base } = await startBackend();
    await get(`${base}/`);
    const medium = 'm'.repeat(300);
    const large = new Uint8Array(70_000).map((_, i) => i % 251);
    const echoes = await wsRoundTrip(`${base.replace('http', 'ws')}/ws`, ['hi', medium, large]);
    expect(echoes[0]).toBe('hi');
    expect(echoes[1]).toBe(medium);
    expect(Buffer.compare(echoes[2] as Buffer, Buffer.from(large))).toBe(0);
  });

  it('exits with the code asked for by /crash', async () => {
    const { backend, base } = await startBackend();
    expect(await (await get(`${base}/crash?code=9`)).text()).toBe('crashing\n');
    await eventually(async () => {
      const state = (await testDocker().getContainer(backend.id).inspect()).State;
      expect(state).toMatchObject({ Status: 'exited', ExitCode: 9 });
    });
  });
});
