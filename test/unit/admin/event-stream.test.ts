import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStream, MAX_READERS } from '../../../src/admin/event-stream.ts';
import { systemClock } from '../../../src/clock.ts';
import { eventually } from '../../support/eventually.ts';

let server: http.Server | undefined;
let stream: EventStream | undefined;

afterEach(async () => {
  stream?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(): Promise<string> {
  stream = new EventStream(systemClock);
  const s = stream;
  server = http.createServer((_req, res) => s.attach(res));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('EventStream', () => {
  it('sends each event as an SSE frame with an id, a kind and JSON data', async () => {
    const url = await serve();
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    await eventually(() => stream?.readers() === 1);
    stream?.publish('wake', { service: 'api', totalMs: 12 });
    let text = '';
    while (!text.includes('data: ')) {
      const { value } = await reader.read();
      text += value ?? '';
    }
    expect(text).toMatch(/id: 1\nevent: wake\ndata: \{"service":"api","totalMs":12\}\n\n/);
    await reader.cancel();
  });

  it('drops a reader that stops reading instead of buffering for it', async () => {
    const url = new URL(await serve());
    const socket = connect(Number(url.port), '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.pause();
    await eventually(() => stream?.readers() === 1);
    const payload = { blob: 'x'.repeat(16 * 1024) };
    for (let i = 0; i < 2_000 && stream?.readers() === 1; i += 1) stream?.publish('transition', payload);
    expect(stream?.readers()).toBe(0);
    expect(stream?.dropped()).toBe(1);
    socket.destroy();
  });

  it(`answers 503 past ${MAX_READERS} readers`, async () => {
    const url = await serve();
    const sockets = Array.from({ length: MAX_READERS }, () => {
      const s = connect(Number(new URL(url).port), '127.0.0.1');
      s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      return s;
    });
    await eventually(() => stream?.readers() === MAX_READERS, { timeoutMs: 5000 });
    const res = await fetch(url);
    expect(res.status).toBe(503);
    await res.arrayBuffer();
    for (const s of sockets) s.destroy();
  });
});
