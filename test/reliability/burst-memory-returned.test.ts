/**
 * Issue 10 (item 9), issue 12: memory taken by a burst is given back. After 1,000 concurrent
 * requests held during a wake, once their clients are gone, a spawned wake-proxy keeps its RSS
 * under the last reclaim's result + GROWTH_MB (heap-reclaim.ts runs a last-resort GC when it is
 * more), and start-up was reclaimed once. The figures live in the benchmark; this checks the
 * wiring in a real process.
 */
import { Agent, request } from 'undici';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROWTH_MB } from '../../src/proxy/heap-reclaim.ts';

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

/** VmRSS of a process in MB. */
function readRssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) / 1024;
}

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
    // The policy, checked in the real process: once the proxy is quiet again, its RSS is never
    // left GROWTH_MB or more above the last reclaim's result (a reclaim runs and lowers the mark).
    // Whether this burst grew it that far depends on the machine; the rule holds either way.
    await eventually(() => {
      const last = proxy.logsWith('memory reclaimed while quiet').at(-1);
      return last !== undefined && readRssMb(proxy.pid) < (last['rssAfterMb'] as number) + GROWTH_MB;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    for (const line of proxy.logsWith('memory reclaimed while quiet')) {
      expect(line['rssAfterMb']).toBeLessThanOrEqual(line['rssBeforeMb'] as number);
    }
    // Start-up was reclaimed once, and only once.
    expect(reclaims('start-up')).toHaveLength(1);
  });
});
