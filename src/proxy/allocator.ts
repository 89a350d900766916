/**
 * Which malloc this process runs on, for the start-up log line: `jemalloc` when it was preloaded
 * (npm start and the image preload it when it is installed: README, "Memory"), `glibc` when the
 * process runs on glibc's own, `unknown` otherwise (another libc, or no /proc).
 */
import { readFileSync } from 'node:fs';

/** The malloc a process runs on. */
export type Allocator = 'jemalloc' | 'glibc' | 'unknown';

/** The allocator the mappings of a /proc/PID/maps text show: a preloaded jemalloc wins over libc. */
export function allocatorIn(maps: string): Allocator {
  if (/\/libjemalloc\.so[.\d]*$/m.test(maps)) return 'jemalloc';
  if (/\/libc\.so\.6$/m.test(maps)) return 'glibc';
  return 'unknown';
}

/** This process's allocator (reads /proc/self/maps once per call). */
export function processAllocator(): Allocator {
  try {
    return allocatorIn(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return 'unknown';
  }
}
