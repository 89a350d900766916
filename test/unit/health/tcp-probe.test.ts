import { afterEach, describe, expect, it } from 'vitest';
import { createTcpProbe } from '../../../src/health/tcp-probe.ts';
import { type LocalServer, refusedUpstream, startHttpServer } from './local-servers.ts';

const servers: LocalServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('createTcpProbe', () => {
  it('reports ready when the port accepts a connection', async () => {
    const server = await startHttpServer(() => undefined);
    servers.push(server);

    const result = await createTcpProbe({ probeTimeoutMs: 1000 }).check(server.upstream, new AbortController().signal);

    expect(result).toEqual({ ready: true, detail: 'connected' });
    expect(server.connections()).toBe(1);
  });

  it('reports ECONNREFUSED, marked refused, when nothing listens', async () => {
    const result = await createTcpProbe({ probeTimeoutMs: 1000 }).check(await refusedUpstream(), new AbortController().signal);

    expect(result).toEqual({ ready: false, detail: 'ECONNREFUSED', refused: true });
  });

  it('rejects with the signal reason when already aborted', async () => {
    const reason = new Error('stop');

    await expect(createTcpProbe({ probeTimeoutMs: 1000 }).check({ host: '127.0.0.1', port: 9 }, AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
  });
});
