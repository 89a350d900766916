/**
 * Issue 13 item 2: a service of three containers (`containers: [a, b, c]`). Requests go to the
 * ready instance with the fewest in flight: with nothing in flight they go round, and while two
 * slow requests are held by two instances, the next requests all go to the third.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backends: Backend[] = [];
let proxy: ProxyHarness;

/** The instance that answered: the backend's hostname is its short container id. */
function answeredBy(res: Response): string {
  const host = res.headers.get('x-backend') ?? '';
  return backends.find((b) => b.id.startsWith(host))?.name ?? `unknown (${host})`;
}

interface Instances {
  readonly instances?: readonly { readonly container: string; readonly state: string; readonly inFlight: number; readonly breaker: string }[];
}

async function instances(): Promise<NonNullable<Instances['instances']>> {
  return ((await proxy.snapshot('api')) as Instances).instances ?? [];
}

beforeAll(async () => {
  backends = await Promise.all(['wp-lif-a', 'wp-lif-b', 'wp-lif-c'].map((name) => createBackend({ name })));
  await Promise.all(backends.map((b) => backendListening(b.name)));
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: api\n',
    services: `services:\n  api:\n    containers: [${backends.map((b) => b.name).join(', ')}]\n    port: 8080\n    health_check:\n      path: /health\n      timeout: 10s\n`,
  });
  await eventually(async () => {
    const all = await instances();
    if (all.length !== 3 || all.some((i) => i.state !== 'ready')) throw new Error(`instances not all ready: ${JSON.stringify(all)}`);
  }, { timeoutMs: 15_000, intervalMs: 50 });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all(backends.map((b) => b.remove()));
});

describe('a service of three instances', () => {
  it('shows each instance in the admin API, ready with its breaker closed', async () => {
    const all = await instances();
    expect(all.map((i) => i.container)).toEqual(backends.map((b) => b.name));
    expect(all.every((i) => i.breaker === 'closed' && i.inFlight === 0)).toBe(true);
  });

  it('spreads requests over every instance when nothing stays in flight', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${proxy.url}/hello`);
      expect(res.status).toBe(200);
      await res.text();
      seen.push(answeredBy(res));
    }
    const counts = new Map<string, number>();
    for (const name of seen) counts.set(name, (counts.get(name) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(backends.map((b) => b.name).sort());
    expect([...counts.values()]).toEqual([2, 2, 2]);
  });

  it('sends the next requests to the instance with nothing in flight while two are busy', async () => {
    const slow = [fetch(`${proxy.url}/slow?ms=4000`), fetch(`${proxy.url}/slow?ms=4000`)];
    const busy = await eventually(async () => {
      const all = await instances();
      const held = all.filter((i) => i.inFlight === 1);
      if (held.length !== 2) throw new Error(`slow requests not yet on two instances: ${JSON.stringify(all)}`);
      return held.map((i) => i.container);
    }, { timeoutMs: 3_000, intervalMs: 20 });
    const idle = backends.map((b) => b.name).find((name) => !busy.includes(name));
    const quick: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${proxy.url}/hello`);
      await res.text();
      quick.push(answeredBy(res));
    }
    expect(quick).toEqual([idle, idle, idle]);
    const done = await Promise.all(slow);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    expect(new Set(done.map(answeredBy))).toEqual(new Set(busy));
    await Promise.all(done.map((r) => r.text()));
  });
});
