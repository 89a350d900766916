/**
 * Issue 3: a container that exits during its wake fails the held requests at once with 503 (the
 * exit code in the log), not after health_check.timeout. (A configured container that does not
 * exist: missing-container-returns-503.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const TIMEOUT_MS = 30_000;

let backend: Backend | undefined;
let proxy: ProxyHarness | undefined;

afterEach(async () => {
  await proxy?.close();
  await backend?.remove();
  proxy = undefined;
  backend = undefined;
});

function config(container: string): { routes: string; services: string } {
  return {
    routes: 'routes:\n  - path: /\n    service: fragile\n',
    services: `services:
  fragile:
    container: ${container}
    port: 8080
    health_check:
      path: /health
      timeout: ${TIMEOUT_MS}ms
`,
  };
}

describe('a wake whose container crashes', () => {
  it('answers 503 before the health timeout and logs the exit code', async () => {
    backend = await createBackend({
      name: 'wp-crash',
      env: { START_DELAY_MS: '60000', CRASH_AFTER_MS: '500', CRASH_CODE: '3' },
      start: false,
    });
    proxy = await startProxy(config(backend.name));
    const sentAt = Date.now();

    const res = await fetch(`${proxy.url}/`);

    expect(Date.now() - sentAt).toBeLessThan(TIMEOUT_MS);
    expect(res.status).toBe(503);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('WP_WAKE_FAILED');
    expect(problem.detail).toContain('"fragile"');
    const failed = proxy.logsWith('wake failed', 'fragile');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'WP_WAKE_FAILED', details: expect.objectContaining({ exitCode: 3 }) });
    expect(proxy.logsWith('request failed', 'fragile').every((l) => l['level'] === 20)).toBe(true);
  });
});
