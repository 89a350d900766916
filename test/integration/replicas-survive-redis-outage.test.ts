/**
 * Issue 13: when the shared state's Redis goes away, replicas degrade to deciding alone: requests
 * keep succeeding (a wake included), each replica says so once in its log and in
 * wake_proxy_shared_state_up, and all of it clears by itself once Redis is back.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches } from '../support/proxy-harness.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { startReplicas, type ReplicaSet } from '../support/replica-set.ts';

const DEGRADED = 'shared state unavailable: each replica decides alone';
const RECOVERED = 'shared state available again';
let redis: RedisServer;
let backend: Backend;
let set: ReplicaSet;

/** `count` requests, alternating over the replicas; resolves with their statuses. */
async function requests(count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${set.at(i % 2).url}/api/echo?n=${i}`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

beforeAll(async () => {
  redis = await startRedisServer();
  backend = await createBackend({ name: 'wp-replicas-outage' });
  await backendListening(backend.name);
  set = await startReplicas(2, {
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
  it('keep serving through a Redis outage, say so, and recover by themselves', async () => {
    expect(await requests(10)).toEqual(Array.from({ length: 10 }, () => 200));
    for (const i of [0, 1]) expect(await set.metric(i, 'wake_proxy_shared_state_up')).toBe(1);

    await redis.stop();
    for (const i of [0, 1]) {
      await eventually(() => expect(set.at(i).logsWith(DEGRADED)).toHaveLength(1), { timeoutMs: 10_000, intervalMs: 100 });
      expect(await set.metric(i, 'wake_proxy_shared_state_up')).toBe(0);
      expect(await set.metric(i, 'wake_proxy_shared_state_errors_total')).toBeGreaterThan(0);
    }
    expect(await requests(20)).toEqual(Array.from({ length: 20 }, () => 200));
    // A sleep and a wake while degraded: each replica decides alone, and the request is served.
    const slept = await fetch(`${set.at(0).adminUrl}/services/api/sleep`, { method: 'POST' });
    expect(slept.status).toBeLessThan(300);
    await containerReaches(backend.name, 'paused');
    const woken = await fetch(`${set.at(1).url}/api/echo`, { signal: AbortSignal.timeout(10_000) });
    expect(woken.status).toBe(200);
    await woken.arrayBuffer();

    await redis.start();
    for (const i of [0, 1]) {
      await eventually(() => expect(set.at(i).logsWith(RECOVERED)).toHaveLength(1), { timeoutMs: 15_000, intervalMs: 100 });
      await eventually(async () => expect(await set.metric(i, 'wake_proxy_shared_state_up')).toBe(1), { timeoutMs: 5_000, intervalMs: 100 });
      expect(set.at(i).logsWith(DEGRADED)).toHaveLength(1);
    }
    expect(await requests(10)).toEqual(Array.from({ length: 10 }, () => 200));
  });

  it('export the shared-state families as valid Prometheus text', async () => {
    const text = await (await fetch(`${set.at(0).adminUrl}/metrics`)).text();
    expect(text).toMatch(/^wake_proxy_shared_state_errors_total [1-9]/m);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
  });
});
