/**
 * Issue 3: a request body is never buffered while its request is held. A 5 MB POST sent to a
 * stopped service whose backend takes a second to listen arrives at the backend byte for byte.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const BODY = randomBytes(5 * 1024 * 1024);

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-post', env: { START_DELAY_MS: '1000' }, start: false });
  proxy = await startProxy({
    routes: 'routes:\n  - path: /upload\n    service: app\n    strip_prefix: true\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a large POST held during a cold start', () => {
  it('reaches the backend intact', async () => {
    expect((await proxy.snapshot('app')).state).toBe('STOPPED');

    const res = await fetch(`${proxy.url}/upload/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: BODY,
    });

    expect(res.status).toBe(200);
    expect(res.headers.get('x-wake-proxy-wake-ms')).toMatch(/^\d+$/);
    const echo = (await res.json()) as { method: string; path: string; bodyBytes: number; bodySha256: string };
    expect(echo).toEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/echo',
        bodyBytes: BODY.length,
        bodySha256: createHash('sha256').update(BODY).digest('hex'),
      }),
    );
    expect(proxy.calls.count('start', backend.name)).toBe(1);
  });

  it('streams a chunked body of unknown length held during an unpause too', async () => {
    expect(await proxy.adminPost('app', 'sleep')).toBe(200);
    expect(await containerState(backend.name)).toBe('paused');
    const chunks = [BODY.subarray(0, 1_000_000), BODY.subarray(1_000_000)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${proxy.url}/upload/echo`, { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    const echo = (await res.json()) as { bodyBytes: number; bodySha256: string; headers: Record<string, string> };
    expect(res.status).toBe(200);
    expect(echo.bodyBytes).toBe(BODY.length);
    expect(echo.bodySha256).toBe(createHash('sha256').update(BODY).digest('hex'));
    expect(echo.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers.get('x-wake-proxy-wake-ms')).toMatch(/^\d+$/);
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
  });
});
