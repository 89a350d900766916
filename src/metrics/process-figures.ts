/**
 * The proxy process's own figures: resident memory, V8 heap, CPU time and event-loop delay.
 *
 * Policy: the event-loop delay is sampled by Node's built-in histogram (perf_hooks, a libuv timer
 * at 20 ms resolution: no JavaScript runs per sample) and reset at every scrape, so each scrape
 * reports the delay since the previous one. Everything else is read at scrape time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { family, sample } from './exposition.ts';

const RESOLUTION_MS = 20;
const NS_PER_S = 1e9;

/** Reads and renders the process figures; start() before use, close() at shutdown. */
export class ProcessFigures {
  #delay: ReturnType<typeof monitorEventLoopDelay> | null = null;
  readonly #startedAtS = Date.now() / 1000 - process.uptime();

  /** Starts sampling the event-loop delay. */
  start(): void {
    this.#delay ??= monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#delay.enable();
  }

  /** Stops sampling. */
  close(): void {
    this.#delay?.disable();
  }

  /** The families in text format; resets the event-loop delay window. */
  render(): string {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const parts = [
      family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [sample('process_resident_memory_bytes', {}, memory.rss)]),
      family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, in seconds.', [
        sample('process_cpu_seconds_total', {}, (cpu.user + cpu.system) / 1e6),
      ]),
      family('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch, in seconds.', [
        sample('process_start_time_seconds', {}, Math.round(this.#startedAtS)),
      ]),
      family('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [sample('nodejs_heap_used_bytes', {}, memory.heapUsed)]),
      family('nodejs_heap_total_bytes', 'gauge', 'V8 heap reserved, in bytes.', [sample('nodejs_heap_total_bytes', {}, memory.heapTotal)]),
    ];
    const delay = this.#delay;
    if (delay !== null) {
      for (const [name, help, value] of [
        ['nodejs_eventloop_delay_p50_seconds', 'Median event-loop delay since the previous scrape, in seconds.', delay.percentile(50)],
        ['nodejs_eventloop_delay_p99_seconds', '99th percentile of the event-loop delay since the previous scrape, in seconds.', delay.percentile(99)],
        ['nodejs_eventloop_delay_max_seconds', 'Largest event-loop delay since the previous scrape, in seconds.', delay.max],
      ] as const) {
        parts.push(family(name, 'gauge', help, [sample(name, {}, value / NS_PER_S)]));
      }
      delay.reset();
    }
    return parts.join('');
  }
}
