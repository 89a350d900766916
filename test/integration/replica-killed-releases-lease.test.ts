/**
 * Issue 13: a replica killed (SIGKILL) in the middle of a download cannot keep its service awake:
 * its lease expires, and the other replicas put the service to sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, pauseByHand } from '../support/proxy-harness.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { startReplicas, type ReplicaSet } from '../support/replica-set.ts';

let redis: RedisServer;
let files: Backend;
let set: ReplicaSet;

beforeAll(async () => {
  redis = await startRedisServer();
  files = await createBackend({ name: 'wp-replica-killed' });
  await backendListening(files.name);
  await pauseByHand(files.name);
  set = await startReplicas(2, {
    stateUrl: redis.url,
    routes: 'routes:\n  - path: /files\n    service: files\n    strip_prefix: true\n',
    services: `services:\n  files:\n    container: ${files.name}\n    port: 8080\n    health_check: { path: /health }\n    sleep_policy: { idle_timeout: 2s }\n`,
  });
}, 60_000);

afterAll(async () => {
  await set?.close();
  await files?.remove();
  await redis?.close();
});

describe('a replica killed mid-request', () => {
  it('releases its lease when the lease expires, so the service sleeps', async () => {
    const download = new AbortController();
    const res = await fetch(`${set.at(0).url}/files/stream?chunks=400&interval=250`, { signal: download.signal });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    await reader?.read();
    await eventually(async () => expect((await set.snapshot(1, 'files')).inFlight).toBe(1), { timeoutMs: 5_000, intervalMs: 100 });
    expect(await containerState(files.name)).toBe('running');

    set.at(0).signal('SIGKILL');
    await set.at(0).exited;
    download.abort();

    await containerReaches(files.name, 'paused', 20_000);
    expect(await set.snapshot(1, 'files')).toMatchObject({ state: 'SLEEPING', inFlight: 0 });
    expect(set.at(1).logsWith('service slept')).toHaveLength(1);
  });
});
