/**
 * Issue 13 item 2: a service of three instances sleeps as one (every container paused) and wakes
 * with its first instance: the request that wakes it is served as soon as that one is ready, and
 * the others are unpaused behind it and join the rotation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backends: Backend[] = [];
let proxy: ProxyHarness;

function answeredBy(res: Response): string {
  const host = res.headers.get('x-backend') ?? '';
  return backends.find((b) => b.id.startsWith(host))?.name ?? `unknown (${host})`;
}

interface InstanceView {
  readonly container: string;
  readonly state: string;
}

async function states(): Promise<string[]> {
  const snapshot = (await proxy.snapshot('api')) as { instances?: readonly InstanceView[] };
  return (snapshot.instances ?? []).map((i) => i.state);
}

beforeAll(async () => {
  backends = await Promise.all(['wp-slp-a', 'wp-slp-b', 'wp-slp-c'].map((name) => createBackend({ name })));
  await Promise.all(backends.map((b) => backendListening(b.name)));
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: api\n',
    services: `services:\n  api:\n    containers: [${backends.map((b) => b.name).join(', ')}]\n    port: 8080\n    health_check:\n      path: /health\n      timeout: 10s\n`,
  });
  await eventually(async () => {
    const now = await states();
    if (now.join() !== 'ready,ready,ready') throw new Error(`instances: ${now.join()}`);
  }, { timeoutMs: 15_000, intervalMs: 50 });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all(backends.map((b) => b.remove()));
});

describe('a service of three instances', () => {
  it('puts every instance to sleep', async () => {
    expect(await proxy.adminPost('api', 'sleep')).toBe(200);
    for (const b of backends) expect(await containerState(b.name)).toBe('paused');
    expect((await proxy.snapshot('api')).state).toBe('SLEEPING');
    expect(await states()).toEqual(['down', 'down', 'down']);
  });

  it('wakes on a request, served by the first instance as soon as it is ready; the others follow', async () => {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    await res.text();
    expect(answeredBy(res)).toBe(backends[0]?.name);
    expect(res.headers.get('x-wake-proxy-wake-ms')).not.toBeNull();
    for (const b of backends) await containerReaches(b.name, 'running');
    await eventually(async () => {
      const now = await states();
      if (now.join() !== 'ready,ready,ready') throw new Error(`instances: ${now.join()}`);
    }, { timeoutMs: 10_000, intervalMs: 50 });
    expect(proxy.logsWith('instance joined rotation', 'api').length).toBeGreaterThanOrEqual(4);
    expect(proxy.logsWith('service woke', 'api')).toHaveLength(1);
  });

  it('stops every instance with the service', async () => {
    expect(await proxy.adminPost('api', 'stop')).toBe(200);
    for (const b of backends) expect(await containerState(b.name)).toBe('exited');
  });
});
