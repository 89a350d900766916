/**
 * Issue 15: the operator surface against real containers. GET /events streams every transition
 * and wake (with its breakdown) as it happens; POST /services/wake-all wakes in dependency order
 * and POST /services/sleep-all puts dependents to sleep first, each answering per service;
 * POST /idle-check takes the idle decisions now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let api: Backend;
let db: Backend;
let proxy: ProxyHarness;
const frames: { event: string; data: Record<string, unknown> }[] = [];
const reading = new AbortController();
let connected = false;

async function follow(url: string): Promise<void> {
  const res = await fetch(url, { signal: reading.signal });
  connected = res.status === 200;
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1];
      if (event && data) frames.push({ event, data: JSON.parse(data) as Record<string, unknown> });
    }
  }
}

beforeAll(async () => {
  [api, db] = await Promise.all([createBackend({ name: 'wp-bulk-api' }), createBackend({ name: 'wp-bulk-db' })]);
  await Promise.all([backendListening(api.name), backendListening(db.name)]);
  await Promise.all([pauseByHand(api.name), pauseByHand(db.name)]);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: api\n',
    services:
      `services:\n  api:\n    container: ${api.name}\n    port: 8080\n    depends_on: [db]\n    health_check:\n      path: /health\n` +
      `  db:\n    container: ${db.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
    logLevel: 'info',
  });
  follow(`${proxy.adminUrl}/events`).catch(() => undefined);
  await eventually(() => connected);
});

afterAll(async () => {
  reading.abort();
  await proxy?.close();
  await Promise.all([api?.remove(), db?.remove()]);
});

describe('GET /events', () => {
  it('streams the wake of a request with its breakdown, and the transitions', async () => {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const wake = await eventually(
      () => {
        const found = frames.find((f) => f.event === 'wake' && f.data['service'] === 'api');
        if (found === undefined) throw new Error('no wake event yet');
        return found;
      },
      { timeoutMs: 5_000 },
    );
    expect(wake.data).toMatchObject({ from: 'SLEEPING', cause: 'request', held: 1 });
    for (const field of ['providerMs', 'readyMs', 'totalMs', 'probes']) expect(wake.data[field]).toEqual(expect.any(Number));
    expect(frames.some((f) => f.event === 'transition' && f.data['service'] === 'db' && f.data['to'] === 'RUNNING')).toBe(true);
    expect(frames.some((f) => f.event === 'transition' && f.data['service'] === 'api' && f.data['to'] === 'RUNNING')).toBe(true);
  });
});

describe('bulk verbs', () => {
  it('sleep-all puts the dependent to sleep before its dependency and reports both', async () => {
    const res = await fetch(`${proxy.adminUrl}/services/sleep-all`, { method: 'POST' });
    const body = (await res.json()) as { ok: boolean; results: { service: string; outcome: string; state: string }[] };
    expect(res.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.results.map((r) => [r.service, r.outcome, r.state])).toEqual([
      ['api', 'done', 'SLEEPING'],
      ['db', 'done', 'SLEEPING'],
    ]);
    expect(await containerState(api.name)).toBe('paused');
    expect(await containerState(db.name)).toBe('paused');
  });

  it('wake-all wakes the dependency first and both end RUNNING', async () => {
    const before = frames.length;
    const res = await fetch(`${proxy.adminUrl}/services/wake-all`, { method: 'POST' });
    const body = (await res.json()) as { ok: boolean; results: { service: string; outcome: string; state: string }[] };
    expect(body.ok).toBe(true);
    expect(body.results.map((r) => [r.service, r.state])).toEqual([
      ['db', 'RUNNING'],
      ['api', 'RUNNING'],
    ]);
    const running = (): unknown[] =>
      frames.slice(before).filter((f) => f.event === 'transition' && f.data['to'] === 'RUNNING').map((f) => f.data['service']);
    await eventually(() => expect(running()).toEqual(['db', 'api']));
    expect(await containerState(api.name)).toBe('running');
  });

  it('idle-check reports each service decision without sleeping a service still in its idle window', async () => {
    const res = await fetch(`${proxy.adminUrl}/idle-check`, { method: 'POST' });
    const body = (await res.json()) as { results: { service: string; decision: { action: string } }[] };
    expect(body.results.map((r) => r.service).sort()).toEqual(['api', 'db']);
    expect(body.results.find((r) => r.service === 'api')?.decision.action).toBe('wait');
    expect((await proxy.snapshot('api')).state).toBe('RUNNING');
  });
});
