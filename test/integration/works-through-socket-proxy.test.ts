/**
 * Issue 9: with DOCKER_HOST pointing at a Docker API proxy that allows only the endpoints the
 * README lists (HAProxy, see test/support/socket-proxy/), everything works: waking from paused and
 * from stopped, sleeping and stopping, following events, finding a compose service by its label.
 * HAProxy's own log proves the proxy never needed an endpoint outside the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import {
  backendListening,
  containerReaches,
  pauseByHand,
  startProxy,
  stopByHand,
  type ProxyHarness,
} from '../support/proxy-harness.ts';
import { startSocketProxy, type SocketProxy } from '../support/socket-proxy/haproxy-socket-proxy.ts';
import { eventually } from '../support/eventually.ts';

let engine: SocketProxy;
let paused: Backend;
let stopped: Backend;
let composed: Backend;
let proxy: ProxyHarness;
const project = `wpsock${Date.now().toString(36)}`;

beforeAll(async () => {
  engine = await startSocketProxy();
  paused = await createBackend({ name: 'wp-sock-paused' });
  stopped = await createBackend({ name: 'wp-sock-stopped', start: false });
  composed = await createBackend({
    name: 'wp-sock-composed',
    labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'worker' },
  });
  await backendListening(paused.name);
  await pauseByHand(paused.name);
  await backendListening(composed.name);
  const service = (container: string): string =>
    `    container: ${container}\n    port: 8080\n    health_check:\n      path: /health\n    sleep_policy:\n      idle_timeout: 1h\n`;
  proxy = await startProxy({
    dockerHost: engine.dockerHost,
    routes: 'routes:\n  - path: /paused\n    service: paused\n  - path: /stopped\n    service: stopped\n  - path: /worker\n    service: worker\n',
    services: `services:\n  paused:\n${service(paused.name)}  stopped:\n${service(stopped.name)}  worker:\n${service('worker')}    compose_project: ${project}\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await engine?.close();
  await Promise.all([paused?.remove(), stopped?.remove(), composed?.remove()]);
});

describe('wake-proxy behind a restricting Docker API proxy', () => {
  it('refuses what the list does not allow (the restriction is real)', async () => {
    for (const [method, path] of [['GET', '/images/json'], ['POST', `/containers/${paused.name}/kill`], ['POST', `/containers/${paused.name}/restart`]] as const) {
      const res = await fetch(`${engine.url}${path}`, { method });
      await res.arrayBuffer();
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('wakes a paused service', async () => {
    const res = await fetch(`${proxy.url}/paused/hello`);
    expect(res.status).toBe(200);
    await res.text();
    expect(await containerState(paused.name)).toBe('running');
  });

  it('wakes a stopped service', async () => {
    const res = await fetch(`${proxy.url}/stopped/hello`);
    expect(res.status).toBe(200);
    await res.text();
    expect(await containerState(stopped.name)).toBe('running');
  });

  it('finds a compose service by its labels', async () => {
    const res = await fetch(`${proxy.url}/worker/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
  });

  it('puts services to sleep and stops them', async () => {
    expect(await proxy.adminPost('paused', 'sleep')).toBe(200);
    await containerReaches(paused.name, 'paused');
    expect(await proxy.adminPost('stopped', 'stop')).toBe(200);
    await containerReaches(stopped.name, 'exited');
  });

  it('follows events through the socket proxy', async () => {
    await pauseByHand(composed.name);
    await eventually(async () => expect((await proxy.snapshot('worker')).state).toBe('SLEEPING'), { timeoutMs: 10_000 });
    await stopByHand(composed.name);
    await eventually(async () => expect((await proxy.snapshot('worker')).state).toBe('STOPPED'), { timeoutMs: 15_000 });
  });

  it('never needed an endpoint outside the list', () => {
    const fromProxy = engine.seen().filter((r) => !['/images/json', `/containers/${paused.name}/kill`, `/containers/${paused.name}/restart`].includes(r.path.split('?')[0] ?? ''));
    expect(fromProxy.length).toBeGreaterThan(5);
    expect(fromProxy.filter((r) => r.status === 403)).toEqual([]);
  });
});
