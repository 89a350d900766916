/**
 * Issue 3: streaming responses flow through without buffering. Server-sent events from the real
 * backend reach the client one by one while the backend is still sending, not all at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const EVENTS = 5;

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-sse' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: feed\n',
    services: `services:\n  feed:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

/** Reads the body chunk by chunk, recording how many events had arrived after each read. */
async function readEvents(body: ReadableStream<Uint8Array>): Promise<{ seenAfterEachRead: number[]; text: string }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const seenAfterEachRead: number[] = [];
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
    seenAfterEachRead.push(text.split('\n\n').filter((e) => e.includes('data: ')).length);
  }
  return { seenAfterEachRead, text };
}

describe('a server-sent event stream', () => {
  it('arrives event by event before the stream ends', async () => {
    const res = await fetch(`${proxy.url}/sse?events=${EVENTS}&interval=300`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');

    const { seenAfterEachRead, text } = await readEvents(res.body as ReadableStream<Uint8Array>);

    // The first read held fewer than all events: the first one came while the backend was still sending.
    expect(seenAfterEachRead[0]).toBeGreaterThanOrEqual(1);
    expect(seenAfterEachRead[0]).toBeLessThan(EVENTS);
    expect(seenAfterEachRead.length).toBeGreaterThan(1);
    expect(text).toBe(Array.from({ length: EVENTS }, (_, i) => `id: ${i}\ndata: event ${i}\n\n`).join(''));
  });
});
