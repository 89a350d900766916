/**
 * Issue 4: two tiers of sleep against the real engine. After idle_timeout with nothing in flight
 * the container is paused (SLEEPING); after max_sleep_time asleep it is stopped (STOPPED), which
 * must work on a paused container; the next request starts it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-idle' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:
  app:
    container: ${backend.name}
    port: 8080
    health_check:
      path: /health
    sleep_policy:
      idle_timeout: 1s
      max_sleep_time: 2s
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('an idle service', () => {
  it('serves a request while awake', async () => {
    const res = await fetch(`${proxy.url}/`);
    expect(res.status).toBe(200);
    await res.text();
  });

  it('shows its idle timeout in force and when it will sleep (GET /services/:name)', async () => {
    const shown = await proxy.snapshot('app');
    expect(shown).toMatchObject({ state: 'RUNNING', idleTimeoutMs: 1000, flaps: 0 });
    // Nothing in flight and no min_uptime: the idle clock runs from the last activity.
    if (shown.state === 'RUNNING') expect(shown.nextSleepAt).toBe(shown.lastActivityAt + 1000);
  });

  it('is paused after its idle timeout', async () => {
    await containerReaches(backend.name, 'paused');
    // Docker reports the pause a moment before the proxy has taken in the answer to its pause call.
    await eventually(async () => {
      expect(await proxy.snapshot('app')).toMatchObject({ state: 'SLEEPING', nextSleepAt: null });
      expect(proxy.logsWith('service slept', 'app')[0]).toMatchObject({ from: 'RUNNING', to: 'SLEEPING', cause: 'idle' });
    }, { timeoutMs: 5_000 });
  });

  it('is stopped after max_sleep_time asleep', async () => {
    await containerReaches(backend.name, 'exited');
    // Docker shows the container exited a moment before the proxy's stop call returns.
    await eventually(async () => expect((await proxy.snapshot('app')).state).toBe('STOPPED'), { timeoutMs: 5_000 });
    expect(proxy.logsWith('service stopped', 'app')[0]).toMatchObject({ from: 'SLEEPING', to: 'STOPPED', cause: 'max_sleep' });
    expect(proxy.calls.count('pause', backend.name)).toBe(1);
    expect(proxy.calls.count('stop', backend.name)).toBe(1);
  });

  it('is started again by the next request', async () => {
    const res = await fetch(`${proxy.url}/back`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(proxy.calls.count('start', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
    expect(proxy.logsWith('service woke', 'app').at(-1)).toMatchObject({ from: 'STOPPED', cause: 'request' });
  });
});
