/** Pure parsing of wrk's text report (`wrk --latency`). */

/** What the benchmark reads from a wrk run. */
export interface LoadResult {
  readonly rps: number;
  readonly requests: number;
  /** Socket errors and non-2xx/3xx responses. */
  readonly errors: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

const UNIT_TO_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** `162.00us` / `3.45ms` / `1.02s` → milliseconds, or null. */
export function parseWrkDuration(text: string): number | null {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  return Number(match[1]) * (UNIT_TO_MS[match[2]] ?? Number.NaN);
}

function latencyAt(report: string, percent: string): number | null {
  const match = new RegExp(`^\\s+${percent}%\\s+(\\S+)`, 'm').exec(report);
  return match?.[1] ? parseWrkDuration(match[1]) : null;
}

/** Reads requests/s, totals, errors and the latency distribution; throws if there is no rate. */
export function parseWrkOutput(report: string): LoadResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(report)?.[1];
  const requests = /^\s*(\d+) requests in /m.exec(report)?.[1];
  if (rps === undefined || requests === undefined) throw new Error(`unreadable wrk output:\n${report}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0);
  return {
    rps: Number(rps),
    requests: Number(requests),
    errors: socketErrors + non2xx,
    p50Ms: latencyAt(report, '50'),
    p99Ms: latencyAt(report, '99'),
  };
}
