/**
 * Issue 4: the outside world moves too. A container paused or stopped by hand (not through the
 * proxy) is seen through Docker events, the admin API reports the new state, and the next request
 * wakes it with the right verb. A container removed and created again under the same name is
 * found again, at its new address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_LABEL,
  bridgeIp,
  containerState,
  createBackend,
  ensureBackendImage,
  testDocker,
  type Backend,
} from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand, startProxy, stopByHand, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-external' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
  const warmup = await fetch(`${proxy.url}/`);
  await warmup.text();
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
  // The container recreated by the last test has the same name but a new id.
  await testDocker()
    .getContainer(backend.name)
    .remove({ force: true })
    .catch(() => undefined);
});

async function stateIs(expected: string): Promise<void> {
  expect((await proxy.snapshot('app')).state).toBe(expected);
}

describe('changes made outside the proxy', () => {
  it('sees a container paused by hand, and the next request unpauses it', async () => {
    await pauseByHand(backend.name);
    await eventually(() => stateIs('SLEEPING'), { timeoutMs: 5_000, intervalMs: 20 });
    expect(proxy.logsWith('state changed externally', 'app').at(-1)).toMatchObject({ from: 'RUNNING', to: 'SLEEPING' });

    const res = await fetch(`${proxy.url}/after-pause`);

    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
  });

  it('sees a container stopped by hand, and the next request starts it', async () => {
    await stopByHand(backend.name);
    await eventually(() => stateIs('STOPPED'), { timeoutMs: 5_000, intervalMs: 20 });

    const res = await fetch(`${proxy.url}/after-stop`);

    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(proxy.calls.count('start', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
  });

  it('sees a container started by hand as RUNNING', async () => {
    await stopByHand(backend.name);
    await eventually(() => stateIs('STOPPED'), { timeoutMs: 5_000, intervalMs: 20 });
    await testDocker().getContainer(backend.name).start();
    await eventually(() => stateIs('RUNNING'), { timeoutMs: 5_000, intervalMs: 20 });

    const res = await fetch(`${proxy.url}/after-start`);

    expect(res.status).toBe(200);
    await res.text();
    expect(proxy.calls.count('start', backend.name)).toBe(1);
  });

  it('finds a container removed and recreated under the same name (compose up)', async () => {
    const before = await bridgeIp(backend.name);
    await backend.remove();
    await eventually(() => stateIs('STOPPED'), { timeoutMs: 5_000, intervalMs: 20 });
    // A different container first takes the old address, so the recreated one gets a new IP.
    const squatter = await createBackend({ name: 'wp-squatter' });
    try {
      await testDocker().createContainer({
        name: backend.name,
        Image: await ensureBackendImage(),
        Labels: { [TEST_LABEL]: '1' },
        Env: ['HOSTNAME=recreated'],
      });

      const res = await fetch(`${proxy.url}/after-recreate`);

      expect(res.status).toBe(200);
      expect(await res.text()).toBe('hello from recreated');
      expect(await bridgeIp(backend.name)).not.toBe(before);
    } finally {
      await squatter.remove();
    }
  });
});
