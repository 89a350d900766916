/**
 * Fixed-bucket histograms keyed by a label set, rendered in the text format.
 *
 * Policy: buckets are chosen once per family (upper bounds in seconds, ascending); each observation
 * costs one binary search and three additions. Series are created on first observation and live
 * as long as the process (their label values come from the configuration, never from clients), so
 * memory is bounded by services × label values × buckets.
 */
import { family, formatLabels, formatValue, type Labels } from './exposition.ts';

/** Wake and phase durations: 5 ms to 60 s, about ×2 apart. */
export const WAKE_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60,
];

interface Series {
  readonly labels: Labels;
  readonly counts: number[];
  sum: number;
  count: number;
}

/** One histogram family. */
export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  readonly #series = new Map<string, Series>();

  constructor(name: string, help: string, buckets: readonly number[]) {
    if (buckets.some((b, i) => i > 0 && b <= (buckets[i - 1] ?? -Infinity))) {
      throw new Error(`histogram ${name}: buckets must ascend`);
    }
    this.name = name;
    this.help = help;
    this.buckets = buckets;
  }

  /** Records `value` (seconds) for the series with these labels. */
  observe(labels: Labels, value: number): void {
    const key = formatLabels(labels);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { labels, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    const index = firstAtLeast(this.buckets, value);
    if (index < this.buckets.length) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** The family in text format: cumulative `_bucket` lines with `le`, then `_sum` and `_count`. */
  render(): string {
    const lines: string[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] ?? 0;
        lines.push(`${this.name}_bucket${formatLabels({ ...series.labels, le: formatValue(bound) })} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${formatLabels({ ...series.labels, le: '+Inf' })} ${series.count}`);
      lines.push(`${this.name}_sum${formatLabels(series.labels)} ${formatValue(series.sum)}`);
      lines.push(`${this.name}_count${formatLabels(series.labels)} ${series.count}`);
    }
    return family(this.name, 'histogram', this.help, lines);
  }
}

/** Index of the first bound ≥ value, or bounds.length. */
function firstAtLeast(bounds: readonly number[], value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bounds[mid] ?? Infinity) >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Counters keyed by a label set. */
export class CounterFamily {
  readonly name: string;
  readonly help: string;
  readonly #values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  /** Adds `by` (default 1) to the series with these labels. */
  inc(labels: Labels, by = 1): void {
    this.series(labels).value += by;
  }

  /**
   * The series with these labels, created at 0 if new. Its `value` may be incremented directly: a
   * caller on the request path keeps it and skips formatting the labels every time.
   */
  series(labels: Labels): { value: number } {
    const key = formatLabels(labels);
    let entry = this.#values.get(key);
    if (entry === undefined) {
      entry = { labels, value: 0 };
      this.#values.set(key, entry);
    }
    return entry;
  }

  /** The value of one series (0 when never incremented). */
  get(labels: Labels): number {
    return this.#values.get(formatLabels(labels))?.value ?? 0;
  }

  /** The family in text format. */
  render(): string {
    const lines = [...this.#values.values()].map((e) => `${this.name}${formatLabels(e.labels)} ${formatValue(e.value)}`);
    return family(this.name, 'counter', this.help, lines);
  }
}
