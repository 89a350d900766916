/**
 * Issue 4: dependencies are reference-counted. Services a and b both depend on db: when a goes to
 * sleep while b is still in use, db stays running for b; once b sleeps too, db sleeps after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';
import { openSocket } from './helpers/websocket-client.ts';

let a: Backend;
let b: Backend;
let db: Backend;
let proxy: ProxyHarness;

function serviceYaml(name: string, container: string, dependsOn: string): string {
  return `  ${name}:
    container: ${container}
    port: 8080
    depends_on: [${dependsOn}]
    health_check: { path: /health }
    sleep_policy: { idle_timeout: 1s }
`;
}

beforeAll(async () => {
  [a, b, db] = await Promise.all([
    createBackend({ name: 'wp-dep-a' }),
    createBackend({ name: 'wp-dep-b' }),
    createBackend({ name: 'wp-dep-db' }),
  ]);
  await Promise.all([a, b, db].map((backend) => backendListening(backend.name)));
  proxy = await startProxy({
    routes: 'routes:\n  - path: /a\n    service: a\n  - path: /b\n    service: b\n',
    services: `services:\n${serviceYaml('a', a.name, 'db')}${serviceYaml('b', b.name, 'db')}${serviceYaml('db', db.name, '')}`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([a, b, db].map((backend) => backend?.remove()));
});

describe('a dependency shared by two services', () => {
  it('stays running while one dependent is in use, and sleeps after the last dependent', async () => {
    const socket = await openSocket(`${proxy.url.replace('http', 'ws')}/b`);
    try {
      const res = await fetch(`${proxy.url}/a`);
      expect(res.status).toBe(200);
      await res.text();

      await containerReaches(a.name, 'paused');
      // Once the proxy itself sees a asleep, db's sleep decision has been taken: no pause started.
      await eventually(async () => expect((await proxy.snapshot('a')).state).toBe('SLEEPING'));

      expect(await proxy.snapshot('db')).toMatchObject({ state: 'RUNNING', transition: null });
      expect(await containerState(db.name)).toBe('running');
      expect(await containerState(b.name)).toBe('running');
    } finally {
      await socket.close();
    }

    await containerReaches(b.name, 'paused');
    await containerReaches(db.name, 'paused');
    const slept = proxy.logLines().filter((l) => l.msg === 'service slept').map((l) => l['service']);
    expect(slept).toEqual(['a', 'b', 'db']);
  });

  it('wakes the dependency first when a dependent is requested again', async () => {
    const res = await fetch(`${proxy.url}/a`);
    expect(res.status).toBe(200);
    await res.text();
    expect(await containerState(db.name)).toBe('running');
    expect(await containerState(b.name)).toBe('paused');
    const woke = proxy.logLines().filter((l) => l.msg === 'service woke').slice(-2);
    expect(woke.map((l) => [l['service'], l['cause']])).toEqual([
      ['db', 'dependency'],
      ['a', 'request'],
    ]);
  });
});
