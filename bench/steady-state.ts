/**
 * Figure 6a: throughput at saturation against the running backend: direct (the container's
 * bridge address), through wake-proxy, through nginx when available.
 *
 * Policy: each target is warmed up once with an untimed run (the proxy's JIT needs several
 * seconds of load to settle here), then `rounds` rounds run back to back, the order of the targets
 * rotating every round; each target's figure is its median round (by requests/s). One run per
 * target swung by up to 2x on this shared 2-CPU machine; medians of rotated rounds do not.
 * Each round also reads the CPU time the target's processes used (proc-figures.ts), divided by
 * the requests answered: the median of those is the target's CPU per request. The proxy's memory
 * is read idle (LOAD_SETTLE_MS after the warm-ups), sampled during its rounds, and read again
 * LOAD_SETTLE_MS after its last round: is the load's memory given back?
 * Between its rounds the proxy is kept from counting as quiet (keep-busy.ts), so that its rounds
 * measure the request path warm; the load right after its memory reclaim (the proxy reclaims while
 * the other targets warm up) is measured on its own, as the cost of a reclaim: the re-warm.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepBusy } from './keep-busy.ts';
import type { LoadGenerator } from './load-generator.ts';
import { cpuMsOf, memoryOf, type MemoryFigures } from './proc-figures.ts';
import { sampleRss } from './rss.ts';
import type { LoadResult } from './wrk-output.ts';

/** One target's median round, with the CPU time it cost per request (null: not measured). */
export interface TargetResult extends LoadResult {
  /** Median over the rounds of (CPU time of the target's process tree) / (requests answered), in µs. */
  readonly cpuUsPerRequest: number | null;
}

/** One saturation figure per target; a target is null when it is not available. */
export interface ThroughputResult {
  readonly direct: TargetResult;
  readonly proxy: TargetResult;
  readonly nginx: TargetResult | null;
  /** node:http + one undici Pool with a dispatch handler (bare-forwarder.ts). */
  readonly bareDispatch: TargetResult | null;
  /** node:http + one undici Pool with pool.stream(). */
  readonly bareStream: TargetResult | null;
  /**
   * The proxy's first load after a memory reclaim (warmupS long): its CPU per request includes the
   * re-warm, since the reclaim's full GC deoptimized the request path (keep-busy.ts).
   */
  readonly proxyAfterReclaim: TargetResult;
  /** The proxy's memory before the load, at its peak during the load, and LOAD_SETTLE_MS after its last round. */
  readonly proxyMemory: { readonly idle: MemoryFigures; readonly peakRssMb: number; readonly after: MemoryFigures };
}

/** How long after the proxy's last round its memory is read again. */
export const LOAD_SETTLE_MS = 10_000;

/** One target of the steady-state rounds. */
export interface SteadyTarget {
  readonly name: TargetName;
  readonly url: string;
  /** The process whose CPU time (with its children's) a request costs; null for the direct target. */
  readonly pid: number | null;
}

/** Where to send load, and how much. */
export interface ThroughputPlan {
  readonly generator: LoadGenerator;
  readonly targets: readonly SteadyTarget[];
  readonly proxyPid: number;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
}

/** The targets by name; direct and wake-proxy are always there. */
export type TargetName = 'direct' | 'wake-proxy' | 'nginx' | 'bare-dispatch' | 'bare-stream';

/** The round with the median requests/s (the lower middle one for an even count). */
export function medianRound<T extends LoadResult>(results: readonly T[]): T {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new RangeError('no rounds');
  return middle;
}

/** The median of numbers (the lower middle one for an even count), or null for none. */
export function medianOf(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

/** The targets in round `round`'s order: rotated by one place per round. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

interface Round extends LoadResult {
  readonly cpuUs: number | null;
}

async function runRound(plan: ThroughputPlan, target: SteadyTarget, durationS: number): Promise<Round> {
  const before = target.pid === null ? null : cpuMsOf(target.pid);
  const result = await plan.generator.run({ url: target.url, connections: plan.connections, durationS });
  const cpuUs = before === null || target.pid === null || result.requests === 0 ? null : ((cpuMsOf(target.pid) - before) * 1000) / result.requests;
  return { ...result, cpuUs };
}

function urlTarget(url: string): { host: string; port: number; path: string } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port), path: parsed.pathname };
}

/** Runs the warm-ups and the rounds against each target. */
export async function measureThroughput(plan: ThroughputPlan, log: (line: string) => void): Promise<ThroughputResult> {
  for (const target of plan.targets) await plan.generator.run({ url: target.url, connections: plan.connections, durationS: plan.warmupS });
  await sleep(LOAD_SETTLE_MS);
  const idle = memoryOf(plan.proxyPid);
  const proxyTarget = plan.targets.find((t) => t.name === 'wake-proxy');
  if (proxyTarget === undefined) throw new Error('no wake-proxy target');
  // Quiet since its warm-up, the proxy has reclaimed its memory: this load pays the re-warm.
  const keeper = keepBusy(urlTarget(proxyTarget.url));
  const rounds = new Map<TargetName, Round[]>(plan.targets.map((t) => [t.name, []]));
  let peakRssMb = idle.rssMb;
  let proxyDoneAt = 0;
  let afterReclaim: Round;
  try {
    afterReclaim = await runRound(plan, proxyTarget, plan.warmupS);
    log(`  after a reclaim, wake-proxy: ${Math.round(afterReclaim.rps)} req/s, ${afterReclaim.cpuUs?.toFixed(1)} µs CPU/request`);
    for (let round = 0; round < plan.rounds; round += 1) {
      for (const target of rotation(plan.targets, round)) {
        const isProxy = target.name === 'wake-proxy';
        const sampler = isProxy ? sampleRss(plan.proxyPid, 50) : null;
        const result = await runRound(plan, target, plan.durationS);
        if (sampler !== null) {
          peakRssMb = Math.max(peakRssMb, sampler.stop());
          proxyDoneAt = performance.now();
        }
        // After its last round the proxy may go quiet: the memory figure below is what it gives back.
        if (isProxy && round === plan.rounds - 1) {
          await keeper.stop();
        }
        rounds.get(target.name)?.push(result);
        const cpu = result.cpuUs === null ? '' : `, ${result.cpuUs.toFixed(1)} µs CPU/request`;
        log(`  round ${round + 1} ${target.name}: ${Math.round(result.rps)} req/s${cpu}, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${result.errors}`);
      }
    }
  } finally {
    await keeper.stop();
  }
  await sleep(Math.max(0, proxyDoneAt + LOAD_SETTLE_MS - performance.now()));
  const after = memoryOf(plan.proxyPid);
  const pick = (name: TargetName): TargetResult | null => {
    const results = rounds.get(name) ?? [];
    if (results.length === 0) return null;
    const { cpuUs: _cpu, ...median } = medianRound(results);
    const cpu = results.flatMap((r) => (r.cpuUs === null ? [] : [r.cpuUs]));
    return { ...median, cpuUsPerRequest: medianOf(cpu) };
  };
  const direct = pick('direct');
  const proxy = pick('wake-proxy');
  if (direct === null || proxy === null) throw new Error('no throughput rounds ran');
  const { cpuUs: rewarmCpuUs, ...rewarm } = afterReclaim;
  return {
    direct,
    proxy,
    nginx: pick('nginx'),
    bareDispatch: pick('bare-dispatch'),
    bareStream: pick('bare-stream'),
    proxyAfterReclaim: { ...rewarm, cpuUsPerRequest: rewarmCpuUs },
    proxyMemory: { idle, peakRssMb, after },
  };
}
