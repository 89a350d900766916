/**
 * The relay between undici and the client's response, through a real proxy in front of a real
 * node:http upstream: backpressure both ways (a client that stops reading stops the upstream; a
 * client that reads again gets every byte), and a client that leaves mid-body closes the
 * upstream exchange.
 */
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startProxy, type TestProxy } from './harness.ts';

const CHUNK = Buffer.alloc(1 << 20, 0x61);
const TOTAL_CHUNKS = 64;

/** An upstream that writes TOTAL_CHUNKS MiB honouring backpressure, and reports where it is. */
interface BigUpstream {
  readonly port: number;
  readonly progress: { written: number; waitingForDrain: boolean; finished: boolean; closedEarly: boolean; drainWaits: number };
  close(): Promise<void>;
}

async function startBigUpstream(): Promise<BigUpstream> {
  const progress = { written: 0, waitingForDrain: false, finished: false, closedEarly: false, drainWaits: 0 };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(CHUNK.length * TOTAL_CHUNKS) });
    res.on('close', () => {
      if (!res.writableFinished) progress.closedEarly = true;
    });
    const pump = (): void => {
      progress.waitingForDrain = false;
      while (progress.written < TOTAL_CHUNKS) {
        progress.written += 1;
        if (!res.write(CHUNK)) {
          progress.waitingForDrain = true;
          progress.drainWaits += 1;
          res.once('drain', pump);
          return;
        }
      }
      res.end(() => {
        progress.finished = true;
      });
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    progress,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function get(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/big', agent: false }, resolve);
    req.on('error', reject);
  });
}

/** Resolves once `read()` has returned the same value `times` polls in a row, 50 ms apart. */
async function settledValue(read: () => number, times: number): Promise<number> {
  let last = read();
  let same = 0;
  await eventually(() => {
    const now = read();
    same = now === last ? same + 1 : 0;
    last = now;
    return same >= times;
  }, { timeoutMs: 20_000, intervalMs: 50 });
  return last;
}

let upstream: BigUpstream | null = null;
let proxy: TestProxy | null = null;

afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
  proxy = null;
  upstream = null;
});

async function proxyToBigUpstream(): Promise<TestProxy> {
  upstream = await startBigUpstream();
  const handle = new FakeServiceHandle('big', { host: '127.0.0.1', port: upstream.port });
  handle.wakeNow();
  proxy = await startProxy([{ path: '/', service: 'big' }], [handle]);
  return proxy;
}

describe('the response relay', () => {
  it('stops the upstream while the client does not read, and delivers every byte once it does', async () => {
    const { port } = await proxyToBigUpstream();
    const res = await get(port);
    res.pause();
    const progress = upstream?.progress;
    if (progress === undefined) throw new Error('no upstream');
    // Without backpressure the proxy would buffer all 64 MiB and the upstream would finish.
    const stalledAt = await settledValue(() => progress.written, 10);
    expect(progress.waitingForDrain).toBe(true);
    expect(progress.finished).toBe(false);
    expect(stalledAt).toBeLessThan(TOTAL_CHUNKS / 2);
    let received = 0;
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    const ended = new Promise<void>((resolve) => res.on('end', resolve));
    res.resume();
    await ended;
    expect(received).toBe(CHUNK.length * TOTAL_CHUNKS);
    await eventually(() => progress.finished);
  });

  it('closes the upstream exchange when the client leaves in the middle of the body', async () => {
    const { port, logs } = await proxyToBigUpstream();
    const res = await get(port);
    res.pause();
    const progress = upstream?.progress;
    if (progress === undefined) throw new Error('no upstream');
    await eventually(() => progress.waitingForDrain);
    res.destroy();
    await eventually(() => progress.closedEarly);
    expect(progress.finished).toBe(false);
    // A client that left is not an upstream failure: nothing is logged as one.
    expect(logs.some((l) => l['code'] === 'WP_UPSTREAM_UNREACHABLE')).toBe(false);
  });
});
