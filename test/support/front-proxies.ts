/**
 * Real front proxies from Debian's packages (nginx-light, caddy), started by a test on loopback
 * with the forward-auth examples shipped in deploy/forward-auth/, so the examples are what is
 * tested. Each runs in its own temporary prefix and is killed by close().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';

const EXAMPLES = join(import.meta.dirname, '../../deploy/forward-auth');

/** A running front proxy. */
export interface FrontProxy {
  readonly url: string;
  /** What the process wrote, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** Where the example's placeholders point. */
export interface FrontProxyTargets {
  /** `host:port` of wake-proxy's forward-auth listener. */
  readonly wakeProxyAuth: string;
  /** `host:port` of the service itself. */
  readonly app: string;
}

async function example(name: string, targets: FrontProxyTargets): Promise<string> {
  const text = await readFile(join(EXAMPLES, name), 'utf8');
  return text.replaceAll('WAKE_PROXY_AUTH', targets.wakeProxyAuth).replaceAll('APP', targets.app);
}

async function launch(command: string, args: readonly string[], dir: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<FrontProxy> {
  const child: ChildProcess = spawn(command, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const front: FrontProxy = {
    url,
    output: () => output,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${command} exited: ${output}`);
        // A TCP connect only: a request would already go through the wake check.
        await new Promise<void>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve();
          });
          socket.once('error', reject);
        });
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  } catch (err) {
    await front.close();
    throw err;
  }
  return front;
}

/** Starts nginx with deploy/forward-auth/nginx.conf on a free loopback port. */
export async function startNginx(targets: FrontProxyTargets): Promise<FrontProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-nginx-'));
  const port = await freePort();
  const server = (await example('nginx.conf', targets)).replace('listen 8000;', `listen 127.0.0.1:${port};`);
  const conf = [
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, t)};`),
    server,
    '}',
  ].join('\n');
  await writeFile(join(dir, 'nginx.conf'), conf);
  return launch('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], dir, port);
}

/** Starts Caddy with deploy/forward-auth/Caddyfile on a free loopback port. */
export async function startCaddy(targets: FrontProxyTargets): Promise<FrontProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-caddy-'));
  const port = await freePort();
  const site = (await example('Caddyfile', targets)).replace(':8000 {', `http://127.0.0.1:${port} {`);
  await writeFile(join(dir, 'Caddyfile'), `{\n\tadmin off\n\tauto_https off\n}\n${site}`);
  return launch('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], dir, port, {
    HOME: dir,
    XDG_DATA_HOME: dir,
    XDG_CONFIG_HOME: dir,
  });
}
