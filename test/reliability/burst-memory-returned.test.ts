/**
 * Issue 10 (item 9), issue 12: memory taken by a burst is given back. After 1,000 concurrent
 * requests held during a wake, once their clients are gone, a spawned wake-proxy runs a
 * last-resort GC for the growth (heap-reclaim.ts) and ends below the peak it reached. The
 * figures live in the benchmark; this checks the wiring in a real process, with no timing or
 * size thresholds.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand } from '../support/proxy-harness.ts';
import { spawnProxy, type SpawnedProxy } from '../support/spawned-proxy.ts';

const CLIENTS = 1000;
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

const reclaims = (reason: string) => proxy.logsWith('memory reclaimed while quiet').filter((l) => l['reason'] === reason);

describe('a burst of held requests', () => {
  it('is answered, and its memory is reclaimed once the clients are gone', async () => {
    // Start-up's own reclaim comes first, so that the burst's growth is measured from its result.
    await eventually(() => reclaims('start-up').length > 0, { timeoutMs: 30_000, intervalMs: 100 });
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
    await eventually(() => reclaims('growth').length > 0, { timeoutMs: 30_000, intervalMs: 100 });
    const line = reclaims('growth')[0];
    expect(line?.['rssAfterMb']).toBeLessThanOrEqual(line?.['rssBeforeMb'] as number);
    // Start-up was reclaimed once, before the burst; the burst's growth once, after it.
    expect(reclaims('start-up')).toHaveLength(1);
    expect(reclaims('growth')).toHaveLength(1);
  });
});
