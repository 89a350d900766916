/** The parent side of bare-forwarder.ts: spawn it on the proxy's Node flags, wait for its port, stop it. */
import { join } from 'node:path';
import { PROXY_NODE_FLAGS, proxyEnv } from './proxy-child.ts';
import { spawnWrapped } from './spawn-wrapped.ts';
import { stopProcess } from './stop-process.ts';

/** A running bare forwarder. */
export interface BareForwarder {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/** How the forwarder runs: under a wrapper command (callgrind.ts), and how long it may take to start. */
export interface BareForwarderOptions {
  readonly wrapper?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/** Starts the `flavour` forwarder in front of `upstream` (`ip:port`). */
export async function startBareForwarder(flavour: 'dispatch' | 'stream', upstream: string, options: BareForwarderOptions = {}): Promise<BareForwarder> {
  const entry = join(import.meta.dirname, 'bare-forwarder.ts');
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const child = spawnWrapped(options.wrapper ?? [], process.execPath, [...PROXY_NODE_FLAGS, entry, flavour, upstream], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...proxyEnv() },
  });
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= stopProcess(child, () => child.disconnect()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare ${flavour} forwarder did not start within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.once('message', (message: { type?: string; port?: number }) => {
      clearTimeout(timer);
      if (message.type === 'ready' && typeof message.port === 'number') resolve(message.port);
      else reject(new Error(`bare ${flavour} forwarder sent ${JSON.stringify(message)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bare ${flavour} forwarder exited (code ${code})`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { pid: child.pid ?? 0, port, stop };
}
