/**
 * Pure statistics for the benchmark. Percentiles use the nearest-rank method: the p-th percentile
 * of n sorted samples is the sample at rank ceil(p/100 * n). With fewer than 100 samples, p99 is
 * therefore the maximum; the report says so rather than interpolating a figure nobody measured.
 */

/** min / p50 / p99 / max of one series, in the unit of its samples. */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The nearest-rank percentile `p` (0 < p <= 100) of samples already sorted ascending. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Summarizes a series; throws on an empty one (a figure with no samples is a bug, not a zero). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: percentileOfSorted(sorted, 1e-9),
    p50: percentileOfSorted(sorted, 50),
    p99: percentileOfSorted(sorted, 99),
    max: percentileOfSorted(sorted, 100),
  };
}

/** True when the series is too short for p99 to be anything but its maximum. */
export function isP99TheMax(n: number): boolean {
  return n < 100;
}

/** Rounds to `digits` decimals; keeps figures in results.json readable. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `a / b` rounded, or null when either side is missing or `b` is zero. */
export function ratio(a: number | null, b: number | null, digits = 2): number | null {
  if (a === null || b === null || b === 0) return null;
  return round(a / b, digits);
}
