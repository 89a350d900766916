/**
 * Figure 6c: user-space instructions per request, counted by callgrind (callgrind.ts), for
 * wake-proxy, the bare undici dispatch forwarder and nginx, each in front of the same running
 * backend. Figure 6a's CPU time per request swings by tens of % between rounds on this shared
 * machine and counts the kernel and cache misses; these counts leave both out, so they say how
 * much work the proxy's user space does beside the bare forwarder's. They still move with JIT
 * and GC timing (up to 20 % for one target between runs here): compare targets of one run.
 *
 * Policy: each target runs alone under valgrind, gets `warmup` requests (start-up, JIT), has its
 * counts zeroed, then exactly `requests` more over `connections` keep-alive connections
 * (fixed-load.ts); the figure is the dump's total over `requests`. The kernel's share (syscalls,
 * TCP) is not counted, and neither are the client's instructions: they run in this process.
 * Valgrind slows each target ~30–50x, so the counts are small and the deadlines long.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForProxyState } from './admin-client.ts';
import { startBareForwarder } from './bare-forwarder-child.ts';
import { CallgrindCounter } from './callgrind.ts';
import { sendFixedLoad } from './fixed-load.ts';
import type { Target } from './http-client.ts';
import { startNginx } from './nginx.ts';
import { startProxyChild } from './proxy-child.ts';

/** Instructions per request of each target; nginx is null when it is not installed. */
export interface InstructionsResult {
  readonly requests: number;
  readonly warmup: number;
  readonly proxy: number;
  readonly bareDispatch: number;
  readonly nginx: number | null;
}

/** What to count, against what. */
export interface InstructionsPlan {
  /** The running backend, `ip:port`. */
  readonly upstream: string;
  /** The proxy's entry and config, routing `/` to `service` on that backend. */
  readonly proxy: { readonly entry: string; readonly routesPath: string; readonly servicesPath: string; readonly service: string };
  readonly nginxBinary: string | null;
  readonly requests: number;
  readonly warmup: number;
  readonly connections: number;
}

/** How long a target under valgrind may take to start listening. */
const START_UNDER_VALGRIND_MS = 180_000;

interface Counted {
  readonly pid: number;
  readonly target: Target;
  stop(): Promise<void>;
}

async function count(plan: InstructionsPlan, counter: CallgrindCounter, start: (prefix: readonly string[]) => Promise<Counted>): Promise<number> {
  const counted = await start(counter.prefix());
  try {
    await sendFixedLoad(counted.target, plan.warmup, plan.connections);
    await counter.zero(counted.pid);
    await sendFixedLoad(counted.target, plan.requests, plan.connections);
    return (await counter.dump(counted.pid)) / plan.requests;
  } finally {
    await counted.stop();
  }
}

const local = (port: number): Target => ({ host: '127.0.0.1', port, path: '/' });

/** Counts each target in turn; `log` gets one line per target. */
export async function measureInstructions(plan: InstructionsPlan, log: (line: string) => void): Promise<InstructionsResult> {
  const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-bench-callgrind-'));
  try {
    const proxy = await count(plan, new CallgrindCounter(dir, 'proxy'), async (wrapper) => {
      const { entry, routesPath, servicesPath, service } = plan.proxy;
      const child = await startProxyChild({ entry, routesPath, servicesPath, wrapper, readyTimeoutMs: START_UNDER_VALGRIND_MS });
      try {
        await waitForProxyState(child.adminPort, service, 'RUNNING', START_UNDER_VALGRIND_MS);
      } catch (err) {
        await child.close();
        throw err;
      }
      return { pid: child.pid, target: local(child.port), stop: () => child.close() };
    });
    log(`  wake-proxy: ${Math.round(proxy)} instructions per request`);
    const bareDispatch = await count(plan, new CallgrindCounter(dir, 'bare'), async (wrapper) => {
      const bare = await startBareForwarder('dispatch', plan.upstream, { wrapper, readyTimeoutMs: START_UNDER_VALGRIND_MS });
      return { pid: bare.pid, target: local(bare.port), stop: () => bare.stop() };
    });
    log(`  bare dispatch forwarder: ${Math.round(bareDispatch)} instructions per request`);
    const nginxBinary = plan.nginxBinary;
    const nginx = nginxBinary === null ? null : await count(plan, new CallgrindCounter(dir, 'nginx'), async (wrapper) => {
      const server = await startNginx(nginxBinary, plan.upstream, 1, { wrapper, readyDeadlineMs: START_UNDER_VALGRIND_MS });
      return { pid: server.pid, target: local(server.port), stop: () => server.stop() };
    });
    if (nginx !== null) log(`  nginx: ${Math.round(nginx)} instructions per request`);
    return { requests: plan.requests, warmup: plan.warmup, proxy, bareDispatch, nginx };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
