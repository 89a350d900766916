/**
 * Issue 3: a wake that never reaches readiness answers the held request 504 once
 * health_check.timeout has passed, with a problem document naming the service and the step it
 * was stuck in, and one "wake failed" log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const TIMEOUT_MS = 2_000;

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-never', env: { READY_AFTER_MS: '86400000' }, start: false });
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: never\n',
    services: `services:
  never:
    container: ${backend.name}
    port: 8080
    health_check:
      path: /health
      timeout: ${TIMEOUT_MS}ms
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a service that never becomes ready', () => {
  it('answers 504 with a problem naming the service and the readiness step', async () => {
    const sentAt = Date.now();
    const res = await fetch(`${proxy.url}/anything`);

    // Generous bound: the configured timeout ends the hold, not the hold's backstop (+5 s).
    expect(Date.now() - sentAt).toBeLessThan(TIMEOUT_MS + 4_000);
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { status: number; code: string; detail: string };
    expect(problem).toMatchObject({ status: 504, code: 'WP_WAKE_TIMEOUT' });
    expect(problem.detail).toContain('"never"');
    expect(problem.detail).toContain('stuck at: ready');
    expect(problem.detail).toContain('HTTP 503');
  });

  it('logs one "wake failed" line with the step and the last probe', () => {
    const failed = proxy.logsWith('wake failed', 'never');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ step: 'ready', code: 'WP_WAKE_TIMEOUT' });
    expect(failed[0]).not.toHaveProperty('err');
    expect(failed[0]?.['totalMs']).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(proxy.logsWith('service woke', 'never')).toHaveLength(0);
  });
});
