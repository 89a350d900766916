/**
 * Issue 13 item 2: an instance that stops answering is taken out of rotation and put back when
 * it answers. One of three instances refuses connections (its server closed, the container still
 * running): the breaker opens, every request still succeeds (a refused GET is sent once more, to
 * another instance), and a trial probe puts it back once it listens again. An instance killed by
 * hand leaves the rotation at once and rejoins when it is started again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, testDocker, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backends: Backend[] = [];
let proxy: ProxyHarness;

function answeredBy(res: Response): string {
  const host = res.headers.get('x-backend') ?? '';
  return backends.find((b) => b.id.startsWith(host))?.name ?? `unknown (${host})`;
}

interface InstanceView {
  readonly container: string;
  readonly state: string;
  readonly breaker: string;
}

async function instance(name: string): Promise<InstanceView | undefined> {
  const snapshot = (await proxy.snapshot('api')) as { instances?: readonly InstanceView[] };
  return snapshot.instances?.find((i) => i.container === name);
}

/** Sends `count` GETs one after another; every one must succeed. Returns who answered. */
async function sendGets(count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    await res.text();
    seen.push(answeredBy(res));
  }
  return seen;
}

async function allReady(): Promise<void> {
  await eventually(async () => {
    for (const b of backends) {
      const view = await instance(b.name);
      if (view?.state !== 'ready' || view.breaker !== 'closed') throw new Error(`${b.name}: ${JSON.stringify(view)}`);
    }
  }, { timeoutMs: 15_000, intervalMs: 50 });
}

beforeAll(async () => {
  backends = await Promise.all(['wp-brk-a', 'wp-brk-b', 'wp-brk-c'].map((name) => createBackend({ name })));
  await Promise.all(backends.map((b) => backendListening(b.name)));
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: api\n',
    services: [
      'services:',
      '  api:',
      `    containers: [${backends.map((b) => b.name).join(', ')}]`,
      '    port: 8080',
      '    health_check:',
      '      path: /health',
      '      timeout: 10s',
      '    circuit_breaker:',
      '      failures: 2',
      '      open_for: 500ms',
      '',
    ].join('\n'),
  });
  await allReady();
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all(backends.map((b) => b.remove()));
});

describe('an instance that refuses connections', () => {
  it('opens its breaker while every request succeeds on the others', async () => {
    const refusing = backends[1] as Backend;
    await testDocker().getContainer(refusing.name).kill({ signal: 'SIGUSR1' });
    // Every third request would go to it: 12 requests give it more than `failures` chances.
    const seen = await sendGets(12);
    expect(seen).not.toContain(refusing.name);
    expect(await containerState(refusing.name)).toBe('running');
    const view = await instance(refusing.name);
    expect(view?.breaker === 'open' || view?.breaker === 'half_open').toBe(true);
    expect(proxy.logsWith('instance breaker opened', 'api').map((l) => l['container'])).toContain(refusing.name);
    const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    const closed = metrics.includes(`wake_proxy_instance_breaker_state{service="api",container="${refusing.name}",state="closed"} 1`);
    expect(closed).toBe(false);
    expect(metrics).toContain(`wake_proxy_instance_breaker_state{service="api",container="${backends[0]?.name}",state="closed"} 1`);
  });

  it('is put back in rotation by a trial probe once it listens again', async () => {
    const refusing = backends[1] as Backend;
    await testDocker().getContainer(refusing.name).kill({ signal: 'SIGUSR2' });
    await eventually(async () => {
      const view = await instance(refusing.name);
      if (view?.breaker !== 'closed') throw new Error(`breaker still ${view?.breaker}`);
    }, { timeoutMs: 10_000, intervalMs: 50 });
    expect(await sendGets(6)).toContain(refusing.name);
    expect(proxy.logsWith('instance breaker closed', 'api').map((l) => l['container'])).toContain(refusing.name);
  });
});

describe('an instance killed by hand', () => {
  it('leaves the rotation, and rejoins when it is started again', async () => {
    const killed = backends[2] as Backend;
    await testDocker().getContainer(killed.name).kill();
    await containerReaches(killed.name, 'exited');
    await eventually(async () => {
      const view = await instance(killed.name);
      if (view?.state !== 'down') throw new Error(`still ${view?.state}`);
    }, { timeoutMs: 5_000, intervalMs: 20 });
    expect(await sendGets(6)).not.toContain(killed.name);
    await testDocker().getContainer(killed.name).start();
    await allReady();
    expect(await sendGets(6)).toContain(killed.name);
  });
});
