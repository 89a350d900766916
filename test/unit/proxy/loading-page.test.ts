import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WakeTimeoutError } from '../../../src/errors.ts';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startUpstream, type TestUpstream } from '../../support/upstream.ts';
import { startProxy, type TestProxy } from './harness.ts';

const BROWSER = 'text/html,application/xhtml+xml,*/*;q=0.8';
let upstream: TestUpstream;
let proxy: TestProxy | null = null;
let handle: FakeServiceHandle;

beforeEach(async () => {
  upstream = await startUpstream();
  handle = new FakeServiceHandle('api', upstream.upstream, { loading_page: { after: '50ms' } });
  proxy = await startProxy([{ path: '/', service: 'api' }], [handle]);
});

afterEach(async () => {
  handle.wakeNow();
  await proxy?.close();
  proxy = null;
  await upstream.close();
});

async function readUntil(reader: ReadableStreamDefaultReader<string>, text: string): Promise<string> {
  let seen = '';
  while (!seen.includes(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  return seen;
}

describe('the loading page', () => {
  it('answers a browser navigation still held after `after`, then tells it to reload when ready', async () => {
    const res = await fetch(`${proxy?.url}/dashboard`, { headers: { accept: BROWSER } });
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    const start = await readUntil(reader, '<script>p("ready"');
    expect(start).toContain('<title>Starting api…</title>');
    handle.wakeNow();
    const rest = await readUntil(reader, '</html>');
    expect(rest).toContain('<script>done(true)</script>');
    expect(upstream.hits()).toBe(0);
    expect(proxy?.logs.some((l) => l['msg'] === 'loading page shown')).toBe(true);
  });

  it('says what failed and when it retries', async () => {
    const res = await fetch(`${proxy?.url}/dashboard`, { headers: { accept: BROWSER } });
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    await readUntil(reader, '<title>');
    handle.failWake(new WakeTimeoutError({ service: 'api', step: 'ready', waitedMs: 30_000 }));
    expect(await readUntil(reader, '</html>')).toMatch(/done\(false,".*not ready.*",\d+\)/);
  });

  it('never stands in for an API client: it is held and forwarded', async () => {
    const pending = fetch(`${proxy?.url}/items`);
    await eventually(() => handle.waiting === 1);
    handle.wakeNow();
    const res = await pending;
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(upstream.hits()).toBe(1);
    expect(proxy?.logs.some((l) => l['msg'] === 'loading page shown')).toBe(false);
  });
});
