/**
 * Issue 3: 1,000 concurrent requests to a sleeping service cause exactly one unpause, and every
 * one of them is answered by the real backend. The unpause is held at a gate until all 1,000
 * requests are in the proxy (one connection each), so all of them are provably held at once.
 */
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, backendStats, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const CLIENTS = 1_000;

let backend: Backend;
let proxy: ProxyHarness;
let pool: Pool;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-thousand' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await startProxy({
    logLevel: 'info',
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:
  app:
    container: ${backend.name}
    port: 8080
    max_held_requests: ${CLIENTS}
    health_check:
      path: /health
      timeout: 60s
`,
  });
  pool = new Pool(proxy.url, { connections: CLIENTS, pipelining: 1 });
});

afterAll(async () => {
  await pool?.destroy();
  await proxy?.close();
  await backend?.remove();
});

async function get(i: number): Promise<{ status: number; body: string }> {
  const res = await pool.request({ method: 'GET', path: `/n/${i}` });
  return { status: res.statusCode, body: await res.body.text() };
}

describe('1,000 concurrent requests to a paused service', () => {
  it('share one unpause and all get the backend\'s answer', async () => {
    const gate = proxy.calls.gate('unpause');
    const settled = Promise.allSettled(Array.from({ length: CLIENTS }, (_, i) => get(i)));
    // The admin API counts in-flight requests as the proxy admits them: all 1,000 are held.
    await eventually(async () => gate.entered() === 1 && (await proxy.snapshot('app')).inFlight === CLIENTS, {
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    gate.release();

    const results = await settled;

    const failures = results.filter((r) => r.status === 'rejected' || r.value.status !== 200);
    expect(failures).toEqual([]);
    for (const r of results) if (r.status === 'fulfilled') expect(r.value.body).toMatch(/^hello from /);
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    expect(proxy.calls.count('start', backend.name)).toBe(0);
  });

  it('logs one wake that held all 1,000 requests', () => {
    const woke = proxy.logsWith('service woke', 'app');
    expect(woke).toHaveLength(1);
    expect(woke[0]).toMatchObject({ from: 'SLEEPING', held: CLIENTS });
  });

  it('reached the backend exactly 1,000 times and left it running', async () => {
    expect((await backendStats(backend.name)).requests).toBe(CLIENTS);
    expect(await containerState(backend.name)).toBe('running');
  });
});
