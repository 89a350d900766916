import { afterEach, describe, expect, it } from 'vitest';
import { createHttpProbe, describeFailure } from '../../../src/health/http-probe.ts';
import { type LocalServer, refusedUpstream, startHttpServer, startResettingServer } from './local-servers.ts';

const OK_RANGE = { min: 200, max: 399 };
const servers: LocalServer[] = [];

async function serve(status: number, seen: string[] = []): Promise<LocalServer> {
  const server = await startHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers['user-agent']}`);
    res.writeHead(status, { 'content-type': 'text/plain' }).end('x'.repeat(100_000));
  });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('createHttpProbe', () => {
  it('reports ready on HTTP 200 after a GET of the configured path with its own user-agent', async () => {
    const seen: string[] = [];
    const server = await serve(200, seen);
    const probe = createHttpProbe({ path: '/healthz?deep=1', status: OK_RANGE, probeTimeoutMs: 1000 });

    const result = await probe.check(server.upstream, new AbortController().signal);

    expect(result).toEqual({ ready: true, detail: 'HTTP 200' });
    expect(seen).toEqual(['GET /healthz?deep=1 wake-proxy-probe']);
  });

  it('reports not ready with the status when it is outside the range', async () => {
    const server = await serve(503);
    const probe = createHttpProbe({ path: '/', status: OK_RANGE, probeTimeoutMs: 1000 });

    expect(await probe.check(server.upstream, new AbortController().signal)).toEqual({ ready: false, detail: 'HTTP 503' });
  });

  it.each([
    [204, true, { min: 200, max: 299 }],
    [301, false, { min: 200, max: 299 }],
    [401, true, { min: 200, max: 401 }],
    [400, false, { min: 200, max: 399 }],
  ])('treats HTTP %i as ready=%s for range %o', async (status, ready, range) => {
    const server = await serve(status);
    const probe = createHttpProbe({ path: '/', status: range, probeTimeoutMs: 1000 });

    expect(await probe.check(server.upstream, new AbortController().signal)).toEqual({ ready, detail: `HTTP ${status}` });
  });

  it('reports ECONNREFUSED, marked refused, when nothing listens', async () => {
    const probe = createHttpProbe({ path: '/', status: OK_RANGE, probeTimeoutMs: 1000 });

    expect(await probe.check(await refusedUpstream(), new AbortController().signal)).toEqual({
      ready: false,
      detail: 'ECONNREFUSED',
      refused: true,
    });
  });

  it('reports ECONNRESET when the connection is accepted then reset', async () => {
    const server = await startResettingServer();
    servers.push(server);
    const probe = createHttpProbe({ path: '/', status: OK_RANGE, probeTimeoutMs: 1000 });

    expect(await probe.check(server.upstream, new AbortController().signal)).toEqual({ ready: false, detail: 'ECONNRESET' });
  });

  it('reports a timeout when the server never answers', async () => {
    const server = await startHttpServer(() => undefined);
    servers.push(server);
    const probe = createHttpProbe({ path: '/', status: OK_RANGE, probeTimeoutMs: 150 });

    expect(await probe.check(server.upstream, new AbortController().signal)).toEqual({
      ready: false,
      detail: 'timeout after 150 ms',
    });
  });

  it('rejects with the caller signal reason when aborted', async () => {
    const server = await startHttpServer(() => undefined);
    servers.push(server);
    const probe = createHttpProbe({ path: '/', status: OK_RANGE, probeTimeoutMs: 5000 });
    const controller = new AbortController();
    const reason = new Error('client went away');

    const pending = probe.check(server.upstream, controller.signal);
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const probe = createHttpProbe({ path: '/', status: OK_RANGE, probeTimeoutMs: 1000 });
    const reason = new Error('already gone');

    await expect(probe.check({ host: '127.0.0.1', port: 9 }, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('opens a fresh connection for every check', async () => {
    const server = await serve(200);
    const probe = createHttpProbe({ path: '/', status: OK_RANGE, probeTimeoutMs: 1000 });

    for (let i = 0; i < 3; i += 1) await probe.check(server.upstream, new AbortController().signal);

    expect(server.connections()).toBe(3);
  });
});

describe('describeFailure', () => {
  const withCode = (code: string, cause?: unknown): Error => Object.assign(new Error(code, { cause }), { code });

  it.each([
    ['a headers timeout', withCode('UND_ERR_HEADERS_TIMEOUT'), false, 'timeout after 1000 ms'],
    ['a connect timeout', withCode('UND_ERR_CONNECT_TIMEOUT'), false, 'timeout after 1000 ms'],
    ['an aborted request after the probe timeout', new Error('aborted'), true, 'timeout after 1000 ms'],
    ['an errno error', withCode('ECONNREFUSED'), false, 'ECONNREFUSED'],
    ['a socket error caused by a reset', withCode('UND_ERR_SOCKET', withCode('ECONNRESET')), false, 'ECONNRESET'],
    ['a socket closed by the other side', withCode('UND_ERR_SOCKET'), false, 'ECONNRESET'],
    ['an error without code', new Error('weird'), false, 'weird'],
  ])('describes %s', (_name, err, timedOut, detail) => {
    expect(describeFailure(err, timedOut, 1000)).toBe(detail);
  });
});
