/**
 * CPU time and memory of another process, from /proc (Linux only, like the rest of the
 * benchmark). CPU time per request is the steady figure on a shared machine: requests/s swings
 * with whatever else runs, the CPU a request costs does not.
 *
 * Policy: CPU time is utime + stime of the process and of its direct children (nginx's workers
 * are children of its master), in clock ticks of 10 ms; over a round of ~100,000 requests that
 * is well under 1 % of resolution. Memory is VmRSS and RssAnon: the binary's own clean, shared
 * pages (~49 MB of a Node process) are in RSS but not in the anonymous figure.
 */
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on every Linux this runs on). */
const CLOCK_TICKS_PER_S = 100;

/** utime + stime in ms from a /proc/PID/stat text (fields 14 and 15, after the `(comm)`). */
export function parseCpuMs(statText: string): number {
  const afterComm = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // afterComm[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(afterComm[11]);
  const stime = Number(afterComm[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc stat: ${statText.slice(0, 80)}`);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S;
}

function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(' ').map(Number);
  } catch {
    return [];
  }
}

/** CPU time (ms) used so far by `pid` and its live direct children. */
export function cpuMsOf(pid: number): number {
  let total = parseCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  for (const child of childrenOf(pid)) {
    try {
      total += parseCpuMs(readFileSync(`/proc/${child}/stat`, 'utf8'));
    } catch {
      // The child ended between the two reads: its time is gone with it.
    }
  }
  return total;
}

/** Resident and anonymous memory in MB (2^20 bytes). */
export interface MemoryFigures {
  readonly rssMb: number;
  readonly anonMb: number;
}

/** VmRSS and RssAnon from a /proc/PID/status text. */
export function parseMemory(statusText: string): MemoryFigures {
  const kb = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(statusText);
    if (match?.[1] === undefined) throw new Error(`no ${name} in /proc status`);
    return Number(match[1]) / 1024;
  };
  return { rssMb: kb('VmRSS'), anonMb: kb('RssAnon') };
}

/** Resident and anonymous memory of a live process. */
export function memoryOf(pid: number): MemoryFigures {
  return parseMemory(readFileSync(`/proc/${pid}/status`, 'utf8'));
}
