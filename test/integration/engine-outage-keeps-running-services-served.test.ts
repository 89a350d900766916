/**
 * Issue 10 (item 5): a Docker engine outage leaves running services reachable. The proxy talks to
 * the engine through a socat relay this test owns (DOCKER_HOST=unix://<relay>) and cuts it:
 * - a service RUNNING since the proxy started, never requested, is still served, because its
 *   readiness was confirmed from the start-up scan (not only by a wake, which needs the engine);
 * - a request in flight to a container paused by hand during the outage is not left hanging: once
 *   the relay is back, the pause is seen (events replayed at reconnect) and the container unpaused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, containerState, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { containerReaches, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let steady: Backend;
let busy: Backend;
let proxy: ProxyHarness;
let dir: string;
let relay: ChildProcess | null = null;

/** Starts the relay in its own process group (socat forks one child per connection). */
async function openRelay(): Promise<void> {
  const socket = join(dir, 'docker.sock');
  relay = spawn('socat', [`UNIX-LISTEN:${socket},fork,unlink-early`, 'UNIX-CONNECT:/var/run/docker.sock'], {
    detached: true,
    stdio: 'ignore',
  });
  await eventually(
    async () => {
      await new Promise<void>((resolve, reject) => {
        const probe = connect(socket, () => {
          probe.destroy();
          resolve();
        });
        probe.once('error', reject);
      });
    },
    { timeoutMs: 5_000, intervalMs: 20 },
  );
}

/** Cuts the relay and every connection through it (the whole process group of socat). */
async function cutRelay(): Promise<void> {
  const child = relay;
  relay = null;
  if (child?.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGKILL');
  await exited;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wp-outage-'));
  await openRelay();
  [steady, busy] = await Promise.all([createBackend({ name: 'wp-outage-steady' }), createBackend({ name: 'wp-outage-busy' })]);
  proxy = await startProxy({
    dockerHost: `unix://${join(dir, 'docker.sock')}`,
    routes: 'routes:\n  - path: /steady\n    service: steady\n  - path: /busy\n    service: busy\n    strip_prefix: true\n',
    services: `services:
  steady:
    container: ${steady.name}
    port: 8080
    health_check: { path: /health }
  busy:
    container: ${busy.name}
    port: 8080
    health_check: { path: /health }
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await cutRelay();
  await Promise.all([steady?.remove(), busy?.remove()]);
  await rm(dir, { recursive: true, force: true });
});

describe('a Docker engine outage', () => {
  it('leaves a service RUNNING since start, never requested, reachable; in-flight work on a container paused by hand resumes after it', async () => {
    await eventually(async () => expect((await proxy.snapshot('steady')).ready).toBe(true), { timeoutMs: 10_000 });
    await eventually(async () => expect((await proxy.snapshot('busy')).ready).toBe(true), { timeoutMs: 10_000 });
    expect((await proxy.snapshot('steady')).wakeCount).toBe(0);

    const slow = fetch(`${proxy.url}/busy/slow?ms=1500`, { signal: AbortSignal.timeout(30_000) });
    await eventually(async () => expect((await proxy.snapshot('busy')).inFlight).toBe(1), { timeoutMs: 5_000 });

    await cutRelay();
    await pauseByHand(busy.name);
    await containerReaches(busy.name, 'paused');

    const during = await fetch(`${proxy.url}/steady/hello`, { signal: AbortSignal.timeout(5_000) });
    expect(during.status).toBe(200);
    expect(await during.text()).toContain('hello from');
    expect(proxy.calls.count('start', steady.name) + proxy.calls.count('unpause', steady.name)).toBe(0);

    await openRelay();
    const res = await slow;
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(await containerState(busy.name)).toBe('running');
    expect(proxy.calls.count('unpause', busy.name)).toBeGreaterThanOrEqual(1);
    expect(proxy.logsWith('state changed externally', 'busy')).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: 'RUNNING', to: 'SLEEPING' })]),
    );
  });
});
