/**
 * A service of several instances: each exchange is reported to its instance (unreachable or not),
 * and an idempotent request without a body whose instance refused the connection is sent once
 * more, to the next instance. Other requests are not retried.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Upstream } from '../../../src/providers/container-provider.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { freePort } from '../../support/free-port.ts';
import { startUpstream, type TestUpstream } from '../../support/upstream.ts';
import { startProxy, type TestProxy } from './harness.ts';

let upstream: TestUpstream;
let refusing: Upstream;
let proxy: TestProxy | null = null;
let handle: FakeServiceHandle;

beforeEach(async () => {
  upstream = await startUpstream();
  refusing = { host: '127.0.0.1', port: await freePort() };
  handle = new FakeServiceHandle('api', upstream.upstream);
  handle.wakeNow();
  handle.setInstances([refusing, upstream.upstream]);
  proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
});

afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await upstream.close();
});

describe('forwarding to a service of several instances', () => {
  it('sends a GET refused by one instance once more, to the next, and reports the refusal', async () => {
    const res = await fetch(`${proxy?.url}/hello`);
    expect(res.status).toBe(200);
    await res.text();
    expect(handle.exchanges.begun).toEqual([refusing, upstream.upstream]);
    expect(handle.exchanges.unreachable).toEqual([refusing]);
    expect(upstream.hits()).toBe(1);
  });

  it('does not retry a POST: it answers 502 and reports the refusal', async () => {
    const res = await fetch(`${proxy?.url}/hello`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(502);
    await res.text();
    expect(handle.exchanges.begun).toEqual([refusing]);
    expect(handle.exchanges.unreachable).toEqual([refusing]);
    expect(upstream.hits()).toBe(0);
  });

  it('reports an answered exchange as reachable', async () => {
    handle.setInstances([upstream.upstream]);
    const res = await fetch(`${proxy?.url}/hello`);
    await res.text();
    expect(res.status).toBe(200);
    expect(handle.exchanges.begun).toEqual([upstream.upstream]);
    expect(handle.exchanges.unreachable).toEqual([]);
  });
});
