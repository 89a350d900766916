/**
 * Issue 4: a slow streaming response is in-flight work until its last byte, so its service stays
 * awake however short its idle_timeout; after the stream ends, the service sleeps. A second
 * service with a longer idle timeout, used at the same moment, shows that the subject's timeout
 * has passed (no sleeping in the test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, type Backend } from '../support/docker-fixture.ts';
import { containerReaches, type ProxyHarness } from '../support/proxy-harness.ts';
import { startSubjectWithCanary, type SubjectWithCanary } from './helpers/subject-with-canary.ts';

const CHUNKS = 20;
let world: SubjectWithCanary;
let download: Backend;
let canary: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  world = await startSubjectWithCanary({ name: 'wp-stream', service: 'files', stripPrefix: true });
  ({ subject: download, canary, proxy } = world);
});

afterAll(async () => {
  await world?.close();
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
