/**
 * The CLI, run as a user runs it (a child process on the pinned Node, straight from src/main.ts):
 * `validate` on a broken services.yml exits 1 and prints each problem as file:line:col plus the
 * field path; `serve` with the same file exits 1 without ever listening; valid files pass.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, '../../src/main.ts');
const ROUTES = 'routes:\n  - path: /api\n    service: api\n';
const BROKEN_SERVICES = `services:
  api:
    container: demo-api
    port: eighty
    sleep_policy:
      idle_timeout: 5 minutes
`;
const VALID_SERVICES = 'services:\n  api:\n    container: demo-api\n    port: 8080\n';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wake-proxy-cli-'));
  await writeFile(join(dir, 'routes.yml'), ROUTES);
  await writeFile(join(dir, 'broken.services.yml'), BROKEN_SERVICES);
  await writeFile(join(dir, 'services.yml'), VALID_SERVICES);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node src/main.ts …args` with the Node running the tests (the pinned Node 24). */
function runCli(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, LOG_LEVEL: 'info' };
    execFile(process.execPath, [MAIN, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('wake-proxy validate', () => {
  it('exits 1 and prints every problem with its file, line, column and field', async () => {
    const broken = join(dir, 'broken.services.yml');
    const run = await runCli(['validate', '--routes', join(dir, 'routes.yml'), '--services', broken]);

    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/broken\.services\.yml:4:11 services\.api\.port: expected a number, got "eighty"$/),
      expect.stringMatching(/broken\.services\.yml:6:21 services\.api\.sleep_policy\.idle_timeout: expected a duration/),
    ]);
  });

  it('exits 0 on valid files', async () => {
    const run = await runCli(['validate', '--routes', join(dir, 'routes.yml'), '--services', join(dir, 'services.yml')]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('are valid: 1 routes, 1 services');
    expect(run.stderr).toBe('');
  });
});

describe('wake-proxy serve', () => {
  it('exits 1 on a broken file without listening', async () => {
    const port = await freePort();
    const broken = join(dir, 'broken.services.yml');
    const args = ['serve', '--routes', join(dir, 'routes.yml'), '--services', broken];
    const run = await runCli([...args, '--host', '127.0.0.1', '--port', String(port), '--admin-port', '0']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\.services\.yml:4:11 services\.api\.port: /);
    expect(run.stdout).not.toContain('wake-proxy listening');
    expect(run.stdout).toContain('"msg":"invalid configuration"');
    expect(await refusesConnections(port)).toBe(true);
  });
});
