/**
 * A kept-alive upstream connection closed just as it is reused: the upstream's keep-alive timeout
 * and the next request crossed. A GET without a body is sent once more on a new connection; a
 * POST is not (it may have had effects) and gets 502.
 */
import net, { type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startProxy, type TestProxy } from './harness.ts';

/**
 * An upstream that answers the first request on each connection and keeps it open, then closes
 * the connection without answering when a second request arrives on it; with `onlyOnce`, it
 * answers the first request it ever gets and closes every connection on any later one.
 */
async function closingUpstream(onlyOnce = false) {
  let requests = 0;
  let answers = 0;
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    let answered = false;
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      head = '';
      requests += 1;
      if (answered || (onlyOnce && answers > 0)) {
        socket.destroy();
        return;
      }
      answered = true;
      answers += 1;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    upstream: { host: '127.0.0.1', port },
    requests: () => requests,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let upstream: Awaited<ReturnType<typeof closingUpstream>>;
let proxy: TestProxy;

async function setup(onlyOnce = false): Promise<void> {
  upstream = await closingUpstream(onlyOnce);
  const handle = new FakeServiceHandle('api', upstream.upstream);
  handle.wakeNow();
  proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
}

beforeEach(async () => setup());

afterEach(async () => {
  await proxy.close();
  await upstream.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const res = await fetch(`${proxy.url}${path}`, init);
  return { status: res.status, body: await res.text() };
}

describe('a kept-alive upstream connection closed under a request', () => {
  it('sends a GET once more, on a new connection, and answers it', async () => {
    expect(await get('/one')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/two')).toEqual({ status: 200, body: 'ok' });
    expect(upstream.requests()).toBe(3);
    expect(upstream.connections()).toBe(2);
    expect(proxy.logs.filter((line) => line['status'] === 502)).toEqual([]);
  });

  it('does not send a POST again: it answers 502 and logs the failure', async () => {
    expect(await get('/one')).toEqual({ status: 200, body: 'ok' });
    const res = await get('/two', { method: 'POST', body: 'x' });
    expect(res.status).toBe(502);
    expect(upstream.requests()).toBe(2);
    expect(upstream.connections()).toBe(1);
    expect(proxy.logs.some((line) => line['status'] === 502)).toBe(true);
  });

  it('sends a GET only once more: when the new connection is closed too, it answers 502', async () => {
    await proxy.close();
    await upstream.close();
    await setup(true);
    expect(await get('/one')).toEqual({ status: 200, body: 'ok' });
    expect((await get('/two')).status).toBe(502);
    expect(upstream.requests()).toBe(3);
    expect(upstream.connections()).toBe(2);
  });
});
