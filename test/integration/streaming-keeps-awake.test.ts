/**
 * Issue 4: a slow streaming response is in-flight work until its last byte, so its service stays
 * awake however short its idle_timeout; after the stream ends, the service sleeps. A second
 * service with a longer idle timeout, used at the same moment, shows that the subject's timeout
 * has passed (no sleeping in the test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const CHUNKS = 20;

let download: Backend;
let canary: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  [download, canary] = await Promise.all([createBackend({ name: 'wp-stream' }), createBackend({ name: 'wp-canary' })]);
  await Promise.all([backendListening(download.name), backendListening(canary.name)]);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /files\n    service: files\n    strip_prefix: true\n  - path: /canary\n    service: canary\n',
    services: `services:
  files:
    container: ${download.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { idle_timeout: 1s }
  canary:
    container: ${canary.name}
    port: 8080
    health_check: { path: /health }
    sleep_policy: { idle_timeout: 2s }
`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([download?.remove(), canary?.remove()]);
});

describe('a slow streaming response', () => {
  it('keeps its service running until it ends, then the service sleeps', async () => {
    const res = await fetch(`${proxy.url}/files/stream?chunks=${CHUNKS}&interval=250`);
    expect(res.status).toBe(200);
    let finished = false;
    const body = res.text().then((text) => {
      finished = true;
      return text;
    });
    const canaryRes = await fetch(`${proxy.url}/canary`);
    await canaryRes.text();

    await containerReaches(canary.name, 'paused');

    expect(finished).toBe(false);
    expect(await containerState(download.name)).toBe('running');
    expect(await proxy.snapshot('files')).toMatchObject({ state: 'RUNNING', inFlight: 1 });
    expect(await body).toBe(Array.from({ length: CHUNKS }, (_, i) => `chunk ${i}\n`).join(''));

    await containerReaches(download.name, 'paused');
    expect(await proxy.snapshot('files')).toMatchObject({ state: 'SLEEPING', inFlight: 0 });
  });
});
