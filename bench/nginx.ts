/**
 * nginx as the native reference proxy: a minimal config in a temporary directory (upstream
 * keep-alive to the same backend, no access log), run in the foreground as a child on a free
 * loopback port, killed after.
 *
 * Policy: one worker process by default (BENCH_NGINX_WORKERS), because wake-proxy forwards on one
 * Node thread: the ratio then compares one core with one core.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntilOk } from './http-client.ts';
import { spawnWrapped } from './spawn-wrapped.ts';
import { stopProcess } from './stop-process.ts';
import { freePort } from '../test/support/free-port.ts';

/** A running nginx. */
export interface NginxProcess {
  /** The master process; its workers are its children. */
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/** The nginx.conf text: `dir` holds pid, logs and temp paths. */
export function renderNginxConf(options: { dir: string; port: number; upstream: string; workers: number }): string {
  const { dir } = options;
  return `worker_processes ${options.workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  upstream backend { server ${options.upstream}; keepalive 128; }
  server {
    listen 127.0.0.1:${options.port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** How nginx runs: under a wrapper command, as one process that serves itself (callgrind.ts). */
export interface NginxRunOptions {
  readonly wrapper?: readonly string[];
  readonly readyDeadlineMs?: number;
}

/**
 * Starts nginx in front of `upstream` (`ip:port`) and waits until it answers 200 on `/`. Under a
 * wrapper it runs with `master_process off`: one process accepts and forwards, so the wrapper's
 * pid is the one doing the work.
 */
export async function startNginx(binary: string, upstream: string, workers: number, options: NginxRunOptions = {}): Promise<NginxProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-bench-nginx-'));
  await mkdir(join(dir, 'tmp'));
  const port = await freePort();
  await writeFile(join(dir, 'nginx.conf'), renderNginxConf({ dir, port, upstream, workers }));
  const wrapper = options.wrapper ?? [];
  const globals = wrapper.length === 0 ? 'daemon off;' : 'daemon off; master_process off;';
  const child = spawnWrapped(wrapper, binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', globals], { stdio: ['ignore', 'ignore', 'inherit'] });
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= stopProcess(child, () => child.kill('SIGQUIT')).then(() => rm(dir, { recursive: true, force: true })));
  try {
    await pollUntilOk({ host: '127.0.0.1', port, path: '/' }, { deadlineMs: options.readyDeadlineMs ?? 10_000, gapMs: 20 });
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid ?? 0, port, stop };
}
