/**
 * Resident memory of another process, read from /proc/<pid>/status (VmRSS), and a sampler that
 * keeps the peak while a phase runs. Linux only, like the rest of the benchmark.
 */
import { readFileSync } from 'node:fs';

/** VmRSS of `pid` in MB (1024 * 1024 bytes), from a /proc status text. */
export function parseVmRssMb(statusText: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  return match?.[1] === undefined ? null : Number(match[1]) / 1024;
}

/** VmRSS of a live process in MB; throws when the process is gone. */
export function readRssMb(pid: number): number {
  const rss = parseVmRssMb(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (rss === null) throw new Error(`no VmRSS for process ${pid}`);
  return rss;
}

/** Samples a process's RSS on a timer; `stop()` returns the peak seen (MB). */
export interface RssSampler {
  stop(): number;
}

/** Starts sampling `pid` every `intervalMs` (one sample is taken at once). */
export function sampleRss(pid: number, intervalMs = 10): RssSampler {
  let peak = readRssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, readRssMb(pid));
    } catch {
      // The process ended; the peak so far stands.
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        peak = Math.max(peak, readRssMb(pid));
      } catch {
        // As above.
      }
      return peak;
    },
  };
}
