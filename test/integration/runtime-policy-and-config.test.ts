/**
 * Issue 15: PUT /services/:name/policy changes a real service's sleep policy at once (validated
 * by the file schema), GET /config shows it, and the seed's /health/* aliases answer in the seed's
 * shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

async function put(path: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${proxy.adminUrl}${path}`, { method: 'PUT', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-policy' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n    sleep_policy:\n      idle_timeout: 1h\n`,
    logLevel: 'info',
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('PUT /services/:name/policy', () => {
  it('refuses a bad policy with 400 naming the field, and changes nothing', async () => {
    const { status, json } = await put('/services/app/policy', JSON.stringify({ idle_timeout: 'soon' }));
    expect(status).toBe(400);
    expect(json['code']).toBe('WP_BAD_REQUEST_BODY');
    expect(String(json['detail'])).toMatch(/sleep_policy\.idle_timeout/);
    expect((await put('/services/app/policy', '{not json')).status).toBe(400);
  });

  it('applies a valid policy at once: the service sleeps after the new idle timeout', async () => {
    const res = await fetch(`${proxy.url}/touch`);
    await res.arrayBuffer();
    const { status, json } = await put('/services/app/policy', JSON.stringify({ idle_timeout: '1s', min_sleep_time: '0s' }));
    expect(status).toBe(200);
    expect(json['policyChanged']).toBe(true);
    await containerReaches(backend.name, 'paused', 20_000);
    expect(proxy.logsWith('sleep policy changed', 'app')).toHaveLength(1);
  });

  it('shows the runtime policy in GET /config', async () => {
    const res = await fetch(`${proxy.adminUrl}/config`);
    const config = (await res.json()) as { services: { name: string; sleepPolicy: { idleTimeoutMs: number }; policyChanged: boolean }[] };
    const app = config.services.find((s) => s.name === 'app');
    expect(app).toMatchObject({ policyChanged: true, sleepPolicy: { idleTimeoutMs: 1000 } });
  });
});

describe("the seed's health aliases", () => {
  it('answer in the seed shapes', async () => {
    const containers = (await (await fetch(`${proxy.adminUrl}/health/containers`)).json()) as Record<string, unknown>;
    expect(containers).toMatchObject({ status: 'healthy', container_summary: { total_containers: 1 } });
    const services = (await (await fetch(`${proxy.adminUrl}/health/services`)).json()) as Record<string, unknown>;
    expect(services).toMatchObject({ service_mappings: { endpoint_dependencies: { '/': ['app'] } } });
    const idle = await fetch(`${proxy.adminUrl}/health/automation/idle-check`, { method: 'POST' });
    expect(((await idle.json()) as Record<string, unknown>)['status']).toBe('completed');
    const automation = (await (await fetch(`${proxy.adminUrl}/health/automation`)).json()) as { statistics: { sleeps: number } };
    expect(automation.statistics.sleeps).toBeGreaterThanOrEqual(1);
  });
});
