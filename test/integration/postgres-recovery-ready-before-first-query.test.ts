/**
 * Issue 8: PostgreSQL accepts TCP connections while it recovers from a crash and answers
 * `FATAL: the database system is starting up`, so a TCP connect is not readiness. A service on
 * port 5432 with no health_check gets the postgres probe (inferred from the port): after a large
 * write and a `docker kill`, a wake reports ready only once the server takes sessions, so the first
 * query made right after it never fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../support/docker-fixture.ts';
import { testDocker } from '../support/docker-fixture.ts';
import { containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';
import { createServer, execIn } from '../support/servers-fixture.ts';

const ROUNDS = 10;
const ROWS = 300_000;

let db: Backend;
let proxy: ProxyHarness;

/** psql over TCP to the server's own address, as a client in another container would connect. */
function psql(sql: string): Promise<{ exitCode: number; output: string }> {
  return execIn(db.name, ['psql', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAc', sql]);
}

beforeAll(async () => {
  db = await createServer({ name: 'wp-pg-recovery', server: 'postgres' });
  proxy = await startProxy({
    // The route is never used: the test wakes db through the admin API.
    routes: 'routes:\n  - path: /\n    service: db\n',
    services: `services:
  db:
    container: ${db.name}
    port: 5432
`,
  });
  await proxy.adminPost('db', 'wake');
  const created = await psql('create table if not exists t (id int, pad text)');
  expect(created.exitCode, created.output).toBe(0);
});

afterAll(async () => {
  await proxy?.close();
  await db?.remove();
});

describe('a PostgreSQL woken after a crash in the middle of its writes', () => {
  it('uses the postgres probe for port 5432 without any health_check', () => {
    expect(proxy.logsWith('service state observed', 'db')[0]).toMatchObject({ probe: 'postgres' });
  });

  it(`answers the first query after every wake (${ROUNDS} rounds of ${ROWS} rows then docker kill)`, { timeout: 240_000 }, async () => {
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const wrote = await psql(`insert into t select g, repeat('x', 20) from generate_series(1, ${ROWS}) g`);
      expect(wrote.exitCode, wrote.output).toBe(0);
      await testDocker().getContainer(db.name).kill();
      await containerReaches(db.name, 'exited');
      expect(await proxy.adminPost('db', 'wake')).toBe(200);
      const first = await psql('select count(*) from t');
      if (first.exitCode !== 0) failures.push(`round ${round}: ${first.output.trim()}`);
    }
    expect(failures).toEqual([]);
    const woke = proxy.logsWith('service woke', 'db').filter((l) => l['from'] === 'STOPPED');
    // The container was running when the proxy started: that first check was a confirmation, not a wake.
    expect(woke).toHaveLength(ROUNDS);
    expect(proxy.logsWith('service readiness confirmed', 'db')).toHaveLength(1);
    const snapshot = await proxy.snapshot('db');
    expect(snapshot).toMatchObject({ wakeCount: ROUNDS, wakeFailures: 0 });
    expect(snapshot.probes).toBeGreaterThanOrEqual(ROUNDS + 1);
  });
});
