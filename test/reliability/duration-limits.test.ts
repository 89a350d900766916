/**
 * Issue 10 item 4: durations a timer cannot hold. `health_check.timeout: 600h` used to answer every
 * wake with 504 after ~4 ms, and an idle_timeout, max_sleep_time or min_uptime of 600h spun a
 * 1 ms timer (Node fires an over-long timer at once, with a TimeoutOverflowWarning). Now 600h is
 * refused with the limit in the message, and every duration at the limit works against the real
 * engine: the wake is served, and no timer overflows while the service idles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DURATION_TEXT } from '../../src/config/duration.ts';
import { parseConfigTexts } from '../../src/config/load-config.ts';
import { ConfigError } from '../../src/errors.ts';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const ROUTES = 'routes:\n  - path: /\n    service: app\n';
const AT_LIMIT = '596h31m23s';

let backend: Backend;
let proxy: ProxyHarness;
const warnings: string[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(`${warning.name}: ${warning.message}`);
};

beforeAll(async () => {
  process.on('warning', onWarning);
  backend = await createBackend({ name: 'wp-duration-limits' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await startProxy({
    routes: ROUTES,
    services: `services:
  app:
    container: ${backend.name}
    port: 8080
    health_check:
      path: /health
      timeout: ${AT_LIMIT}
      probe_timeout: ${AT_LIMIT}
    sleep_policy:
      idle_timeout: ${AT_LIMIT}
      max_sleep_time: ${AT_LIMIT}
      min_uptime: ${AT_LIMIT}
      min_sleep_time: ${AT_LIMIT}
`,
  });
});

afterAll(async () => {
  process.off('warning', onWarning);
  await proxy?.close();
  await backend?.remove();
});

describe('durations at the timer limit', () => {
  it('refuses 600h for every duration, naming the limit', () => {
    const services = `services:\n  app:\n    container: c\n    port: 1\n    health_check: {timeout: 600h}\n    sleep_policy: {idle_timeout: 600h, max_sleep_time: 600h, min_uptime: 600h}\n`;
    let issues: readonly string[] = [];
    try {
      parseConfigTexts({ routes: { name: 'routes.yml', text: ROUTES }, services: { name: 'services.yml', text: services } });
    } catch (err) {
      if (err instanceof ConfigError) issues = err.issues;
    }
    expect(issues).toHaveLength(4);
    for (const issue of issues) expect(issue).toContain(`at most ${MAX_DURATION_TEXT}, got "600h"`);
  });

  it('serves a wake of a paused service with health_check.timeout at the limit (no 504)', async () => {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
  });

  it('arms the idle timer without overflowing it, and sleeps at nothing', async () => {
    await eventually(async () => {
      const shown = await proxy.snapshot('app');
      expect(shown).toMatchObject({ state: 'RUNNING', inFlight: 0, idleTimeoutMs: 2_147_483_000 });
      expect(shown.nextSleepAt).toBeGreaterThan(Date.now() + 24 * 24 * 3600 * 1000);
    }, { timeoutMs: 5_000 });
    // A second request and its idle re-arm: still no overflow, still no sleep.
    const res = await fetch(`${proxy.url}/again`);
    expect(res.status).toBe(200);
    await res.text();
    expect(proxy.calls.count('pause', backend.name)).toBe(0);
    expect(warnings.filter((w) => w.includes('TimeoutOverflowWarning'))).toEqual([]);
  });
});
