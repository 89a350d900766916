/**
 * Issue 10 (items 1 and 6): nothing a client sends can take the proxy down or wake a service by
 * mistake. A spawned wake-proxy in front of a real backend gets a table of malformed requests on
 * raw sockets; each case names its status and whether the backend saw it. The admin port gets the
 * escapes that used to throw a URIError out of the process. The process must still run after all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, backendStats, containerReaches, pauseByHand } from '../support/proxy-harness.ts';
import { rawRequest } from '../support/raw-http.ts';
import { spawnProxy, type SpawnedProxy } from '../support/spawned-proxy.ts';

let backend: Backend;
let proxy: SpawnedProxy;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-malformed' });
  await backendListening(backend.name);
  proxy = await spawnProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

const CLOSE = 'Connection: close\r\n';

/** [name, raw request, expected status, does the backend see it] */
const TABLE: readonly (readonly [string, string, number, boolean])[] = [
  ['Host with an unclosed bracket', `GET / HTTP/1.1\r\nHost: [::1\r\n${CLOSE}\r\n`, 400, false],
  ['two Host headers', `GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n${CLOSE}\r\n`, 400, false],
  ['a Host with a space', `GET / HTTP/1.1\r\nHost: a b\r\n${CLOSE}\r\n`, 400, false],
  ['a Host with userinfo', `GET / HTTP/1.1\r\nHost: user@a\r\n${CLOSE}\r\n`, 400, false],
  ['HTTP/1.1 without Host', `GET / HTTP/1.1\r\n${CLOSE}\r\n`, 400, false],
  ['a request line without a version (HTTP/0.9)', 'GET /x\r\n\r\n', 505, false],
  ['an HTTP/2.0 text request line', `GET /x HTTP/2.0\r\nHost: a\r\n${CLOSE}\r\n`, 505, false],
  ['a malformed escape', `GET /%zz HTTP/1.1\r\nHost: a\r\n${CLOSE}\r\n`, 400, false],
  ['a truncated UTF-8 escape', `GET /%E0%A4%A HTTP/1.1\r\nHost: a\r\n${CLOSE}\r\n`, 400, false],
  ['a dot segment', `GET /a/../b HTTP/1.1\r\nHost: a\r\n${CLOSE}\r\n`, 400, false],
  ['an encoded slash', `GET /a%2Fb HTTP/1.1\r\nHost: a\r\n${CLOSE}\r\n`, 400, false],
  ['an absolute-form target', `GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n${CLOSE}\r\n`, 400, false],
  ['Content-Length with Transfer-Encoding', `POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n${CLOSE}\r\n0\r\n\r\n`, 400, false],
  ['a control byte in a header', `GET / HTTP/1.1\r\nHost: a\r\nX-Bad: a\u0001b\r\n${CLOSE}\r\n`, 400, false],
  ['headers over 16 KiB', `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(20_000)}\r\n${CLOSE}\r\n`, 431, false],
  ['a well-formed request', `GET / HTTP/1.1\r\nHost: a\r\n${CLOSE}\r\n`, 200, true],
  ['HTTP/1.0 without Host', 'GET /echo HTTP/1.0\r\n\r\n', 200, true],
  ['Connection naming Host', `GET /echo HTTP/1.1\r\nHost: app.test\r\nConnection: host, close\r\n\r\n`, 200, true],
];

describe('malformed requests', () => {
  it('refuses Host and version errors before any wake: a paused service stays paused', async () => {
    await pauseByHand(backend.name);
    for (const [name, request, status, seen] of TABLE) {
      if (seen) continue;
      const res = await rawRequest(proxy.port, request);
      expect.soft(res.status, name).toBe(status);
    }
    expect(await containerState(backend.name)).toBe('paused');
    expect(proxy.alive()).toBe(true);
  });

  const cases = TABLE.map(([name, request, status, seen]) => ({ name, request, status, seen }));
  it.each(cases)('$name: status $status, backend sees it: $seen', async ({ request, status, seen }) => {
    const ok = await rawRequest(proxy.port, `GET / HTTP/1.1\r\nHost: a\r\n${CLOSE}\r\n`);
    expect(ok.status).toBe(200);
    await containerReaches(backend.name, 'running');
    const before = (await backendStats(backend.name)).requests;
    const res = await rawRequest(proxy.port, request);
    expect(res.status).toBe(status);
    if (status >= 400 && res.text.includes('application/problem+json')) {
      expect(JSON.parse(res.body)).toMatchObject({ status });
    }
    const after = (await backendStats(backend.name)).requests;
    expect(after - before).toBe(seen ? 1 : 0);
    expect(proxy.alive()).toBe(true);
  });

  it('sends a sane Host upstream: the client address for HTTP/1.0 without Host, the client Host when Connection names it', async () => {
    const hostOf = (body: string): string =>
      (JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1)) as { headers: { host: string } }).headers.host;
    const bare = await rawRequest(proxy.port, 'GET /echo HTTP/1.0\r\n\r\n');
    expect(hostOf(bare.body)).toBe(`127.0.0.1:${proxy.port}`);
    const listed = await rawRequest(proxy.port, 'GET /echo HTTP/1.1\r\nHost: app.test\r\nConnection: host, close\r\n\r\n');
    expect(hostOf(listed.body)).toBe('app.test');
  });

  it.each([
    ['GET', '/services/%zz'],
    ['GET', '/services/%E0%A4%A'],
    ['POST', '/services/%/wake'],
    ['POST', '/services/%E0%A4/sleep'],
  ])('admin %s %s answers 400 and the process lives on', async (method, path) => {
    const res = await rawRequest(proxy.adminPort, `${method} ${path} HTTP/1.1\r\nHost: admin\r\n${CLOSE}\r\n`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'WP_BAD_REQUEST_PATH' });
    expect(proxy.alive()).toBe(true);
    const health = await fetch(`${proxy.adminUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it('kept running through every case and logged no handler failure', async () => {
    await eventually(() => proxy.alive());
    expect(proxy.logsWith('request handler failed')).toEqual([]);
  });
});
