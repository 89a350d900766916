/**
 * Issue 13: replicas sharing state keep a service awake for work in flight on any of them. A long
 * download through one replica keeps its service running against the other replicas' idle clocks
 * (a canary with a longer idle timeout, used through another replica, shows those clocks ran out),
 * and every replica reports the download in flight. Once it ends, the service sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, pauseByHand } from '../support/proxy-harness.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { startReplicas, type ReplicaSet } from '../support/replica-set.ts';

const CHUNKS = 48;
let redis: RedisServer;
let files: Backend;
let canary: Backend;
let set: ReplicaSet;

beforeAll(async () => {
  redis = await startRedisServer();
  [files, canary] = await Promise.all([createBackend({ name: 'wp-replicas-files' }), createBackend({ name: 'wp-replicas-canary' })]);
  await Promise.all([backendListening(files.name), backendListening(canary.name)]);
  await Promise.all([pauseByHand(files.name), pauseByHand(canary.name)]);
  set = await startReplicas(3, {
    stateUrl: redis.url,
    routes: 'routes:\n  - path: /files\n    service: files\n    strip_prefix: true\n  - path: /canary\n    service: canary\n    strip_prefix: true\n',
    services: `services:
  files:
    container: ${files.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { idle_timeout: 2s }
  canary:
    container: ${canary.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { idle_timeout: 4s }
`,
  });
}, 60_000);

afterAll(async () => {
  await set?.close();
  await Promise.all([files?.remove(), canary?.remove()]);
  await redis?.close();
});

describe('replicas sharing state', () => {
  it('keep a service awake while a download runs through one of them', async () => {
    const res = await fetch(`${set.at(0).url}/files/stream?chunks=${CHUNKS}&interval=250`);
    expect(res.status).toBe(200);
    let finished = false;
    const body = res.text().then((text) => {
      finished = true;
      return text;
    });
    const canaryRes = await fetch(`${set.at(1).url}/canary/health`);
    await canaryRes.text();
    for (const i of [1, 2]) {
      await eventually(async () => expect((await set.snapshot(i, 'files')).inFlight).toBe(1), { timeoutMs: 5_000, intervalMs: 100 });
    }

    await containerReaches(canary.name, 'paused', 20_000);

    expect(finished).toBe(false);
    expect(await containerState(files.name)).toBe('running');
    for (let i = 0; i < 3; i++) expect(await set.snapshot(i, 'files')).toMatchObject({ state: 'RUNNING', inFlight: 1 });
    expect(await body).toBe(Array.from({ length: CHUNKS }, (_, i) => `chunk ${i}\n`).join(''));

    await containerReaches(files.name, 'paused', 20_000);
    for (let i = 0; i < 3; i++) {
      await eventually(async () => expect(await set.snapshot(i, 'files')).toMatchObject({ state: 'SLEEPING', inFlight: 0, sleepCount: 1 }), { timeoutMs: 5_000, intervalMs: 100 });
    }
  });
});
