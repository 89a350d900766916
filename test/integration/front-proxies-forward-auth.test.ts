/**
 * Issue 11: wake-proxy beside the proxies people already run. Real nginx (auth_request) and real
 * Caddy (forward_auth) from Debian, configured with the examples in deploy/forward-auth/, ask
 * wake-proxy's forward-auth listener before serving; a paused service is woken by the check
 * (held, one unpause) and the front proxy then serves the request from the container itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeIp, containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { startCaddy, startNginx, type FrontProxy } from '../support/front-proxies.ts';
import { backendListening, backendStats, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;
let nginx: FrontProxy | undefined;
let caddy: FrontProxy | undefined;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-front' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes:
      'routes:\n  - path: /\n    service: app\n    request_rules:\n      - match:\n          path_prefix: /monitor\n        wake: false\n        count_activity: false\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
    logLevel: 'info',
    forwardAuth: true,
  });
  const app = `${await bridgeIp(backend.name)}:8080`;
  const targets = { wakeProxyAuth: proxy.forwardAuthAddress, app };
  const [n, c] = await Promise.allSettled([startNginx(targets), startCaddy(targets)]);
  nginx = n.status === 'fulfilled' ? n.value : undefined;
  caddy = c.status === 'fulfilled' ? c.value : undefined;
  for (const started of [n, c]) if (started.status === 'rejected') throw started.reason;
});

afterAll(async () => {
  await Promise.all([nginx?.close(), caddy?.close()]);
  await proxy?.close();
  await backend?.remove();
});

async function pausedThroughProxyAdmin(): Promise<void> {
  expect(await proxy.adminPost('app', 'sleep')).toBe(200);
  await containerReaches(backend.name, 'paused');
}

describe.each([
  ['nginx auth_request', () => nginx],
  ['Caddy forward_auth', () => caddy],
])('%s in front', (_name, front) => {
  it('wakes the paused service with one unpause, then serves the request from the container', async () => {
    const before = (await backendStatsWhenAwake()).requests;
    await pausedThroughProxyAdmin();
    const unpausesBefore = proxy.calls.count('unpause', backend.name);
    const res = await fetch(`${front()?.url}/hello`);
    expect(res.status, front()?.output()).toBe(200);
    expect(await res.text()).toMatch(/^hello from [0-9a-f]{12}$/);
    expect(await containerState(backend.name)).toBe('running');
    expect(proxy.calls.count('unpause', backend.name) - unpausesBefore).toBe(1);
    expect((await backendStats(backend.name)).requests).toBe(before + 1);
  });

  it('passes a wake: false rule on: the sleeping service stays asleep', async () => {
    await pausedThroughProxyAdmin();
    const res = await fetch(`${front()?.url}/monitor/ping`);
    expect(res.status).toBe(503);
    await res.arrayBuffer();
    expect(await containerState(backend.name)).toBe('paused');
  });
});

/** The backend's counters, waking it through the admin API first when it sleeps. */
async function backendStatsWhenAwake(): Promise<{ requests: number }> {
  if ((await containerState(backend.name)) === 'paused') {
    const res = await fetch(`${proxy.adminUrl}/services/app/wake`, { method: 'POST' });
    await res.arrayBuffer();
  }
  return backendStats(backend.name);
}

describe('the forward-auth check itself', () => {
  it('answers 200 at once for a ready service, named by X-Forwarded-Host and X-Forwarded-Uri', async () => {
    await backendStatsWhenAwake();
    const res = await fetch(`http://${proxy.forwardAuthAddress}/`, { headers: { 'x-forwarded-host': 'shop.example', 'x-forwarded-uri': '/cart?x=1', 'x-forwarded-method': 'POST' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('names a service with ?service= and answers 404 for an unknown one', async () => {
    const known = await fetch(`http://${proxy.forwardAuthAddress}/?service=app`);
    expect(known.status).toBe(200);
    await known.arrayBuffer();
    const unknown = await fetch(`http://${proxy.forwardAuthAddress}/?service=nope`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('WP_ROUTE_NOT_FOUND');
  });

  it('refuses an unsafe original URI with 400 and wakes nothing', async () => {
    await pausedThroughProxyAdmin();
    const res = await fetch(`http://${proxy.forwardAuthAddress}/`, { headers: { 'x-forwarded-uri': '/a/../../etc' } });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    expect(await containerState(backend.name)).toBe('paused');
  });
});
