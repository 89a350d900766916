/**
 * Issue 10 (item 7): on SIGTERM the proxy stops accepting, lets in-flight requests finish within
 * --drain-timeout, answers held ones, cuts what is left at the deadline, and exits 0. Each case
 * runs its own spawned wake-proxy.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening } from '../support/proxy-harness.ts';
import { rawRequest } from '../support/raw-http.ts';
import { spawnProxy, type SpawnedProxy } from '../support/spawned-proxy.ts';

let backend: Backend;
let proxy: SpawnedProxy | null = null;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-drain' });
  await backendListening(backend.name);
});

afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

afterAll(async () => {
  await backend?.remove();
});

/** A spawned proxy whose service is known ready (one request went through). */
async function start(drainTimeout: string): Promise<SpawnedProxy> {
  const started = await spawnProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
    args: ['--drain-timeout', drainTimeout],
  });
  const warm = await rawRequest(started.port, 'GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n');
  expect(warm.status).toBe(200);
  return started;
}

async function inFlight(p: SpawnedProxy): Promise<number> {
  const res = await fetch(`${p.adminUrl}/services/app`);
  return ((await res.json()) as { inFlight: number }).inFlight;
}

describe('SIGTERM', () => {
  it('lets 20 long in-flight requests finish within the drain timeout, then exits 0', async () => {
    proxy = await start('20s');
    const p = proxy;
    const requests = Array.from({ length: 20 }, () =>
      rawRequest(p.port, 'GET /slow?ms=3000 HTTP/1.1\r\nHost: app\r\n\r\n', { timeoutMs: 30_000 }),
    );
    await eventually(async () => (await inFlight(p)) === 20, { timeoutMs: 15_000 });
    p.signal('SIGTERM');
    const answers = await Promise.all(requests);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('slow done');
    }
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.logsWith('shutting down')[0]).toMatchObject({ signal: 'SIGTERM', drainTimeoutMs: 20_000 });
    expect(p.logsWith('wake-proxy stopped')).toHaveLength(1);
  });

  it('cuts a request that outlives the drain timeout and still exits 0', async () => {
    proxy = await start('1s');
    const p = proxy;
    const endless = rawRequest(p.port, 'GET /slow?ms=60000 HTTP/1.1\r\nHost: app\r\n\r\n', { timeoutMs: 30_000 });
    await eventually(async () => (await inFlight(p)) === 1, { timeoutMs: 15_000 });
    p.signal('SIGTERM');
    const answer = await endless;
    expect(answer.ended).toBe('closed');
    expect(answer.status).toBeNull();
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });
});
