/**
 * Issue 10 (item 9): memory taken by a burst is given back. After 300 concurrent requests held
 * during a wake, once their clients are gone, a spawned wake-proxy runs its one last-resort GC
 * (heap-reclaim.ts) and ends below the peak it reached. The figures live in the benchmark; this
 * checks the wiring in a real process, with no timing or size thresholds.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURST_CONNECTIONS } from '../../src/proxy/heap-reclaim.ts';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand } from '../support/proxy-harness.ts';
import { spawnProxy, type SpawnedProxy } from '../support/spawned-proxy.ts';

const CLIENTS = BURST_CONNECTIONS + 44;
let backend: Backend;
let proxy: SpawnedProxy;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-burstmem' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await spawnProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a burst of held requests', () => {
  it('is answered, and its memory is reclaimed once the clients are gone', async () => {
    const client = new Agent({ connections: CLIENTS });
    try {
      const statuses = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          const res = await request(`${proxy.url}/b/${i}`, { dispatcher: client, signal: AbortSignal.timeout(30_000) });
          await res.body.dump();
          return res.statusCode;
        }),
      );
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    } finally {
      await client.close();
    }
    await eventually(() => proxy.logsWith('memory reclaimed after a burst').length > 0, { timeoutMs: 20_000, intervalMs: 100 });
    const line = proxy.logsWith('memory reclaimed after a burst')[0];
    expect(line?.['rssAfterMb']).toBeLessThanOrEqual(line?.['rssBeforeMb'] as number);
    expect(proxy.logsWith('memory reclaimed after a burst')).toHaveLength(1);
  });
});
