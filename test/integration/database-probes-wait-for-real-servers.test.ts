/**
 * Issue 8: readiness probes that real servers agree with. Redis (with a password: the probe has
 * none, and -NOAUTH still means up) and MariaDB get their protocol probes from the well-known
 * port; a PostgreSQL declared without a port is probed with `pg_isready` run inside the container
 * (probe exec, through the Docker exec API). Each is woken from STOPPED through the admin API, and
 * a real client run in the container right after the wake reports ready must succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../support/docker-fixture.ts';
import { startProxy, type ProxyHarness } from '../support/proxy-harness.ts';
import { createServer, execIn } from '../support/servers-fixture.ts';

let cache: Backend;
let maria: Backend;
let pg: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  [cache, maria, pg] = await Promise.all([
    createServer({ name: 'wp-probe-redis', server: 'redis', env: { REDIS_PASSWORD: 'sesame' }, start: false }),
    createServer({ name: 'wp-probe-maria', server: 'mariadb', start: false }),
    createServer({ name: 'wp-probe-pg', server: 'postgres', start: false }),
  ]);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: cache\n',
    services: `services:
  cache:
    container: ${cache.name}
    port: 6379
  maria:
    container: ${maria.name}
    port: 3306
    health_check: { timeout: 60s }
  pg:
    container: ${pg.name}
    health_check:
      probe: exec
      command: ["pg_isready", "-h", "127.0.0.1", "-q"]
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([cache?.remove(), maria?.remove(), pg?.remove()]);
});

describe('protocol and exec probes against real servers', () => {
  it('names the probe of each service in the start-up log', () => {
    const probes = ['cache', 'maria', 'pg'].map((s) => proxy.logsWith('service state observed', s)[0]?.['probe']);
    expect(probes).toEqual(['redis', 'mysql', 'exec']);
  });

  it('wakes Redis until it answers PING (NOAUTH counts: the server is up); a client then gets PONG', async () => {
    expect(await proxy.adminPost('cache', 'wake')).toBe(200);
    const ping = await execIn(cache.name, ['redis-cli', '-a', 'sesame', '--no-auth-warning', 'ping']);
    expect(ping.output.trim()).toBe('PONG');
    expect(proxy.logsWith('service woke', 'cache')).toHaveLength(1);
  });

  it('wakes MariaDB until it answers as a server (out of the box: "host not allowed", 1130); a client query then succeeds', async () => {
    expect(await proxy.adminPost('maria', 'wake')).toBe(200);
    const [woke] = proxy.logsWith('service woke', 'maria');
    expect(woke).toBeDefined();
    const local = await execIn(maria.name, ['mariadb', '-N', '-e', 'select 41 + 1']);
    expect(local).toMatchObject({ exitCode: 0 });
    expect(local.output.trim()).toBe('42');
  });

  it('wakes a PostgreSQL without a port until pg_isready exits 0 inside it; psql then succeeds', async () => {
    expect(await proxy.adminPost('pg', 'wake')).toBe(200);
    const query = await execIn(pg.name, ['psql', '-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'select 6 * 7']);
    expect(query).toMatchObject({ exitCode: 0 });
    expect(query.output.trim()).toBe('42');
    expect(proxy.calls.count('exec', pg.name)).toBeGreaterThanOrEqual(1);
    const snapshot = await proxy.snapshot('pg');
    expect(snapshot).toMatchObject({ state: 'RUNNING', ready: true, upstream: null, wakeCount: 1 });
    expect(snapshot.probes).toBe(proxy.calls.count('exec', pg.name));
  });
});
