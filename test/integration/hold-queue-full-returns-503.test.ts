/**
 * Issue 3: holding is bounded. With max_held_requests: 2, a third request arriving while two are
 * held for the same wake gets 503 with Retry-After at once; the two held ones are served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-cap' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: capped\n',
    services: `services:
  capped:
    container: ${backend.name}
    port: 8080
    max_held_requests: 2
    health_check:
      path: /health
      timeout: 4s
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a service holding as many requests as it may', () => {
  it('answers one more request 503 with Retry-After and serves the held ones', async () => {
    const gate = proxy.calls.gate('unpause');
    const held = [fetch(`${proxy.url}/one`), fetch(`${proxy.url}/two`)];
    await eventually(async () => gate.entered() === 1 && (await proxy.snapshot('capped')).inFlight === 2);

    const refused = await fetch(`${proxy.url}/three`);

    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('4');
    expect(await refused.json()).toMatchObject({ code: 'WP_HOLD_QUEUE_FULL' });
    gate.release();
    const served = await Promise.all(held);
    expect(served.map((r) => r.status)).toEqual([200, 200]);
    await Promise.all(served.map((r) => r.text()));
    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
  });
});
