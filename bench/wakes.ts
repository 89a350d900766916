/**
 * Figures 1-4: floors and proxy wakes, interleaved A B A B (the order flips every iteration) so
 * that drift on a shared machine weighs on both series alike. One untimed round of each runs
 * first: a container's first pause or start after creation is slower than the rest.
 */
import type { BenchBackend } from './bench-containers.ts';
import { ensureRunning, measureStartFloor, measureUnpauseFloor } from './floors.ts';
import { summarize, type Summary } from './stats.ts';
import { measureProxyColdStart, measureProxyWakeFromPaused, type ProxyWakeTarget } from './via-proxy.ts';

/** The floor and proxy series of one kind of wake. */
export interface WakeComparison {
  readonly floor: Summary;
  readonly proxy: Summary;
  /**
   * proxy − floor within each iteration's pair: less sensitive to drift than the difference of
   * the two medians, which swings by tens of ms for cold starts on a shared machine.
   */
  readonly pairedAdded: Summary;
}

type Step = () => Promise<number>;

async function interleave(floor: Step, proxy: Step, iterations: number, progress: (line: string) => void): Promise<WakeComparison> {
  await floor();
  await proxy();
  const floorMs: number[] = [];
  const proxyMs: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const order: Array<[Step, number[]]> = [[floor, floorMs], [proxy, proxyMs]];
    if (i % 2 === 1) order.reverse();
    for (const [step, into] of order) into.push(await step());
    progress(`  ${i + 1}/${iterations}: floor ${floorMs.at(-1)?.toFixed(1)} ms, proxy ${proxyMs.at(-1)?.toFixed(1)} ms`);
  }
  const pairedAdded = proxyMs.map((ms, i) => ms - (floorMs[i] ?? Number.NaN));
  return { floor: summarize(floorMs), proxy: summarize(proxyMs), pairedAdded: summarize(pairedAdded) };
}

/** Figures 1 and 2: unpause floor on `floorBackend`, proxy wake on `target`'s backend. */
export async function compareWakeFromPaused(floorBackend: BenchBackend, target: ProxyWakeTarget, iterations: number, progress: (line: string) => void): Promise<WakeComparison> {
  await ensureRunning(floorBackend);
  await ensureRunning(target.backend);
  return interleave(() => measureUnpauseFloor(floorBackend), () => measureProxyWakeFromPaused(target), iterations, progress);
}

/** Figures 3 and 4: start floor on `floorBackend`, proxy cold start on `target`'s backend. */
export async function compareColdStart(floorBackend: BenchBackend, target: ProxyWakeTarget, iterations: number, progress: (line: string) => void): Promise<WakeComparison> {
  await ensureRunning(floorBackend);
  await ensureRunning(target.backend);
  return interleave(() => measureStartFloor(floorBackend), () => measureProxyColdStart(target), iterations, progress);
}
