/**
 * Figure 6a: throughput at saturation against the running backend: direct (the container's
 * bridge address), through wake-proxy, through nginx when available.
 *
 * Policy: each target is warmed up once with an untimed run (the proxy's JIT needs several
 * seconds of load to settle here), then `rounds` rounds run back to back, the order of the targets
 * rotating every round; each target's figure is its median round (by requests/s). One run per
 * target swung by up to 2x on this shared 2-CPU machine; medians of rotated rounds do not.
 */
import type { LoadGenerator } from './load-generator.ts';
import type { LoadResult } from './wrk-output.ts';

/** One saturation figure per target; nginx is null when it is not available. */
export interface ThroughputResult {
  readonly direct: LoadResult;
  readonly proxy: LoadResult;
  readonly nginx: LoadResult | null;
}

/** Where to send load, and how much. */
export interface ThroughputPlan {
  readonly generator: LoadGenerator;
  readonly directUrl: string;
  readonly proxyUrl: string;
  readonly nginxUrl: string | null;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
}

type TargetName = 'direct' | 'wake-proxy' | 'nginx';

/** The round with the median requests/s (the lower middle one for an even count). */
export function medianRound(results: readonly LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new RangeError('no rounds');
  return middle;
}

/** The targets in round `round`'s order: rotated by one place per round. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Runs the warm-ups and the rounds against each target. */
export async function measureThroughput(plan: ThroughputPlan, log: (line: string) => void): Promise<ThroughputResult> {
  const targets: Array<[TargetName, string]> = [['direct', plan.directUrl], ['wake-proxy', plan.proxyUrl]];
  if (plan.nginxUrl !== null) targets.push(['nginx', plan.nginxUrl]);
  const spec = (url: string, durationS: number) => ({ url, connections: plan.connections, durationS });
  for (const [, url] of targets) await plan.generator.run(spec(url, plan.warmupS));
  const rounds = new Map<TargetName, LoadResult[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < plan.rounds; round += 1) {
    for (const [name, url] of rotation(targets, round)) {
      const result = await plan.generator.run(spec(url, plan.durationS));
      rounds.get(name)?.push(result);
      log(`  round ${round + 1} ${name}: ${Math.round(result.rps)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${result.errors}`);
    }
  }
  const pick = (name: TargetName): LoadResult | null => {
    const results = rounds.get(name) ?? [];
    return results.length === 0 ? null : medianRound(results);
  };
  const direct = pick('direct');
  const proxy = pick('wake-proxy');
  if (direct === null || proxy === null) throw new Error('no throughput rounds ran');
  return { direct, proxy, nginx: pick('nginx') };
}
