/**
 * Issue 13: three replicas sharing state through a real redis-server; a burst of requests for a
 * paused service, split over all of them, makes exactly one unpause (counted from Docker's own
 * events), every request is served, and every replica's /services shows the same wake count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, testDocker, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand } from '../support/proxy-harness.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { startReplicas, type ReplicaSet } from '../support/replica-set.ts';

const REQUESTS = 30;
let redis: RedisServer;
let backend: Backend;
let set: ReplicaSet;

/** Docker's unpause events for a container between two times (epoch s), from the engine's events API. */
async function unpauseEvents(name: string, since: number, until: number): Promise<number> {
  const stream = await testDocker().getEvents({ since, until, filters: { container: [name], event: ['unpause'] } });
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

beforeAll(async () => {
  redis = await startRedisServer();
  backend = await createBackend({ name: 'wp-replicas-burst' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  set = await startReplicas(3, {
    stateUrl: redis.url,
    routes: 'routes:\n  - path: /api\n    service: api\n    strip_prefix: true\n',
    services: `services:\n  api:\n    container: ${backend.name}\n    port: 8080\n    health_check: { path: /health }\n    sleep_policy: { idle_timeout: 10m }\n`,
  });
}, 60_000);

afterAll(async () => {
  await set?.close();
  await backend?.remove();
  await redis?.close();
});

describe('replicas sharing state', () => {
  it('wake a paused service once for a burst split over all of them', async () => {
    for (let i = 0; i < 3; i++) expect((await set.snapshot(i, 'api')).state).toBe('SLEEPING');
    const since = Math.floor(Date.now() / 1000) - 1;
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const res = await fetch(`${set.at(i % 3).url}/api/echo?n=${i}`, { signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(responses).toEqual(Array.from({ length: REQUESTS }, () => 200));
    const until = Math.floor(Date.now() / 1000) + 1;
    expect(await unpauseEvents(backend.name, since, until)).toBe(1);
    for (let i = 0; i < 3; i++) {
      await eventually(async () => expect(await set.snapshot(i, 'api')).toMatchObject({ state: 'RUNNING', wakeCount: 1 }), { timeoutMs: 5_000, intervalMs: 100 });
    }
    // The replicas that did not unpause followed the leader's wake and probed it themselves.
    const led = set.replicas.filter((r) => r.logsWith('service woke').length > 0);
    expect(led.length).toBeGreaterThanOrEqual(1);
  });
});
