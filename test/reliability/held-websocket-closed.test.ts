/**
 * Issue 10 (item 3): WebSocket upgrades held during a wake whose clients close normally (FIN)
 * are dropped, not forwarded to a client that can never speak again: their activity is released,
 * inFlight returns to 0, and the service sleeps again after its idle_timeout.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, backendStats, containerReaches, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const CLIENTS = 100;
let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-wsfin' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: chat\n',
    services:
      `services:\n  chat:\n    container: ${backend.name}\n    port: 8080\n    max_held_requests: ${CLIENTS * 2}\n` +
      '    health_check:\n      path: /health\n    sleep_policy:\n      idle_timeout: 2s\n      min_sleep_time: 0\n',
    logLevel: 'info',
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

function heldUpgrade(port: number, i: number): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(
    `GET /room/${i} HTTP/1.1\r\nHost: chat\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  return socket;
}

describe('held WebSocket upgrades whose clients close with FIN', () => {
  it('are dropped, release their activity, and let the service sleep again', async () => {
    expect((await proxy.snapshot('chat')).state).toBe('SLEEPING');
    const gate = proxy.calls.gate('unpause');
    const port = Number(new URL(proxy.url).port);
    const sockets = Array.from({ length: CLIENTS }, (_, i) => heldUpgrade(port, i));
    await eventually(async () => (await proxy.snapshot('chat')).inFlight === CLIENTS, { timeoutMs: 15_000 });

    const closed = sockets.map((s) => new Promise((resolve) => s.once('close', resolve)));
    for (const socket of sockets) socket.end();
    await Promise.all(closed);
    await eventually(async () => (await proxy.snapshot('chat')).inFlight === 0, { timeoutMs: 15_000 });

    gate.release();
    await containerReaches(backend.name, 'running');
    expect((await backendStats(backend.name)).websockets).toBe(0);
    expect((await proxy.snapshot('chat')).inFlight).toBe(0);
    await containerReaches(backend.name, 'paused', 20_000);
    expect(await containerState(backend.name)).toBe('paused');
  });
});
