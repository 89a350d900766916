/**
 * The proxy listens with a backlog of LISTEN_BACKLOG (capped by the kernel's somaxconn), not
 * Node's 511: a burst of fresh connections while the proxy is busy is queued, not dropped. Read
 * from the kernel itself: for a listening socket, `ss` shows the backlog as Send-Q.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTEN_BACKLOG } from '../../../src/proxy/proxy-server.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startProxy, type TestProxy } from './harness.ts';

let proxy: TestProxy | null = null;

afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

function listenBacklog(port: number): number {
  const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  const fields = out.trim().split(/\s+/);
  // State Recv-Q Send-Q Local Peer: Send-Q of a listening socket is its backlog.
  return Number(fields[2]);
}

describe('the proxy listener', () => {
  it('asks the kernel for a backlog of LISTEN_BACKLOG, so a burst of connects is not dropped', async () => {
    proxy = await startProxy([{ path: '/', service: 'api' }], [new FakeServiceHandle('api', { host: '127.0.0.1', port: 9 })]);
    const { port } = proxy;
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    expect(LISTEN_BACKLOG).toBeGreaterThan(511);
    expect(listenBacklog(port)).toBe(Math.min(LISTEN_BACKLOG, somaxconn));
  });
});
