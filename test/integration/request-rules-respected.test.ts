/**
 * Issue 4: requests that should not wake a service or should not count as activity. An uptime
 * monitor (matched by User-Agent, `wake: false`, `count_activity: false`) is forwarded while the
 * service is awake but does not keep it awake, and gets 503 with Retry-After while it sleeps
 * instead of waking it; an ordinary request still wakes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const MONITOR = { 'user-agent': 'Mozilla/5.0+(compatible; UptimeRobot/2.0)' };

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-rules' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:
  app:
    container: ${backend.name}
    port: 8080
    health_check: { path: /health, timeout: 3s }
    sleep_policy: { idle_timeout: 1s }
    request_rules:
      - match: { user_agent: uptimerobot }
        wake: false
        count_activity: false
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

async function monitorPoll(): Promise<Response> {
  const res = await fetch(`${proxy.url}/status`, { headers: MONITOR });
  await res.arrayBuffer();
  return res;
}

describe('request rules for an uptime monitor', () => {
  it('forwards its polls while awake, but the polls do not keep the service awake', async () => {
    const first = await fetch(`${proxy.url}/`);
    expect(first.status).toBe(200);
    await first.text();
    const statuses: number[] = [];

    // Poll like a monitor until the service has gone to sleep under the polls.
    await eventually(
      async () => {
        const res = await monitorPoll();
        statuses.push(res.status);
        expect(res.status).toBe(503);
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );

    expect(statuses[0]).toBe(200);
    expect(await containerState(backend.name)).toBe('paused');
    expect(proxy.calls.count('unpause', backend.name)).toBe(0);
  });

  it('answers its polls 503 with Retry-After while asleep, without waking the service', async () => {
    const res = await fetch(`${proxy.url}/status`, { headers: MONITOR });

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toMatchObject({ code: 'WP_SERVICE_ASLEEP' });
    expect(await containerState(backend.name)).toBe('paused');
    expect(proxy.calls.count('unpause', backend.name)).toBe(0);
  });

  it('still lets an ordinary request wake the service', async () => {
    const res = await fetch(`${proxy.url}/status`);

    expect(res.status).toBe(200);
    await res.text();
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
  });
});
