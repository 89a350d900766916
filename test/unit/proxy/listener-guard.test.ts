import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BadRequestPathError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { guardRequestListener, type RequestListener } from '../../../src/proxy/listener-guard.ts';

const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  }),
});
let server: http.Server | null = null;

afterEach(async () => {
  lines.length = 0;
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

async function serve(listener: RequestListener): Promise<string> {
  server = http.createServer(guardRequestListener(listener, logger));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('guardRequestListener', () => {
  it('answers 500 WP_INTERNAL when the listener throws, and logs it once', async () => {
    const url = await serve(() => {
      throw new URIError('URI malformed');
    });
    const res = await fetch(`${url}/x`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'WP_INTERNAL', detail: 'internal error' });
    expect(lines.filter((l) => l['msg'] === 'request handler failed')).toHaveLength(1);
  });

  it('maps a known error from a rejected promise to its status', async () => {
    const url = await serve(async () => {
      await Promise.resolve();
      throw new BadRequestPathError('malformed percent escape');
    });
    const res = await fetch(`${url}/x`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'WP_BAD_REQUEST_PATH' });
  });

  it('cuts the connection when the listener throws after the headers went out', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('12345');
      throw new Error('boom');
    });
    await expect(fetch(`${url}/x`).then((res) => res.text())).rejects.toThrow();
    expect(lines.filter((l) => l['msg'] === 'request handler failed')).toHaveLength(1);
  });
});
