/**
 * The benchmark's HTTP client: one GET that reads the whole body, and a tight poll that retries
 * a GET on a fresh connection until it gets a 200.
 *
 * Policy: every attempt has a short connect deadline (a stopped container's old address does not
 * refuse, it hangs) and a response deadline; every poll has an overall deadline. Nothing here
 * waits without one.
 */
import http from 'node:http';

/** Where to send a GET. */
export interface Target {
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

/** Deadlines of one GET. */
export interface GetOptions {
  /** Keep-alive agent, or false for a fresh connection closed after the response. */
  readonly agent: http.Agent | false;
  readonly connectTimeoutMs?: number;
  readonly responseTimeoutMs?: number;
}

/** Status and body size of a completed GET. */
export interface GetResult {
  readonly status: number;
  readonly bytes: number;
}

/** One GET that resolves once the whole body has arrived; rejects on error or deadline. */
export function getOnce(target: Target, options: GetOptions): Promise<GetResult> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.host, port: target.port, path: target.path, agent: options.agent });
    const fail = (err: Error): void => {
      clearTimeout(responseTimer);
      req.destroy(err);
      reject(err);
    };
    const responseTimer = setTimeout(() => fail(new Error('response deadline')), options.responseTimeoutMs ?? 10_000);
    req.once('socket', (socket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(() => fail(new Error('connect deadline')), options.connectTimeoutMs ?? 1_000);
      socket.once('connect', () => clearTimeout(connectTimer));
      socket.once('close', () => clearTimeout(connectTimer));
    });
    req.once('error', (err) => {
      clearTimeout(responseTimer);
      reject(err);
    });
    req.once('response', (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.once('end', () => {
        clearTimeout(responseTimer);
        resolve({ status: res.statusCode ?? 0, bytes });
      });
      res.once('error', fail);
    });
    req.end();
  });
}

/** Options of pollUntilOk. */
export interface PollOptions {
  readonly deadlineMs: number;
  readonly connectTimeoutMs?: number;
  /** Pause between failed attempts; 0 retries on the next turn of the event loop. */
  readonly gapMs?: number;
}

/** Retries a GET on fresh connections until a 200; resolves with the attempt count. */
export async function pollUntilOk(target: Target, options: PollOptions): Promise<number> {
  const deadline = performance.now() + options.deadlineMs;
  let attempts = 0;
  let last: unknown = null;
  while (performance.now() < deadline) {
    attempts += 1;
    try {
      const result = await getOnce(target, {
        agent: false,
        connectTimeoutMs: options.connectTimeoutMs ?? 50,
        responseTimeoutMs: Math.max(1, deadline - performance.now()),
      });
      if (result.status === 200) return attempts;
      last = new Error(`HTTP ${result.status}`);
    } catch (err) {
      last = err;
    }
    await new Promise<void>((resolve) => (options.gapMs ? setTimeout(resolve, options.gapMs) : setImmediate(resolve)));
  }
  throw new Error(`no 200 from ${target.host}:${target.port}${target.path} within ${options.deadlineMs} ms after ${attempts} attempts (last: ${String(last)})`);
}
