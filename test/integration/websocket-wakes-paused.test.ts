/**
 * Issue 3: a WebSocket opened through the proxy against a paused service is held like any
 * request, the container is unpaused, and the socket is proxied both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, backendStats, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';
import { openSocket } from './helpers/websocket-client.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-ws' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /ws\n    service: chat\n    strip_prefix: true\n',
    services: `services:\n  chat:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a WebSocket to a paused service', () => {
  it('wakes the service and echoes messages both ways', async () => {
    expect((await proxy.snapshot('chat')).state).toBe('SLEEPING');

    const socket = await openSocket(`${proxy.url.replace('http', 'ws')}/ws/room`);
    try {
      expect(await socket.roundTrip('hello')).toBe('hello');
      expect(await socket.roundTrip('x'.repeat(70_000))).toBe('x'.repeat(70_000));
    } finally {
      await socket.close();
    }

    expect(proxy.calls.count('unpause', backend.name)).toBe(1);
    expect(await containerState(backend.name)).toBe('running');
    expect(await backendStats(backend.name)).toMatchObject({ websockets: 1, websocketMessages: 2 });
    expect(proxy.logsWith('service woke', 'chat')[0]).toMatchObject({ from: 'SLEEPING' });
  });
});
