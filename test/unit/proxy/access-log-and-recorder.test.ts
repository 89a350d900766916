import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startUpstream, type TestUpstream } from '../../support/upstream.ts';
import { startProxy, type TestProxy } from './harness.ts';

let upstream: TestUpstream;
let proxy: TestProxy | null = null;

beforeEach(async () => {
  upstream = await startUpstream();
});

afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await upstream.close();
});

describe('the access log and the response recorder', () => {
  it('writes one info line per request with --access-log, naming service, status and wake time', async () => {
    const handle = new FakeServiceHandle('api', upstream.upstream);
    proxy = await startProxy([{ path: '/', service: 'api' }], [handle], {}, { accessLog: true, level: 'info' });
    const pending = fetch(`${proxy.url}/held`);
    await eventually(() => handle.waiting === 1);
    handle.wakeNow();
    const res = await pending;
    await res.arrayBuffer();
    const line = await eventually(() => proxy?.logs.find((l) => l['msg'] === 'request done'));
    expect(line).toMatchObject({ level: 30, method: 'GET', url: '/held', service: 'api', status: 200 });
    expect(line?.['wakeMs']).toEqual(expect.any(Number));
  });

  it('tells the recorder each status, with the code of a refusal', async () => {
    const seen: [string | null, number, string | null][] = [];
    const handle = new FakeServiceHandle('api', upstream.upstream);
    handle.wakeNow();
    const recorder = { response: (service: string | null, status: number, code: string | null) => void seen.push([service, status, code]) };
    proxy = await startProxy([{ path: '/api', service: 'api' }], [handle], {}, { recorder, level: 'info' });
    await (await fetch(`${proxy.url}/api/x`)).arrayBuffer();
    await (await fetch(`${proxy.url}/nowhere`)).arrayBuffer();
    await eventually(() => seen.length === 2);
    expect(seen).toEqual([
      ['api', 200, null],
      [null, 404, 'WP_ROUTE_NOT_FOUND'],
    ]);
    expect(proxy.logs.some((l) => l['msg'] === 'request done')).toBe(false);
  });
});
