/**
 * Issue 8: probing slows down. A backend whose /health answers 503 for its first 10 s of life is
 * probed fast at first (so a quick wake is noticed within milliseconds), then once per
 * health_check.interval (100 ms by default): the whole boot costs at most ~150 probes, as counted by
 * the proxy (the `probes` field of its "service woke" line and of the admin snapshot) and by the
 * backend itself. No wall-clock assertion: only counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendStats, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const BOOT_MS = 10_000;

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-slow-boot', env: { READY_AFTER_MS: String(BOOT_MS) }, start: false });
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: slow\n',
    services: `services:
  slow:
    container: ${backend.name}
    port: 8080
    health_check:
      path: /health
      timeout: 40s
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a service that takes 10 s to become ready', () => {
  it('is woken with at most ~150 probes, counted by the proxy and by the backend', { timeout: 60_000 }, async () => {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();

    const [woke] = proxy.logsWith('service woke', 'slow');
    const probes = woke?.['probes'] as number;
    // 10 s at one probe per 100 ms is ~100; the first ~0.5 s add about twenty faster ones.
    expect(probes).toBeLessThanOrEqual(150);
    expect(probes).toBeGreaterThan(20);
    expect((await proxy.snapshot('slow')).probes).toBe(probes);
    // Probes made before the backend listened were refused and never reached its counter.
    const seen = (await backendStats(backend.name)).healthChecks;
    expect(seen).toBeLessThanOrEqual(probes);
    expect(seen).toBeGreaterThan(20);
  });
});
