/**
 * The image's HEALTHCHECK script (scripts/container-healthcheck.sh), run with bash against real
 * listeners on 127.0.0.1: it follows ADMIN_PORT, wants a 200 from /healthz, and with the admin
 * API off (ADMIN_PORT=0) checks that the proxy port accepts connections.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../scripts/container-healthcheck.sh');
const servers: Server[] = [];

async function listen(status: number): Promise<number> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? status : 404).end('{}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const port = await listen(200);
  await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
  return port;
}

function check(env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, timeout: 5_000 }, (err) =>
      resolve(err ? Number((err as { code?: number }).code ?? 1) : 0),
    );
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe('container-healthcheck.sh', () => {
  it('is healthy when /healthz on ADMIN_PORT answers 200', async () => {
    expect(await check({ ADMIN_PORT: String(await listen(200)) })).toBe(0);
  });

  it('is unhealthy while /healthz answers 503 (shutting down)', async () => {
    expect(await check({ ADMIN_PORT: String(await listen(503)) })).not.toBe(0);
  });

  it('is unhealthy when nothing listens on ADMIN_PORT', async () => {
    expect(await check({ ADMIN_PORT: String(await closedPort()) })).not.toBe(0);
  });

  it('asks 127.0.0.1 when the admin API listens on all interfaces', async () => {
    expect(await check({ ADMIN_PORT: String(await listen(200)), ADMIN_HOST: '0.0.0.0' })).toBe(0);
  });

  it('checks the proxy port when the admin API is off', async () => {
    expect(await check({ ADMIN_PORT: '0', PORT: String(await listen(404)) })).toBe(0);
    expect(await check({ ADMIN_PORT: '0', PORT: String(await closedPort()) })).not.toBe(0);
  });
});
