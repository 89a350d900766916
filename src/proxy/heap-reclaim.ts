/**
 * Giving memory back after a burst of connections.
 *
 * Policy: V8 keeps the heap pages a burst needed long after the burst is over. Measured here
 * (bench, 1,500 requests held during a wake): RSS 89 → 172 MB, still 168-174 MB 10 s later with
 * the heap in use back at 23 MB; one last-resort GC (V8's "collect all available garbage", which
 * also releases free pages) took it to 121 MB in ~100 ms. glibc knobs (MALLOC_ARENA_MAX=2, trim
 * and mmap thresholds) moved RSS by under 10 MB and are not used. So: once the open client
 * connections have reached BURST_CONNECTIONS and then stayed at or under QUIET_CONNECTIONS for
 * QUIET_MS, one last-resort GC runs; at most one per MIN_INTERVAL_MS. Steady load (never that
 * quiet) and light traffic (never that high) never trigger it, so the pause only ever lands on
 * an almost idle proxy.
 * The GC function is obtained without --expose-gc: the flag is set for one fresh VM context,
 * and `globalThis.gc` stays undefined for every module.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logging/logger.ts';

/** Open client connections that count as a burst. */
export const BURST_CONNECTIONS = 256;
/** Open client connections at or under which the proxy counts as quiet again. */
export const QUIET_CONNECTIONS = 16;
/** How long the proxy must stay quiet before the GC runs. */
export const QUIET_MS = 5_000;
/** Least time between two reclaims. */
export const MIN_INTERVAL_MS = 60_000;

/** Runs one full, memory-reducing collection. */
export type Collect = () => void;

/** Watches the number of open connections and reclaims memory after a burst. */
export interface HeapReclaimer {
  /** Called with the number of open client connections whenever it changes. */
  connectionsChanged(open: number): void;
  /** How many reclaims have run. */
  readonly reclaims: number;
  /** Cancels a pending reclaim; later changes are ignored. */
  close(): void;
}

type GcWithOptions = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** V8's last-resort GC, obtained for this call site only. */
export function lastResortCollect(): Collect {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as GcWithOptions;
  setFlagsFromString('--no-expose-gc');
  return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** Creates a reclaimer; `collect` defaults to lastResortCollect() (made on first use). */
export function createHeapReclaimer(deps: { clock: Clock; log: Logger; collect?: Collect }): HeapReclaimer {
  const { clock, log } = deps;
  let collect = deps.collect ?? null;
  let sawBurst = false;
  let timer: TimerHandle | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  let reclaims = 0;
  let closed = false;

  function run(): void {
    timer = null;
    sawBurst = false;
    lastAt = clock.now();
    collect ??= lastResortCollect();
    const before = process.memoryUsage.rss();
    const startedAt = performance.now();
    collect();
    reclaims += 1;
    const mb = (bytes: number): number => Math.round(bytes / 1048576);
    log.info({ rssBeforeMb: mb(before), rssAfterMb: mb(process.memoryUsage.rss()), durationMs: Math.round(performance.now() - startedAt) }, 'memory reclaimed after a burst');
  }

  return {
    connectionsChanged(open) {
      if (closed) return;
      if (open >= BURST_CONNECTIONS) sawBurst = true;
      if (open > QUIET_CONNECTIONS) {
        timer?.cancel();
        timer = null;
      } else if (sawBurst && timer === null) {
        const wait = Math.max(QUIET_MS, lastAt + MIN_INTERVAL_MS - clock.now());
        timer = clock.setTimeout(run, wait);
      }
    },
    get reclaims() {
      return reclaims;
    },
    close() {
      closed = true;
      timer?.cancel();
      timer = null;
    },
  };
}
