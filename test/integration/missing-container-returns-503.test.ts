/**
 * Issue 8: a service whose container does not exist answers 503 WP_CONTAINER_NOT_FOUND, as the
 * README's error table documents, and so does a service whose dependency's container is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, uniqueName, type Backend } from '../support/docker-fixture.ts';
import { startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let app: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  app = await createBackend({ name: 'wp-missing-dep-app', start: false });
  proxy = await startProxy({
    routes: 'routes:\n  - path: /ghost\n    service: ghost\n  - path: /app\n    service: app\n',
    services: `services:
  ghost:
    container: ${uniqueName('wp-never-created')}
    port: 8080
  app:
    container: ${app.name}
    port: 8080
    depends_on: [gone]
  gone:
    container: ${uniqueName('wp-never-created-dep')}
    port: 5432
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await app?.remove();
});

describe('a service whose container does not exist', () => {
  it('answers 503 with code WP_CONTAINER_NOT_FOUND', async () => {
    const res = await fetch(`${proxy.url}/ghost/x`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { status: number; code: string; detail: string };
    expect(problem).toMatchObject({ status: 503, code: 'WP_CONTAINER_NOT_FOUND' });
    expect(problem.detail).not.toMatch(/\d+\.\d+\.\d+\.\d+|unix:\/\/|wp-never-created/);
    expect(proxy.logsWith('container not found', 'ghost')).toHaveLength(1);
  });

  it('answers the same for a service whose dependency has no container, without starting the service', async () => {
    const res = await fetch(`${proxy.url}/app/x`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'WP_CONTAINER_NOT_FOUND' });
    expect(proxy.calls.count('start', app.name)).toBe(0);
  });
});
