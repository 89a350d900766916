/**
 * The composition root, wired end to end with the in-memory provider and a real upstream on
 * loopback: start-up reconciles from the runtime, a request wakes a paused service, the admin API
 * reports it, and close() shuts everything down. The same behaviours run against real Docker in
 * test/integration/.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { parseConfigTexts } from '../../src/config/load-config.ts';
import { createSilentLogger } from '../../src/logging/logger.ts';
import { FakeProvider } from '../support/fake-provider.ts';
import { startUpstream, type TestUpstream } from '../support/upstream.ts';

let app: App | undefined;
let upstream: TestUpstream | undefined;

afterEach(async () => {
  await app?.close();
  await upstream?.close();
  app = undefined;
  upstream = undefined;
});

async function startWith(state: 'paused' | 'running' | 'exited') {
  upstream = await startUpstream();
  const provider = new FakeProvider();
  provider.add('demo-api', { state });
  const config = parseConfigTexts({
    routes: { name: 'routes.yml', text: 'routes:\n  - path: /api\n    service: api\n    strip_prefix: true\n' },
    services: {
      name: 'services.yml',
      text: `services:\n  api:\n    container: demo-api\n    port: 8080\n    upstream: http://127.0.0.1:${upstream.upstream.port}\n`,
    },
  });
  app = createApp(config, { provider, clock: systemClock, logger: createSilentLogger() });
  const { proxy, admin } = await app.start({ host: '127.0.0.1', port: 0, adminPort: 0 });
  return { provider, proxyUrl: `http://127.0.0.1:${proxy.port}`, adminUrl: `http://127.0.0.1:${admin?.port}` };
}

describe('createApp', () => {
  it('reconciles the state of each service from the runtime at start', async () => {
    const { adminUrl } = await startWith('paused');
    const body = (await (await fetch(`${adminUrl}/services/api`)).json()) as { state: string };
    expect(body.state).toBe('SLEEPING');
  });

  it('wakes a paused service for a request and forwards it with the prefix stripped', async () => {
    const { provider, proxyUrl, adminUrl } = await startWith('paused');
    const res = await fetch(`${proxyUrl}/api/users?x=1`);
    const echo = (await res.json()) as { url: string };
    expect(res.status).toBe(200);
    expect(echo.url).toBe('/users?x=1');
    expect(res.headers.get('x-wake-proxy-wake-ms')).toMatch(/^\d+$/);
    expect(provider.calls('unpause', 'demo-api')).toBe(1);
    const snapshot = (await (await fetch(`${adminUrl}/services/api`)).json()) as { state: string; wakeCount: number };
    expect(snapshot).toMatchObject({ state: 'RUNNING', wakeCount: 1 });
  });

  it('serves the operator verbs and metrics on the admin port', async () => {
    const { provider, adminUrl } = await startWith('running');
    const slept = await fetch(`${adminUrl}/services/api/sleep`, { method: 'POST' });
    expect(slept.status).toBe(200);
    expect(provider.get('demo-api').state).toBe('paused');
    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    expect(metrics).toContain('wake_proxy_service_state{service="api",state="SLEEPING"} 1');
    expect((await fetch(`${adminUrl}/services/nope/wake`, { method: 'POST' })).status).toBe(404);
  });

  it('answers /healthz 200 while serving and stops listening after close', async () => {
    const { proxyUrl, adminUrl } = await startWith('running');
    expect((await fetch(`${adminUrl}/healthz`)).status).toBe(200);
    await app?.close();
    await expect(fetch(`${proxyUrl}/api/`)).rejects.toThrow();
  });
});
