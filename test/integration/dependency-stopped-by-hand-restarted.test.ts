/**
 * Issue 8: dependencies stay up. An awake app whose Redis is stopped by hand (`docker stop`) is not
 * served as if nothing happened: the proxy saw the stop through Docker's events, so the next
 * request to the app is held while Redis is started again and answers PING, then forwarded. The app
 * itself is neither restarted nor probed again, and its response carries the wake header because
 * the request waited for a wake (of its dependency).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, containerState, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { startProxy, stopByHand, type ProxyHarness } from '../support/proxy-harness.ts';
import { createServer, execIn } from '../support/servers-fixture.ts';

let app: Backend;
let cache: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  [app, cache] = await Promise.all([
    createBackend({ name: 'wp-dep-app', start: false }),
    createServer({ name: 'wp-dep-redis', server: 'redis', start: false }),
  ]);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:
  app:
    container: ${app.name}
    port: 8080
    depends_on: [cache]
    health_check: { path: /health }
  cache:
    container: ${cache.name}
    port: 6379
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([app?.remove(), cache?.remove()]);
});

describe('a dependency stopped by hand while its dependent is awake', () => {
  it('is started again by the next request to the dependent, which is then served', async () => {
    const first = await fetch(`${proxy.url}/hello`);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const awake = await fetch(`${proxy.url}/hello`);
    expect(awake.headers.get('x-wake-proxy-wake-ms')).toBeNull();
    await awake.arrayBuffer();
    const appStarts = proxy.calls.count('start', app.name);
    const appProbes = (await proxy.snapshot('app')).probes;

    await stopByHand(cache.name);
    await eventually(async () => expect((await proxy.snapshot('cache')).state).toBe('STOPPED'), { timeoutMs: 10_000 });

    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('hello from');
    expect(res.headers.get('x-wake-proxy-wake-ms')).not.toBeNull();
    expect(await containerState(cache.name)).toBe('running');
    const ping = await execIn(cache.name, ['redis-cli', 'ping']);
    expect(ping.output.trim()).toBe('PONG');

    expect(proxy.calls.count('start', app.name)).toBe(appStarts);
    const appNow = await proxy.snapshot('app');
    expect(appNow).toMatchObject({ wakeCount: 1, probes: appProbes });
    expect(await proxy.snapshot('cache')).toMatchObject({ state: 'RUNNING', ready: true, wakeCount: 2 });
    expect(proxy.logsWith('service woke', 'cache').at(-1)).toMatchObject({ from: 'STOPPED', cause: 'dependency' });
  });
});
