/**
 * Issue 14: while SLEEPING, a service's memory reservation follows sleep_policy.memory_reservation.
 * The real engine lowers it after the idle pause (docker inspect shows it) and the previous one
 * (none: unlimited) is back after the wake has answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, testDocker, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const MIB = 1024 ** 2;
let backend: Backend;
let proxy: ProxyHarness;

async function reservation(): Promise<number> {
  const info = await testDocker().getContainer(backend.name).inspect();
  return info.HostConfig.MemoryReservation ?? 0;
}

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-reservation' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services:
      `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n` +
      '    sleep_policy:\n      idle_timeout: 1s\n      min_sleep_time: 0s\n      memory_reservation: 32M\n',
    logLevel: 'info',
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a service with sleep_policy.memory_reservation', () => {
  it('has its memory reservation lowered once it sleeps', async () => {
    expect(await reservation()).toBe(0);
    await containerReaches(backend.name, 'paused', 15_000);
    await eventually(async () => expect(await reservation()).toBe(32 * MIB), { timeoutMs: 5_000, intervalMs: 50 });
  });

  it('gets the previous (unlimited) reservation back after the wake answered', async () => {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await eventually(async () => expect(await reservation()).toBeLessThanOrEqual(0), { timeoutMs: 5_000, intervalMs: 50 });
    await eventually(() => expect(proxy.logsWith('memory reservation restored', 'app')).toHaveLength(1));
  });
});
