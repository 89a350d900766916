/**
 * Requests for a container the proxy paused itself while it was ready: a GET or HEAD is sent at
 * once, while the unpause (the whole wake) is in flight; anything with effects is held; a wake
 * that fails gives the early exchange up and answers with the wake's error.
 * The fake handle follows the controller's rule (resumeUpstream); the real one is exercised by
 * test/integration/wake-from-paused.test.ts and measured by the benchmark.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WakeFailedError } from '../../../src/errors.ts';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startUpstream, type TestUpstream } from '../../support/upstream.ts';
import { startProxy, type TestProxy } from './harness.ts';

let upstream: TestUpstream;
let proxy: TestProxy | null = null;

beforeEach(async () => {
  upstream = await startUpstream();
});

afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await upstream.close();
});

async function pausedByProxy(): Promise<FakeServiceHandle> {
  const handle = new FakeServiceHandle('api', upstream.upstream);
  handle.pauseWhileReady();
  proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
  return handle;
}

describe('a request while the proxy unpauses what it paused', () => {
  it('sends a GET at once, before the wake has finished, and still starts exactly one wake', async () => {
    const handle = await pausedByProxy();
    const response = fetch(`${proxy?.url}/slow`);
    await eventually(() => upstream.hits() === 1);
    expect(handle.wakeCount).toBe(1);
    expect(handle.waiting).toBe(1);
    handle.wakeNow();
    upstream.releaseSlow();
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('slow done');
    expect(Number(res.headers.get('x-wake-proxy-wake-ms'))).toBeGreaterThan(0);
  });

  it('holds a POST until the wake has finished', async () => {
    const handle = await pausedByProxy();
    const response = fetch(`${proxy?.url}/things`, { method: 'POST', body: 'x' });
    await eventually(() => handle.waiting === 1);
    expect(upstream.hits()).toBe(0);
    handle.wakeNow();
    expect((await response).status).toBe(200);
    expect(upstream.hits()).toBe(1);
  });

  it('gives the early exchange up and answers the wake error when the unpause fails', async () => {
    const handle = await pausedByProxy();
    const response = fetch(`${proxy?.url}/slow`);
    await eventually(() => upstream.hits() === 1);
    handle.failWake(new WakeFailedError({ service: 'api', step: 'provider', waitedMs: 5 }, 'unpause refused'));
    const res = await response;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'WP_WAKE_FAILED' });
    // The upstream exchange was cut, not left waiting for an answer nobody reads.
    await eventually(() => upstream.pendingSlow() === 0);
  });

  it('holds every request once the service is awake and asleep again by other means', async () => {
    const handle = await pausedByProxy();
    handle.wakeNow();
    handle.sleepNow();
    const response = fetch(`${proxy?.url}/page`);
    await eventually(() => handle.waiting === 1);
    expect(upstream.hits()).toBe(0);
    handle.wakeNow();
    expect((await response).status).toBe(200);
  });
});
