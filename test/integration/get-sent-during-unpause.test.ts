/**
 * Issue 12: a GET for a container the proxy paused itself is sent into the paused container while
 * the unpause is in flight, so the wake costs the unpause and nothing more. The unpause is held
 * at a gate; the request is seen waiting, unread, in the frozen app's socket (the receive queue
 * of the container's TCP connection on :8080, read from /proc/<pid>/net/tcp, which works on a
 * paused container). Released, the request is answered; failed, the client gets the wake error.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, testDocker, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

/** Bytes waiting unread on established TCP connections to :8080 inside the container. */
async function unreadOnPort8080(name: string): Promise<number> {
  const pid = (await testDocker().getContainer(name).inspect()).State.Pid;
  const rows = readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1);
  let unread = 0;
  for (const row of rows) {
    const [, local, , state, queues] = row.trim().split(/\s+/);
    if (local?.endsWith(':1F90') && state === '01' && queues !== undefined) unread += Number.parseInt(queues.split(':')[1] ?? '0', 16);
  }
  return unread;
}

async function pausedByTheProxy(): Promise<void> {
  const warm = await fetch(`${proxy.url}/warm`);
  await warm.text();
  expect(await proxy.adminPost('app', 'sleep')).toBe(200);
  await eventually(async () => (await proxy.snapshot('app')).state === 'SLEEPING');
  expect(await containerState(backend.name)).toBe('paused');
}

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-early' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a GET while the proxy unpauses what it paused', () => {
  it('waits in the paused container before the unpause returns, and is answered after it', async () => {
    await pausedByTheProxy();
    const gate = proxy.calls.gate('unpause');
    const response = fetch(`${proxy.url}/early`);
    await eventually(() => gate.entered() === 1);
    await eventually(async () => (await unreadOnPort8080(backend.name)) > 0, { timeoutMs: 10_000, intervalMs: 20 });
    expect(await containerState(backend.name)).toBe('paused');
    gate.release();
    const res = await response;
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect(res.headers.get('x-wake-proxy-wake-ms')).toMatch(/^\d+$/);
    const woke = await eventually(() => proxy.logsWith('service woke', 'app').at(-1) ?? null);
    expect(woke).toMatchObject({ from: 'SLEEPING', probes: 0 });
  });

  it('answers the wake error, and leaves the container paused, when the unpause fails', async () => {
    await pausedByTheProxy();
    const gate = proxy.calls.gate('unpause');
    const response = fetch(`${proxy.url}/early-but-failed`);
    await eventually(() => gate.entered() === 1);
    await eventually(async () => (await unreadOnPort8080(backend.name)) > 0, { timeoutMs: 10_000, intervalMs: 20 });
    gate.fail(new Error('the engine refused the unpause'));
    const res = await response;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'WP_WAKE_FAILED' });
    expect(await containerState(backend.name)).toBe('paused');
    // The next request wakes it for real (an inspect, an unpause and a probe: nothing is assumed).
    const next = await fetch(`${proxy.url}/after`);
    expect(next.status).toBe(200);
    expect(await containerState(backend.name)).toBe('running');
  });
});
