/**
 * A restricting Docker API proxy for tests, the way docker-socket-proxy images do it: Debian's
 * HAProxy on 127.0.0.1 (a free port), forwarding to the engine's unix socket only the methods and
 * paths listed in ALLOWED_ENGINE_ENDPOINTS; anything else gets 403. Every request is logged to
 * HAProxy's stdout as `<status> <method> <path>` so a test can prove nothing was refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../eventually.ts';
import { freePort } from '../free-port.ts';

/**
 * The Engine API endpoints wake-proxy uses (README "Deployment" lists the same; an optional
 * `/v1.xx` version prefix is allowed). `{id}` is a container, service or network name or id.
 */
export const ALLOWED_ENGINE_ENDPOINTS = [
  ['GET', '/containers/json'],
  ['GET', '/containers/{id}/json'],
  ['POST', '/containers/{id}/start'],
  ['POST', '/containers/{id}/stop'],
  ['POST', '/containers/{id}/pause'],
  ['POST', '/containers/{id}/unpause'],
  ['GET', '/containers/{id}/stats'],
  ['POST', '/containers/{id}/update'],
  ['POST', '/containers/create'],
  ['DELETE', '/containers/{id}'],
  ['GET', '/images/{id}/json'],
  ['POST', '/images/create'],
  ['POST', '/networks/{id}/connect'],
  ['POST', '/containers/{id}/exec'],
  ['POST', '/exec/{id}/start'],
  ['GET', '/exec/{id}/json'],
  ['GET', '/services/{id}'],
  ['POST', '/services/{id}/update'],
  ['GET', '/tasks'],
  ['GET', '/networks/{id}'],
  ['GET', '/events'],
] as const;

/** One request HAProxy saw. */
export interface SeenRequest {
  readonly status: number;
  readonly method: string;
  readonly path: string;
}

/** A running socket proxy. */
export interface SocketProxy {
  /** DOCKER_HOST form: `tcp://127.0.0.1:<port>`. */
  readonly dockerHost: string;
  readonly url: string;
  seen(): readonly SeenRequest[];
  close(): Promise<void>;
}

function pathRegex(path: string): string {
  return `^(/v[0-9.]+)?${path.replace('{id}', '[a-zA-Z0-9_.-]+')}$`;
}

/** The HAProxy configuration for a listener on 127.0.0.1:port in front of `socket`. */
export function haproxyConfig(port: number, socket: string): string {
  const acls = ALLOWED_ENGINE_ENDPOINTS.map(([method, path], i) => `  acl e${i} path_reg ${pathRegex(path)}\n  acl m${i} method ${method}`);
  // One rule per endpoint: HAProxy reads at most 64 words per line.
  const allow = ALLOWED_ENGINE_ENDPOINTS.map((_, i) => `  http-request allow if m${i} e${i}`).join('\n');
  return `global
  log stdout format raw local0
defaults
  mode http
  log global
  log-format "%ST %HM %HPO"
  timeout connect 5s
  timeout client 10m
  timeout server 10m
frontend engine_api
  bind 127.0.0.1:${port}
${acls.join('\n')}
${allow}
  http-request deny deny_status 403
  default_backend engine
backend engine
  server engine ${socket}
`;
}

/** Starts HAProxy in the foreground (its own child process) and waits until it answers. */
export async function startSocketProxy(socket = '/var/run/docker.sock'): Promise<SocketProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-haproxy-'));
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig(port, socket));
  const child: ChildProcess = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: SeenRequest[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      const match = /^(\d{3}) (\S+) (\S+)/.exec(line.trim());
      if (match) seen.push({ status: Number(match[1]), method: match[2] ?? '', path: match[3] ?? '' });
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${stderr}`);
        const res = await fetch(`${url}/containers/json?limit=1`, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`haproxy answered ${res.status}`);
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  } catch (err) {
    await close();
    throw err;
  }
  return { dockerHost: `tcp://127.0.0.1:${port}`, url, seen: () => seen, close };
}
