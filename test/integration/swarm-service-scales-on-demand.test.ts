/**
 * Issue 13 item 3: a Docker Swarm service (`swarm_service:`) is woken by scaling it from 0 to its
 * replicas, answered once its task is ready, and scaled back to 0 when idle; a container service
 * in the same config is still served by the Docker adapter. Runs on a single-node swarm that the
 * test creates (and leaves) unless the engine already is one. The proxy talks to the engine through
 * the HAProxy socket proxy that allows only the README's endpoints, so the list is proven complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';
import { startSocketProxy, type SocketProxy } from '../support/socket-proxy/haproxy-socket-proxy.ts';
import { createSwarmService, ensureSwarm, type TestSwarm, type TestSwarmService } from '../support/swarm-fixture.ts';

let swarm: TestSwarm | undefined;
let single: TestSwarmService | undefined;
let pair: TestSwarmService | undefined;
let crashing: TestSwarmService | undefined;
let plain: Backend | undefined;
let proxy: ProxyHarness | undefined;
let engine: SocketProxy | undefined;

function running(): ProxyHarness {
  if (proxy === undefined) throw new Error('proxy not started');
  return proxy;
}

beforeAll(async () => {
  swarm = await ensureSwarm();
  single = await createSwarmService({ name: 'wp-swarm-one' });
  pair = await createSwarmService({ name: 'wp-swarm-two' });
  crashing = await createSwarmService({ name: 'wp-swarm-crash', env: { READY_AFTER_MS: '60000', CRASH_AFTER_MS: '300', CRASH_CODE: '3' } });
  plain = await createBackend({ name: 'wp-swarm-plain' });
  await backendListening(plain.name);
  engine = await startSocketProxy();
  proxy = await startProxy({
    dockerHost: engine.dockerHost,
    routes: `routes:
  - path: /one
    service: one
  - path: /two
    service: two
  - path: /plain
    service: plain
  - path: /crash
    service: crash
`,
    services: `services:
  one:
    swarm_service: ${single.name}
    port: 8080
    health_check: { path: /health, timeout: 60s }
    sleep_policy: { idle_timeout: 1s }
  two:
    swarm_service: ${pair.name}
    replicas: 2
    port: 8080
    health_check: { path: /health, timeout: 60s }
    sleep_policy: { enabled: false }
  crash:
    swarm_service: ${crashing.name}
    port: 8080
    health_check: { path: /health, timeout: 60s }
  plain:
    container: ${plain.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { enabled: false }
`,
  });
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await engine?.close();
  await single?.remove();
  await pair?.remove();
  await crashing?.remove();
  await plain?.remove();
  await swarm?.release();
}, 60_000);

describe('a Swarm service behind wake-proxy', () => {
  it('is STOPPED at 0 replicas, and a request scales it to 1 and is answered by its task', async () => {
    expect((await running().snapshot('one')).state).toBe('STOPPED');
    expect(await single?.replicas()).toBe(0);

    const res = await fetch(`${running().url}/one`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(await single?.replicas()).toBe(1);
    expect(await single?.runningTasks()).toBe(1);
    expect(running().logsWith('swarm service scaled')).toContainEqual(expect.objectContaining({ container: single?.name, from: 0, to: 1 }));
  }, 90_000);

  it('is scaled back to 0 once idle, and its tasks are gone when it is STOPPED', async () => {
    await eventually(async () => expect((await running().snapshot('one')).state).toBe('STOPPED'), { timeoutMs: 30_000, intervalMs: 100 });
    expect(await single?.replicas()).toBe(0);
    expect(await single?.runningTasks()).toBe(0);
    expect(running().logsWith('service slept', 'one')[0]).toMatchObject({ from: 'RUNNING', to: 'STOPPED', cause: 'idle' });
  }, 60_000);

  it('with replicas: 2 has both tasks running when the woken request is answered', async () => {
    const res = await fetch(`${running().url}/two`);
    expect(res.status).toBe(200);
    await res.text();
    expect(await pair?.replicas()).toBe(2);
    expect(await pair?.runningTasks()).toBe(2);
    expect((await running().snapshot('two')).state).toBe('RUNNING');
  }, 90_000);

  it('fails the wake with 503 and the exit code when its task crashes, instead of waiting for the deadline', async () => {
    const res = await fetch(`${running().url}/crash`);
    const body = await res.text();
    expect(res.status).toBe(503);
    expect(body).toContain('exited (code 3)');
  }, 90_000);

  it('leaves container services to the Docker adapter in the same proxy', async () => {
    const res = await fetch(`${running().url}/plain`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(running().calls.count('inspect', plain?.name ?? '')).toBeGreaterThan(0);
  });

  it('refuses a sleep policy set at run time that would pause it', async () => {
    const res = await fetch(`${running().adminUrl}/services/one/policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'pause' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('a Swarm service cannot pause');
    expect((await running().snapshot('one')).state).toBe('STOPPED');
  });

  it('needed no Engine API endpoint outside the README list', () => {
    const seen = engine?.seen() ?? [];
    const paths = seen.map((r) => `${r.method} ${(r.path.split('?')[0] ?? '').replace(/^\/v[0-9.]+/, '')}`);
    expect(paths.filter((p) => /^POST \/services\/[^/]+\/update$/.test(p)).length).toBeGreaterThanOrEqual(3);
    expect(paths).toContain(`GET /services/${single?.name}`);
    expect(paths).toContain('GET /tasks');
    expect(seen.filter((r) => r.status === 403)).toEqual([]);
  });
});
