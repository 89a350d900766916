/**
 * A real redis-server (Debian's package, installed by scripts/ensure-docker.sh) on a free loopback
 * port, without persistence, owned by the test: started, stopped and started again on the same
 * port (an outage), and asked for its command counts (INFO commandstats).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';

/** Commands the measuring connection itself sends (connect handshake, INFO). */
const MEASURING_COMMANDS: ReadonlySet<string> = new Set(['info', 'hello', 'client|setinfo', 'client|setname', 'select']);

/** A redis-server the test controls. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>/0`, for `--state`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and waits for its exit; it can be started again. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers. */
  start(): Promise<void>;
  /** Commands served so far, per command (INFO commandstats), the measuring connection's own excluded. */
  commandCounts(): Promise<Record<string, number>>;
  /** Stops it for good; safe to call twice. */
  close(): Promise<void>;
}

async function ping(port: number): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

/** Starts redis-server on a free 127.0.0.1 port and waits until it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const start = async (): Promise<void> => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    child = proc;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await eventually(() => ping(port), { timeoutMs: 10_000, intervalMs: 50 });
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    if (proc === null) return;
    child = null;
    proc.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop,
    start,
    close: stop,
    async commandCounts() {
      const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
      try {
        const text = await client.info('commandstats');
        const counts: Record<string, number> = {};
        for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
          if (!MEASURING_COMMANDS.has(m[1] ?? '')) counts[m[1] ?? ''] = Number(m[2]);
        }
        return counts;
      } finally {
        client.disconnect();
      }
    },
  };
}
