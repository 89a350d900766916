/**
 * Giving memory back once the proxy is quiet: after start-up, after a burst, after load.
 *
 * Policy: V8 and glibc keep the pages that start-up, a burst or a stretch of load needed long
 * after they are free. Measured (bench, issue 12): RSS stayed ~120 MB above idle for 60 s after
 * steady load and never came down; 500 services idled at ~111 MB against ~87 MB for one, with
 * only ~2 MB more live heap. One last-resort GC (V8's "collect all available garbage", which also
 * releases free and pooled pages) takes it back in tens of ms: 87 → 80 MB at one service after
 * start-up, 111 → 92–104 MB at 500, 180 → 112 MB after load. A plain full GC does not (it made
 * RSS higher here). What no GC can give back is malloc's: the Node flags, the environment and
 * the allocator (jemalloc, which gives free pages back where glibc keeps them) that keep it
 * small are in bench/proxy-child.ts (PROXY_NODE_FLAGS, PROXY_NODE_ENV, JEMALLOC_PATHS).
 *
 * So every CHECK_EVERY_MS the reclaimer looks at the proxy. It runs one last-resort GC when:
 * - the proxy is quiet: at most QUIET_CONNECTIONS open client connections, and the event loop
 *   was busy less than QUIET_UTILIZATION of the last window (so a few busy keep-alive connections
 *   never count as quiet), and
 * - either start-up has not been reclaimed yet, or RSS has grown GROWTH_MB or more above what it
 *   was after the previous reclaim (a burst, a stretch of load), and
 * - MIN_INTERVAL_MS have passed since the previous one.
 * The pause therefore lands only on an idle proxy, at most once per growth, and load ended is
 * given back within about two windows (≤ 2 × CHECK_EVERY_MS).
 * The price is paid by the next load (issue 12, measured with --trace-opt and --trace-deopt): with
 * nothing in flight, the objects of the request path are all dead, so this GC (any full GC while
 * quiet does the same) lets V8 drop their maps and deoptimize the code that embedded them
 * ("embedded weak objects cleared"). The next load recompiles about 250 functions on the main
 * thread (~0.2–0.4 s of CPU here); the benchmark reports it as the re-warm after a reclaim.
 * Keeping the last exchange's objects alive across the GC halved the recompiles, but not more
 * (undici's and node:http's internal objects die too), and was not kept.
 * A second price would last for the rest of the process: this GC lets V8 drop the maps of the
 * literal Node's process.nextTick builds its tick objects with, and from the next tick on, every
 * tick object is built in V8's runtime (8–9 % of the CPU per request in a profile; issue 12). So
 * the reclaimer holds one tick object from its creation until close() (tick-shape-pin.ts).
 * The GC function is obtained without --expose-gc: the flag is set for one fresh VM context,
 * and `globalThis.gc` stays undefined for every module.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logging/logger.ts';
import { pinTickShape } from './tick-shape-pin.ts';

/** How often the proxy is looked at. */
export const CHECK_EVERY_MS = 2_500;
/** Open client connections at or under which the proxy may count as quiet. */
export const QUIET_CONNECTIONS = 16;
/** Event-loop utilisation over the last window (0..1) under which the proxy may count as quiet. */
export const QUIET_UTILIZATION = 0.05;
/** Growth of RSS over the last reclaim's result that makes another one worth its pause. */
export const GROWTH_MB = 16;
/** Least time between two reclaims. */
export const MIN_INTERVAL_MS = 10_000;

/** Runs one full, memory-reducing collection. */
export type Collect = () => void;

/** Why a reclaim ran. */
export type ReclaimReason = 'start-up' | 'growth';

/** Watches the proxy and reclaims memory when it is quiet. */
export interface HeapReclaimer {
  /** Called with the number of open client connections whenever it changes. */
  connectionsChanged(open: number): void;
  /** How many reclaims have run. */
  readonly reclaims: number;
  /** Stops looking; a check in flight is cancelled. */
  close(): void;
}

/** What the reclaimer reads and does; tests replace the process-wide parts. */
export interface HeapReclaimerDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Defaults to lastResortCollect() (made on first use). */
  readonly collect?: Collect;
  /** Resident memory in bytes; defaults to process.memoryUsage.rss. */
  readonly rssBytes?: () => number;
  /** Event-loop utilisation (0..1) since the previous call; defaults to perf_hooks' measure. */
  readonly utilization?: () => number;
}

type GcWithOptions = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

const MB = 1_048_576;

/** V8's last-resort GC, obtained for this call site only. */
export function lastResortCollect(): Collect {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as GcWithOptions;
  setFlagsFromString('--no-expose-gc');
  return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** Event-loop utilisation since the previous call (the first call measures since process start). */
function loopUtilizationMeter(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, last);
    last = now;
    return window.utilization;
  };
}

/** Creates a reclaimer and starts its checks. */
export function createHeapReclaimer(deps: HeapReclaimerDeps): HeapReclaimer {
  const { clock, log } = deps;
  const rssBytes = deps.rssBytes ?? (() => process.memoryUsage.rss());
  const utilization = deps.utilization ?? loopUtilizationMeter();
  let collect = deps.collect ?? null;
  let open = 0;
  let baselineBytes: number | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  let reclaims = 0;
  let timer: TimerHandle | null = null;
  const tickShape = pinTickShape();

  function reasonNow(rss: number): ReclaimReason | null {
    if (baselineBytes === null) return 'start-up';
    return rss - baselineBytes >= GROWTH_MB * MB ? 'growth' : null;
  }

  function reclaim(reason: ReclaimReason, before: number): void {
    collect ??= lastResortCollect();
    const startedAt = performance.now();
    collect();
    reclaims += 1;
    lastAt = clock.now();
    const after = rssBytes();
    baselineBytes = after;
    const fields = { reason, rssBeforeMb: Math.round(before / MB), rssAfterMb: Math.round(after / MB), durationMs: Math.round(performance.now() - startedAt) };
    log.info(fields, 'memory reclaimed while quiet');
  }

  function check(): void {
    timer = clock.setTimeout(check, CHECK_EVERY_MS);
    const busy = utilization();
    if (open > QUIET_CONNECTIONS || busy >= QUIET_UTILIZATION) return;
    if (clock.now() - lastAt < MIN_INTERVAL_MS) return;
    const rss = rssBytes();
    const reason = reasonNow(rss);
    if (reason !== null) reclaim(reason, rss);
  }

  timer = clock.setTimeout(check, CHECK_EVERY_MS);
  return {
    connectionsChanged(count) {
      open = count;
    },
    get reclaims() {
      return reclaims;
    },
    close() {
      timer?.cancel();
      timer = null;
      tickShape.release();
    },
  };
}
