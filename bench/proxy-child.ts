/**
 * The parent side of the proxy child process: spawn it on the running Node (24, type stripping),
 * wait for it to listen, ask it for its provider call counts, read its RSS, end it.
 *
 * Policy: every wait is bounded; close() asks politely over IPC, then SIGKILLs after 5 s, and is
 * safe to call twice (the cleanup stack calls it again on failure paths).
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isProxyChildMessage, type ChildMemory, type ProviderCallCounts, type ProxyChildMessage } from './proxy-protocol.ts';
import { readRssMb } from './rss.ts';
import { spawnWrapped } from './spawn-wrapped.ts';
import { stopProcess } from './stop-process.ts';
import { firstExisting } from './tools.ts';

/** The TypeScript entry of the proxy child, run with Node's type stripping. */
export const PROXY_SOURCE_ENTRY = join(import.meta.dirname, 'proxy-process.ts');

/** A started proxy child. */
export interface ProxyChild {
  readonly pid: number;
  readonly port: number;
  readonly adminPort: number;
  /** Spawn → first 'ready' message, in ms. */
  readonly startupMs: number;
  counts(): Promise<ProviderCallCounts>;
  /** The child's memory as it sees it (after a full GC if it runs with --expose-gc). */
  memory(): Promise<ChildMemory>;
  rssMb(): number;
  close(): Promise<void>;
}

/** How to start the proxy child. */
export interface ProxyChildOptions {
  /** The child's entry: bench/proxy-process.ts, or its compiled .js (proxy-build.ts). */
  readonly entry: string;
  readonly routesPath: string;
  readonly servicesPath: string;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  readonly execArgv?: readonly string[];
  readonly readyTimeoutMs?: number;
  /** Extra environment variables, e.g. BENCH_PROXY_LOG_LEVEL. */
  readonly env?: Readonly<Record<string, string>>;
  /** A command the child runs under, e.g. valgrind (callgrind.ts); its pid is the child's. */
  readonly wrapper?: readonly string[];
}

function nextMessage<T extends ProxyChildMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ProxyChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`proxy child sent no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown): void => {
      if (!isProxyChildMessage(message)) return;
      if (message.type === 'failed') finish(new Error(`proxy child failed: ${message.message}`));
      else if (message.type === type) finish(null, message as Extract<ProxyChildMessage, { type: T }>);
    };
    const onExit = (code: number | null): void => finish(new Error(`proxy child exited (code ${code}) before '${type}'`));
    function finish(err: Error | null, message?: Extract<ProxyChildMessage, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err === null && message !== undefined) resolve(message);
      else reject(err ?? new Error('no message'));
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return stopProcess(child, () => {
    if (child.connected) child.send({ type: 'close' });
    else child.kill('SIGTERM');
  });
}

/**
 * The Node flags wake-proxy runs with: `npm start` and the Dockerfile pass the same ones (a unit
 * test checks it).
 * - `--max-semi-space-size=2`: a 2 MB young generation instead of V8's default 16 MB keeps the
 *   resident size under load about 120 MB lower at the same throughput (wrk, 50 connections).
 * - `--no-concurrent-recompilation`: TurboFan compiles on the main thread instead of V8's worker
 *   threads, whose glibc arenas kept the compiler's freed memory for good: 500 services idled at
 *   85 MB instead of 107–117, and steady load left +12–13 MB instead of +30–32, at the same CPU
 *   per request (issue 12, measured side by side). Start-up with 500 services takes
 *   ~0.8 s instead of ~0.6.
 */
export const PROXY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--no-concurrent-recompilation'];

/**
 * The environment wake-proxy runs with (npm start and the Dockerfile set the same; a unit test
 * checks it): glibc's trim and mmap thresholds fixed at their defaults (128 KiB). Left alone,
 * glibc raises both each time a large block is freed (up to 32 and 64 MiB), and then keeps that
 * much free memory at the top of its heap for good; the main heap grew from 4 to 22 MB over a
 * burst of 1,000 connections and a steady load, and stayed. Fixed, the steady load left +10–11 MB
 * instead of +14 (+20 instead of +28–31 after such a burst), measured side by side (issue 12).
 */
export const PROXY_NODE_ENV: Readonly<Record<string, string>> = {
  MALLOC_TRIM_THRESHOLD_: '131072',
  MALLOC_MMAP_THRESHOLD_: '131072',
  // jemalloc's (ignored without it): one arena and no thread caches (the proxy allocates on one
  // thread; idle as small as glibc's), free pages given back after 1 s.
  MALLOC_CONF: 'narenas:1,tcache:false,dirty_decay_ms:1000,muzzy_decay_ms:0',
};

/**
 * Where jemalloc is looked for, in this order (scripts/start.sh looks in the same places; a unit
 * test checks it). Preloaded when found, it replaces glibc's malloc: glibc keeps the free pages
 * inside its main heap that a burst or a load left, and only malloc_trim(), which Node never
 * calls, would give them back; jemalloc gives back free pages wherever they are, after
 * dirty_decay_ms. Side by side (issue 12), after a burst of 1,000 held requests and a steady
 * load, 10 s later: glibc +21 and +31 MB over idle, jemalloc +13 and +13 MB, idle and CPU per
 * request the same.
 */
export const JEMALLOC_PATHS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
];

/** The first of JEMALLOC_PATHS that exists, or null. */
export function jemallocPath(): string | null {
  return firstExisting(JEMALLOC_PATHS);
}

/** PROXY_NODE_ENV plus LD_PRELOAD of jemalloc when it is installed, as scripts/start.sh sets it. */
export function proxyEnv(): Record<string, string> {
  const jemalloc = jemallocPath();
  return jemalloc === null ? { ...PROXY_NODE_ENV } : { ...PROXY_NODE_ENV, LD_PRELOAD: jemalloc };
}

/** Spawns the proxy process and resolves once it listens. */
export async function startProxyChild(options: ProxyChildOptions): Promise<ProxyChild> {
  const startedAt = performance.now();
  const args = [...PROXY_NODE_FLAGS, ...(options.execArgv ?? []), options.entry, options.routesPath, options.servicesPath];
  const child = spawnWrapped(options.wrapper ?? [], process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...proxyEnv(), ...options.env },
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= stopChild(child));
  try {
    const ready = await nextMessage(child, 'ready', options.readyTimeoutMs ?? 30_000);
    const startupMs = performance.now() - startedAt;
    const pid = child.pid ?? 0;
    return {
      pid,
      port: ready.port,
      adminPort: ready.adminPort,
      startupMs,
      counts: async () => {
        const reply = nextMessage(child, 'counts', 5_000);
        child.send({ type: 'counts' });
        return (await reply).counts;
      },
      memory: async () => {
        const reply = nextMessage(child, 'memory', 5_000);
        child.send({ type: 'memory' });
        return (await reply).memory;
      },
      rssMb: () => readRssMb(pid),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
