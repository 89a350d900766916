/**
 * Issue 13 item 2: `compose_scale: true` makes every container of a compose service (labelled as
 * `docker compose up --scale api=3` labels them) an instance, within the proxy's compose scope: a
 * container of the same service in another project is never one of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const run = Date.now().toString(36);
const project = `wpscale${run}`;
const otherProject = `wpscaleother${run}`;
const service = `api${run}`;

let scaled: Backend[] = [];
let other: Backend;
let proxy: ProxyHarness;

const labels = (p: string, n: number) => ({
  'com.docker.compose.project': p,
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': String(n),
});

function answeredBy(res: Response): string {
  const host = res.headers.get('x-backend') ?? '';
  return [...scaled, other].find((b) => b.id.startsWith(host))?.name ?? `unknown (${host})`;
}

beforeAll(async () => {
  scaled = await Promise.all([1, 2, 3].map((n) => createBackend({ name: `${project}-api-${n}`, labels: labels(project, n) })));
  other = await createBackend({ name: `${otherProject}-api-1`, labels: labels(otherProject, 1) });
  await Promise.all([...scaled, other].map((b) => backendListening(b.name)));
  await Promise.all(scaled.map((b) => pauseByHand(b.name)));
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: api\n',
    services: `services:\n  api:\n    container: ${service}\n    compose_scale: true\n    port: 8080\n    health_check:\n      path: /health\n      timeout: 10s\n`,
    composeProject: project,
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([...scaled, other].map((b) => b?.remove()));
});

describe('compose_scale: true', () => {
  it('takes the compose service\'s containers in its project as the instances, in name order', async () => {
    const snapshot = (await proxy.snapshot('api')) as { state: string; instances?: readonly { container: string }[] };
    expect(snapshot.instances?.map((i) => i.container)).toEqual([...scaled.map((b) => b.name)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(snapshot.state).toBe('SLEEPING');
  });

  it('wakes them all and spreads requests over them, never to the other project\'s container', async () => {
    const first = await fetch(`${proxy.url}/hello`);
    expect(first.status).toBe(200);
    await first.text();
    for (const b of scaled) await containerReaches(b.name, 'running');
    await eventually(async () => {
      const snapshot = (await proxy.snapshot('api')) as { instances?: readonly { state: string }[] };
      const states = snapshot.instances?.map((i) => i.state).join();
      if (states !== 'ready,ready,ready') throw new Error(`instances: ${states}`);
    }, { timeoutMs: 10_000, intervalMs: 50 });
    const seen = new Set<string>();
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${proxy.url}/hello`);
      expect(res.status).toBe(200);
      await res.text();
      seen.add(answeredBy(res));
    }
    expect([...seen].sort()).toEqual(scaled.map((b) => b.name).sort());
  });

  it('puts them all to sleep, leaving the other project alone', async () => {
    expect(await proxy.adminPost('api', 'sleep')).toBe(200);
    for (const b of scaled) expect(await containerState(b.name)).toBe('paused');
    expect(await containerState(other.name)).toBe('running');
  });
});
