/**
 * Issue 4: `auto_start: true` wakes a service when the proxy starts, dependencies first, so the
 * first request finds it ready; a service without it stays as Docker reports it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let web: Backend;
let db: Backend;
let idle: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  [web, db, idle] = await Promise.all([
    createBackend({ name: 'wp-auto-web', start: false }),
    createBackend({ name: 'wp-auto-db', start: false }),
    createBackend({ name: 'wp-auto-idle', start: false }),
  ]);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: web\n',
    services: `services:
  web:
    container: ${web.name}
    port: 8080
    auto_start: true
    depends_on: [db]
    health_check: { path: /health }
  db:
    container: ${db.name}
    port: 8080
    health_check: { path: /health }
  idle:
    container: ${idle.name}
    port: 8080
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([web, db, idle].map((backend) => backend?.remove()));
});

describe('auto_start', () => {
  it('starts the service and its dependency before the proxy listens', async () => {
    expect(await containerState(web.name)).toBe('running');
    expect(await containerState(db.name)).toBe('running');
    expect(await proxy.snapshot('web')).toMatchObject({ state: 'RUNNING', ready: true });
    const woke = proxy.logLines().filter((l) => l.msg === 'service woke');
    expect(woke.map((l) => [l['service'], l['cause']])).toEqual([
      ['db', 'dependency'],
      ['web', 'startup'],
    ]);
  });

  it('leaves a service without auto_start stopped', async () => {
    expect(await containerState(idle.name)).toBe('created');
    expect((await proxy.snapshot('idle')).state).toBe('STOPPED');
    expect(proxy.calls.count('start', idle.name)).toBe(0);
  });

  it('serves the first request without a wake', async () => {
    const res = await fetch(`${proxy.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(res.headers.get('x-wake-proxy-wake-ms')).toBeNull();
  });
});
