/**
 * Issue 4: an open WebSocket is in-flight work, so its service stays awake however short its
 * idle_timeout; once the socket closes, the service sleeps. A second service with a longer idle
 * timeout, used at the same moment, shows that the subject's timeout has passed (no sleeping in
 * the test): when the canary is paused, the subject would long have been too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, type Backend } from '../support/docker-fixture.ts';
import { containerReaches, type ProxyHarness } from '../support/proxy-harness.ts';
import { openSocket } from './helpers/websocket-client.ts';
import { startSubjectWithCanary, type SubjectWithCanary } from './helpers/subject-with-canary.ts';

let world: SubjectWithCanary;
let chat: Backend;
let canary: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  world = await startSubjectWithCanary({ name: 'wp-wskeep', service: 'chat', stripPrefix: false });
  ({ subject: chat, canary, proxy } = world);
});

afterAll(async () => {
  await world?.close();
});

describe('an open WebSocket', () => {
  it('keeps its service running past idle_timeout, and it sleeps once the socket closes', async () => {
    const socket = await openSocket(`${proxy.url.replace('http', 'ws')}/chat`);
    try {
      const res = await fetch(`${proxy.url}/canary`);
      expect(res.status).toBe(200);
      await res.text();

      await containerReaches(canary.name, 'paused');

      expect(await containerState(chat.name)).toBe('running');
      expect(await proxy.snapshot('chat')).toMatchObject({ state: 'RUNNING', inFlight: 1 });
      expect(await socket.roundTrip('still here')).toBe('still here');
    } finally {
      await socket.close();
    }

    await containerReaches(chat.name, 'paused');
    expect(await proxy.snapshot('chat')).toMatchObject({ state: 'SLEEPING', inFlight: 0 });
    expect(proxy.logsWith('service slept', 'chat')).toHaveLength(1);
  });
});
