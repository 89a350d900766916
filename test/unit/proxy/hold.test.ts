import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HoldQueueFullError, WakeFailedError } from '../../../src/errors.ts';
import { RequestHolder, retryAfterSeconds } from '../../../src/proxy/hold.ts';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';

const upstream = { host: '127.0.0.1', port: 9 };

describe('retryAfterSeconds', () => {
  it.each([
    [0, 1],
    [500, 1],
    [1000, 1],
    [1001, 2],
    [5000, 5],
    [30000, 10],
  ])('turns a %i ms wake deadline into %i s', (ms, seconds) => {
    expect(retryAfterSeconds(ms)).toBe(seconds);
  });
});

describe('RequestHolder', () => {
  it('resolves every held request with the upstream once the shared wake ends', async () => {
    const handle = new FakeServiceHandle('api', upstream);
    const holder = new RequestHolder();
    const held = [holder.hold(handle, new AbortController().signal), holder.hold(handle, new AbortController().signal)];
    expect(holder.heldCount('api')).toBe(2);
    handle.wakeNow();
    const results = await Promise.all(held);
    expect(results.map((r) => r?.upstream)).toEqual([upstream, upstream]);
    expect(handle.wakeCount).toBe(1);
    expect(holder.heldCount('api')).toBe(0);
  });

  it('refuses a request past max_held_requests with Retry-After', async () => {
    const handle = new FakeServiceHandle('api', upstream, { max_held_requests: 1, health_check: { timeout: '3s' } });
    const holder = new RequestHolder();
    const first = holder.hold(handle, new AbortController().signal);
    const second = holder.hold(handle, new AbortController().signal);
    await expect(second).rejects.toBeInstanceOf(HoldQueueFullError);
    await expect(second).rejects.toMatchObject({ retryAfterSeconds: 3 });
    handle.wakeNow();
    await expect(first).resolves.not.toBeNull();
  });

  it('resolves null for a client that gave up, and the wake goes on for the others', async () => {
    const handle = new FakeServiceHandle('api', upstream);
    const holder = new RequestHolder();
    const client = new AbortController();
    const leaving = holder.hold(handle, client.signal);
    const staying = holder.hold(handle, new AbortController().signal);
    client.abort();
    await expect(leaving).resolves.toBeNull();
    expect(holder.heldCount('api')).toBe(1);
    handle.wakeNow();
    await expect(staying).resolves.toMatchObject({ upstream });
  });

  it('passes a failed wake on to the held request', async () => {
    const handle = new FakeServiceHandle('api', upstream);
    const holder = new RequestHolder();
    const held = holder.hold(handle, new AbortController().signal);
    await eventually(() => handle.waiting === 1);
    handle.failWake(new WakeFailedError({ service: 'api', step: 'running', waitedMs: 5 }, 'exited (code 1)'));
    await expect(held).rejects.toBeInstanceOf(WakeFailedError);
    expect(holder.heldCount('api')).toBe(0);
  });

  it('leaves no listener on the client signal once a hold ends, however it ends', async () => {
    const handle = new FakeServiceHandle('api', upstream);
    const holder = new RequestHolder();
    const client = new AbortController();
    const failed = holder.hold(handle, client.signal);
    await eventually(() => handle.waiting === 1);
    expect(getEventListeners(client.signal, 'abort').length).toBeGreaterThan(0);
    handle.failWake(new WakeFailedError({ service: 'api', step: 'running', waitedMs: 5 }, 'exited (code 1)'));
    await expect(failed).rejects.toBeInstanceOf(WakeFailedError);
    expect(getEventListeners(client.signal, 'abort')).toHaveLength(0);
    const served = holder.hold(handle, client.signal);
    await eventually(() => handle.waiting === 1);
    handle.wakeNow();
    await served;
    expect(getEventListeners(client.signal, 'abort')).toHaveLength(0);
  });
});
