/**
 * Issue 10: a soak of 10,000 requests over 200 sleep/wake cycles through a spawned wake-proxy in
 * front of a real container: every request answered 200, every cycle a real pause and unpause,
 * and the proxy's file descriptors back where they started (no socket, pool or timer leaks).
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, backendStats, containerReaches } from '../support/proxy-harness.ts';
import { spawnProxy, type SpawnedProxy } from '../support/spawned-proxy.ts';

const CYCLES = 200;
const PER_CYCLE = 50;
/** Descriptors the proxy may hold beyond its start: pooled upstream and client connections. */
const FD_TOLERANCE = 16;

let backend: Backend;
let proxy: SpawnedProxy;
let client: Agent;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-soak' });
  await backendListening(backend.name);
  proxy = await spawnProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services:
      `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    max_held_requests: ${PER_CYCLE * 2}\n` +
      '    health_check:\n      path: /health\n    sleep_policy:\n      min_sleep_time: 0\n',
  });
  client = new Agent({ connections: PER_CYCLE });
});

afterAll(async () => {
  await client?.close();
  await proxy?.close();
  await backend?.remove();
});

async function get(path: string): Promise<number> {
  const res = await request(`${proxy.url}${path}`, { dispatcher: client, signal: AbortSignal.timeout(30_000) });
  await res.body.dump();
  return res.statusCode;
}

interface Snapshot {
  wakeCount: number;
  sleepCount: number;
  wakeFailures: number;
  state: string;
  transition: string | null;
}

/**
 * The service's figures once no transition is in flight. A GET to a container the proxy paused
 * is sent while the unpause is in flight, so its answer can arrive before the wake is counted.
 */
async function settledSnapshot(): Promise<Snapshot> {
  const settled = await eventually(async () => {
    const res = await fetch(`${proxy.adminUrl}/services/app`);
    const body = (await res.json()) as Snapshot;
    return body.transition === null ? body : null;
  });
  if (settled === null) throw new Error('a transition stayed in flight');
  return settled;
}

async function sleepService(): Promise<void> {
  // The last responses' activity may still be releasing: a 409 (busy) is retried.
  await eventually(
    async () => {
      const res = await fetch(`${proxy.adminUrl}/services/app/sleep`, { method: 'POST' });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`sleep answered ${res.status}: ${body}`);
    },
    { timeoutMs: 10_000, intervalMs: 5 },
  );
}

describe('a soak of sleep/wake cycles', () => {
  it(`answers ${CYCLES * PER_CYCLE} requests over ${CYCLES} cycles with no failure and flat fds`, { timeout: 240_000 }, async () => {
    expect(await get('/warm')).toBe(200);
    await sleepService();
    expect(await get('/warm')).toBe(200);
    const fdsBefore = proxy.fdCount();
    const before = await settledSnapshot();
    const statsBefore = await backendStats(backend.name);
    let failures = 0;
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      await sleepService();
      const statuses = await Promise.all(Array.from({ length: PER_CYCLE }, (_, i) => get(`/c${cycle}/${i}`).catch(() => 0)));
      failures += statuses.filter((s) => s !== 200).length;
    }
    expect(failures).toBe(0);
    const statsAfter = await backendStats(backend.name);
    expect(statsAfter.requests - statsBefore.requests).toBe(CYCLES * PER_CYCLE);
    await containerReaches(backend.name, 'running');
    const after = await settledSnapshot();
    expect(after.sleepCount - before.sleepCount).toBe(CYCLES);
    expect(after.wakeCount - before.wakeCount).toBe(CYCLES);
    expect(after.wakeFailures).toBe(0);
    await client.close();
    client = new Agent({ connections: PER_CYCLE });
    await eventually(() => proxy.fdCount() <= fdsBefore + FD_TOLERANCE, { timeoutMs: 15_000, intervalMs: 100 });
    expect(proxy.alive()).toBe(true);
  });
});
